/**
 * The payload factories, checked field by field and then end to end through a real
 * Bolt App (HTTPReceiver) that talks to the fake Slack API.
 */

import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { App, HTTPReceiver } from '@slack/bolt';
import { type FakeSlack, startFakeSlack } from './fake-slack.js';
import { createTestLogger } from './logger.js';
import {
  appHomeOpened,
  blockActions,
  datePicker,
  eventCallback,
  plainInput,
  slashCommand,
  staticSelect,
  urlVerification,
  viewSubmission,
} from './payloads.js';
import { postSigned } from './sign.js';

const form = (body: string): Record<string, string> => Object.fromEntries(new URLSearchParams(body));
const interactivePayload = (body: string): any => JSON.parse(form(body).payload);

describe('factories', () => {
  test('slashCommand has every field Slack sends', () => {
    const p = slashCommand({ command: '/gemba', text: 'log visit & more', responseUrl: 'http://127.0.0.1:9/r' });
    assert.equal(p.contentType, 'application/x-www-form-urlencoded');
    assert.ok(p.body.includes('text=log%20visit%20%26%20more'), 'encodeURIComponent pairs');
    const f = form(p.body);
    assert.deepEqual(Object.keys(f).sort(), [
      'api_app_id',
      'channel_id',
      'channel_name',
      'command',
      'is_enterprise_install',
      'response_url',
      'team_domain',
      'team_id',
      'text',
      'token',
      'trigger_id',
      'user_id',
      'user_name',
    ]);
    assert.equal(f.command, '/gemba');
    assert.equal(f.text, 'log visit & more');
    assert.equal(f.team_id, 'T0001');
    assert.equal(f.user_id, 'U0001');
    assert.equal(f.channel_id, 'C0001');
    assert.equal(f.is_enterprise_install, 'false');
    assert.equal(f.response_url, 'http://127.0.0.1:9/r');
    assert.match(f.trigger_id, /^\d+\.\d+\.[0-9a-f]+$/);
    assert.notEqual(slashCommand({ command: '/g' }).body, slashCommand({ command: '/g' }).body, 'unique trigger ids');
  });

  test('blockActions: message, view and bare variants', () => {
    const m = interactivePayload(
      blockActions({ actionId: 'done', value: '42', channelId: 'C9', messageTs: '1.000100', userId: 'U5' }).body,
    );
    assert.equal(m.type, 'block_actions');
    assert.deepEqual(m.team, { id: 'T0001', domain: 'team-t0001' });
    assert.equal(m.user.id, 'U5');
    assert.equal(m.user.team_id, 'T0001');
    assert.equal(m.actions.length, 1);
    assert.deepEqual(
      { type: m.actions[0].type, action_id: m.actions[0].action_id, value: m.actions[0].value, block_id: m.actions[0].block_id },
      { type: 'button', action_id: 'done', value: '42', block_id: 'b_done' },
    );
    assert.ok(m.actions[0].action_ts && m.actions[0].text);
    assert.deepEqual(m.container, { type: 'message', message_ts: '1.000100', channel_id: 'C9', is_ephemeral: false });
    assert.equal(m.channel.id, 'C9');
    assert.equal(m.message.ts, '1.000100');
    assert.ok(m.trigger_id && m.response_url && m.api_app_id && m.token);

    const v = interactivePayload(blockActions({ actionId: 'open', view: { id: 'VHOME', type: 'home' } }).body);
    assert.deepEqual(v.container, { type: 'view', view_id: 'VHOME' });
    assert.equal(v.view.type, 'home');
    assert.deepEqual(v.state, { values: {} });
    assert.equal(v.channel, undefined);

    const sel = interactivePayload(
      blockActions({ actionId: 'pick', action: { type: 'static_select', selected_option: { value: 'a' } } }).body,
    );
    assert.equal(sel.actions[0].type, 'static_select');
    assert.equal(sel.actions[0].selected_option.value, 'a');
  });

  test('viewSubmission carries state values and view metadata', () => {
    const values = { who: { v: plainInput('Acme') }, kind: { v: staticSelect('call') }, when: { v: datePicker('2024-05-01') } };
    const p = interactivePayload(viewSubmission({ callbackId: 'log_visit', values, privateMetadata: '{"a":1}', viewId: 'V1' }).body);
    assert.equal(p.type, 'view_submission');
    assert.equal(p.view.callback_id, 'log_visit');
    assert.equal(p.view.private_metadata, '{"a":1}');
    assert.deepEqual(p.view.state.values, values);
    assert.equal(p.view.id, 'V1');
    assert.equal(p.view.root_view_id, 'V1');
    assert.equal(p.view.previous_view_id, null);
    assert.equal(p.view.type, 'modal');
    assert.deepEqual(p.response_urls, []);
    assert.deepEqual(staticSelect(null), { type: 'static_select', selected_option: null });
    assert.deepEqual(staticSelect('x').selected_option, { text: { type: 'plain_text', text: 'x' }, value: 'x' });
    assert.deepEqual(plainInput(null), { type: 'plain_text_input', value: null });
    assert.deepEqual(datePicker(null), { type: 'datepicker', selected_date: null });
  });

  test('eventCallback and appHomeOpened envelopes', () => {
    const e = eventCallback({ type: 'foo' }, { teamId: 'T9', eventId: 'Ev1' });
    assert.equal(e.contentType, 'application/json');
    const env = JSON.parse(e.body);
    assert.equal(env.type, 'event_callback');
    assert.equal(env.team_id, 'T9');
    assert.equal(env.event_id, 'Ev1');
    assert.deepEqual(env.event, { type: 'foo' });
    assert.equal(env.authorizations[0].team_id, 'T9');
    assert.equal(env.authorizations[0].user_id, 'UBOT');
    assert.equal(env.authorizations[0].is_bot, true);
    assert.equal(typeof env.event_time, 'number');
    const h = JSON.parse(appHomeOpened('U7').body);
    assert.deepEqual(
      { ...h.event, event_ts: undefined },
      { type: 'app_home_opened', user: 'U7', channel: 'DU7', tab: 'home', event_ts: undefined },
    );
    assert.notEqual(JSON.parse(appHomeOpened('U7').body).event_id, h.event_id);
  });
});

describe('a real Bolt app accepts every factory', () => {
  const SECRET = 'test-signing-secret';
  let fake: FakeSlack;
  let app: App;
  let url: string;
  const logger = createTestLogger();

  before(async () => {
    fake = await startFakeSlack();
    const receiver = new HTTPReceiver({ signingSecret: SECRET, processBeforeResponse: true, logger });
    app = new App({
      receiver,
      token: 'xoxb-test',
      botId: 'BBOT',
      botUserId: 'UBOT',
      logger,
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
    });
    app.command('/gemba', async ({ command, ack, respond, client }) => {
      await ack();
      await respond({ text: `you said ${command.text}` });
      await client.chat.postMessage({ channel: command.user_id, text: 'dm' });
    });
    app.action('open_modal', async ({ ack, body, client }) => {
      await ack();
      await client.views.open({
        trigger_id: (body as { trigger_id: string }).trigger_id,
        view: {
          type: 'modal',
          callback_id: 'log_visit',
          title: { type: 'plain_text', text: 'Log a visit' },
          submit: { type: 'plain_text', text: 'Save' },
          blocks: [
            {
              type: 'input',
              block_id: 'who',
              label: { type: 'plain_text', text: 'Who' },
              element: { type: 'plain_text_input', action_id: 'v' },
            },
          ],
        },
      });
    });
    app.view('log_visit', async ({ ack, view }) => {
      const who = view.state.values.who?.v?.value;
      if (!who) await ack({ response_action: 'errors', errors: { who: 'Required' } });
      else await ack();
    });
    app.event('app_home_opened', async ({ event, client }) => {
      await client.views.publish({
        user_id: event.user,
        view: { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }] },
      });
    });
    const server = await app.start(0);
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    await app.stop();
    await fake.close();
  });

  test('slash command: signed form body is acked, respond() and the client hit the fake', async () => {
    const res = await postSigned(url, {
      secret: SECRET,
      ...slashCommand({ command: '/gemba', text: 'hello there', responseUrl: fake.responseUrl('c1') }),
    });
    assert.equal(res.status, 200);
    assert.equal((await fake.waitFor('response_url')).args.text, 'you said hello there');
    assert.equal((await fake.waitFor('chat.postMessage')).args.channel, 'U0001');
  });

  test('block action opens a modal with the trigger id', async () => {
    const payload = blockActions({ actionId: 'open_modal', triggerId: '111.222.abc', channelId: 'C1' });
    const res = await postSigned(url, { secret: SECRET, ...payload });
    assert.equal(res.status, 200);
    assert.equal((await fake.waitFor('views.open')).args.trigger_id, '111.222.abc');
  });

  test('view submission reaches the view listener and its ack body', async () => {
    const bad = await postSigned(url, {
      secret: SECRET,
      ...viewSubmission({ callbackId: 'log_visit', values: { who: { v: plainInput(null) } } }),
    });
    assert.equal(bad.status, 200);
    assert.deepEqual(bad.json, { response_action: 'errors', errors: { who: 'Required' } });
    const good = await postSigned(url, {
      secret: SECRET,
      ...viewSubmission({ callbackId: 'log_visit', values: { who: { v: plainInput('Acme') } } }),
    });
    assert.equal(good.status, 200);
    assert.equal(good.text, '');
  });

  test('app_home_opened event publishes the home tab', async () => {
    const res = await postSigned(url, { secret: SECRET, ...appHomeOpened('U9') });
    assert.equal(res.status, 200);
    const call = await fake.waitFor('views.publish');
    assert.equal(call.args.user_id, 'U9');
    assert.equal(call.args.view.type, 'home');
  });

  test('url verification echoes the challenge', async () => {
    const res = await postSigned(url, { secret: SECRET, ...urlVerification('chal-1') });
    assert.deepEqual(res.json, { challenge: 'chal-1' });
  });

  test('forged and stale signatures get 401', async () => {
    const cmd = slashCommand({ command: '/gemba' });
    assert.equal((await postSigned(url, { secret: SECRET, ...cmd, signature: `v0=${'0'.repeat(64)}` })).status, 401);
    assert.equal((await postSigned(url, { secret: 'wrong', ...cmd })).status, 401);
    const stale = Math.floor(Date.now() / 1000) - 6 * 60;
    assert.equal((await postSigned(url, { secret: SECRET, ...cmd, timestampSec: stale })).status, 401);
  });

  test('no surface the app sent failed validation', () => {
    assert.deepEqual(fake.invalid, []);
  });
});
