/** The leaderboard post's "most improved" line reads naturally whatever the manager's past weeks were. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { leaderboardMessage } from '../../src/blocks/leaderboard.js';
import type { Leaderboard } from '../../src/services/leaderboard.js';

const board = (baseline: number): Leaderboard => ({
  weekStart: '2026-11-23',
  entries: [{ rank: 1, userId: 'U1', count: 4, accounts: 3, streak: 1 }],
  mostImproved: { userId: 'U1', count: 4, baseline },
  teamTotal: 4,
  previousTotal: 2,
  managerCount: 1,
  zeroCount: 0,
  tiedUnlisted: 0,
  target: 3,
});

const improvedLine = (baseline: number): string =>
  JSON.stringify(leaderboardMessage(board(baseline), { title: 'Leaderboard', inProgress: false }).blocks).match(
    /:rocket: \*Most improved:\*[^"]*/,
  )?.[0] ?? '';

describe('leaderboard: most improved', () => {
  it('against their own weekly average, without a trailing .0', () => {
    assert.equal(improvedLine(0.5), ':rocket: *Most improved:* <@U1>, 4 this week against their usual 0.5');
    assert.equal(improvedLine(2), ':rocket: *Most improved:* <@U1>, 4 this week against their usual 2');
    assert.equal(improvedLine(1.25), ':rocket: *Most improved:* <@U1>, 4 this week against their usual 1.3');
  });

  it('"up from none" when the weeks before had no conversation (not "their usual 0.0")', () => {
    assert.equal(improvedLine(0), ':rocket: *Most improved:* <@U1>, 4 this week up from none in the 4 weeks before');
  });
});
