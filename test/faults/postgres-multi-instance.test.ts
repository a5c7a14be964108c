/**
 * Three app processes (src/main.ts) on one PostgreSQL database, each running the scheduler, one
 * fake Slack that answers slowly and sends a few 429s. All three start-up ticks fan out the same
 * Monday's nudges at once while signed /contact requests are spread over the three; the busiest
 * instance is killed with SIGKILL in the middle of the fan-out. Afterwards:
 * - every manager got exactly one DM: 0 lost, 0 doubled. The survivors sent every DM the dead
 *   instance had not claimed. Its claims go to the restarted instance (clock 11 minutes on, so they
 *   are stale to it): one left 'claimed' is taken over and sent; one left 'posting' (its request may
 *   or may not have reached Slack, which has no idempotency key) is read back from the bot's DM
 *   (conversations.history with the nudge's metadata, src/jobs/claimed.ts) and recorded if Slack has
 *   it, sent if not;
 * - the leaderboard and the digest were posted once;
 * - every /contact an instance confirmed is stored, once;
 * - after a 429, the instance that got it sent nothing before Retry-After had passed.
 * The restart waits until the survivors have finished their DMs: with its clock 11 minutes ahead,
 * a survivor's DM on its way to Slack at that moment would look like a dead instance's, and a
 * read-back cannot see a request still in flight (instances' clocks must agree within minutes; the
 * claimed_at fence against a run that waited out a 429 is tested in test/jobs/claim-takeover.test.ts).
 *
 * The instances' clock is moved to a Monday morning by test/faults/shifted-clock.ts (preloaded);
 * request signatures and Retry-After keep the real clock.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { openPostgresStorage } from '../../src/db/postgres.js';
import { CLAIM_STALE_AFTER_MS } from '../../src/jobs/claimed.js';
import { NUDGE_CONCURRENCY } from '../../src/jobs/nudges.js';
import { type FakeSlack, type RecordedCall, startFakeSlack } from '../kit/fake-slack.js';
import { freePorts } from '../kit/net.js';
import { slashCommand } from '../kit/payloads.js';
import { createTestDatabase, postgresPerFile } from '../kit/postgres.js';
import { postSigned } from '../kit/sign.js';
import { enrollUtcManagers } from '../kit/storage.js';
import { type AppChild, appEnv, FAULT_SECRET, freePort, ROOT, sleep, spawnApp, until, waitHealthy } from './support.js';

const TEAM = 'T0001';
const MANAGERS = 150;
/** Monday 09:45 UTC: every nudge, the leaderboard (09:00) and the digest (09:30) are due. */
const NOW = Date.parse('2026-11-30T09:45:00Z');
/** Milliseconds the fake Slack takes for every answer. */
const SLACK_DELAY_MS = 40;
/** The 429s: these managers' first DM attempt is refused with this Retry-After (seconds). */
const RATE_LIMITED = new Set([20, 70, 120].map((i) => managerId(i)));
const RETRY_AFTER_S = 3;
const LEADERBOARD = 'CLEADERS';
const DIGEST = 'CDIGEST';
const TOKENS = ['xoxb-multi-a', 'xoxb-multi-b', 'xoxb-multi-c'];
/** Clock lanes: one per instance, and one for the restart. */
const LANES = TOKENS.length + 1;

const SHIFTED_CLOCK = join(ROOT, 'test/faults/shifted-clock.ts');

function managerId(i: number): string {
  return `UMULTI${String(i).padStart(3, '0')}`;
}

interface Instance extends AppChild {
  token: string;
}

/** Starts src/main.ts with the scheduler on, its clock at `clockStart`, Slack token `token`. */
function startInstance(env: Record<string, string>, token: string, clockStart: number, cwd: string, port: number, lane: number): Instance {
  const app = spawnApp({
    // Its own lane of milliseconds (shifted-clock.ts): no survivor's claim can share the dead instance's claimed_at.
    env: { ...env, SLACK_BOT_TOKEN: token, TEST_CLOCK_START: new Date(clockStart).toISOString(), TEST_CLOCK_LANE: `${lane}/${LANES}` },
    cwd,
    port,
    preload: [SHIFTED_CLOCK],
  });
  return { ...app, token };
}

const healthy = (i: Instance) => waitHealthy(i, 150_000);

/** SIGTERM: the instance finishes its running tick, then exits. */
async function stopGracefully(i: Instance): Promise<void> {
  if (i.proc.exitCode !== null || i.proc.signalCode !== null) return;
  i.proc.kill('SIGTERM');
  const timer = setTimeout(() => i.proc.kill('SIGKILL'), 60_000);
  const code = await i.exited;
  clearTimeout(timer);
  assert.equal(code, 0, `graceful stop:\n${i.output()}`);
}

const isDm = (c: RecordedCall) => c.method === 'chat.postMessage' && String(c.args.channel).startsWith('UMULTI');
const delivered = (c: RecordedCall) => c.status === 200 && c.response?.ok === true;

/** Successful DMs per manager. */
function dmsByManager(fake: FakeSlack): Map<string, number> {
  const m = new Map<string, number>();
  for (const c of fake.calls) if (isDm(c) && delivered(c)) m.set(String(c.args.channel), (m.get(String(c.args.channel)) ?? 0) + 1);
  return m;
}

describe('fault: three instances on one PostgreSQL, one killed with SIGKILL mid-fan-out', () => {
  const serverUrl = postgresPerFile();
  let dir: string;
  let fake: FakeSlack | undefined;
  const instances: Instance[] = [];

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gemba-fault-multi-'));
  });
  after(async () => {
    for (const i of instances) if (i.proc.exitCode === null && i.proc.signalCode === null) i.proc.kill('SIGKILL');
    await Promise.all(instances.map((i) => i.exited));
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // Generous: three app processes start and fan out on a shared 2-core machine (about 90 s at a load average of 20).
  it('0 DMs lost or doubled, one leaderboard, one digest, every confirmed /contact stored once, 429s honoured', {
    timeout: 400_000,
  }, async (t) => {
    const phases: string[] = [];
    let phaseStart = Date.now();
    const phase = (name: string) => {
      phases.push(`${name} ${((Date.now() - phaseStart) / 1000).toFixed(1)}s`);
      phaseStart = Date.now();
    };
    const url = await createTestDatabase(serverUrl());
    const users = Array.from({ length: MANAGERS }, (_, i) => managerId(i));
    {
      // Managers enrolled a month ago (all due), with fresh UTC profiles (no users.info calls).
      const { storage } = await openPostgresStorage(url);
      await storage.transaction((tx) =>
        enrollUtcManagers(tx, TEAM, users, { enrolledAt: NOW - 30 * 86_400_000, refreshedAt: NOW - 3_600_000 }),
      );
      await storage.close();
    }

    // Slack's clock is the instances' (Monday morning, at wall-clock speed), as NTP keeps them together in production.
    const clockOffset = NOW - Date.now();
    const slack = await startFakeSlack({ defaultTz: 'UTC', clock: () => Date.now() + clockOffset });
    fake = slack;
    slack.delayMs = SLACK_DELAY_MS;
    slack.failNext('chat.postMessage', {
      retryAfter: RETRY_AFTER_S,
      times: RATE_LIMITED.size,
      when: (a) => RATE_LIMITED.has(String(a.channel)),
    });
    const env = {
      ...appEnv({ apiUrl: slack.apiUrl, databasePath: join(dir, 'unused.db') }),
      DATABASE_URL: url,
      SCHEDULER_ENABLED: 'true',
      LEADERBOARD_CHANNEL: LEADERBOARD,
      DIGEST_CHANNEL: DIGEST,
    };

    // Three instances; each runs a catch-up tick as soon as it listens, so the fan-outs race.
    const ports = await freePorts(TOKENS.length);
    for (const [n, token] of TOKENS.entries()) instances.push(startInstance(env, token, NOW, dir, ports[n], n));
    await Promise.all(instances.map(healthy));
    phase('seed and start');

    // Signed /contact requests spread round-robin over the instances that are up.
    const serving = [...instances];
    const confirmed: string[] = [];
    const unanswered: string[] = [];
    const refused: string[] = [];
    let sent = 0;
    let burstDone = false;
    const killed = new Set<Instance>();
    const burst = async (worker: number) => {
      while (!burstDone && sent < 2_000) {
        const n = sent++;
        const live = serving.filter((i) => !killed.has(i));
        const target = live[n % live.length];
        const account = `Multi ${String(n).padStart(4, '0')} Ltd`;
        const payload = slashCommand({
          command: '/contact',
          text: `${account} with Dana via video 30m: wants ROI proof`,
          userId: `UCONTACT${worker}`,
          responseUrl: slack.responseUrl(),
        });
        try {
          const res = await postSigned(target.url, { secret: FAULT_SECRET, ...payload });
          if (res.status === 200 && res.json?.text?.startsWith('Logged')) confirmed.push(account);
          // Bolt answers 404 when a handler has not acknowledged within 3 s (a loaded machine): Slack shows a timeout.
          else if (res.status === 404) unanswered.push(account);
          else refused.push(`${account}: ${res.status} ${res.text.slice(0, 200)}`);
        } catch {
          unanswered.push(account);
        }
      }
    };
    const bursting = Promise.all(Array.from({ length: 3 }, (_, w) => burst(w)));

    // Kill the busiest instance once a quarter of the DMs are out.
    const byToken = () => {
      const m = new Map<string, number>(TOKENS.map((tk) => [tk, 0]));
      for (const c of slack.calls) if (isDm(c) && delivered(c) && c.token) m.set(c.token, (m.get(c.token) ?? 0) + 1);
      return m;
    };
    await until(() => dmsByManager(slack).size >= MANAGERS / 4, 'a quarter of the DMs', 120_000);
    const atKill = byToken();
    const victim = instances.reduce((a, b) => ((atKill.get(b.token) ?? 0) > (atKill.get(a.token) ?? 0) ? b : a));
    killed.add(victim);
    victim.proc.kill('SIGKILL');
    assert.equal(await victim.exited, 'SIGKILL');
    const deliveredAtKill = dmsByManager(slack).size;
    phase('fan-out until the kill');
    t.diagnostic(`DMs by instance when ${victim.token} was killed: ${[...atKill].map(([k, v]) => `${k.slice(-1)}=${v}`).join(' ')}`);
    assert.ok(deliveredAtKill < MANAGERS, `killed mid-run (${deliveredAtKill} of ${MANAGERS} DMs out)`);

    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      const claimCount = async (job: string, status: string) =>
        Number((await db.query('SELECT COUNT(*) AS n FROM job_claims WHERE job = $1 AND status = $2', [job, status])).rows[0].n);
      // What the dead instance left: every claim of one tick carries that tick's instant, which its nudge rows record too.
      const victimUsers = slack.calls.filter((c) => isDm(c) && delivered(c) && c.token === victim.token).map((c) => String(c.args.channel));
      const victimNow = (await db.query('SELECT DISTINCT sent_at FROM nudges WHERE user_id = ANY($1)', [victimUsers])).rows.map((r) =>
        Number(r.sent_at),
      );
      assert.equal(victimNow.length, 1, 'the dead instance recorded some of its DMs');
      const stranded = (
        await db.query(
          "SELECT scope, status FROM job_claims WHERE job = 'nudges' AND claimed_at = $1 AND status IN ('claimed', 'posting')",
          [victimNow[0]],
        )
      ).rows as Array<{ scope: string; status: string }>;
      const strandedUser = (r: { scope: string }) => r.scope.split(':')[1];
      const waiting = stranded.filter((r) => r.status === 'claimed').map(strandedUser);
      const inFlight = stranded.filter((r) => r.status === 'posting').map(strandedUser);
      const reachedAtKill = inFlight.filter((u) => dmsByManager(slack).get(u) === 1);
      assert.ok(stranded.length <= NUDGE_CONCURRENCY, `only the dead instance's ${NUDGE_CONCURRENCY} workers held its claims`);
      assert.deepEqual(
        waiting.filter((u) => slack.calls.some((c) => isDm(c) && delivered(c) && c.args.channel === u)),
        [],
        "a claim left 'claimed' was never delivered",
      );

      // Restarted once the survivors are done with their DMs (see the top of the file), with its clock
      // 11 minutes on: the dead instance's claims are stale to it (a real restart settles them at its
      // first tick past 10 minutes).
      const survivorsBusy = async () => {
        const r = (
          await db.query(
            `SELECT COUNT(*) FILTER (WHERE status IN ('claimed', 'posting') AND claimed_at <> $1) AS busy, COUNT(*) AS total
             FROM job_claims WHERE job = 'nudges'`,
            [victimNow[0]],
          )
        ).rows[0];
        return Number(r.busy) > 0 || Number(r.total) < MANAGERS;
      };
      const deadline = Date.now() + 120_000;
      while (await survivorsBusy()) {
        if (Date.now() > deadline) throw new Error('the survivors did not finish their DMs');
        await sleep(50);
      }
      const restarted = startInstance(
        env,
        `${victim.token}-restarted`,
        NOW + CLAIM_STALE_AFTER_MS + 60_000,
        dir,
        await freePort(),
        TOKENS.length,
      );
      instances.push(restarted);
      await healthy(restarted);
      serving.push(restarted);
      // Everyone finishes: the weekly posts come after the nudges in a tick; SIGTERM waits for the running tick.
      await until(() => slack.calls.some((c) => c.method === 'chat.postMessage' && c.args.channel === DIGEST), 'the digest', 120_000);
      await until(() => [...waiting, ...inFlight].every((u) => dmsByManager(slack).get(u) === 1), 'the stranded DMs', 120_000);
      const settledByRestart = async () =>
        Number(
          (await db.query("SELECT COUNT(*) AS n FROM job_claims WHERE job = 'nudges' AND status IN ('claimed', 'posting')")).rows[0].n,
        );
      const settleDeadline = Date.now() + 120_000;
      while ((await settledByRestart()) > 0) {
        if (Date.now() > settleDeadline) throw new Error('the restarted instance did not settle the claims in doubt');
        await sleep(50);
      }
      burstDone = true;
      await bursting;
      await Promise.all(instances.filter((i) => !killed.has(i)).map(stopGracefully));
      phase('survivors and restart until done');
      assert.equal(await claimCount('nudges', 'claimed'), 0, 'no claim left waiting');
      assert.equal(await claimCount('nudges', 'posting'), 0, 'no claim left in doubt');
      const readBacks = slack.callsTo('conversations.history');
      assert.equal(readBacks.length, inFlight.length, "each of the dead instance's DMs in doubt read back once");
      assert.ok(
        readBacks.every((c) => c.token === restarted.token),
        'by the restarted instance',
      );

      const final = dmsByManager(slack);
      assert.deepEqual(
        users.filter((u) => (final.get(u) ?? 0) > 1),
        [],
        '0 duplicated',
      );
      assert.deepEqual(
        users.filter((u) => final.get(u) !== 1),
        [],
        '0 lost: every manager has exactly one DM, including those in flight when the instance died',
      );
      const nudgeRows = (await db.query("SELECT user_id, COUNT(*) AS n FROM nudges WHERE local_date = '2026-11-30' GROUP BY user_id"))
        .rows as Array<{ user_id: string; n: string | number }>;
      assert.deepEqual(
        nudgeRows.filter((r) => Number(r.n) !== 1),
        [],
        'one nudge row per manager',
      );
      assert.equal(nudgeRows.length, MANAGERS, 'a nudge row for every manager');
      assert.equal(await claimCount('nudges', 'done'), MANAGERS);
      t.diagnostic(
        `dead instance left ${waiting.length} claimed (sent by the restart) and ${inFlight.length} posting ` +
          `(${reachedAtKill.length} had reached Slack: read back and recorded; the rest sent by the restart)`,
      );

      // One leaderboard, one digest.
      for (const channel of [LEADERBOARD, DIGEST]) {
        assert.equal(
          slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === channel && delivered(c)).length,
          1,
          `one post to ${channel}`,
        );
      }
      assert.equal(await claimCount('leaderboard', 'done'), 1);
      assert.equal(await claimCount('digest', 'done'), 1);

      // Every confirmed /contact stored exactly once; the weekly aggregates agree with the rows.
      assert.deepEqual(refused, [], 'every answered /contact was confirmed');
      assert.ok(confirmed.length >= 30, `a real burst (${confirmed.length} confirmed, ${unanswered.length} unanswered)`);
      const stored = (await db.query('SELECT account, COUNT(*) AS n FROM contacts GROUP BY account')).rows as Array<{
        account: string;
        n: string | number;
      }>;
      const storedSet = new Set(stored.map((r) => r.account));
      assert.deepEqual(
        confirmed.filter((a) => !storedSet.has(a)),
        [],
        'every confirmed /contact is stored',
      );
      assert.deepEqual(
        stored.filter((r) => Number(r.n) !== 1),
        [],
        'nothing stored twice',
      );
      const sums = (
        await db.query(
          'SELECT (SELECT COUNT(*) FROM contacts) AS rows, (SELECT SUM(contacts) FROM contact_weeks) AS weekly, (SELECT SUM(contacts) FROM team_weeks) AS team',
        )
      ).rows[0];
      assert.deepEqual(
        [Number(sums.weekly), Number(sums.team)],
        [Number(sums.rows), Number(sums.rows)],
        'the weekly aggregates agree with the rows',
      );
      t.diagnostic(
        `/contact: ${confirmed.length} confirmed, ${unanswered.length} unanswered (killed, or not acknowledged within 3 s), ${stored.length} stored`,
      );

      // 429s honoured: after a 429, the instance that got it sends no DM before Retry-After has passed.
      const tooMany = slack.calls.filter((c) => isDm(c) && c.status === 429);
      assert.ok(tooMany.length >= 1, 'Slack answered 429 at least once');
      for (const r of tooMany) {
        // A DM answered within this window after the 429 was already on its way when the 429 came back.
        const inFlightUntil = r.at + SLACK_DELAY_MS + 1_000;
        const early = slack.calls.filter(
          (c) => isDm(c) && c.token === r.token && c.at > inFlightUntil && c.at < r.at + RETRY_AFTER_S * 1000,
        );
        assert.deepEqual(
          early.map((c) => `${c.args.channel} +${c.at - r.at}ms`),
          [],
          `${r.token} waited ${RETRY_AFTER_S}s after the 429 for ${r.args.channel}`,
        );
        assert.equal(final.get(String(r.args.channel)), 1, `${r.args.channel} got its DM after the 429`);
      }
      const senders = new Set(slack.calls.filter((c) => isDm(c) && delivered(c)).map((c) => c.token));
      assert.ok(senders.size >= 2, `the instances shared the fan-out (${[...senders].join(', ')})`);
      assert.deepEqual(slack.invalid, []);
      t.diagnostic(`phases: ${phases.join(', ')}`);
    } finally {
      await db.end();
    }
  });
});
