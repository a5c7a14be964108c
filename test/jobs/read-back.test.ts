/**
 * A nudge claim a stopped run left 'posting' (its DM may or may not have reached Slack) is settled,
 * once stale, by reading the bot's DM back (conversations.history with metadata): found → recorded
 * as sent, nothing sent; not found → sent once; Slack cannot tell → left in doubt and reported,
 * never resent. On both engines (scripts/test.ts runs test/jobs on PostgreSQL too).
 *
 * "Stopped" is made here the way a kill -9 leaves it: the DM went out (or did not), and the claim is
 * 'posting' with no nudge row. test/faults/kill-nudges.test.ts and postgres-multi-instance.test.ts
 * kill real processes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLAIM_STALE_AFTER_MS, READ_BACK_CLOCK_ALLOWANCE_MS } from '../../src/jobs/claimed.js';
import { NUDGE_EVENT_TYPE, runNudges } from '../../src/jobs/nudges.js';
import { type Harness, harnessPerTest } from '../kit/harness.js';
import { at, cacheTz, enroll, nudgeRows, posts, sharedDatabase, TEAM } from './support.js';

const harness = harnessPerTest();
/** Monday 09:00 UTC: the nudge hour of managers in UTC. */
const T0 = '2026-11-30T09:00:00Z';
const STALE = at(T0) + CLAIM_STALE_AFTER_MS + 60_000;
const keyOf = (userId: string) => ({ job: 'nudges', scope: `${TEAM}:${userId}`, period: '2026-11-30' });

async function managers(h: Harness, users: string[]): Promise<void> {
  for (const u of users) {
    await enroll(h, u, '2026-11-01T12:00:00Z');
    await cacheTz(h, u, 'UTC');
  }
}

/** A run died after Slack took the DMs and before it recorded them: claims back to 'posting', no nudge rows. */
async function forgetRecorded(h: Harness, users: string[]): Promise<void> {
  for (const u of users) {
    const changed = await h.rows(
      "UPDATE job_claims SET status = 'posting', finished_at = NULL, detail = NULL WHERE job = 'nudges' AND scope = ? AND status = 'done' RETURNING scope",
      [`${TEAM}:${u}`],
    );
    assert.equal(changed.length, 1, `${u}'s claim was done`);
    await h.rows('DELETE FROM nudges WHERE user_id = ? RETURNING id', [u]);
  }
}

/** A run died after marking the claims 'posting' and before its requests reached Slack. */
async function diedBeforeSending(h: Harness, users: string[]): Promise<void> {
  for (const u of users) {
    assert.equal(await h.ctx.repos.claims.claimPeriod(keyOf(u), at(T0), { staleAfterMs: CLAIM_STALE_AFTER_MS }), true);
    assert.equal(await h.ctx.repos.claims.markPosting(keyOf(u), at(T0)), true);
  }
}

describe('read-back of nudge DMs in doubt', () => {
  it('a DM that reached Slack is found in the DM history: recorded as sent, nothing sent again', async () => {
    const h = await harness({ now: T0 });
    await managers(h, ['U1']);
    assert.equal((await runNudges(h.ctx, h.clock.now())).posted.length, 1);
    const [dm] = posts(h, 'U1');
    assert.deepEqual(dm.args.metadata, { event_type: NUDGE_EVENT_TYPE, event_payload: { period: '2026-11-30' } });
    await forgetRecorded(h, ['U1']);

    // Not stale yet: the run that holds it may still be at Slack; nobody asks Slack or sends.
    h.clock.set(at(T0) + 5 * 60_000);
    const early = await runNudges(h.ctx, h.clock.now());
    assert.match(early.notes.join('\n'), /DM to U1 .*being sent by another run right now/);
    assert.equal(h.fake.callsTo('conversations.history').length, 0);

    h.clock.set(STALE);
    const report = await runNudges(h.ctx, h.clock.now());
    assert.deepEqual([report.posted, report.failed, report.skipped], [[], [], []]);
    assert.match(report.notes.join('\n'), /DM to U1 .*sent by a run that stopped before recording it .*not resent/);
    assert.equal(posts(h, 'U1').length, 1, 'no second DM');
    const [read] = h.fake.callsTo('conversations.history');
    assert.equal(read.args.channel, dm.response.channel, 'the DM channel conversations.open gave');
    assert.equal(read.args.include_all_metadata, 'true');
    assert.equal(Number(read.args.oldest), (at(T0) - READ_BACK_CLOCK_ALLOWANCE_MS) / 1000);
    const claim = await h.ctx.repos.claims.findClaim(keyOf('U1'));
    assert.equal(claim?.status, 'done');
    assert.deepEqual(JSON.parse(claim?.detail ?? '{}'), { channel: dm.response.channel, ts: dm.response.ts });
    const rows = await h.rows<{ channel: string; ts: string }>('SELECT channel, ts FROM nudges WHERE user_id = ?', ['U1']);
    assert.deepEqual(rows, [{ channel: dm.response.channel, ts: dm.response.ts }], 'the nudge row, as a normal send records it');

    h.clock.advance(CLAIM_STALE_AFTER_MS);
    const later = await runNudges(h.ctx, h.clock.now());
    assert.deepEqual(later.notes, ['DM to U1 (T0001, 2026-11-30, quiet 29d): already sent for this day']);
    assert.equal(posts(h, 'U1').length, 1);
  });

  it('a DM that never reached Slack is not in the history: sent once, by the normal path', async () => {
    const h = await harness({ now: T0 });
    await managers(h, ['U1']);
    // Yesterday's nudge and someone else's are in Slack: neither is this one.
    const other = { event_type: NUDGE_EVENT_TYPE, event_payload: { period: '2026-11-27' } };
    await h.ctx.slack.chat.postMessage({ channel: 'U1', text: 'an earlier nudge', metadata: other });
    await diedBeforeSending(h, ['U1']);

    h.clock.set(STALE);
    const report = await runNudges(h.ctx, h.clock.now());
    assert.equal(report.posted.length, 1);
    assert.equal(h.fake.callsTo('conversations.history').length, 1);
    const dms = posts(h, 'U1');
    assert.equal(dms.length, 2, 'the earlier message and the one nudge');
    assert.deepEqual(dms[1].args.metadata.event_payload, { period: '2026-11-30' });
    const claim = await h.ctx.repos.claims.findClaim(keyOf('U1'));
    assert.equal(claim?.status, 'done');
    assert.equal(claim?.claimedAt, STALE, 'taken over at the recovering run');
    assert.equal(claim?.attempts, 2);
    assert.equal((await nudgeRows(h)).length, 1);

    h.clock.advance(CLAIM_STALE_AFTER_MS);
    await runNudges(h.ctx, h.clock.now());
    assert.equal(posts(h, 'U1').length, 2, 'and never again');
  });

  it('when Slack cannot be asked (missing_scope, a 429), the DM stays in doubt: reported, logged, not resent', async () => {
    const h = await harness({ now: T0 });
    await managers(h, ['U1']);
    await diedBeforeSending(h, ['U1']);
    h.clock.set(STALE);

    h.fake.failNext('conversations.history', { error: 'missing_scope' });
    const noScope = await runNudges(h.ctx, h.clock.now());
    assert.deepEqual(noScope.posted, []);
    assert.match(
      noScope.notes.join('\n'),
      /DM to U1 .*may have been delivered; Slack could not be asked \(missing_scope\); not resent automatically/,
    );
    assert.equal(posts(h, 'U1').length, 0, 'nothing sent on uncertainty, even though it was in fact never delivered');
    assert.equal((await h.ctx.repos.claims.findClaim(keyOf('U1')))?.status, 'posting');
    const logged = h.logs.filter((l) => l.error === 'missing_scope');
    assert.equal(logged.length, 1, 'one log line with the Slack error code');
    assert.match(String(logged[0].msg), /left in doubt, not resent/);

    h.fake.failNext('conversations.history', { retryAfter: 30 });
    h.clock.advance(60_000);
    const limited = await runNudges(h.ctx, h.clock.now());
    assert.match(limited.notes.join('\n'), /Slack could not be asked \(ratelimited\)/);
    assert.equal(posts(h, 'U1').length, 0);

    h.fake.failNext('conversations.open', { error: 'internal_error' });
    h.clock.advance(60_000);
    assert.match((await runNudges(h.ctx, h.clock.now())).notes.join('\n'), /Slack could not be asked \(internal_error\)/);
    assert.equal(posts(h, 'U1').length, 0);

    // The next tick Slack answers: not in the history, so it goes out, once.
    h.clock.advance(60_000);
    assert.equal((await runNudges(h.ctx, h.clock.now())).posted.length, 1);
    assert.equal(posts(h, 'U1').length, 1);
  });

  it('two instances settling the same claims at once: one DM for each not delivered, none for each delivered, one nudge row each', async () => {
    const { fake, databasePath } = await sharedDatabase(harness, 'gemba-read-back-');
    const a = await harness({ fake, databasePath, now: T0 });
    const b = await harness({ fake, databasePath, now: T0 });
    fake.clock = () => a.clock.now();
    const delivered = ['U1', 'U2', 'U3', 'U4'];
    const lost = ['U5', 'U6', 'U7', 'U8'];
    await managers(a, delivered);
    assert.equal((await runNudges(a.ctx, a.clock.now())).posted.length, delivered.length);
    await forgetRecorded(a, delivered);
    await managers(a, lost);
    await diedBeforeSending(a, lost);

    a.clock.set(STALE);
    b.clock.set(STALE);
    fake.delayMs = 15; // both read Slack back before either settles
    const [ra, rb] = await Promise.all([runNudges(a.ctx, a.clock.now()), runNudges(b.ctx, b.clock.now())]);
    fake.delayMs = 0;
    assert.equal(ra.posted.length + rb.posted.length, lost.length);
    const byUser = new Map<string, number>();
    for (const c of fake.callsTo('chat.postMessage')) byUser.set(String(c.args.channel), (byUser.get(String(c.args.channel)) ?? 0) + 1);
    assert.deepEqual(
      [...delivered, ...lost].filter((u) => byUser.get(u) !== 1),
      [],
      'exactly one DM each',
    );
    const rows = await nudgeRows(a);
    assert.deepEqual(rows.map((r) => r.userId).sort(), [...delivered, ...lost].sort(), 'one nudge row each');
    const recovered = [...ra.notes, ...rb.notes].filter((n) => /sent by a run that stopped/.test(n));
    assert.equal(recovered.length, delivered.length, 'each delivered DM recorded by one of the two');
    assert.equal(await a.count('job_claims', "job = 'nudges' AND status = 'done'"), delivered.length + lost.length);
  });
});
