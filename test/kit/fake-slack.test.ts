import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { webApi } from '@slack/bolt';
import { SlackSimulator } from '../../src/sandbox/slack-simulator.js';
import { type FakeSlack, startFakeSlack } from './fake-slack.js';
import { createTestLogger } from './logger.js';

type WebClientOptions = ConstructorParameters<typeof webApi.WebClient>[1];

let fake: FakeSlack;

function client(opts: WebClientOptions = {}): InstanceType<typeof webApi.WebClient> {
  return new webApi.WebClient('xoxb-test', {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    logger: createTestLogger(),
    ...opts,
  });
}

/** A retry policy with almost no backoff, so retry tests stay fast. */
const oneQuickRetry = { retries: 1, minTimeout: 10, maxTimeout: 10, randomize: false };

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

before(async () => {
  fake = await startFakeSlack();
});
after(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

describe('recording', () => {
  test('records WebClient calls with decoded args and the bearer token', async () => {
    const c = client();
    const auth = await c.auth.test();
    assert.equal(auth.user_id, 'UBOT');
    assert.equal(auth.bot_id, 'BBOT');
    assert.equal(auth.team_id, 'T0001');

    const blocks = [section('*hello*')];
    const r1 = await c.chat.postMessage({ channel: 'C1', text: 'hello', blocks });
    const r2 = await c.chat.postMessage({ channel: 'C1', text: 'again' });
    assert.equal(r1.ok, true);
    assert.equal(r1.channel, 'C1');
    assert.match(String(r1.ts), /^\d{10}\.\d{6}$/);
    assert.ok(Number(r2.ts) > Number(r1.ts), 'ts values increase');
    assert.equal(r1.message?.text, 'hello');

    const [first] = fake.callsTo('chat.postMessage');
    assert.deepEqual(first.args.blocks, blocks, 'blocks are JSON-decoded');
    assert.equal(first.args.text, 'hello');
    assert.equal(first.token, 'xoxb-test');
    assert.equal(first.status, 200);
    assert.equal(first.response.ts, r1.ts);
    assert.deepEqual(
      fake.calls.map((x) => x.method),
      ['auth.test', 'chat.postMessage', 'chat.postMessage'],
    );
    assert.deepEqual(fake.invalid, []);
  });

  test('posting to a user id answers with the DM channel', async () => {
    const r = await client().chat.postMessage({ channel: 'U42', text: 'hi' });
    assert.equal(r.channel, 'DU42');
    const open = await client().conversations.open({ users: 'U42' });
    assert.equal(open.channel?.id, 'DU42');
  });

  test('text fields that look like JSON stay strings', async () => {
    await client().chat.postMessage({ channel: 'C1', text: '[1,2]' });
    assert.equal(fake.calls[0].args.text, '[1,2]');
  });

  test('waitFor resolves for past and future calls, and explains timeouts', async () => {
    const c = client();
    await c.chat.postEphemeral({ channel: 'C1', user: 'U1', text: 'x' });
    const past = await fake.waitFor('chat.postEphemeral');
    assert.equal(past.args.user, 'U1');
    assert.ok(past.response.message_ts);

    const future = fake.waitFor('chat.postMessage', (call) => call.args.channel === 'C2');
    await c.chat.postMessage({ channel: 'C1', text: 'not this one' });
    await c.chat.postMessage({ channel: 'C2', text: 'this one' });
    assert.equal((await future).args.text, 'this one');

    await assert.rejects(fake.waitFor('views.open', undefined, 50), (e: Error) => {
      assert.match(e.message, /timed out after 50ms waiting for a views\.open call/);
      assert.match(e.message, /chat\.postMessage x2/);
      assert.match(e.message, /chat\.postEphemeral x1/);
      return true;
    });
  });

  test('accepts JSON and multipart bodies and unknown methods', async () => {
    const json = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: 'Bearer xoxb-json' },
      body: JSON.stringify({ channel: 'C9', text: 'json', blocks: [section('a')] }),
    });
    assert.equal(((await json.json()) as { ok: boolean }).ok, true);
    const form = new FormData();
    form.append('channel', 'C8');
    form.append('text', 'multi');
    form.append('file', new Blob(['abc']), 'f.txt');
    const multi = await fetch(`${fake.apiUrl}some.newMethod`, { method: 'POST', body: form });
    assert.deepEqual(await multi.json(), { ok: true });
    assert.equal(fake.calls[0].args.channel, 'C9');
    assert.equal(fake.calls[0].token, 'xoxb-json');
    assert.equal(fake.calls[1].method, 'some.newMethod');
    assert.equal(fake.calls[1].args.text, 'multi');
    assert.deepEqual(fake.calls[1].args.file, { filename: 'f.txt', size: 3 });
    assert.equal((await fetch(`${fake.baseUrl}/nope`, { method: 'POST' })).status, 404);
  });

  test('delayMs delays every answer', async () => {
    fake.delayMs = 120;
    const t0 = performance.now();
    await client().auth.test();
    assert.ok(performance.now() - t0 >= 110);
  });

  test('close() rejects pending waiters (checked on a second instance)', async () => {
    const other = await startFakeSlack();
    const pending = other.waitFor('chat.postMessage', undefined, 10_000);
    await other.close();
    await assert.rejects(pending, /closed while waiting for chat\.postMessage/);
  });
});

describe('conversations.history', () => {
  test('reads back what was posted to a DM, newest first, after oldest, with metadata only when asked', async () => {
    // A fake of its own, whose clock has handed out no ts yet (ts values only ever increase).
    let now = Date.parse('2026-11-30T09:00:00Z');
    const own = await startFakeSlack({ clock: () => now });
    const c = new webApi.WebClient('xoxb-test', { slackApiUrl: own.apiUrl, retryConfig: { retries: 0 }, logger: createTestLogger() });
    try {
      const metadata = { event_type: 'gemba_nudge', event_payload: { period: '2026-11-30' } };
      const early = await c.chat.postMessage({ channel: 'UHIST', text: 'early' });
      now += 60_000;
      const nudge = await c.chat.postMessage({ channel: 'UHIST', text: 'nudge', metadata });
      await c.chat.postMessage({ channel: 'UOTHER', text: 'someone else' });
      assert.equal(early.ts, `${Date.parse('2026-11-30T09:00:00Z') / 1000}.000000`, "ts is the fake's clock");
      const dm = (await c.conversations.open({ users: 'UHIST' })).channel?.id;
      assert.equal(dm, nudge.channel, 'conversations.open and chat.postMessage agree on the DM channel');

      const all = await c.conversations.history({ channel: String(dm), include_all_metadata: true });
      assert.deepEqual(
        all.messages?.map((m) => m.text),
        ['nudge', 'early'],
      );
      assert.deepEqual(all.messages?.[0].metadata, metadata);
      assert.equal(all.messages?.[0].bot_id, 'BBOT');
      assert.equal(all.messages?.[0].ts, nudge.ts);
      assert.equal(all.messages?.[1].metadata, undefined);

      const plain = await c.conversations.history({ channel: String(dm) });
      assert.equal(plain.messages?.[0].metadata, undefined, 'no metadata without include_all_metadata');
      const after = await c.conversations.history({ channel: String(dm), oldest: String(early.ts), include_all_metadata: true });
      assert.deepEqual(
        after.messages?.map((m) => m.text),
        ['nudge'],
        'oldest is exclusive',
      );
      const page = await c.conversations.history({ channel: String(dm), limit: 1 });
      assert.equal(page.has_more, true);
      assert.deepEqual(
        page.messages?.map((m) => m.text),
        ['nudge'],
      );
      const next = await c.conversations.history({ channel: String(dm), limit: 1, cursor: page.response_metadata?.next_cursor });
      assert.deepEqual(
        next.messages?.map((m) => m.text),
        ['early'],
      );
      assert.equal(next.has_more, false);
      own.reset();
      assert.equal((await c.conversations.history({ channel: String(dm) })).messages?.length, 2, 'reset keeps what Slack holds');
      await c.chat.delete({ channel: String(dm), ts: String(early.ts) });
      assert.deepEqual(
        (await c.conversations.history({ channel: String(dm) })).messages?.map((m) => m.text),
        ['nudge'],
      );
    } finally {
      await own.close();
    }
  });

  test("the sandbox's restart: messages restored from its timelines are read back, and new ts values come after them", async () => {
    const sim = new SlackSimulator({ clock: () => Date.parse('2026-11-30T08:00:00Z') });
    await sim.listen();
    try {
      const metadata = { event_type: 'gemba_nudge', event_payload: { period: '2026-11-30' } };
      sim.restoreMessages([{ channel: 'DU7', ts: '1796032800.000100', text: 'nudge', metadata }]);
      const c = new webApi.WebClient('xoxb-test', { slackApiUrl: sim.apiUrl, retryConfig: { retries: 0 }, logger: createTestLogger() });
      const read = await c.conversations.history({ channel: 'DU7', oldest: '1796032000', include_all_metadata: true });
      assert.deepEqual(
        read.messages?.map((m) => [m.ts, m.bot_id, m.metadata]),
        [['1796032800.000100', 'BBOT', metadata]],
      );
      const next = await c.chat.postMessage({ channel: 'U7', text: 'later' });
      assert.ok(Number(next.ts) > 1796032800.0001, `a new ts (${next.ts}) after the restored one, even with the clock behind`);
    } finally {
      await sim.close();
    }
  });

  test('answers missing_scope when told to, as Slack does without im:history', async () => {
    fake.failNext('conversations.history', { error: 'missing_scope' });
    await assert.rejects(client().conversations.history({ channel: 'DU1' }), /missing_scope/);
  });
});

describe('fault injection', () => {
  test('failNext error → ok:false platform error, once by default', async () => {
    fake.failNext('chat.postMessage', { error: 'channel_not_found' });
    const c = client();
    await assert.rejects(c.chat.postMessage({ channel: 'C1', text: 'x' }), (e: any) => {
      assert.ok(e instanceof webApi.WebAPIPlatformError);
      assert.equal(e.data.error, 'channel_not_found');
      return true;
    });
    await c.chat.postMessage({ channel: 'C1', text: 'x' });
    assert.deepEqual(
      fake.calls.map((x) => x.response.ok),
      [false, true],
    );
  });

  test('failNext times and when', async () => {
    fake.failNext('users.info', { error: 'user_not_found', times: 2, when: (a) => a.user === 'U2' });
    const c = client();
    assert.equal((await c.users.info({ user: 'U1' })).ok, true);
    await assert.rejects(c.users.info({ user: 'U2' }));
    await assert.rejects(c.users.info({ user: 'U2' }));
    assert.equal((await c.users.info({ user: 'U2' })).ok, true);
  });

  test('failNext status 500 → WebAPIHTTPError; with one retry it recovers', async () => {
    fake.failNext('chat.update', { status: 500 });
    await assert.rejects(client().chat.update({ channel: 'C1', ts: '1.2', text: 'x' }), (e: any) => {
      assert.ok(e instanceof webApi.WebAPIHTTPError);
      assert.equal(e.statusCode, 500);
      return true;
    });
    fake.reset();
    fake.failNext('chat.update', { status: 500 });
    const r = await client({ retryConfig: oneQuickRetry }).chat.update({ channel: 'C1', ts: '1.2', text: 'x' });
    assert.equal(r.ok, true);
    assert.deepEqual(
      fake.callsTo('chat.update').map((x) => x.status),
      [500, 200],
    );
  });

  test('failNext retryAfter → 429 + Retry-After; the client waits and retries', async () => {
    fake.failNext('chat.postMessage', { retryAfter: 1 });
    const seen: number[] = [];
    const c = client({ retryConfig: oneQuickRetry });
    c.on(webApi.WebClientEvent.RATE_LIMITED, (sec: number) => seen.push(sec));
    const t0 = performance.now();
    const r = await c.chat.postMessage({ channel: 'C1', text: 'x' });
    assert.equal(r.ok, true);
    assert.ok(performance.now() - t0 >= 950, 'waited for Retry-After');
    assert.deepEqual(seen, [1]);
    assert.deepEqual(
      fake.callsTo('chat.postMessage').map((x) => x.status),
      [429, 200],
    );
    assert.equal(fake.rateLimited, 1);
  });

  test('429 without retries surfaces WebAPIRateLimitedError when rejectRateLimitedCalls', async () => {
    fake.failNext('views.publish', { retryAfter: 7 });
    await assert.rejects(
      client({ rejectRateLimitedCalls: true }).views.publish({ user_id: 'U1', view: { type: 'home', blocks: [] } }),
      (e: any) => {
        assert.ok(e instanceof webApi.WebAPIRateLimitedError);
        assert.equal(e.retryAfter, 7);
        return true;
      },
    );
  });

  test('rateLimit answers 429 above perSecond within a rolling second', async () => {
    fake.rateLimit('chat.postMessage', { perSecond: 2, retryAfter: 3 });
    const post = () =>
      fetch(`${fake.apiUrl}chat.postMessage`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'channel=C1&text=hi',
      });
    // Fired together so all four land inside one rolling second even on a loaded machine.
    const responses = await Promise.all([post(), post(), post(), post()]);
    assert.deepEqual(responses.map((r) => r.status).sort(), [200, 200, 429, 429]);
    assert.deepEqual(
      responses.filter((r) => r.status === 429).map((r) => r.headers.get('retry-after')),
      ['3', '3'],
    );
    assert.equal(fake.rateLimited, 2);
    const limited = fake.callsTo('chat.postMessage').filter((c) => c.status === 429);
    assert.equal(limited.length, 2);
    assert.equal(limited[0].response.error, 'ratelimited');
    fake.rateLimit('chat.postMessage', null);
    assert.equal((await post()).status, 200);
  });

  test('reset clears calls, failures and invalid but keeps users and usergroups', async () => {
    fake.setUser('U77', { tz: 'Asia/Tokyo' });
    fake.setUsergroup('S1', ['U1']);
    fake.failNext('auth.test', { error: 'invalid_auth' });
    fake.delayMs = 5;
    await client()
      .chat.postMessage({ channel: 'C1', blocks: [section('x')] })
      .catch(() => undefined);
    assert.equal(fake.invalid.length, 1);
    fake.reset();
    assert.equal(fake.calls.length, 0);
    assert.equal(fake.invalid.length, 0);
    assert.equal(fake.delayMs, 0);
    assert.equal((await client().auth.test()).ok, true);
    assert.equal((await client().users.info({ user: 'U77' })).user?.tz, 'Asia/Tokyo');
    assert.deepEqual((await client().usergroups.users.list({ usergroup: 'S1' })).users, ['U1']);
  });
});

describe('users and usergroups', () => {
  test('users.info default user, configured user, unknown and removed users', async () => {
    const c = client();
    const d = (await c.users.info({ user: 'U100' })).user!;
    assert.equal(d.id, 'U100');
    assert.equal(d.team_id, 'T0001');
    assert.equal(d.tz, 'America/New_York');
    assert.ok(d.tz_offset === -18000 || d.tz_offset === -14400, `tz_offset ${d.tz_offset}`);
    assert.match(String(d.tz_label), /Eastern (Standard|Daylight) Time/);
    assert.equal(d.is_admin, false);
    assert.equal(d.is_owner, false);
    assert.equal(d.is_bot, false);
    assert.equal(d.deleted, false);
    assert.equal(typeof d.name, 'string');
    assert.equal(typeof d.real_name, 'string');

    fake.setUser('W200', { tz: 'Asia/Kolkata', isAdmin: true, isOwner: true, name: 'ana', teamId: 'T2', deleted: true });
    const w = (await c.users.info({ user: 'W200' })).user!;
    assert.deepEqual(
      {
        tz: w.tz,
        off: w.tz_offset,
        label: w.tz_label,
        admin: w.is_admin,
        owner: w.is_owner,
        name: w.name,
        team: w.team_id,
        deleted: w.deleted,
      },
      { tz: 'Asia/Kolkata', off: 19800, label: 'India Standard Time', admin: true, owner: true, name: 'ana', team: 'T2', deleted: true },
    );

    await assert.rejects(c.users.info({ user: 'X999' }), (e: any) => e.data.error === 'user_not_found');
    fake.removeUser('U100');
    await assert.rejects(c.users.info({ user: 'U100' }), (e: any) => e.data.error === 'user_not_found');
    fake.setUser('U100', {});
    assert.equal((await c.users.info({ user: 'U100' })).ok, true);

    fake.defaultTz = 'UTC';
    const u = (await c.users.info({ user: 'U300' })).user!;
    assert.equal(u.tz, 'UTC');
    assert.equal(u.tz_offset, 0);
    fake.defaultTz = 'America/New_York';
  });

  test('usergroups.users.list', async () => {
    fake.setUsergroup('S0SALES', ['U1', 'U2']);
    const c = client();
    assert.deepEqual((await c.usergroups.users.list({ usergroup: 'S0SALES' })).users, ['U1', 'U2']);
    await assert.rejects(c.usergroups.users.list({ usergroup: 'SNOPE' }), (e: any) => e.data.error === 'no_such_subteam');
  });
});

describe('surfaces and validation', () => {
  test('views.open / push / update / publish answer with a view id', async () => {
    const c = client();
    const modal = {
      type: 'modal' as const,
      callback_id: 'cb',
      title: { type: 'plain_text' as const, text: 'Hi' },
      blocks: [section('x')],
    };
    const opened = await c.views.open({ trigger_id: '1.2.3', view: modal });
    assert.match(String(opened.view?.id), /^V/);
    assert.equal(opened.view?.callback_id, 'cb');
    const pushed = await c.views.push({ trigger_id: '1.2.3', view: modal });
    assert.notEqual(pushed.view?.id, opened.view?.id);
    const updated = await c.views.update({ view_id: String(opened.view?.id), view: modal });
    assert.equal(updated.view?.id, opened.view?.id);
    const pub = await c.views.publish({ user_id: 'U1', view: { type: 'home', blocks: [section('home')] } });
    assert.equal(pub.view?.type, 'home');
    assert.deepEqual(fake.callsTo('views.publish')[0].args.view.blocks, [section('home')]);
    assert.deepEqual(fake.invalid, []);
  });

  test('invalid views → invalid_arguments and recorded in invalid', async () => {
    const view = {
      type: 'modal' as const,
      title: { type: 'plain_text' as const, text: 'x'.repeat(30) },
      blocks: [{ type: 'input', label: { type: 'plain_text', text: 'L' }, element: { type: 'plain_text_input', action_id: 'a' } }],
    };
    await assert.rejects(client().views.open({ trigger_id: '1.2.3', view: view as any }), (e: any) => {
      assert.equal(e.data.error, 'invalid_arguments');
      return true;
    });
    assert.equal(fake.invalid.length, 1);
    assert.equal(fake.invalid[0].method, 'views.open');
    assert.deepEqual(fake.invalid[0].errors, ['title.text: 30 chars > 24', 'submit: must define submit to use input blocks']);
  });

  test('invalid messages → invalid_blocks, including missing fallback text and broadcasts', async () => {
    const c = client();
    await assert.rejects(c.chat.postMessage({ channel: 'C1', blocks: [section('hi')] }), (e: any) => e.data.error === 'invalid_blocks');
    await assert.rejects(
      c.chat.update({ channel: 'C1', ts: '1.1', text: 'x', blocks: [section('<!here> hi')] }),
      (e: any) => e.data.error === 'invalid_blocks',
    );
    await assert.rejects(
      c.chat.scheduleMessage({ channel: 'C1', post_at: 9e9, text: 'x'.repeat(40001) }),
      (e: any) => e.data.error === 'invalid_blocks',
    );
    assert.deepEqual(
      fake.invalid.map((i) => [i.method, i.errors[0].split(':')[0]]),
      [
        ['chat.postMessage', 'text'],
        ['chat.update', 'blocks[0].text.text'],
        ['chat.scheduleMessage', 'text'],
      ],
    );
  });

  test('response_url posts are recorded, validated, and can fail', async () => {
    const url = fake.responseUrl('cmd-1');
    assert.equal(url, `${fake.baseUrl}/response/cmd-1`);
    const post = (body: unknown) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

    const r = await post({ text: 'done', response_type: 'ephemeral', replace_original: true });
    assert.equal(r.status, 200);
    assert.equal(await r.text(), 'ok');
    const call = await fake.waitFor('response_url');
    assert.deepEqual(call.args, { text: 'done', response_type: 'ephemeral', replace_original: true, _key: 'cmd-1' });

    await post({ delete_original: true });
    assert.equal(fake.invalid.length, 0);
    await post({ blocks: [section('no fallback')] });
    assert.equal(fake.invalid.length, 1);
    assert.equal(fake.invalid[0].method, 'response_url');

    fake.failNext('response_url', { status: 404 });
    assert.equal((await post({ text: 'late' })).status, 404);
    assert.equal((await post({ text: 'later' })).status, 200);
    const [first, second] = [fake.responseUrl(), fake.responseUrl()];
    assert.notEqual(first, second, 'random keys');
  });
});

describe('files', () => {
  test('filesUploadV2 end to end stores the uploaded content', async () => {
    const c = client();
    const res: any = await c.filesUploadV2({
      channel_id: 'C1',
      file: Buffer.from('a,b\n'),
      filename: 'x.csv',
      initial_comment: 'report',
    });
    assert.equal(res.ok, true);
    const [get] = fake.callsTo('files.getUploadURLExternal');
    assert.equal(get.args.filename, 'x.csv');
    assert.equal(get.args.length, '4');
    const fileId = get.response.file_id as string;
    assert.deepEqual(fake.uploads.get(fileId), { filename: 'x.csv', content: 'a,b\n' });
    const [done] = fake.callsTo('files.completeUploadExternal');
    assert.equal(done.args.channel_id, 'C1');
    assert.equal(done.args.initial_comment, 'report');
    assert.deepEqual(done.args.files, [{ id: fileId, title: 'x.csv' }]);
    assert.equal(res.files[0].files[0].id, fileId);
    assert.deepEqual(
      fake.calls.map((x) => x.method),
      ['files.getUploadURLExternal', 'upload', 'files.completeUploadExternal'],
    );
  });

  test('raw upload bodies and unknown upload ids', async () => {
    const { upload_url, file_id } = await client().files.getUploadURLExternal({ filename: 'r.txt', length: 5 });
    const up = await fetch(String(upload_url), { method: 'POST', body: 'hello' });
    assert.equal(up.status, 200);
    assert.deepEqual(fake.uploads.get(String(file_id)), { filename: 'r.txt', content: 'hello' });
    assert.equal((await fetch(`${fake.baseUrl}/upload/FNOPE`, { method: 'POST', body: 'x' })).status, 404);
    await assert.rejects(
      client().files.completeUploadExternal({ files: [{ id: 'FNOPE' }] }),
      (e: any) => e.data.error === 'file_not_found',
    );
  });
});
