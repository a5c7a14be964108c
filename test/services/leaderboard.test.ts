/**
 * Leaderboard rules (src/services/leaderboard.ts): ranking and its tie-break, "most improved"
 * against a manager's own four-week average, and the computed standings over a real database:
 * people at zero counted but not listed, the top-10 cut, streaks that snoozed weeks freeze, and a
 * finished week below target ending a streak.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { Repos } from '../../src/db/repos/index.js';
import { createContactService } from '../../src/services/contacts.js';
import { createLeaderboardService, LEADERBOARD_SIZE, pickMostImproved, rankEntries } from '../../src/services/leaderboard.js';
import { openTestStorage } from '../kit/storage.js';

const TEAM = 'T0001';
const NOW = Date.parse('2026-11-30T09:00:00Z');

describe('rankEntries', () => {
  it('orders by conversations, then distinct accounts; equal on both share a rank', () => {
    const ranked = rankEntries([
      { userId: 'UA', count: 5, accounts: 3 },
      { userId: 'UC', count: 5, accounts: 4 },
      { userId: 'UB', count: 5, accounts: 4 },
      { userId: 'UD', count: 7, accounts: 1 },
      { userId: 'UE', count: 2, accounts: 2 },
    ]);
    assert.deepEqual(
      ranked.map((r) => [r.rank, r.userId]),
      [
        [1, 'UD'], // most conversations wins even with one account
        [2, 'UB'], // 5 with 4 accounts: tied with UC, listed by id
        [2, 'UC'],
        [4, 'UA'], // 5 with 3 accounts: below the two with 4
        [5, 'UE'],
      ],
    );
  });

  it('leaves out people at zero entirely', () => {
    const ranked = rankEntries([
      { userId: 'U1', count: 0, accounts: 0 },
      { userId: 'U2', count: 1, accounts: 1 },
    ]);
    assert.deepEqual(ranked, [{ userId: 'U2', count: 1, accounts: 1, rank: 1 }]);
    assert.deepEqual(rankEntries([]), []);
  });

  it('does not depend on input order', () => {
    const rows = Array.from({ length: 12 }, (_, i) => ({ userId: `U${String(i).padStart(2, '0')}`, count: i % 4, accounts: i % 3 }));
    const a = rankEntries(rows);
    const b = rankEntries([...rows].reverse());
    assert.deepEqual(a, b);
  });
});

describe('pickMostImproved', () => {
  it('follows the worked example: weeks 1,0,2,1 then 5 → baseline 1.0', () => {
    const best = pickMostImproved(new Map([['UA', 5]]), new Map([['UA', [1, 0, 2, 1]]]));
    assert.deepEqual(best, { userId: 'UA', count: 5, baseline: 1 });
  });

  it('compares each with their own average, not the raw count', () => {
    // UA: 8 against 7.5 (+0.5); UB: 4 against 0.5 (+3.5); UC: 3 against 0 (+3).
    const best = pickMostImproved(
      new Map([
        ['UA', 8],
        ['UB', 4],
        ['UC', 3],
      ]),
      new Map([
        ['UA', [7, 8, 7, 8]],
        ['UB', [1, 1]], // two weeks with conversations out of four: average 0.5
      ]),
    );
    assert.deepEqual(best, { userId: 'UB', count: 4, baseline: 0.5 });
  });

  it('needs a positive gain and a conversation this week', () => {
    assert.equal(pickMostImproved(new Map([['UA', 2]]), new Map([['UA', [2, 2, 2, 2]]])), null);
    assert.equal(pickMostImproved(new Map([['UA', 1]]), new Map([['UA', [3, 3, 3, 3]]])), null);
    assert.equal(pickMostImproved(new Map([['UA', 0]]), new Map()), null);
    assert.equal(pickMostImproved(new Map(), new Map()), null);
  });

  it('breaks an equal gain by user id, so the post does not flip between runs', () => {
    const current = new Map([
      ['UZ', 3],
      ['UB', 3],
    ]);
    assert.equal(pickMostImproved(current, new Map())?.userId, 'UB');
  });
});

describe('leaderboard service over stored conversations', () => {
  let repos: Repos;
  let service: ReturnType<typeof createLeaderboardService>;
  let log: (userId: string, account: string, occurredOn: string) => Promise<void>;

  beforeEach(async () => {
    const storage = openTestStorage();
    repos = storage.repos;
    service = createLeaderboardService(repos);
    const contacts = createContactService(storage, { weeklyTarget: 3, timezone: 'UTC' });
    log = async (userId, account, occurredOn) => {
      await contacts.logContact(TEAM, userId, { account, buyer: null, kind: 'call', durationMin: null, occurredOn, insight: null }, NOW);
    };
  });

  it('lists at most ten, counts everyone, and names nobody at zero', async () => {
    // U01 … U12 log 1 … 12 conversations in the week of 23 Nov; UZERO only the week before.
    for (let i = 1; i <= 12; i++) for (let k = 0; k < i; k++) await log(`U${String(i).padStart(2, '0')}`, `Acct${k}`, '2026-11-24');
    await log('UZERO', 'Acme', '2026-11-17');
    await repos.managers.enrollManager(TEAM, 'UNEVER', NOW);
    const lb = await service.compute(TEAM, '2026-11-23', 3, { complete: true });
    assert.equal(lb.entries.length, LEADERBOARD_SIZE);
    assert.deepEqual(
      lb.entries.map((e) => e.userId),
      ['U12', 'U11', 'U10', 'U09', 'U08', 'U07', 'U06', 'U05', 'U04', 'U03'],
    );
    assert.equal(lb.teamTotal, 78);
    assert.equal(lb.previousTotal, 1);
    assert.equal(lb.managerCount, 14);
    assert.equal(lb.zeroCount, 2);
    assert.ok(!lb.entries.some((e) => e.userId === 'UZERO' || e.userId === 'UNEVER'));
    assert.notEqual(lb.mostImproved?.userId, 'UZERO');
  });

  it('leaves deactivated managers out of the standings and the totals', async () => {
    await log('UA', 'Acme', '2026-11-24');
    await log('UGONE', 'Acme', '2026-11-24');
    await log('UGONE', 'Initech', '2026-11-24');
    await repos.managers.deactivateManager(TEAM, 'UGONE');
    const lb = await service.compute(TEAM, '2026-11-23', 3);
    assert.deepEqual(
      lb.entries.map((e) => e.userId),
      ['UA'],
    );
    assert.equal(lb.teamTotal, 1);
    assert.equal(lb.managerCount, 1);
  });

  it('freezes a streak over a snoozed week and ends it at a finished week below target', async () => {
    // Target 3. UA: 3 in week 2 Nov, nothing in week 9 Nov (snoozed Mon–Fri), 3 in 16 Nov, 3 in 23 Nov.
    const atTargetWithAGap = [
      '2026-11-02',
      '2026-11-03',
      '2026-11-04',
      '2026-11-16',
      '2026-11-17',
      '2026-11-18',
      '2026-11-23',
      '2026-11-24',
      '2026-11-25',
    ];
    for (const d of atTargetWithAGap) await log('UA', 'Acme', d);
    await repos.snoozes.insertSnooze({
      teamId: TEAM,
      userId: 'UA',
      startsOn: '2026-11-09',
      endsOn: '2026-11-13',
      reason: 'pto',
      createdAt: NOW,
    });
    // UB: the same weeks at target but no snooze: the empty week ends the streak.
    for (const d of atTargetWithAGap) await log('UB', 'Acme', d);
    // UC: 3, 3, then only 1 in the week of 23 Nov.
    for (const d of ['2026-11-09', '2026-11-10', '2026-11-11', '2026-11-16', '2026-11-17', '2026-11-18', '2026-11-24'])
      await log('UC', 'Acme', d);
    const streaks = async (complete: boolean) =>
      Object.fromEntries((await service.compute(TEAM, '2026-11-23', 3, { complete })).entries.map((e) => [e.userId, e.streak]));
    // The week is over (Monday post, /leaderboard last): UC's short week ends the streak.
    assert.deepEqual(await streaks(true), { UA: 3, UB: 2, UC: 0 });
    // Still under way (/leaderboard): a short week does not break it yet.
    assert.deepEqual(await streaks(false), { UA: 3, UB: 2, UC: 2 });
  });

  it('a snoozed finished week still freezes rather than breaks', async () => {
    for (const d of ['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-23']) await log('UA', 'Acme', d);
    await repos.snoozes.insertSnooze({
      teamId: TEAM,
      userId: 'UA',
      startsOn: '2026-11-25',
      endsOn: '2026-12-01',
      reason: 'snooze',
      createdAt: NOW,
    });
    const [entry] = (await service.compute(TEAM, '2026-11-23', 3, { complete: true })).entries;
    assert.equal(entry.streak, 1); // the week of 23 Nov (1 of 3) is frozen: 16 Nov counts
  });

  it('most improved and the week-before total come from the same stored weeks', async () => {
    // UA: 1, 0, 2, 1 in the four weeks before 23 Nov, then 5.
    await log('UA', 'A', '2026-10-26');
    await log('UA', 'A', '2026-11-09');
    await log('UA', 'B', '2026-11-10');
    await log('UA', 'A', '2026-11-16');
    for (const a of ['A', 'B', 'C', 'D', 'E']) await log('UA', a, '2026-11-24');
    // UB: steady 4 a week: no improvement.
    for (const w of ['2026-10-26', '2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23'])
      for (let k = 0; k < 4; k++) await log('UB', `X${k}`, w);
    const lb = await service.compute(TEAM, '2026-11-23', 3, { complete: true });
    assert.deepEqual(lb.mostImproved, { userId: 'UA', count: 5, baseline: 1 });
    assert.equal(lb.teamTotal, 9);
    assert.equal(lb.previousTotal, 5);
    assert.deepEqual(
      lb.entries.map((e) => [e.rank, e.userId, e.count, e.accounts]),
      [
        [1, 'UA', 5, 5],
        [2, 'UB', 4, 4],
      ],
    );
  });
});
