/**
 * kill -9 in the middle of a nudge run (the job CLI, as an external scheduler runs it), then reruns.
 *
 * The claim for a manager's day is taken before the DM is sent and marked done, with the nudge
 * row, right after Slack answers. A claim left 'claimed' by a dead process is retried once it is
 * older than CLAIM_STALE_AFTER_MS (10 minutes), so a crash never loses a day's nudge for good.
 *
 * The window: a claim is marked 'posting' right before its request goes to Slack. If the process
 * dies then, the DM may or may not have been delivered, and Slack has no idempotency key: once the
 * claim is stale the rerun reads the bot's DM back (conversations.history with the nudge's metadata)
 * and records the DM it finds, or sends the one it does not (src/jobs/claimed.ts). A 429 means
 * nothing was delivered, so a DM waiting out Retry-After is plain 'claimed' and is retried once
 * stale. The first test crashes during a rate-limit pause (where a long run spends its time); the
 * second while DMs are at Slack. Both end with exactly one DM each.
 */

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CLAIM_STALE_AFTER_MS } from '../../src/jobs/claimed.js';
import { NUDGE_CONCURRENCY } from '../../src/jobs/nudges.js';
import { inspectStore } from '../kit/engine.js';
import { type FakeSlack, startFakeSlack } from '../kit/fake-slack.js';
import { deliveredDms, nudgeClaimsByStatus, runJob, seedDueManagers, sleep, spawnScript, storeEnv, until } from './support.js';

const TEAM = 'T0001';
/** Monday 09:05 UTC: every manager's nudge hour has come. */
const NOW = Date.parse('2026-11-30T09:05:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const managerIds = (n: number) => Array.from({ length: n }, (_, i) => `UNUDGE${String(i).padStart(3, '0')}`);

describe('fault: kill -9 in the middle of a nudge run', () => {
  let dir: string;
  let fake: FakeSlack;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gemba-fault-nudges-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the rerun finishes the rest; abandoned claims are retried once stale; everyone gets exactly one DM', async () => {
    fake = await startFakeSlack({ defaultTz: 'UTC' });
    try {
      const users = managerIds(30);
      const databasePath = join(dir, 'paused.db');
      await seedDueManagers(databasePath, TEAM, users, NOW);
      const env = await storeEnv({ apiUrl: fake.apiUrl, databasePath });
      // Slack slows the run down: after 6 DMs in a second, 429 with a long Retry-After.
      fake.rateLimit('chat.postMessage', { perSecond: 6, retryAfter: 30 });
      const job = spawnScript('src/cli/job.ts', ['nudges', '--now', iso(NOW)], env, dir);
      await until(() => fake.rateLimited > 0, 'the first 429');
      // Let the DMs Slack accepted be marked done; the rest now wait out Retry-After in the client.
      await sleep(1_000);
      job.proc.kill('SIGKILL');
      assert.equal(await job.exited, 'SIGKILL');

      const first = deliveredDms(fake);
      const claims = await nudgeClaimsByStatus(databasePath);
      const abandoned = claims.get('claimed') ?? [];
      assert.ok(first.size >= 1 && first.size < users.length, `killed mid-run (${first.size} DMs sent)`);
      assert.deepEqual(
        [...first.values()].filter((n) => n !== 1),
        [],
        'no duplicate before the kill',
      );
      assert.deepEqual((claims.get('done') ?? []).sort(), [...first.keys()].sort(), 'every DM Slack accepted is recorded as done');
      assert.ok(
        abandoned.length >= 1 && abandoned.length <= NUDGE_CONCURRENCY,
        `the DMs waiting on Retry-After were left claimed: ${abandoned.join(', ')}`,
      );
      assert.ok(
        abandoned.every((u) => !first.has(u)),
        'an abandoned claim here was never delivered (its request got a 429)',
      );

      // Rerun right away (the next tick): the rest go out; the abandoned claims are not stale yet.
      fake.rateLimit('chat.postMessage', null);
      const second = await runJob('nudges', ['--now', iso(NOW + 60_000)], env, dir);
      assert.match(second, /being sent by another run right now/);
      const afterSecond = deliveredDms(fake);
      assert.deepEqual(
        users.filter((u) => afterSecond.get(u) !== 1).sort(),
        [...abandoned].sort(),
        'all but the abandoned got exactly one',
      );

      // Once stale, the abandoned claims are taken again: everyone has exactly one DM.
      await runJob('nudges', ['--now', iso(NOW + CLAIM_STALE_AFTER_MS + 60_000)], env, dir);
      const final = deliveredDms(fake);
      assert.deepEqual(
        users.filter((u) => final.get(u) !== 1),
        [],
        'exactly one DM each',
      );
      assert.equal(final.size, users.length);
      await inspectStore(databasePath, async (db) => {
        assert.equal(await db.count('nudges'), users.length);
        assert.equal(Number(await db.value('SELECT COUNT(DISTINCT user_id) FROM nudges')), users.length);
      });
      assert.deepEqual((await nudgeClaimsByStatus(databasePath)).get('done')?.length, users.length);

      // And a later tick the same day sends nothing.
      await runJob('nudges', ['--now', iso(NOW + 2 * CLAIM_STALE_AFTER_MS)], env, dir);
      assert.equal(
        [...deliveredDms(fake).values()].reduce((s, n) => s + n, 0),
        users.length,
      );
    } finally {
      await fake.close();
    }
  });

  it('a crash while DMs are at Slack: the rerun reads them back, records those Slack has and sends the rest: exactly one DM each', async (t) => {
    // Slack's clock runs from the job's --now (in production both are the wall clock): a DM's ts is job time.
    const started = Date.now();
    fake = await startFakeSlack({ defaultTz: 'UTC', clock: () => NOW + (Date.now() - started) });
    try {
      const users = managerIds(30);
      const databasePath = join(dir, 'inflight.db');
      await seedDueManagers(databasePath, TEAM, users, NOW);
      const env = await storeEnv({ apiUrl: fake.apiUrl, databasePath });
      fake.delayMs = 250; // every DM spends 250 ms "at Slack"
      // The first manager's DM never gets through before the crash: Slack answers 503 and the client
      // is still retrying it (claim 'posting', nothing delivered) when the process dies.
      const [unlucky] = users;
      let failing = true;
      fake.failNext('chat.postMessage', { status: 503, times: 100, when: (a) => failing && a.channel === unlucky });
      const job = spawnScript('src/cli/job.ts', ['nudges', '--now', iso(NOW)], env, dir);
      await until(() => deliveredDms(fake).size >= 6, 'six DMs');
      job.proc.kill('SIGKILL');
      assert.equal(await job.exited, 'SIGKILL');
      await sleep(400); // Slack finishes what it was given: those DMs were delivered
      fake.delayMs = 0;
      failing = false;

      const inFlight = new Set((await nudgeClaimsByStatus(databasePath)).get('posting') ?? []);
      assert.ok(
        inFlight.size >= 1 && inFlight.size <= NUDGE_CONCURRENCY,
        `1..${NUDGE_CONCURRENCY} DMs were on their way at the crash: ${[...inFlight].join(', ')}`,
      );
      const atCrash = deliveredDms(fake);
      const reached = [...inFlight].filter((u) => atCrash.get(u) === 1);
      assert.ok(inFlight.has(unlucky) && !atCrash.has(unlucky), `${unlucky}'s DM was in doubt and not delivered`);

      // A tick before the claims are stale leaves them alone: their run might still be at Slack.
      const early = await runJob('nudges', ['--now', iso(NOW + 60_000)], env, dir);
      for (const u of inFlight) assert.match(early, new RegExp(`DM to ${u} .*being sent by another run right now`));
      assert.equal(fake.callsTo('conversations.history').length, 0);

      const rerun = await runJob('nudges', ['--now', iso(NOW + CLAIM_STALE_AFTER_MS + 60_000)], env, dir);
      const final = deliveredDms(fake);
      assert.deepEqual(
        users.filter((u) => final.get(u) !== 1),
        [],
        'exactly one DM each: 0 lost, 0 duplicated',
      );
      // An in-flight DM that had reached Slack is found in the DM's history and recorded; one that had not is sent now.
      for (const u of inFlight) {
        if (reached.includes(u)) assert.match(rerun, new RegExp(`DM to ${u} .*sent by a run that stopped before recording it`));
        else assert.match(rerun, new RegExp(`posted  DM to ${u} `));
      }
      assert.equal(fake.callsTo('conversations.history').length, inFlight.size, 'each DM in doubt read back once');
      assert.deepEqual((await nudgeClaimsByStatus(databasePath)).get('done')?.length, users.length);
      await inspectStore(databasePath, async (db) => {
        assert.equal(await db.count('nudges'), users.length);
        assert.equal(Number(await db.value('SELECT COUNT(DISTINCT user_id) FROM nudges')), users.length);
      });
      t.diagnostic(
        `${inFlight.size} DMs in flight at the crash: ${reached.length} had reached Slack (recorded), the rest sent by the rerun`,
      );
    } finally {
      await fake.close();
    }
  });
});
