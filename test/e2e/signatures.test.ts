/**
 * Request signing and the health check, end to end: forged, stale and unsigned requests are
 * refused with 401 and change nothing; `GET /healthz` reports the database; what no route takes gets
 * 404 or 405, logged without its query or headers.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import { describe, it } from 'node:test';
import { ActionId } from '../../src/blocks/ids.js';
import { type Harness, harnessPerTest, SIGNING_SECRET, startHarness } from '../kit/harness.js';
import { appHomeOpened, blockActions, slashCommand } from '../kit/payloads.js';
import { ackMessage, contactCount, managerCount } from './support.js';

const harness = harnessPerTest();

const nowSec = () => Math.floor(Date.now() / 1000);
const contact = () => slashCommand({ command: '/contact', text: 'Acme Corp: forged?' });

describe('request signatures', () => {
  it('accepts a correctly signed request (control)', async () => {
    const h = await harness();
    ackMessage(await h.send(contact()));
    assert.equal(await contactCount(h), 1);
  });

  it('refuses a forged signature with 401 and stores nothing', async () => {
    const h = await harness();
    const payload = contact();
    const wrongSecret = createHmac('sha256', 'not-the-secret').update(`v0:${nowSec()}:${payload.body}`).digest('hex');
    for (const signature of [`v0=${wrongSecret}`, 'v0=deadbeef', `v1=${'a'.repeat(64)}`, '']) {
      const r = await h.send(payload, { signature });
      assert.equal(r.status, 401, `signature ${JSON.stringify(signature)}`);
    }
    assert.equal(await contactCount(h), 0);
    assert.equal(await managerCount(h), 0);
    await h.settle();
    assert.equal(h.fake.calls.filter((c) => c.method !== 'auth.test').length, 0, 'no Slack call for a forged request');
  });

  it('refuses a body altered after signing', async () => {
    const h = await harness();
    const signed = contact();
    const ts = nowSec();
    const signature = `v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${ts}:${signed.body}`).digest('hex')}`;
    const altered = { ...signed, body: signed.body.replace('Acme', 'Evil') };
    const r = await h.send(altered, { timestampSec: ts, signature });
    assert.equal(r.status, 401);
    assert.equal(await contactCount(h), 0);
  });

  it('refuses a stale timestamp (6 minutes old) with 401 and stores nothing', async () => {
    const h = await harness();
    const r = await h.send(contact(), { timestampSec: nowSec() - 6 * 60 });
    assert.equal(r.status, 401);
    assert.equal((await h.send(contact(), { timestampSec: nowSec() - 60 * 60 })).status, 401);
    assert.equal(await contactCount(h), 0);
    assert.equal(await managerCount(h), 0);
  });

  it('refuses an unsigned request with 401', async () => {
    const h = await harness();
    const payload = contact();
    const res = await fetch(`${h.url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': payload.contentType },
      body: payload.body,
    });
    assert.equal(res.status, 401);
    await res.text();
    assert.equal(await contactCount(h), 0);
  });

  it('refuses an unsigned request whatever spelling of /slack/events Bolt would route (dot segments, fragment, absolute form)', async () => {
    const h = await harness();
    const payload = contact();
    // fetch() normalises a path before sending; node:http sends the request target as written.
    const post = (target: string) =>
      new Promise<number>((resolve, reject) => {
        const { hostname, port } = new URL(h.url);
        const req = request(
          { host: hostname, port, path: target, method: 'POST', headers: { 'content-type': payload.contentType } },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end(payload.body);
      });
    for (const target of [
      '/slack/x/../events',
      '/slack/%2e%2e/slack/events',
      '/slack/./events',
      '/slack/events#x',
      '/slack/events?x=1',
      '//slack/../slack/events',
      `http://example.com/slack/events`,
    ]) {
      assert.equal(await post(target), 401, target);
    }
    await h.settle();
    assert.equal(await contactCount(h), 0, 'nothing stored from an unsigned request');
    assert.equal(await managerCount(h), 0);
  });

  it("answers Slack's unsigned ssl_check with 200 and does nothing with a payload smuggled beside it", async () => {
    const h = await harness();
    const smuggled = new URLSearchParams({
      ssl_check: '1',
      command: '/contact',
      text: 'Smuggled Corp',
      user_id: 'U0001',
      team_id: 'T0001',
    });
    const res = await fetch(`${h.url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: smuggled.toString(),
    });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), '');
    assert.equal(await contactCount(h), 0);
    assert.equal(await managerCount(h), 0);
  });

  it('refuses forged button clicks and events too', async () => {
    const h = await harness();
    ackMessage(await h.command('/contact', 'Acme Corp'));
    const id = String(await h.value('SELECT id FROM contacts'));
    const undo = blockActions({ actionId: ActionId.contactUndo, value: id, responseUrl: h.fake.responseUrl() });
    assert.equal((await h.send(undo, { signature: 'v0=00' })).status, 401);
    assert.equal((await h.send(undo, { timestampSec: nowSec() - 10 * 60 })).status, 401);
    assert.equal(await contactCount(h), 1, 'Undo did not run');
    assert.equal((await h.send(appHomeOpened('U0001'), { signature: 'v0=00' })).status, 401);
    await h.settle();
    assert.equal(h.fake.callsTo('views.publish').length, 0);
    assert.equal(h.fake.callsTo('response_url').length, 0);
    assert.deepEqual(h.fake.invalid, []);
  });
});

describe('GET /healthz', () => {
  it('answers 200 {status:"ok"} while the database is up and 503 once it is closed', async () => {
    // Not harnessPerTest(): this test closes the database itself, so it closes the harness itself.
    const h = await startHarness();
    const up = await fetch(`${h.url}/healthz`);
    assert.equal(up.status, 200);
    assert.match(up.headers.get('content-type') ?? '', /application\/json/);
    const body = (await up.json()) as Record<string, unknown>;
    assert.equal(body.status, 'ok');
    assert.equal(body.database, 'ok');

    await h.ctx.storage.close();
    const down = await fetch(`${h.url}/healthz`);
    assert.equal(down.status, 503);
    assert.notEqual(((await down.json()) as Record<string, unknown>).status, 'ok');

    // The harness closes the database again; tolerate that.
    await h.close().catch(() => undefined);
  });

  it('needs no signature', async () => {
    const h = await harness();
    const res = await fetch(`${h.url}/healthz`);
    assert.equal(res.status, 200);
    await res.text();
  });
});

describe('HTTP requests no route takes', () => {
  // What a browser or a scanner sends: cookies, an authorization header, an OAuth-looking query.
  const secrets = { cookie: 'session=cookie-secret-123', authorization: 'Bearer header-secret-456' };
  const request = (h: Harness, method: string, path: string) =>
    fetch(`${h.url}${path}`, { method, headers: secrets, body: method === 'POST' ? 'x=1' : undefined });
  const assertNothingLeaked = (h: Harness) => {
    for (const leak of ['cookie-secret-123', 'header-secret-456', 'code-secret-789']) {
      assert.ok(!h.logText().includes(leak), `the logs do not carry ${leak}`);
    }
    assert.deepEqual(
      h.logs.filter((l) => Number(l.level) >= 50),
      [],
      'no error line: a stray request is not a failure',
    );
  };

  it('answers an unknown path with 404, logging its method and path only', async () => {
    const h = await harness();
    for (const [method, path] of [
      ['GET', '/'],
      ['GET', '/favicon.ico'],
      ['GET', '/nope?code=code-secret-789'],
      ['POST', '/slack/other'],
      // Single-workspace mode serves no install pages.
      ['GET', '/slack/install'],
      ['GET', '/slack/oauth_redirect?code=code-secret-789&state=s'],
    ]) {
      const res = await request(h, method, path);
      assert.equal(res.status, 404, `${method} ${path}`);
      await res.text();
    }
    const lines = h.logs.filter((l) => l.msg === 'HTTP request to a path Gemba does not serve: answered 404');
    assert.equal(lines.length, 6);
    assert.deepEqual(lines[2]?.path, '/nope', 'the path, without its query');
    assertNothingLeaked(h);
  });

  it('answers a known path asked with the wrong method with 405 and Allow', async () => {
    const h = await harness();
    for (const [method, path, allow] of [
      ['GET', '/slack/events', 'POST'],
      ['PUT', '/slack/events', 'POST'],
      ['POST', '/healthz', 'GET, HEAD'],
      ['DELETE', '/healthz', 'GET, HEAD'],
    ] as const) {
      const res = await request(h, method, path);
      assert.equal(res.status, 405, `${method} ${path}`);
      assert.equal(res.headers.get('allow'), allow);
      await res.text();
    }
    assertNothingLeaked(h);
  });

  it('answers HEAD /healthz (a load-balancer probe) with the status and no body', async () => {
    const h = await harness();
    const res = await fetch(`${h.url}/healthz`, { method: 'HEAD' });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), '');
  });

  it('in distribution mode, the install pages take GET only', async () => {
    const h = await harness({ distribution: true });
    for (const path of ['/slack/install', '/slack/oauth_redirect']) {
      const res = await request(h, 'POST', path);
      assert.equal(res.status, 405, path);
      assert.equal(res.headers.get('allow'), 'GET');
      await res.text();
    }
    const unknown = await request(h, 'GET', '/slack/installs');
    assert.equal(unknown.status, 404);
    await unknown.text();
    assertNothingLeaked(h);
  });
});
