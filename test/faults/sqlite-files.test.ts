/**
 * The SQLite files removed or replaced under a running app (`rm -r data/`, a restore copied over the
 * live file, a volume swapped): SQLite keeps writing through its open handle to a file nobody can find
 * any more, so everything written from then on is gone at the next start. GET /healthz must say so
 * (503 and an error line naming the file) rather than 200, and answer 200 again once the file is back.
 */
import assert from 'node:assert/strict';
import { copyFileSync, renameSync } from 'node:fs';
import { describe, it } from 'node:test';
import { anonymousStorePath } from '../../src/db/open.js';
import { sqliteOnly } from '../kit/engine.js';
import { harnessPerTest } from '../kit/harness.js';

const harness = harnessPerTest();
const skip = sqliteOnly('about the SQLite files; PostgreSQL going away is test/faults/postgres-connection.test.ts');

describe('fault: the SQLite files are removed or replaced while the app runs', { skip }, () => {
  async function health(url: string): Promise<{ status: number; body: unknown }> {
    const r = await fetch(`${url}/healthz`);
    return { status: r.status, body: await r.json() };
  }

  const unavailable = { status: 'unavailable', database: 'unavailable', engine: 'sqlite', mode: 'http' };

  for (const which of ['main', 'anonymous'] as const) {
    it(`the ${which} file removed: 503 and a log line naming it; 200 again once it is back`, async () => {
      const h = await harness();
      const file = which === 'main' ? h.databasePath : anonymousStorePath(h.databasePath);
      assert.equal((await health(h.url)).status, 200);

      renameSync(file, `${file}.moved`);
      assert.deepEqual(await health(h.url), { status: 503, body: unavailable });
      const line = h.logs.find((l) => l.level === 50 && /health check: the database does not answer/.test(String(l.msg)));
      assert.ok(line, 'the failed health check is logged');
      assert.match(String(line.reason), new RegExp(`${file.replaceAll('.', '\\.')} was removed while Gemba was running`));

      renameSync(`${file}.moved`, file);
      assert.equal((await health(h.url)).status, 200, 'the same file back: healthy again');
    });
  }

  it('the main file replaced by a copy (the app still writes to the old one): 503 naming the replacement', async () => {
    const h = await harness();
    copyFileSync(h.databasePath, `${h.databasePath}.copy`);
    renameSync(`${h.databasePath}.copy`, h.databasePath);
    assert.deepEqual(await health(h.url), { status: 503, body: unavailable });
    assert.ok(h.logs.some((l) => l.level === 50 && /was replaced by another file/.test(String(l.reason))));
  });
});
