/**
 * Slack answering 5xx for a while. Each post is retried a bounded number of times by the Web API
 * client (BACKGROUND_RETRY), then the job records the failure (claim 'failed' with retry_at),
 * serves everyone else, and does not touch the recipient again until retry_at; the first tick
 * after that posts it exactly once.
 */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RETRY_TRANSIENT_MS } from '../../src/jobs/claimed.js';
import { runLeaderboard } from '../../src/jobs/leaderboard.js';
import { runNudges } from '../../src/jobs/nudges.js';
import { BACKGROUND_RETRY } from '../../src/slack/client.js';
import { type Harness, startHarness } from '../kit/harness.js';
import { enrollUtcManagers } from '../kit/storage.js';

const TEAM = 'T0001';
/** Monday 09:05 UTC: nudges and the weekly leaderboard are due. */
const NOW = Date.parse('2026-11-30T09:05:00Z');
const USERS = ['UOK1', 'UOK2', 'UBAD', 'UOK3', 'UOK4'];
const ATTEMPTS = BACKGROUND_RETRY.retries + 1;

describe('fault: Slack answers 5xx for a while', () => {
  let h: Harness;
  const postsTo = (channel: string) => h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === channel);
  const delivered = (channel: string) => postsTo(channel).filter((c) => c.status === 200 && c.response?.ok === true).length;

  before(async () => {
    h = await startHarness({ now: NOW });
    await enrollUtcManagers(h.ctx.repos, TEAM, USERS, { enrolledAt: NOW - 30 * 86_400_000, refreshedAt: NOW });
    await h.ctx.repos.teams.updateTeamSetting(TEAM, 'leaderboardChannel', 'CLEADERS', NOW);
  });
  after(async () => {
    await h.close();
  });

  it('nudges: bounded retries, the failure is recorded, the others are served, a later tick posts it once', async () => {
    // Every attempt for UBAD in this run gets a 503.
    h.fake.failNext('chat.postMessage', { status: 503, times: ATTEMPTS, when: (a) => a.channel === 'UBAD' });
    const report = await runNudges(h.ctx, NOW);

    assert.equal(report.posted.length, USERS.length - 1, 'everyone else was served');
    assert.equal(report.failed.length, 1);
    assert.match(report.failed[0], /UBAD/);
    assert.equal(postsTo('UBAD').length, ATTEMPTS, `bounded: ${ATTEMPTS} attempts, then it gave up`);
    assert.ok(postsTo('UBAD').every((c) => c.status === 503));
    const claim = await h.ctx.repos.claims.findClaim({ job: 'nudges', scope: `${TEAM}:UBAD`, period: '2026-11-30' });
    assert.equal(claim?.status, 'failed');
    assert.equal(claim?.retryAt, h.clock.now() + RETRY_TRANSIENT_MS);
    assert.ok(
      h.logs.some((l) => l.level === 40 && l.msg === 'post failed; will retry later' && l.scope === `${TEAM}:UBAD`),
      'the failure is in the log',
    );

    // Ticks before retry_at leave the recipient alone (no hammering a struggling Slack).
    h.clock.set(NOW + 60_000);
    await runNudges(h.ctx, h.clock.now());
    assert.equal(postsTo('UBAD').length, ATTEMPTS);

    // Slack is back: the first tick after retry_at posts it, once; nobody else hears twice.
    h.clock.set(NOW + RETRY_TRANSIENT_MS + 60_000);
    const later = await runNudges(h.ctx, h.clock.now());
    assert.equal(later.posted.length, 1);
    for (const u of USERS) assert.equal(delivered(u), 1, `${u} got exactly one DM`);
    assert.equal(await h.value('SELECT COUNT(*) FROM nudges'), USERS.length);
    assert.equal((await h.ctx.repos.claims.findClaim({ job: 'nudges', scope: `${TEAM}:UBAD`, period: '2026-11-30' }))?.status, 'done');
  });

  it('weekly post: the same bounded retry, a recorded failure, and one post once Slack is back', async () => {
    h.clock.set(NOW);
    h.fake.failNext('chat.postMessage', { status: 500, times: ATTEMPTS, when: (a) => a.channel === 'CLEADERS' });
    const report = await runLeaderboard(h.ctx, NOW);
    assert.equal(report.failed.length, 1);
    assert.equal(postsTo('CLEADERS').length, ATTEMPTS);

    h.clock.set(NOW + RETRY_TRANSIENT_MS + 60_000);
    const later = await runLeaderboard(h.ctx, h.clock.now());
    assert.equal(later.posted.length, 1);
    assert.equal(delivered('CLEADERS'), 1);
    await runLeaderboard(h.ctx, h.clock.now() + 60_000);
    assert.equal(delivered('CLEADERS'), 1, 'never twice in a week');
  });
});
