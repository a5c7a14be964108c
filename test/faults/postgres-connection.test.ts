/**
 * PostgreSQL going away under a running app (issue 11): the app reaches the server through a TCP
 * proxy that the test cuts (every connection dropped, new ones refused) and restores. While it is
 * cut, GET /healthz says 503 and names the engine, the log says what happened, a /contact gets an
 * honest "nothing was recorded" (never a confirmation) and stores nothing, and the process stays up
 * (the pool's 'error' on its idle clients is handled: unhandled, it would crash this very process).
 * Once the server is reachable again the app serves and stores without a restart.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { STORAGE_DOWN } from '../../src/blocks/common.js';
import { ErrorCode } from '../../src/lib/errors.js';
import { harnessPerTest } from '../kit/harness.js';
import { createTestDatabase, postgresPerFile } from '../kit/postgres.js';
import { startTcpProxy } from '../kit/tcp-proxy.js';
import { sleep, until } from './support.js';

async function eventually(cond: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const harness = harnessPerTest();

describe('fault: the PostgreSQL connection is lost and comes back', () => {
  const serverUrl = postgresPerFile();

  it('503 and clear log lines while it is gone, an honest error for /contact, and recovery when it is back', async () => {
    const url = new URL(await createTestDatabase(serverUrl()));
    const proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port) });
    harness.track(proxy);
    const viaProxy = new URL(url);
    viaProxy.port = String(proxy.port);
    const h = await harness({ env: { DATABASE_URL: viaProxy.toString() } });
    // The test's own look at the rows goes straight to the server, not through the proxy.
    const direct = new pg.Client({ connectionString: url.toString() });
    await direct.connect();
    harness.track({ close: () => direct.end() });
    const stored = async () =>
      (await direct.query<{ account: string }>('SELECT account FROM contacts ORDER BY id')).rows.map((r) => r.account);
    const errors: unknown[] = [];
    const onError = (err: unknown) => errors.push(err);
    process.on('uncaughtException', onError);
    process.on('unhandledRejection', onError);
    harness.track({ close: async () => void process.off('uncaughtException', onError).off('unhandledRejection', onError) });

    const before = await h.command('/contact', 'Before Cut Inc');
    assert.match(before.json.text, /^Logged a conversation with Before Cut Inc/);
    assert.equal((await fetch(`${h.url}/healthz`)).status, 200);
    assert.ok(proxy.accepted() > 0, 'the app talks to PostgreSQL through the proxy');

    // ---- The server goes away: idle pooled connections die, new ones are refused.
    await proxy.cut();
    await until(
      () => h.logs.some((l) => l.level === 50 && /PostgreSQL connection lost/.test(String(l.msg))),
      'the pool to log the lost connection',
    );

    const health = await fetch(`${h.url}/healthz`);
    assert.equal(health.status, 503);
    assert.deepEqual(await health.json(), { status: 'unavailable', database: 'unavailable', engine: 'postgres', mode: 'http' });
    assert.ok(
      h.logs.some((l) => l.level === 50 && l.engine === 'postgres' && /health check: the database does not answer/.test(String(l.msg))),
      'the failed health check is logged with the engine',
    );

    const during = await h.command('/contact', 'During Cut Corp');
    assert.equal(during.status, 200);
    assert.equal(during.json.response_type, 'ephemeral');
    assert.equal(during.json.text, STORAGE_DOWN, 'an honest error, not a confirmation');
    assert.doesNotMatch(JSON.stringify(during.json), /Logged a conversation/);
    const refused = h.logs.filter((l) => l.level === 50 && l.code === ErrorCode.StorageUnavailable);
    assert.ok(refused.length > 0, 'one error line classifies it as storage unavailable');
    assert.match(String(refused[refused.length - 1].msg), /cannot be reached .*connection lost.*nothing was recorded/);
    assert.deepEqual(await stored(), ['Before Cut Inc'], 'nothing was stored while the server was gone');

    // A little later it is still down and still answering, not crashed and not in a loop.
    await sleep(500);
    assert.equal((await fetch(`${h.url}/healthz`)).status, 503);

    // ---- The server is back: no restart needed.
    await proxy.restore();
    await eventually(async () => (await fetch(`${h.url}/healthz`)).status === 200, '/healthz to answer 200 again');
    const after = await h.command('/contact', 'After Restore Ltd');
    assert.match(after.json.text, /^Logged a conversation with After Restore Ltd/);
    assert.deepEqual(await stored(), ['Before Cut Inc', 'After Restore Ltd']);
    await h.settle();
    assert.deepEqual(errors, [], 'no uncaught exception or unhandled rejection');
  });
});
