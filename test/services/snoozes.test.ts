/**
 * Snoozes (src/services/snoozes.ts): which weeks a snooze freezes, and pausing/resuming.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { Repos } from '../../src/db/repos/index.js';
import { createSnoozeService, frozenWeeksOf, MAX_SNOOZE_DAYS, NUDGE_SNOOZE_DAYS } from '../../src/services/snoozes.js';
import { openTestStorage } from '../kit/storage.js';

const sorted = (s: Set<string>) => [...s].sort();

describe('frozenWeeksOf', () => {
  it('follows the worked examples', () => {
    // Sat–Sun: no working day, nothing frozen.
    assert.deepEqual(sorted(frozenWeeksOf([{ startsOn: '2026-11-21', endsOn: '2026-11-22' }])), []);
    // Fri–Tue: the week of the Friday and the week of the Monday.
    assert.deepEqual(sorted(frozenWeeksOf([{ startsOn: '2026-11-20', endsOn: '2026-11-24' }])), ['2026-11-16', '2026-11-23']);
  });

  it('freezes a week touched by a single working day', () => {
    assert.deepEqual(sorted(frozenWeeksOf([{ startsOn: '2026-11-27', endsOn: '2026-11-27' }])), ['2026-11-23']); // a Friday
    assert.deepEqual(sorted(frozenWeeksOf([{ startsOn: '2026-11-29', endsOn: '2026-11-30' }])), ['2026-11-30']); // Sun–Mon
  });

  it('covers every week of a long snooze, across a month and a year end', () => {
    assert.deepEqual(sorted(frozenWeeksOf([{ startsOn: '2026-12-21', endsOn: '2027-01-08' }])), ['2026-12-21', '2026-12-28', '2027-01-04']);
    // The longest snooze: 8 weeks from a Monday is exactly 8 weeks.
    const eight = frozenWeeksOf([{ startsOn: '2026-11-02', endsOn: '2026-12-27' }]);
    assert.equal(eight.size, 8);
  });

  it('merges overlapping snoozes and ignores none', () => {
    const weeks = frozenWeeksOf([
      { startsOn: '2026-11-02', endsOn: '2026-11-04' },
      { startsOn: '2026-11-03', endsOn: '2026-11-10' },
      { startsOn: '2026-11-28', endsOn: '2026-11-29' }, // weekend only
    ]);
    assert.deepEqual(sorted(weeks), ['2026-11-02', '2026-11-09']);
    assert.equal(frozenWeeksOf([]).size, 0);
  });
});

describe('snooze service', () => {
  let repos: Repos;
  let snoozes: ReturnType<typeof createSnoozeService>;
  const TEAM = 'T0001';
  const U = 'U0001';
  const NOW = Date.parse('2026-11-26T15:00:00Z');

  beforeEach(() => {
    const storage = openTestStorage();
    repos = storage.repos;
    snoozes = createSnoozeService(storage);
  });

  it('pauses for N days starting today, inclusive', async () => {
    assert.equal(NUDGE_SNOOZE_DAYS, 7);
    assert.equal(MAX_SNOOZE_DAYS, 56);
    assert.deepEqual(await snoozes.snooze(TEAM, U, { days: 7, reason: 'pto', today: '2026-11-26', now: NOW }), { endsOn: '2026-12-02' });
    assert.equal((await snoozes.activeSnooze(TEAM, U, '2026-11-26'))?.reason, 'pto');
    assert.equal((await snoozes.activeSnooze(TEAM, U, '2026-12-02'))?.endsOn, '2026-12-02');
    assert.equal(await snoozes.activeSnooze(TEAM, U, '2026-12-03'), undefined);
    assert.deepEqual(sorted(frozenWeeksOf(await repos.snoozes.listSnoozesBetween(TEAM, U, '2026-11-16', '2026-12-13'))), [
      '2026-11-23',
      '2026-11-30',
    ]);
  });

  it('resuming keeps the days already snoozed (they still freeze) and drops the rest', async () => {
    await snoozes.snooze(TEAM, U, { days: 14, reason: 'snooze', today: '2026-11-23', now: NOW });
    assert.equal(await snoozes.unsnooze(TEAM, U, '2026-12-01'), true);
    assert.equal(await snoozes.activeSnooze(TEAM, U, '2026-12-01'), undefined);
    assert.equal((await snoozes.activeSnooze(TEAM, U, '2026-11-30'))?.endsOn, '2026-11-30');
    assert.deepEqual(sorted(frozenWeeksOf(await repos.snoozes.listSnoozesBetween(TEAM, U, '2026-11-16', '2026-12-13'))), [
      '2026-11-23',
      '2026-11-30',
    ]);
    // Nothing left to resume.
    assert.equal(await snoozes.unsnooze(TEAM, U, '2026-12-01'), false);
  });

  it('a snooze started today and resumed today leaves nothing behind', async () => {
    await snoozes.snooze(TEAM, U, { days: 7, reason: 'snooze', today: '2026-11-26', now: NOW });
    assert.equal(await snoozes.unsnooze(TEAM, U, '2026-11-26'), true);
    assert.deepEqual(await repos.snoozes.listSnoozesBetween(TEAM, U, '2000-01-01', '2100-01-01'), []);
  });
});
