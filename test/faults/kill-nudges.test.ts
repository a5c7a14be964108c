/**
 * kill -9 in the middle of a nudge run (the job CLI, as an external scheduler runs it), then reruns.
 *
 * The claim for a manager's day is taken before the DM is sent and marked done, with the nudge
 * row, right after Slack answers. A claim left 'claimed' by a dead process is retried once it is
 * older than CLAIM_STALE_AFTER_MS (10 minutes), so a crash never loses a day's nudge for good.
 *
 * The window: a claim is marked 'posting' right before its request goes to Slack. If the process
 * dies then, the DM may or may not have been delivered; Slack has no idempotency key, so the app
 * never resends it automatically (never twice) and reports it instead. A 429 means nothing was
 * delivered, so a DM waiting out Retry-After is plain 'claimed' and is retried once stale. The first
 * test crashes during a rate-limit pause (where a long run spends its time): exactly one DM each.
 * The second crashes while DMs are at Slack: nobody gets a second DM.
 */

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openPostgresStorage } from '../../src/db/postgres.js';
import { CLAIM_STALE_AFTER_MS } from '../../src/jobs/claimed.js';
import { NUDGE_CONCURRENCY } from '../../src/jobs/nudges.js';
import { databaseUrlFor, inspectStore } from '../kit/engine.js';
import { type FakeSlack, startFakeSlack } from '../kit/fake-slack.js';
import { enrollUtcManagers, openTestStorage } from '../kit/storage.js';
import { runJob, sleep, spawnScript, storeEnv, until } from './support.js';

const TEAM = 'T0001';
/** Monday 09:05 UTC: every manager's nudge hour has come. */
const NOW = Date.parse('2026-11-30T09:05:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const managerIds = (n: number) => Array.from({ length: n }, (_, i) => `UNUDGE${String(i).padStart(3, '0')}`);

/** Managers enrolled a month ago (so all are due), with fresh UTC profiles (no users.info calls). */
async function seed(databasePath: string, users: string[]): Promise<void> {
  // The store of the run's engine: the job child opens the same one (storeEnv).
  const url = await databaseUrlFor(databasePath);
  const storage = url ? (await openPostgresStorage(url)).storage : openTestStorage(databasePath);
  await storage.transaction((tx) =>
    enrollUtcManagers(tx, TEAM, users, { enrolledAt: NOW - 30 * 86_400_000, refreshedAt: NOW - 3_600_000 }),
  );
  await storage.close();
}

/** Successful DMs per user so far. */
function delivered(fake: FakeSlack): Map<string, number> {
  const m = new Map<string, number>();
  for (const c of fake.callsTo('chat.postMessage'))
    if (c.status === 200 && c.response?.ok) m.set(String(c.args.channel), (m.get(String(c.args.channel)) ?? 0) + 1);
  return m;
}

const claimsByStatus = (databasePath: string) =>
  inspectStore(databasePath, async (db) => {
    const rows = await db.rows<{ scope: string; status: string }>("SELECT scope, status FROM job_claims WHERE job = 'nudges'");
    const by = new Map<string, string[]>();
    for (const r of rows) by.set(r.status, [...(by.get(r.status) ?? []), r.scope.split(':')[1]]);
    return by;
  });

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
      await seed(databasePath, users);
      const env = await storeEnv({ apiUrl: fake.apiUrl, databasePath });
      // Slack slows the run down: after 6 DMs in a second, 429 with a long Retry-After.
      fake.rateLimit('chat.postMessage', { perSecond: 6, retryAfter: 30 });
      const job = spawnScript('src/cli/job.ts', ['nudges', '--now', iso(NOW)], env, dir);
      await until(() => fake.rateLimited > 0, 'the first 429');
      // Let the DMs Slack accepted be marked done; the rest now wait out Retry-After in the client.
      await sleep(1_000);
      job.proc.kill('SIGKILL');
      assert.equal(await job.exited, 'SIGKILL');

      const first = delivered(fake);
      const claims = await claimsByStatus(databasePath);
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
      const afterSecond = delivered(fake);
      assert.deepEqual(
        users.filter((u) => afterSecond.get(u) !== 1).sort(),
        [...abandoned].sort(),
        'all but the abandoned got exactly one',
      );

      // Once stale, the abandoned claims are taken again: everyone has exactly one DM.
      await runJob('nudges', ['--now', iso(NOW + CLAIM_STALE_AFTER_MS + 60_000)], env, dir);
      const final = delivered(fake);
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
      assert.deepEqual((await claimsByStatus(databasePath)).get('done')?.length, users.length);

      // And a later tick the same day sends nothing.
      await runJob('nudges', ['--now', iso(NOW + 2 * CLAIM_STALE_AFTER_MS)], env, dir);
      assert.equal(
        [...delivered(fake).values()].reduce((s, n) => s + n, 0),
        users.length,
      );
    } finally {
      await fake.close();
    }
  });

  it('a crash while DMs are at Slack: nobody gets two DMs; the ones in flight are reported, not resent', async (t) => {
    fake = await startFakeSlack({ defaultTz: 'UTC' });
    try {
      const users = managerIds(30);
      const databasePath = join(dir, 'inflight.db');
      await seed(databasePath, users);
      const env = await storeEnv({ apiUrl: fake.apiUrl, databasePath });
      fake.delayMs = 250; // every DM spends 250 ms "at Slack"
      const job = spawnScript('src/cli/job.ts', ['nudges', '--now', iso(NOW)], env, dir);
      await until(() => delivered(fake).size >= 6, 'six DMs');
      job.proc.kill('SIGKILL');
      assert.equal(await job.exited, 'SIGKILL');
      await sleep(400); // Slack finishes what it was given: those DMs were delivered
      fake.delayMs = 0;

      const inFlight = new Set((await claimsByStatus(databasePath)).get('posting') ?? []);
      assert.ok(
        inFlight.size >= 1 && inFlight.size <= NUDGE_CONCURRENCY,
        `1..${NUDGE_CONCURRENCY} DMs were on their way at the crash: ${[...inFlight].join(', ')}`,
      );
      const rerun = await runJob('nudges', ['--now', iso(NOW + CLAIM_STALE_AFTER_MS + 60_000)], env, dir);
      assert.match(rerun, /may have been delivered; not resent automatically/);

      const final = delivered(fake);
      assert.deepEqual(
        users.filter((u) => (final.get(u) ?? 0) > 1),
        [],
        'nobody got two DMs',
      );
      assert.deepEqual(
        users.filter((u) => !inFlight.has(u) && final.get(u) !== 1),
        [],
        'everyone else got exactly one',
      );
      // An in-flight DM was delivered if its request reached Slack before the kill, lost if not;
      // either way the rerun names it, so an operator can resend it with --force.
      for (const u of inFlight) assert.match(rerun, new RegExp(`DM to ${u} .*may have been delivered`));
      const reached = [...inFlight].filter((u) => final.get(u) === 1).length;
      t.diagnostic(`${inFlight.size} DMs in flight at the crash (${reached} had reached Slack); none resent`);
    } finally {
      await fake.close();
    }
  });
});
