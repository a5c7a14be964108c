/**
 * `npm run job -- <job> [--now …] [--force]` end to end: the real CLI process against the fake
 * Slack and a database seeded through the app. It prints what it posted (and a chart it could not
 * share) and exits 0; a second run says the period is already done; --force posts again; bad
 * arguments exit 2 with the usage.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { HELP, parseInstant, parseJobArgs, USAGE } from '../../src/cli/job-args.js';
import { MAX_RATE_LIMITED_ATTEMPTS } from '../../src/jobs/claimed.js';
import { databaseEnv } from '../kit/engine.js';
import { type FakeSlack, startFakeSlack } from '../kit/fake-slack.js';
import { startHarness, TEST_ANONYMITY_KEY } from '../kit/harness.js';
import { freePort } from '../kit/net.js';
import { enroll, seedTeam } from './support.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The job CLI as `npm run job` runs it, with only PATH and `env` in its environment; what it printed and its exit code. */
function runCli(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/job.ts', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('job CLI', () => {
  let fake: FakeSlack;
  let dir: string;
  let databasePath: string;

  async function job(args: string[], env: Record<string, string> = {}): Promise<Run> {
    const database = await databaseEnv(env.DATABASE_PATH ?? databasePath);
    return runCli(args, {
      // No SLACK_SIGNING_SECRET: the CLI receives no Slack request, so it must run without one.
      SLACK_BOT_TOKEN: 'xoxb-cli-test',
      SLACK_API_URL: fake.apiUrl,
      ANONYMITY_KEY: TEST_ANONYMITY_KEY,
      LEADERBOARD_CHANNEL: 'CLEAD',
      TZ: 'UTC',
      ...env,
      ...database,
    });
  }

  before(async () => {
    fake = await startFakeSlack({ defaultTz: 'UTC' });
    dir = mkdtempSync(join(tmpdir(), 'gemba-cli-'));
    databasePath = join(dir, 'gemba.db');
    // Seed through the app (real migrations, real services), then let the CLI share the file.
    const h = await startHarness({ fake, databasePath, now: '2026-11-20T12:00:00Z' });
    await enroll(h, 'UQUIET', '2026-11-02T12:00:00Z');
    fake.setUser('UQUIET', { tz: 'Asia/Tokyo' });
    await seedTeam(h);
    await h.close();
    fake.reset();
  });
  after(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('nudges: prints each DM it sent and exits 0; a second run says already done; --force sends again', async () => {
    // Mon 30 Nov 09:05 in Tokyo is 00:05 UTC; nobody else is due yet (09:00 UTC). No offset: UTC,
    // even on a host in Auckland (Date.parse would have read it as Sunday 11:05 UTC: nothing due).
    const first = await job(['nudges', '--now', '2026-11-30T00:05:00'], { TZ: 'Pacific/Auckland' });
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout, 'nudges: 1 posted, 0 skipped, 0 failed\n  posted  DM to UQUIET (T0001, 2026-11-30, quiet 28d)\n');
    // Its time zone came from Slack (users.info), and the DM really went to the fake Slack.
    assert.ok(fake.callsTo('users.info').some((c) => c.args.user === 'UQUIET'));
    assert.deepEqual(
      fake.callsTo('chat.postMessage').map((c) => c.args.channel),
      ['UQUIET'],
    );
    assert.match(JSON.stringify(fake.callsTo('chat.postMessage')[0].args.blocks), /It's been 28 days since you joined Gemba/);

    const second = await job(['nudges', '--now=2026-11-30T00:35:00Z']);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(
      second.stdout,
      'nudges: 0 posted, 0 skipped, 0 failed\n  note    DM to UQUIET (T0001, 2026-11-30, quiet 28d): already sent for this day\n',
    );
    assert.equal(fake.callsTo('chat.postMessage').length, 1);

    const forced = await job(['nudges', '--now', '2026-11-30T09:35:00+09:00', '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(forced.stdout, 'nudges: 1 posted, 0 skipped, 0 failed\n  posted  DM to UQUIET (T0001, 2026-11-30, quiet 28d)\n');
    assert.equal(fake.callsTo('chat.postMessage').length, 2);
    assert.deepEqual(fake.invalid, []);
  });

  it('exits 1 when a post failed, and prints the failure', async () => {
    fake.failNext('chat.postMessage', { error: 'invalid_blocks' });
    const r = await job(['nudges', '--now', '2026-11-30T09:35:00+09:00', '--force']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^nudges: 0 posted, 0 skipped, 1 failed\n {2}failed {2}DM to UQUIET/);
  });

  it('says no team is set up yet (not "nothing was due") on an empty database, and exits 0', async () => {
    const r = await job(['digest', '--now', '2026-11-30T09:35:00Z'], { DATABASE_PATH: join(dir, 'empty.db') });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'digest: 0 posted, 0 skipped, 0 failed\n  no team is set up yet (nobody has used Gemba in this workspace)\n');
  });

  it('publish: nothing before FLAG_PUBLISH_HOUR team time, then once per day; --force publishes again', async () => {
    // A flag recorded through the app on Thursday 26 Nov (before 18:00 UTC): dated that day, unpublished.
    const h = await startHarness({ fake, databasePath, now: '2026-11-26T12:00:00Z' });
    for (let i = 0; i < 20; i++) fake.setUser(`UCLIREP${i}`, {});
    await h.command('/flag-tactic', 'cold calling: nobody answers', { userId: 'UCLIREP1' });
    await h.close();
    const early = await job(['publish', '--now', '2026-11-26T17:59:00Z']);
    assert.equal(early.code, 0, early.stderr);
    assert.match(early.stdout, /^publish: 0 posted[\s\S]*T0001: not due until 18:00 UTC/);
    const due = await job(['publish', '--now', '2026-11-26T18:00:00Z']);
    assert.equal(due.code, 0, due.stderr);
    assert.match(
      due.stdout,
      /^publish: 1 posted[\s\S]*posted {2}tactic flags through 2026-11-26 \(T0001\): 1 flag or me-too, 1 reason; \d+ eligible people in \d+ crowds/,
    );
    const again = await job(['publish', '--now', '2026-11-26T19:00:00Z']);
    assert.match(again.stdout, /already published today/);
    const forced = await job(['publish', '--now', '2026-11-26T19:00:00Z', '--force']);
    assert.match(forced.stdout, /^publish: 1 posted[\s\S]*\(T0001\): nothing new to publish; /);
    fake.reset();
  });

  it('leaderboard: says so when the chart could not be shared (429s beyond the attempts) and the post went out as text only', async () => {
    fake.failNext('files.completeUploadExternal', { retryAfter: 0, times: MAX_RATE_LIMITED_ATTEMPTS });
    const r = await job(['leaderboard', '--now', '2026-11-30T09:05:00Z']);
    assert.equal(r.code, 0, r.stderr);
    const what = 'leaderboard for week of 2026-11-23 to CLEAD (T0001, 2026-W49)';
    assert.equal(
      r.stdout,
      `leaderboard: 1 posted, 0 skipped, 0 failed\n  posted  ${what}\n  note    ${what}: chart not shared (ratelimited); the post went out as text only\n`,
    );
    assert.equal(fake.callsTo('files.completeUploadExternal').length, MAX_RATE_LIMITED_ATTEMPTS);
    fake.reset();
  });

  it('bad arguments exit 2 with the usage on stderr, and touch nothing', async () => {
    const calls = fake.calls.length;
    // (Every kind of bad argument is covered in-process below; one real run proves the exit code.)
    const r = await job(['nudges', '--now', '2026-02-30T09:00:00Z']);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(
      r.stderr,
      '--now needs an ISO 8601 timestamp such as 2026-11-30T09:05:00Z (got "2026-02-30T09:00:00Z")\n' +
        'usage: npm run job -- <nudges|leaderboard|digest|retention|publish> [--now <ISO 8601 timestamp>] [--force]\n' +
        'example: npm run job -- leaderboard --now 2026-11-30T09:05:00Z\n',
    );
    assert.equal(r.stdout, '');
    assert.equal(fake.calls.length, calls, 'no Slack call for bad arguments');
  });

  it('a database it cannot reach: one line naming it and the variable to check, exit 1, no stack trace', async () => {
    const port = await freePort();
    const run = (env: Record<string, string>) =>
      runCli(['nudges'], { SLACK_BOT_TOKEN: 'xoxb-cli-test', SLACK_API_URL: fake.apiUrl, ...env });
    const pgDown = await run({ DATABASE_URL: `postgres://gemba:s3cret@127.0.0.1:${port}/gemba` });
    assert.equal(pgDown.code, 1, pgDown.stderr);
    assert.equal(
      pgDown.stderr,
      `job failed: cannot reach PostgreSQL at postgres://gemba:***@127.0.0.1:${port}/gemba: connect ECONNREFUSED 127.0.0.1:${port} — is it running, and is DATABASE_URL right?\n`,
    );
    const sqliteBad = await run({ DATABASE_PATH: '/dev/null/gemba.db' });
    assert.equal(sqliteBad.code, 1, sqliteBad.stderr);
    assert.match(sqliteBad.stderr, /^job failed: cannot open the SQLite database at \/dev\/null\/gemba\.db: .+ — check DATABASE_PATH/);
    assert.doesNotMatch(sqliteBad.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(pgDown.stdout + sqliteBad.stdout, '');
  });

  it('--help prints the usage and every job on stdout and exits 0, touching nothing', async () => {
    const calls = fake.calls.length;
    const r = await job(['--help']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${HELP}\n`);
    assert.match(r.stdout, /^usage: npm run job -- </);
    assert.match(r.stdout, /Exits 0 .* 1 .*\n2 on bad arguments, 130\/143 when stopped/s, 'every exit code is named');
    for (const name of ['nudges', 'leaderboard', 'digest', 'retention', 'publish'])
      assert.match(r.stdout, new RegExp(`^  ${name} +\\S`, 'm'));
    assert.equal(r.stderr, '');
    assert.equal(fake.calls.length, calls);
  });
});

describe('job CLI arguments', () => {
  it('takes a job, --now (ISO 8601, space or =) and --force in any order', () => {
    assert.deepEqual(parseJobArgs(['nudges']), { job: 'nudges', now: null, force: false });
    // The options before the job as well as after it.
    assert.deepEqual(parseJobArgs(['--force', '--now', '2026-11-30T09:05:00Z', 'nudges']), {
      job: 'nudges',
      now: Date.parse('2026-11-30T09:05:00Z'),
      force: true,
    });
    assert.deepEqual(parseJobArgs(['leaderboard', '--force', '--now', '2026-11-30T09:05:00Z']), {
      job: 'leaderboard',
      now: Date.parse('2026-11-30T09:05:00Z'),
      force: true,
    });
    assert.deepEqual(parseJobArgs(['digest', '--now=2026-11-30T09:05Z']), {
      job: 'digest',
      now: Date.parse('2026-11-30T09:05:00Z'),
      force: false,
    });
  });

  it('reads --now exactly: offsets honoured, none means UTC, impossible dates refused', () => {
    const utc = Date.parse('2026-03-09T14:00:00Z');
    for (const v of [
      '2026-03-09T14:00:00Z',
      '2026-03-09T14:00Z',
      '2026-03-09T09:00:00-05:00',
      '2026-03-09T09:00-0500',
      '2026-03-09T14:00',
      '2026-03-09T14:00:00.000Z',
      // More decimals than milliseconds (Python's isoformat, `date -Ins`), a decimal comma, an offset in hours only,
      // a space for the T (RFC 3339), lower case: all ISO 8601 (or RFC 3339) forms of the same instant.
      '2026-03-09T14:00:00.000000+00:00',
      '2026-03-09T15:00:00,000000000+01:00',
      '2026-03-09T09:00:00-05',
      '2026-03-09 14:00:00Z',
      '2026-03-09t14:00:00z',
    ]) {
      assert.equal(parseInstant(v), utc, v);
    }
    // Milliseconds kept, finer digits cut.
    assert.equal(parseInstant('2026-03-09T14:00:00.123456Z'), utc + 123);
    assert.equal(parseInstant('2026-03-09T14:00:00.5Z'), utc + 500);
    for (const v of [
      '2026-02-30T09:00:00Z',
      '2026-13-01T09:00:00Z',
      '2026-03-09T24:00:00Z',
      '2026-03-09T09:60Z',
      '2026-03-09',
      'tomorrow',
      '',
      '1773064800000',
      '2026-03-09T14:00:00+24:00',
      '2026-03-09T14:00:00+05:60',
      '2026-03-09T14:00:60Z',
    ]) {
      assert.ok(Number.isNaN(parseInstant(v)), v);
    }
  });

  it('explains what is wrong', () => {
    const jobs = 'nudges, leaderboard, digest, retention, publish';
    assert.deepEqual(parseJobArgs([]), { error: `which job? name one of ${jobs}` });
    assert.deepEqual(parseJobArgs(['--force']), { error: `which job? name one of ${jobs}` });
    assert.deepEqual(parseJobArgs(['bogus']), { error: `unknown job "bogus": the jobs are ${jobs}` });
    assert.deepEqual(parseJobArgs(['toString']), { error: `unknown job "toString": the jobs are ${jobs}` });
    assert.deepEqual(parseJobArgs(['nudges', '--verbose']), { error: 'unknown option "--verbose"' });
    assert.deepEqual(parseJobArgs(['nudges', 'leaderboard']), { error: 'one job at a time (got "nudges" and "leaderboard")' });
    // The calendar stops at 9999-12-31: a --now whose next day could not be written is refused, not a crash.
    assert.deepEqual(parseJobArgs(['publish', '--now', '9999-12-31T23:59:59Z']), {
      error: '--now must lie in the years 1970–9998 (got "9999-12-31T23:59:59Z")',
    });
    assert.match((parseJobArgs(['publish', '--now', '0001-01-01T09:30:00Z']) as { error: string }).error, /years 1970–9998/);
    assert.match((parseJobArgs(['nudges', '--now']) as { error: string }).error, /--now needs an ISO 8601 timestamp .*\(got ""\)/);
    assert.match((parseJobArgs(['nudges', '--now', 'tomorrow']) as { error: string }).error, /\(got "tomorrow"\)/);
    assert.match(USAGE, /^usage: npm run job -- <nudges\|leaderboard\|digest\|retention\|publish>/);
  });

  it('--help, -h and help anywhere ask for help', () => {
    for (const argv of [['--help'], ['-h'], ['help'], ['nudges', '--help'], ['bogus', '-h']])
      assert.deepEqual(parseJobArgs(argv), { help: true });
  });
});
