/**
 * SIGTERM in the middle of a nudge fan-out (PRODUCT.md "Running": SIGTERM stops the scheduler and closes
 * the database), for the app and for the job CLI. A container platform kills the process 10–30 s after
 * SIGTERM, while a fan-out held up by Slack's 429 Retry-After: 30 (or a Slack call that hangs) can run for
 * minutes. The run is told to stop: the DMs on their way to Slack finish, no new claim is taken, a claim
 * waiting out a 429 is given back unsent; so the process exits within a few seconds, and the next run
 * (right away, not after the 10-minute stale-claim wait) sends exactly the rest.
 */

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CLAIM_STALE_AFTER_MS } from '../../src/jobs/claimed.js';
import { NUDGE_CONCURRENCY } from '../../src/jobs/nudges.js';
import { type FakeSlack, startFakeSlack } from '../kit/fake-slack.js';
import {
  type Child,
  deliveredDms,
  freePort,
  nudgeClaimsByStatus,
  ROOT,
  runJob,
  seedDueManagers,
  sleep,
  spawnApp,
  spawnScript,
  storeEnv,
  until,
} from './support.js';

const TEAM = 'T0001';
/** Monday 09:05 UTC: every manager's nudge hour has come. */
const NOW = Date.parse('2026-11-30T09:05:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const managerIds = (n: number) => Array.from({ length: n }, (_, i) => `USTOP${String(i).padStart(3, '0')}`);
const SHIFTED_CLOCK = join(ROOT, 'test/faults/shifted-clock.ts');
/** What "within a few seconds" means here: the app's own deadline is 5 s, a container's grace period 10 s or more. */
const PROMPT_EXIT_MS = 8_000;

/** Sends SIGTERM and resolves with the exit status and how long it took (SIGKILL after `killAfterMs`, so a run without the fix ends too). */
async function terminate(child: Child, killAfterMs = 20_000): Promise<{ code: number | string; ms: number }> {
  const t0 = Date.now();
  child.proc.kill('SIGTERM');
  const timer = setTimeout(() => child.proc.kill('SIGKILL'), killAfterMs);
  const code = await child.exited;
  clearTimeout(timer);
  return { code, ms: Date.now() - t0 };
}

/** The app on the shifted clock (Monday 09:05) with the in-process scheduler on: its start-up tick runs the nudges. */
async function startScheduledApp(fake: FakeSlack, databasePath: string, cwd: string) {
  const env = await storeEnv({ apiUrl: fake.apiUrl, databasePath });
  return spawnApp({
    env: { ...env, SCHEDULER_ENABLED: 'true', LOG_LEVEL: 'info', TEST_CLOCK_START: iso(NOW) },
    cwd,
    port: await freePort(),
    preload: [SHIFTED_CLOCK],
  });
}

describe('SIGTERM in the middle of a nudge fan-out', { timeout: 180_000 }, () => {
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gemba-stop-nudges-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the app, held up by 429 Retry-After: 30, exits 0 within seconds with the database closed; a rerun right away sends exactly the rest', async (t) => {
    const fake = await startFakeSlack({ defaultTz: 'UTC' });
    try {
      const users = managerIds(30);
      const databasePath = join(dir, 'app-429.db');
      await seedDueManagers(databasePath, TEAM, users, NOW);
      fake.rateLimit('chat.postMessage', { perSecond: 6, retryAfter: 30 });
      const app = await startScheduledApp(fake, databasePath, dir);
      await until(() => fake.rateLimited > 0, 'the first 429');
      await sleep(500); // the DMs Slack accepted are recorded; the rest wait out Retry-After
      const { code, ms } = await terminate(app);
      const out = app.output();
      assert.equal(code, 0, out);
      assert.ok(ms < PROMPT_EXIT_MS, `stopped in ${ms} ms:\n${out}`);
      assert.match(out, /"msg":"stopped"/, 'the database was closed ("stopped" is logged after it)');
      assert.doesNotMatch(out, /closing the database anyway/, 'nothing was left running at the deadline');
      assert.match(out, /shutting down with work left: nudges stopped early: \d+ due posts, left for the next run/);

      const first = deliveredDms(fake);
      assert.ok(first.size >= 1 && first.size < users.length, `stopped mid-run (${first.size} DMs sent)`);
      assert.deepEqual(
        [...first.values()].filter((n) => n !== 1),
        [],
        'no duplicate',
      );
      const claims = await nudgeClaimsByStatus(databasePath);
      assert.deepEqual((claims.get('done') ?? []).sort(), [...first.keys()].sort(), 'every DM Slack accepted is recorded');
      assert.deepEqual([...(claims.get('claimed') ?? []), ...(claims.get('posting') ?? [])], [], 'no claim is left held');

      // The next run (the restart's catch-up, another instance, the CLI): right away, not after the stale-claim wait.
      fake.rateLimit('chat.postMessage', null);
      const second = await runJob('nudges', ['--now', iso(NOW + 60_000)], await storeEnv({ apiUrl: fake.apiUrl, databasePath }), dir);
      assert.doesNotMatch(second, /being sent by another run/);
      const final = deliveredDms(fake);
      assert.deepEqual(
        users.filter((u) => final.get(u) !== 1),
        [],
        'exactly one DM each',
      );
      t.diagnostic(`stopped in ${ms} ms; ${first.size} DMs before the stop, ${final.size - first.size} by the rerun`);
    } finally {
      await fake.close();
    }
  });

  it('the app, with a Slack call that hangs, still exits 0 within seconds; the DMs cut off are read back once stale: exactly one each', async (t) => {
    const started = Date.now();
    // Slack's clock runs from NOW, as the app's does (shifted clock): the read-back filters on it.
    const fake = await startFakeSlack({ defaultTz: 'UTC', clock: () => NOW + (Date.now() - started) });
    try {
      const users = managerIds(20);
      const databasePath = join(dir, 'app-hang.db');
      await seedDueManagers(databasePath, TEAM, users, NOW);
      fake.delayMs = 250; // every DM spends 250 ms at Slack, so the fan-out is still going when Slack starts to hang
      const app = await startScheduledApp(fake, databasePath, dir);
      await until(() => deliveredDms(fake).size >= 4, 'four DMs');
      const HANG_MS = 9_000;
      fake.delayMs = HANG_MS; // from now on Slack takes the DM at once but answers only after 9 s
      await until(() => fake.calls.length > 0 && Date.now() - fake.calls[fake.calls.length - 1].at > 500, 'DMs hanging at Slack');
      const { code, ms } = await terminate(app);
      const out = app.output();
      assert.equal(code, 0, out);
      assert.ok(ms < PROMPT_EXIT_MS, `stopped in ${ms} ms:\n${out}`);
      assert.match(out, /closing the database anyway/);
      assert.match(out, /"msg":"stopped"/);
      await sleep(HANG_MS); // Slack answers the DMs it was given (into closed sockets)
      fake.delayMs = 0;

      const claims = await nudgeClaimsByStatus(databasePath);
      const inDoubt = claims.get('posting') ?? [];
      assert.ok(inDoubt.length >= 1 && inDoubt.length <= NUDGE_CONCURRENCY, `DMs cut off at the deadline: ${inDoubt.join(', ')}`);
      const env = await storeEnv({ apiUrl: fake.apiUrl, databasePath });
      await runJob('nudges', ['--now', iso(NOW + 60_000)], env, dir);
      await runJob('nudges', ['--now', iso(NOW + CLAIM_STALE_AFTER_MS + 60_000)], env, dir);
      const final = deliveredDms(fake);
      assert.deepEqual(
        users.filter((u) => final.get(u) !== 1),
        [],
        'exactly one DM each',
      );
      t.diagnostic(`stopped in ${ms} ms with ${inDoubt.length} DMs hanging at Slack; settled by read-back once stale`);
    } finally {
      await fake.close();
    }
  });

  it('the job CLI, held up by 429 Retry-After: 30, stops within seconds, says it was interrupted and what was left, exits 143', async (t) => {
    const fake = await startFakeSlack({ defaultTz: 'UTC' });
    try {
      const users = managerIds(30);
      const databasePath = join(dir, 'cli-429.db');
      await seedDueManagers(databasePath, TEAM, users, NOW);
      const env = await storeEnv({ apiUrl: fake.apiUrl, databasePath });
      fake.rateLimit('chat.postMessage', { perSecond: 6, retryAfter: 30 });
      const job = spawnScript('src/cli/job.ts', ['nudges', '--now', iso(NOW)], env, dir);
      await until(() => fake.rateLimited > 0, 'the first 429');
      await sleep(500);
      const { code, ms } = await terminate(job);
      const out = job.output();
      assert.equal(code, 143, out);
      assert.ok(ms < PROMPT_EXIT_MS, `stopped in ${ms} ms:\n${out}`);
      const first = deliveredDms(fake);
      const left = Number(/job interrupted \(SIGTERM\): stopped early: (\d+) due posts, left for the next run/.exec(out)?.[1]);
      assert.equal(first.size + left, users.length, `sent + left = all:\n${out}`);
      assert.match(out, new RegExp(`nudges: ${first.size} posted`));

      fake.rateLimit('chat.postMessage', null);
      const second = await runJob('nudges', ['--now', iso(NOW + 60_000)], env, dir);
      assert.match(second, new RegExp(`nudges: ${left} posted`));
      const final = deliveredDms(fake);
      assert.deepEqual(
        users.filter((u) => final.get(u) !== 1),
        [],
        'exactly one DM each',
      );
      t.diagnostic(`stopped in ${ms} ms; ${first.size} DMs before the stop, ${left} left and sent by the rerun`);
    } finally {
      await fake.close();
    }
  });
});
