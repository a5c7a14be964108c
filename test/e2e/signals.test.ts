/**
 * `npm start` is the process that gets the signal: SIGTERM or SIGINT sent to `npm start`, to the
 * node process under it, or to a container's PID 1 (a fresh PID namespace) stops the whole app
 * gracefully: the log says "stopped", every process is gone and the port is closed.
 */

import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { databaseEnv } from '../kit/engine.js';
import { type FakeSlack, startFakeSlack } from '../kit/fake-slack.js';
import { freePort } from '../kit/net.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Direct children of a process (Linux /proc). */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function descendants(pid: number): number[] {
  return childrenOf(pid).flatMap((c) => [c, ...descendants(c)]);
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** True while the process exists and is not a zombie. */
function alive(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const unshareWorks = (() => {
  if (process.platform !== 'linux') return false;
  const r = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'true'], { stdio: 'ignore' });
  return r.status === 0;
})();

interface Running {
  child: ChildProcess;
  port: number;
  output: () => string;
  dir: string;
}

describe('signals stop the whole app', { timeout: 240_000 }, () => {
  let fake: FakeSlack;

  before(async () => {
    fake = await startFakeSlack({ defaultTz: 'UTC' });
  });
  after(async () => {
    await fake.close();
  });

  async function start(argv: string[]): Promise<Running> {
    const dir = mkdtempSync(join(tmpdir(), 'gemba-signals-'));
    const port = await freePort();
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !/^(SLACK_|PORT$|DATABASE_|ANONYMITY_|SCHEDULER_|LOG_|ADMIN_USER_IDS$|npm_)/.test(k)),
    );
    const child = spawn(argv[0], argv.slice(1), {
      cwd: root,
      env: {
        ...env,
        SLACK_BOT_TOKEN: 'xoxb-signals-test',
        SLACK_SIGNING_SECRET: 'signals-test-secret',
        SLACK_API_URL: fake.apiUrl,
        PORT: String(port),
        ...(await databaseEnv(join(dir, 'gemba.db'))),
        ANONYMITY_KEY: 'signals-test-anonymity-key-123',
        SCHEDULER_ENABLED: 'true',
        LOG_FORMAT: 'json',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    await until(
      'GET /healthz',
      async () => {
        if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}:\n${out}`);
        // Our server, not another process that took the same free port meanwhile (two suites at once):
        // it has said it is running, so its signal handlers are in place too.
        if (!/"msg":"Gemba is running"/.test(out)) return false;
        try {
          return (await fetch(`http://127.0.0.1:${port}/healthz`)).ok;
        } catch {
          return false;
        }
      },
      90_000,
    );
    return { child, port, output: () => out, dir };
  }

  /** Sends `signal` to `target(run)` and checks that everything stopped gracefully. */
  async function stopsOn(argv: string[], signal: NodeJS.Signals, target: (r: Running) => number): Promise<void> {
    const run = await start(argv);
    const everyone = [run.child.pid!, ...descendants(run.child.pid!)];
    const server = everyone.find((p) => cmdline(p).includes('dist/main.js'));
    assert.ok(server, `the server process is among ${everyone.map((p) => `${p}: ${cmdline(p)}`).join('; ')}`);
    try {
      process.kill(target(run), signal);
      await until(`${argv.join(' ')} to exit after ${signal}`, () => run.child.exitCode !== null || run.child.signalCode !== null, 20_000);
      await until('every process to end', () => everyone.every((p) => !alive(p)), 15_000);
      assert.match(run.output(), /"msg":"shutting down"/, run.output());
      assert.match(run.output(), /"msg":"stopped"/, run.output());
      await assert.rejects(fetch(`http://127.0.0.1:${run.port}/healthz`), 'the port is closed');
    } finally {
      for (const p of everyone) if (alive(p)) process.kill(p, 'SIGKILL');
      rmSync(run.dir, { recursive: true, force: true });
    }
  }

  const serverPid = (r: Running): number => {
    const pid = descendants(r.child.pid!).find((p) => cmdline(p).includes('dist/main.js'));
    assert.ok(pid, 'server process found');
    return pid;
  };

  it('SIGTERM to `npm start`', async () => {
    await stopsOn([NPM, 'start'], 'SIGTERM', (r) => r.child.pid!);
  });

  it('SIGINT to `npm start`', async () => {
    await stopsOn([NPM, 'start'], 'SIGINT', (r) => r.child.pid!);
  });

  it('SIGTERM to the node process under `npm start`', async () => {
    await stopsOn([NPM, 'start'], 'SIGTERM', serverPid);
  });

  const pid1 = unshareWorks ? {} : { skip: 'unshare --pid is not available here (needs root or CAP_SYS_ADMIN)' };

  it('SIGTERM to PID 1 of a container running `node dist/main.js`', pid1, async () => {
    if (!existsSync(join(root, 'dist/main.js'))) spawnSync(NPM, ['run', 'build'], { cwd: root, stdio: 'ignore' });
    // unshare forks the command as PID 1 of a new PID namespace; the signal goes to that process.
    await stopsOn(
      ['unshare', '--pid', '--fork', '--mount-proc', process.execPath, 'dist/main.js'],
      'SIGTERM',
      (r) => childrenOf(r.child.pid!)[0],
    );
  });

  it('SIGTERM to PID 1 of a container running `npm start`', pid1, async () => {
    await stopsOn(['unshare', '--pid', '--fork', '--mount-proc', NPM, 'start'], 'SIGTERM', (r) => childrenOf(r.child.pid!)[0]);
  });
});
