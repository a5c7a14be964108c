/**
 * When scheduled work is due (src/services/schedule.ts): a manager's nudge at their local nudge
 * hour on their own working days, and the Monday team posts, across zones and DST changes.
 * Instants are spelled out in UTC; the comments give the local wall clock.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nudgeWindow, weeklyWindow } from '../../src/services/schedule.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const HOUR = 3_600_000;

/** Every 5 minutes from `from` to `to`: the first instant each local date became due. */
function firstDueByDate(tz: string, from: string, to: string, nudgeHour = 9): Map<string, string> {
  const first = new Map<string, string>();
  for (let t = at(from); t < at(to); t += 5 * 60_000) {
    const w = nudgeWindow(t, tz, nudgeHour);
    if (w.due && !first.has(w.localDate)) first.set(w.localDate, iso(t));
  }
  return first;
}

describe('nudgeWindow', () => {
  it('follows the worked example: Chicago, Monday after spring-forward', () => {
    assert.deepEqual(nudgeWindow(at('2026-03-09T14:05:00Z'), 'America/Chicago', 9), { due: true, localDate: '2026-03-09' });
    // 08:55 CDT: not yet.
    assert.deepEqual(nudgeWindow(at('2026-03-09T13:55:00Z'), 'America/Chicago', 9), { due: false, localDate: '2026-03-09' });
    // Stays due for the rest of the local day (catch-up after downtime)…
    assert.equal(nudgeWindow(at('2026-03-10T04:59:00Z'), 'America/Chicago', 9).due, true); // 23:59 CDT Mon
    // …and the next local day starts over.
    assert.deepEqual(nudgeWindow(at('2026-03-10T05:00:00Z'), 'America/Chicago', 9), { due: false, localDate: '2026-03-10' });
  });

  it('Chicago, week of the March change (Sun 8 Mar): 09:00 local each working day, none at the weekend', () => {
    const first = firstDueByDate('America/Chicago', '2026-03-02T00:00:00Z', '2026-03-16T00:00:00Z');
    assert.deepEqual(Object.fromEntries(first), {
      '2026-03-02': '2026-03-02T15:00:00Z', // Mon 09:00 CST
      '2026-03-03': '2026-03-03T15:00:00Z',
      '2026-03-04': '2026-03-04T15:00:00Z',
      '2026-03-05': '2026-03-05T15:00:00Z',
      '2026-03-06': '2026-03-06T15:00:00Z', // Fri 09:00 CST
      '2026-03-09': '2026-03-09T14:00:00Z', // Mon 09:00 CDT: one hour earlier in UTC, not skipped
      '2026-03-10': '2026-03-10T14:00:00Z',
      '2026-03-11': '2026-03-11T14:00:00Z',
      '2026-03-12': '2026-03-12T14:00:00Z',
      '2026-03-13': '2026-03-13T14:00:00Z',
    });
  });

  it('Chicago, week of the November change (Sun 1 Nov): 09:00 local, one period per day', () => {
    const first = firstDueByDate('America/Chicago', '2026-10-26T00:00:00Z', '2026-11-07T00:00:00Z');
    assert.deepEqual(Object.fromEntries(first), {
      '2026-10-26': '2026-10-26T14:00:00Z', // 09:00 CDT
      '2026-10-27': '2026-10-27T14:00:00Z',
      '2026-10-28': '2026-10-28T14:00:00Z',
      '2026-10-29': '2026-10-29T14:00:00Z',
      '2026-10-30': '2026-10-30T14:00:00Z',
      '2026-11-02': '2026-11-02T15:00:00Z', // 09:00 CST
      '2026-11-03': '2026-11-03T15:00:00Z',
      '2026-11-04': '2026-11-04T15:00:00Z',
      '2026-11-05': '2026-11-05T15:00:00Z',
      '2026-11-06': '2026-11-06T15:00:00Z',
    });
    // The repeated hour on Sunday 1 Nov (01:00–01:59 happens twice) is a weekend: never due.
    for (let t = at('2026-11-01T05:00:00Z'); t < at('2026-11-02T06:00:00Z'); t += 15 * 60_000) {
      assert.equal(nudgeWindow(t, 'America/Chicago', 9).due, false, iso(t));
    }
  });

  it('Tokyo: Monday 09:00 JST is Sunday 00:00 UTC; Saturday morning JST is never due', () => {
    assert.deepEqual(nudgeWindow(at('2026-11-29T23:59:00Z'), 'Asia/Tokyo', 9), { due: false, localDate: '2026-11-30' });
    assert.deepEqual(nudgeWindow(at('2026-11-30T00:00:00Z'), 'Asia/Tokyo', 9), { due: true, localDate: '2026-11-30' });
    // Friday 2026-11-27 15:00 UTC is Saturday 00:00 JST.
    assert.deepEqual(nudgeWindow(at('2026-11-28T00:00:00Z'), 'Asia/Tokyo', 9), { due: false, localDate: '2026-11-28' });
    const first = firstDueByDate('Asia/Tokyo', '2026-11-28T00:00:00Z', '2026-12-05T00:00:00Z');
    assert.deepEqual(
      [...first.values()],
      ['2026-11-30T00:00:00Z', '2026-12-01T00:00:00Z', '2026-12-02T00:00:00Z', '2026-12-03T00:00:00Z', '2026-12-04T00:00:00Z'],
    );
  });

  it('Auckland: UTC+13 in their summer, UTC+12 in winter, across both NZ changes', () => {
    // Mon 2026-11-30 09:00 NZDT = Sun 20:00 UTC.
    assert.deepEqual(nudgeWindow(at('2026-11-29T20:00:00Z'), 'Pacific/Auckland', 9), { due: true, localDate: '2026-11-30' });
    assert.equal(nudgeWindow(at('2026-11-29T19:59:00Z'), 'Pacific/Auckland', 9).due, false);
    // NZ summer time ends Sun 2026-04-05: Fri 3 Apr 09:00 NZDT, Mon 6 Apr 09:00 NZST.
    const autumn = firstDueByDate('Pacific/Auckland', '2026-04-02T00:00:00Z', '2026-04-07T00:00:00Z');
    assert.equal(autumn.get('2026-04-03'), '2026-04-02T20:00:00Z');
    assert.equal(autumn.get('2026-04-06'), '2026-04-05T21:00:00Z');
    assert.equal(autumn.has('2026-04-04') || autumn.has('2026-04-05'), false);
    // It starts Sun 2026-09-27: Fri 25 Sep 09:00 NZST, Mon 28 Sep 09:00 NZDT.
    const spring = firstDueByDate('Pacific/Auckland', '2026-09-24T00:00:00Z', '2026-09-29T00:00:00Z');
    assert.equal(spring.get('2026-09-25'), '2026-09-24T21:00:00Z');
    assert.equal(spring.get('2026-09-28'), '2026-09-27T20:00:00Z');
  });

  it('UTC, and a custom nudge hour', () => {
    const first = firstDueByDate('UTC', '2026-11-28T00:00:00Z', '2026-12-05T00:00:00Z');
    assert.deepEqual(
      [...first.values()],
      ['2026-11-30T09:00:00Z', '2026-12-01T09:00:00Z', '2026-12-02T09:00:00Z', '2026-12-03T09:00:00Z', '2026-12-04T09:00:00Z'],
    );
    assert.equal(nudgeWindow(at('2026-11-30T06:59:00Z'), 'UTC', 7).due, false);
    assert.equal(nudgeWindow(at('2026-11-30T07:00:00Z'), 'UTC', 7).due, true);
    assert.equal(nudgeWindow(at('2026-11-30T00:00:00Z'), 'UTC', 0).due, true);
  });

  it('the same instant is a different local day and due-ness in each zone', () => {
    const t = at('2026-11-29T21:00:00Z'); // Sun 15:00 CST · Mon 06:00 JST · Mon 10:00 NZDT · Sun 21:00 UTC
    assert.deepEqual(nudgeWindow(t, 'America/Chicago', 9), { due: false, localDate: '2026-11-29' });
    assert.deepEqual(nudgeWindow(t, 'Asia/Tokyo', 9), { due: false, localDate: '2026-11-30' });
    assert.deepEqual(nudgeWindow(t, 'Pacific/Auckland', 9), { due: true, localDate: '2026-11-30' });
    assert.deepEqual(nudgeWindow(t, 'UTC', 9), { due: false, localDate: '2026-11-29' });
  });
});

describe('weeklyWindow', () => {
  it('follows the worked example: Berlin, Monday 09:30', () => {
    assert.deepEqual(weeklyWindow(at('2026-11-30T08:29:00Z'), 'Europe/Berlin', 9, 30), {
      due: false,
      period: '2026-W49',
      weekStart: '2026-11-30',
      reportWeek: '2026-11-23',
    });
    assert.deepEqual(weeklyWindow(at('2026-11-30T08:30:00Z'), 'Europe/Berlin', 9, 30), {
      due: true,
      period: '2026-W49',
      weekStart: '2026-11-30',
      reportWeek: '2026-11-23',
    });
  });

  it('stays due, with the same period, until the local week ends (catch-up)', () => {
    const sunday = weeklyWindow(at('2026-12-06T22:59:00Z'), 'Europe/Berlin', 9, 0); // Sun 23:59 CET
    assert.deepEqual([sunday.due, sunday.period, sunday.reportWeek], [true, '2026-W49', '2026-11-23']);
    const monday = weeklyWindow(at('2026-12-06T23:00:00Z'), 'Europe/Berlin', 9, 0); // Mon 00:00 CET
    assert.deepEqual([monday.due, monday.period, monday.reportWeek], [false, '2026-W50', '2026-11-30']);
  });

  it('Chicago: Monday 09:00 local on both sides of each DST change', () => {
    assert.equal(weeklyWindow(at('2026-03-09T13:59:00Z'), 'America/Chicago', 9, 0).due, false);
    assert.deepEqual(weeklyWindow(at('2026-03-09T14:00:00Z'), 'America/Chicago', 9, 0), {
      due: true,
      period: '2026-W11',
      weekStart: '2026-03-09',
      reportWeek: '2026-03-02',
    });
    assert.equal(weeklyWindow(at('2026-11-02T14:59:00Z'), 'America/Chicago', 9, 0).due, false);
    assert.equal(weeklyWindow(at('2026-11-02T15:00:00Z'), 'America/Chicago', 9, 0).due, true);
    // Sunday of each change is still the week before: due, with that week's period.
    assert.deepEqual(pick(weeklyWindow(at('2026-03-08T12:00:00Z'), 'America/Chicago', 9, 0)), [true, '2026-W10']);
    assert.deepEqual(pick(weeklyWindow(at('2026-11-01T12:00:00Z'), 'America/Chicago', 9, 0)), [true, '2026-W44']);
  });

  it('Auckland and Tokyo Mondays begin on Sunday in UTC', () => {
    assert.deepEqual(pick(weeklyWindow(at('2026-11-29T19:59:00Z'), 'Pacific/Auckland', 9, 0)), [false, '2026-W49']);
    assert.deepEqual(pick(weeklyWindow(at('2026-11-29T20:00:00Z'), 'Pacific/Auckland', 9, 0)), [true, '2026-W49']);
    assert.deepEqual(pick(weeklyWindow(at('2026-11-30T00:30:00Z'), 'Asia/Tokyo', 9, 30)), [true, '2026-W49']);
    // The same instant in Chicago is still Sunday evening of the week before.
    assert.deepEqual(pick(weeklyWindow(at('2026-11-30T00:30:00Z'), 'America/Chicago', 9, 30)), [true, '2026-W48']);
  });

  it('uses ISO weeks across the year end (2026 has a week 53)', () => {
    const w53 = weeklyWindow(at('2026-12-28T10:00:00Z'), 'UTC', 9, 0);
    assert.deepEqual([w53.period, w53.reportWeek], ['2026-W53', '2026-12-21']);
    const w01 = weeklyWindow(at('2027-01-04T10:00:00Z'), 'UTC', 9, 0);
    assert.deepEqual([w01.period, w01.reportWeek], ['2027-W01', '2026-12-28']);
  });

  it('never gives two periods for one local week, whatever the hour', () => {
    const periods = new Set<string>();
    for (let t = at('2026-11-02T06:00:00Z'); t < at('2026-11-09T06:00:00Z'); t += HOUR)
      periods.add(weeklyWindow(t, 'America/Chicago', 9, 0).period);
    assert.deepEqual([...periods], ['2026-W45']);
  });
});

function pick(w: { due: boolean; period: string }): [boolean, string] {
  return [w.due, w.period];
}
