/**
 * The sandbox's clock control: where each button moves time, and the instants on the way at which
 * the scheduler runs (each job's due time), so a move never skips a job the heartbeat would have run.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { localDateTimeToMs } from '../../src/lib/time.js';
import { clockTarget, dueStops } from '../../src/sandbox/clock.js';

const NY = 'America/New_York';
const at = (date: string, hour: number, minute = 0, tz = NY) => localDateTimeToMs(date, hour, tz) + minute * 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const due = { zones: [NY], nudgeHour: 9, publishHour: 18 };

describe('sandbox clock: due instants on the way', () => {
  it("Thursday 15:00 to Friday 09:00 passes Thursday's 18:00 publish only", () => {
    assert.deepEqual(dueStops(at('2026-11-26', 15), at('2026-11-27', 9), due).map(iso), [iso(at('2026-11-26', 18))]);
  });

  it('Sunday noon to Monday 10:00 passes Sunday 18:00, Monday 09:00 (nudges, leaderboard) and 09:30 (digest)', () => {
    assert.deepEqual(
      dueStops(at('2026-11-29', 12), at('2026-11-30', 10), due).map(iso),
      [at('2026-11-29', 18), at('2026-11-30', 9), at('2026-11-30', 9, 30)].map(iso),
    );
  });

  it('a week holds every day, in order, and never the start or the end itself', () => {
    const stops = dueStops(at('2026-11-26', 9), at('2026-12-03', 9), due);
    // 7 publishes, 6 nudge hours (not the start's, not the end's), and Monday's digest (its 09:00 is the nudge hour).
    assert.equal(stops.length, 7 + 6 + 1);
    assert.deepEqual(
      [...stops].sort((a, b) => a - b),
      stops,
    );
    assert.ok(!stops.includes(at('2026-11-26', 9)) && !stops.includes(at('2026-12-03', 9)));
  });

  it("the team's zone and the managers' zones each count (an admin moved the team to Berlin)", () => {
    const stops = dueStops(at('2026-11-26', 10), at('2026-11-26', 23), { ...due, zones: ['Europe/Berlin', NY] });
    // Berlin's 18:00 is 12:00 in New York; the managers' nudges and New York's 18:00 still count.
    assert.deepEqual(stops.map(iso), [at('2026-11-26', 18, 0, 'Europe/Berlin'), at('2026-11-26', 18)].map(iso));
  });
});

describe('sandbox clock: the buttons', () => {
  const thu = at('2026-11-26', 15);
  it('next working day 09:00, Monday 09:30, the next publish, +1 week', () => {
    assert.equal(iso(clockTarget('day', thu, NY, 18)), iso(at('2026-11-27', 9)));
    assert.equal(iso(clockTarget('day', at('2026-11-27', 15), NY, 18)), iso(at('2026-11-30', 9)), 'Friday → Monday');
    assert.equal(iso(clockTarget('monday', thu, NY, 18)), iso(at('2026-11-30', 9, 30)));
    assert.equal(iso(clockTarget('publish', thu, NY, 18)), iso(at('2026-11-26', 18)), 'today, before 18:00');
    assert.equal(iso(clockTarget('publish', at('2026-11-26', 18), NY, 18)), iso(at('2026-11-27', 18)), 'tomorrow, from 18:00 on');
    assert.equal(clockTarget('week', thu, NY, 18), thu + 7 * 86_400_000);
  });
});
