/**
 * A claim is fenced by the instant it was taken (claimed_at). A run whose worker waits out Slack's
 * Retry-After for longer than CLAIM_STALE_AFTER_MS can find, when it wakes, that another instance
 * took the stale claim over and sent the DM: it must then send nothing (before the fence it sent a
 * second DM). Two harnesses on one database stand for two app processes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLAIM_STALE_AFTER_MS } from '../../src/jobs/claimed.js';
import { runNudges } from '../../src/jobs/nudges.js';
import { harnessPerTest } from '../kit/harness.js';
import { at, cacheTz, enroll, nudgeRows, posts, sharedDatabase, TEAM } from './support.js';

const harness = harnessPerTest();

describe('claims are fenced', () => {
  it('a run that waited out a 429 past the stale time does not send what another instance took over and sent', async () => {
    const { fake, databasePath } = await sharedDatabase(harness, 'gemba-takeover-');
    const NOW = '2026-11-30T09:00:00Z';
    const a = await harness({ fake, databasePath, now: NOW });
    const b = await harness({ fake, databasePath, now: NOW });
    await enroll(a, 'U1', '2026-11-01T12:00:00Z');
    await cacheTz(a, 'U1', 'UTC');

    // Instance A claims U1's day; Slack answers 429 and A's worker waits Retry-After, claim in hand.
    fake.failNext('chat.postMessage', { retryAfter: 2 });
    const slow = runNudges(a.ctx, a.clock.now());
    await fake.waitFor('chat.postMessage', (c) => c.status === 429);
    const key = { job: 'nudges', scope: `${TEAM}:U1`, period: '2026-11-30' };
    while ((await a.ctx.repos.claims.findClaim(key))?.status !== 'claimed') await new Promise((r) => setTimeout(r, 5));

    // Instance B's tick, once A's claim is stale, takes it over and sends the DM.
    b.clock.set(at(NOW) + CLAIM_STALE_AFTER_MS + 60_000);
    const other = await runNudges(b.ctx, b.clock.now());
    assert.equal(other.posted.length, 1, 'the stale claim was taken over');

    // A wakes up: the claim is no longer the one it took, so it sends nothing.
    const first = await slow;
    assert.deepEqual(first.posted, []);
    assert.match(first.notes.join('\n'), /DM to U1 .*already sent for this day/);
    assert.equal(posts(a, 'U1').length, 1, 'one DM');
    assert.equal((await nudgeRows(a)).filter((r) => r.userId === 'U1').length, 1);
    assert.equal((await a.ctx.repos.claims.findClaim(key))?.status, 'done');
  });
});
