import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { isValidSlackRequest } from '@slack/bolt';
import { postSigned, signSlackRequest } from './sign.js';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const TS = 1531420618;

test('signSlackRequest matches an independently computed v0 HMAC', () => {
  const expected = `v0=${createHmac('sha256', SECRET).update(`v0:${TS}:${BODY}`).digest('hex')}`;
  const headers = signSlackRequest(SECRET, BODY, TS);
  assert.deepEqual(headers, { 'x-slack-request-timestamp': String(TS), 'x-slack-signature': expected });
  assert.match(headers['x-slack-signature'], /^v0=[0-9a-f]{64}$/);
});

test("signSlackRequest output passes Bolt's own verifier, and a changed body does not", () => {
  const now = Math.floor(Date.now() / 1000);
  const h = signSlackRequest(SECRET, BODY, now);
  const headers = { 'x-slack-signature': h['x-slack-signature'], 'x-slack-request-timestamp': now };
  assert.equal(isValidSlackRequest({ signingSecret: SECRET, body: BODY, headers }), true);
  assert.equal(isValidSlackRequest({ signingSecret: SECRET, body: `${BODY}x`, headers }), false);
  assert.equal(isValidSlackRequest({ signingSecret: 'other', body: BODY, headers }), false);
});

test('signSlackRequest defaults the timestamp to now', () => {
  const before = Math.floor(Date.now() / 1000);
  const ts = Number(signSlackRequest(SECRET, 'x')['x-slack-request-timestamp']);
  assert.ok(ts >= before && ts <= before + 1);
});

test('postSigned sends the raw string body, exact content-type and signature', async (t) => {
  const seen: Array<{ url?: string; headers: IncomingMessage['headers']; body: string }> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ url: req.url, headers: req.headers, body });
      if (req.url === '/plain') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('hello');
      } else if (req.url === '/empty') {
        res.writeHead(200);
        res.end();
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ echoed: body.length }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  const r1 = await postSigned(base, {
    secret: SECRET,
    body: 'a=1&b=hello%20world',
    contentType: 'application/x-www-form-urlencoded',
    timestampSec: TS,
    headers: { 'x-slack-retry-num': '1' },
  });
  assert.equal(r1.status, 200);
  assert.deepEqual(r1.json, { echoed: 19 });
  assert.ok(r1.ms >= 0);
  assert.equal(seen[0].url, '/slack/events');
  assert.equal(seen[0].headers['content-type'], 'application/x-www-form-urlencoded');
  assert.equal(seen[0].body, 'a=1&b=hello%20world');
  assert.equal(seen[0].headers['x-slack-request-timestamp'], String(TS));
  assert.equal(seen[0].headers['x-slack-signature'], signSlackRequest(SECRET, 'a=1&b=hello%20world', TS)['x-slack-signature']);
  assert.equal(seen[0].headers['x-slack-retry-num'], '1');

  const r2 = await postSigned(base, {
    secret: SECRET,
    body: '{}',
    contentType: 'application/json',
    path: '/plain',
    signature: 'v0=forged',
  });
  assert.equal(r2.text, 'hello');
  assert.equal(r2.json, undefined);
  assert.equal(seen[1].url, '/plain');
  assert.equal(seen[1].headers['content-type'], 'application/json');
  assert.equal(seen[1].headers['x-slack-signature'], 'v0=forged');

  const r3 = await postSigned(base, { secret: SECRET, body: '{}', contentType: 'application/json', path: 'empty' });
  assert.equal(r3.text, '');
  assert.equal(r3.json, undefined);
});
