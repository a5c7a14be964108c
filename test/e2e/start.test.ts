/**
 * `npm start` for real: the composition root in a child process, configured from a .env built
 * from .env.example, answering /healthz and a signed /contact, and stopping cleanly on SIGTERM.
 */

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { type Child, spawnScript } from '../kit/app-process.js';
import { type FakeSlack, startFakeSlack } from '../kit/fake-slack.js';
import { freePort } from '../kit/net.js';
import { slashCommand } from '../kit/payloads.js';
import { postSigned } from '../kit/sign.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const SECRET = 'start-test-signing-secret';
// The child runs in a temp folder (where .env lives), so tsx is passed by absolute URL.
const TSX = import.meta.resolve('tsx');

/** The first answer /healthz gives, whatever its status. */
async function waitForHealth(url: string, child: Child): Promise<Response> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.proc.exitCode !== null) throw new Error(`app exited with ${child.proc.exitCode}:\n${child.output()}`);
    try {
      return await fetch(`${url}/healthz`);
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`app did not answer /healthz:\n${child.output()}`);
}

describe('npm start (src/main.ts) from a .env built from .env.example', { timeout: 120_000 }, () => {
  let fake: FakeSlack;
  let dir: string;
  let child: Child;
  let url: string;

  before(async () => {
    fake = await startFakeSlack({ defaultTz: 'UTC' });
    dir = mkdtempSync(join(tmpdir(), 'gemba-start-'));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    // Fill in .env.example the way a new user would, leaving every other line as shipped.
    const values: Record<string, string> = {
      SLACK_BOT_TOKEN: 'xoxb-start-test',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fake.apiUrl,
      PORT: String(port),
      DATABASE_PATH: join(dir, 'nested', 'gemba.db'),
      ANONYMITY_KEY: 'start-test-anonymity-key-123456',
      SCHEDULER_ENABLED: 'false',
    };
    const env = readFileSync(join(root, '.env.example'), 'utf8')
      .split('\n')
      .map((line) => {
        const name = /^([A-Z_]+)=/.exec(line)?.[1];
        return name && name in values ? `${name}=${values[name]}` : line;
      })
      .join('\n');
    writeFileSync(join(dir, '.env'), env);
    const cleanEnv = Object.fromEntries(
      Object.entries(process.env).filter(
        (e): e is [string, string] =>
          e[1] !== undefined && !/^(SLACK_|PORT$|DATABASE_PATH$|ANONYMITY_|SCHEDULER_|LOG_LEVEL$|ADMIN_USER_IDS$)/.test(e[0]),
      ),
    );
    // No PORT in the environment: the app takes it from .env.
    child = spawnScript('src/main.ts', [], cleanEnv, dir);
  });

  after(async () => {
    if (child.proc.exitCode === null) child.proc.kill('SIGKILL');
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves /healthz once migrations ran and the database answers', async () => {
    const res = await waitForHealth(url, child);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'ok', database: 'ok', engine: 'sqlite', mode: 'http' });
    assert.equal(fake.callsTo('auth.test').length, 1, 'auth.test is called once at start (not again by Bolt)');
  });

  it('handles a signed /contact and stores it', async () => {
    const p = slashCommand({ command: '/contact', text: 'Acme Corp via video 30m: wants ROI proof', responseUrl: fake.responseUrl() });
    const r = await postSigned(url, { secret: SECRET, body: p.body, contentType: p.contentType });
    assert.equal(r.status, 200);
    assert.match(r.json.text, /Logged a conversation with Acme Corp/);
    const db = new Database(join(dir, 'nested', 'gemba.db'), { readonly: true });
    try {
      assert.equal(db.prepare('SELECT COUNT(*) FROM contacts').pluck().get(), 1);
    } finally {
      db.close();
    }
  });

  it('rejects an unsigned request with 401', async () => {
    const p = slashCommand({ command: '/contact', text: 'Forged Inc' });
    const r = await fetch(`${url}/slack/events`, { method: 'POST', headers: { 'content-type': p.contentType }, body: p.body });
    assert.equal(r.status, 401);
  });

  it('stops cleanly on SIGTERM', async () => {
    assert.equal(child.proc.exitCode, null, `the app already exited:\n${child.output()}`);
    child.proc.kill('SIGTERM');
    assert.equal(await child.exited, 0, child.output());
    assert.match(child.output(), /"msg":"stopped"/);
  });
});

describe('start-up refuses bad configuration', { timeout: 30_000 }, () => {
  it('prints one line per bad variable and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gemba-badcfg-'));
    try {
      const env = { PATH: process.env.PATH ?? '', PORT: 'abc', LOG_LEVEL: 'loud', TEAM_TIMEZONE: 'Mars/Olympus' };
      const child = spawn(process.execPath, ['--import', TSX, join(root, 'src/main.ts')], {
        cwd: dir,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let err = '';
      child.stderr!.on('data', (d) => (err += d));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      assert.equal(code, 1);
      for (const name of ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'PORT', 'LOG_LEVEL', 'TEAM_TIMEZONE']) {
        assert.equal(err.split('\n').filter((l) => l.trim().startsWith(name)).length, 1, `one line for ${name}:\n${err}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a first run that tells the truth', { timeout: 60_000 }, () => {
  /** Runs src/main.ts in a temp folder holding `envFile` as .env; resolves with its exit code and output. */
  async function firstRun(envFile: string, env: Record<string, string> = {}): Promise<{ code: number | null; out: string; err: string }> {
    const dir = mkdtempSync(join(tmpdir(), 'gemba-firstrun-'));
    try {
      writeFileSync(join(dir, '.env'), envFile);
      const child = spawn(process.execPath, ['--import', TSX, join(root, 'src/main.ts')], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', DATABASE_PATH: join(dir, 'gemba.db'), ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout!.on('data', (d) => (out += d));
      child.stderr!.on('data', (d) => (err += d));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      return { code, out, err };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('.env.example copied as is: one line per placeholder, nothing sent to Slack', async () => {
    const { code, err } = await firstRun(readFileSync(join(root, '.env.example'), 'utf8'));
    assert.equal(code, 1);
    assert.deepEqual(err.trim().split('\n'), [
      'Gemba cannot start: invalid configuration',
      "  SLACK_BOT_TOKEN still has the example value from .env.example (xoxb-your-bot-token): put your Slack app's real value in .env",
      "  SLACK_SIGNING_SECRET still has the example value from .env.example (your-signing-secret): put your Slack app's real value in .env",
    ]);
  });

  it('Slack out of reach: one plain line naming the address and the cause, not the token', async () => {
    const port = await freePort();
    const env = `SLACK_BOT_TOKEN=xoxb-real-looking\nSLACK_SIGNING_SECRET=abc123\nSLACK_API_URL=http://127.0.0.1:${port}/api/\nANONYMITY_KEY=first-run-anonymity-key-0123\n`;
    const { code, out, err } = await firstRun(env);
    assert.equal(code, 1);
    assert.equal(
      err,
      `Gemba cannot start: cannot reach Slack at http://127.0.0.1:${port}/api/: connect ECONNREFUSED 127.0.0.1:${port} — check the network or SLACK_API_URL\n`,
    );
    assert.doesNotMatch(out, /fetch failed|"level":(40|50|60)/, 'no retry warnings or JSON error lines');
  });

  it('PostgreSQL out of reach: one plain line naming it (without the password) and DATABASE_URL', async () => {
    const port = await freePort();
    const { code, out, err } = await firstRun(
      `SLACK_BOT_TOKEN=xoxb-real-looking\nSLACK_SIGNING_SECRET=abc123\nDATABASE_URL=postgres://gemba:s3cret@127.0.0.1:${port}/gemba\n`,
    );
    assert.equal(code, 1);
    assert.equal(
      err,
      `Gemba cannot start: cannot reach PostgreSQL at postgres://gemba:***@127.0.0.1:${port}/gemba: connect ECONNREFUSED 127.0.0.1:${port} — is it running, and is DATABASE_URL right?\n`,
    );
    assert.doesNotMatch(out + err, /s3cret/);
  });

  it('a SQLite file that cannot be created: one plain line naming it and DATABASE_PATH', async () => {
    // DATABASE_PATH from the environment: it wins over .env.
    const { code, err } = await firstRun('SLACK_BOT_TOKEN=xoxb-real-looking\nSLACK_SIGNING_SECRET=abc123\n', {
      DATABASE_PATH: '/dev/null/gemba.db',
    });
    assert.equal(code, 1);
    assert.match(
      err,
      /^Gemba cannot start: cannot open the SQLite database at \/dev\/null\/gemba\.db: .+ — check DATABASE_PATH \(its folder must be writable\)\n$/,
    );
  });

  it('Socket Mode with an app token Slack refuses: one plain line naming SLACK_APP_TOKEN, not the bot token', async () => {
    const fake = await startFakeSlack();
    try {
      fake.failNext('apps.connections.open', { error: 'invalid_auth', times: 5 });
      const env = `SLACK_BOT_TOKEN=xoxb-real-looking\nSLACK_APP_TOKEN=xapp-1-refused\nSLACK_API_URL=${fake.apiUrl}\n`;
      const { code, err } = await firstRun(env);
      assert.equal(code, 1);
      assert.equal(
        err,
        "Gemba cannot start: Slack rejected SLACK_APP_TOKEN (invalid_auth): copy the app-level token (xapp-…) with the connections:write scope from your app's Basic Information page, or leave SLACK_APP_TOKEN empty to run over HTTP\n",
      );
      assert.deepEqual(
        fake.calls.map((c) => c.method),
        ['auth.test', 'apps.connections.open'],
        'the bot token was checked once, then the app token refused',
      );
    } finally {
      await fake.close();
    }
  });
});

describe('a signal while the app is still starting', { timeout: 60_000 }, () => {
  /**
   * A Web API that answers auth.test, and apps.connections.open with a WebSocket address nothing listens on:
   * Socket Mode then retries its connection for as long as it takes, so start-up never ends by itself.
   */
  async function unreachableSocketSlack(): Promise<{ apiUrl: string; opened: () => number; close: () => Promise<void> }> {
    const closedPort = await freePort();
    let opened = 0;
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        if (req.url?.endsWith('/auth.test')) {
          res.end(JSON.stringify({ ok: true, bot_id: 'B1', user_id: 'UBOT1', team_id: 'T0001', url: 'https://acme.slack.com/' }));
        } else if (req.url?.endsWith('/apps.connections.open')) {
          opened += 1;
          res.end(JSON.stringify({ ok: true, url: `ws://127.0.0.1:${closedPort}/link` }));
        } else res.end(JSON.stringify({ ok: false, error: 'unknown_method' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
      apiUrl: `http://127.0.0.1:${port}/api/`,
      opened: () => opened,
      close: () => new Promise((resolve) => server.close(() => resolve())),
    };
  }

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} while Socket Mode cannot connect yet: the database is closed and the exit code is 0`, async () => {
      const slack = await unreachableSocketSlack();
      const dir = mkdtempSync(join(tmpdir(), 'gemba-startsig-'));
      try {
        const databasePath = join(dir, 'gemba.db');
        const child = spawnScript(
          'src/main.ts',
          [],
          {
            PATH: process.env.PATH ?? '',
            SLACK_BOT_TOKEN: 'xoxb-start-signal',
            SLACK_APP_TOKEN: 'xapp-1-start-signal',
            SLACK_API_URL: slack.apiUrl,
            PORT: String(await freePort()),
            DATABASE_PATH: databasePath,
            SCHEDULER_ENABLED: 'false',
            LOG_FORMAT: 'json',
          },
          dir,
        );
        const deadline = Date.now() + 30_000;
        while (slack.opened() < 1 || !existsSync(`${databasePath}-wal`)) {
          if (child.proc.exitCode !== null || Date.now() > deadline) assert.fail(`never got to connecting:\n${child.output()}`);
          await new Promise((r) => setTimeout(r, 50));
        }
        // Still connecting: Socket Mode retries the WebSocket.
        await new Promise((r) => setTimeout(r, 500));
        assert.doesNotMatch(child.output(), /Gemba is running/);
        child.proc.kill(signal);
        assert.equal(await child.exited, 0, child.output());
        assert.match(child.output(), /"msg":"shutting down"/);
        assert.match(child.output(), /"msg":"stopped"/);
        assert.equal(existsSync(`${databasePath}-wal`), false, 'the database was closed (its WAL folded in and removed)');
      } finally {
        await slack.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
