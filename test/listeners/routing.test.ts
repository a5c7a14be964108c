/**
 * Every surface is routed by one Bolt global middleware (listeners/index.ts), not by a Bolt listener
 * per surface: Bolt runs every listener's matchers on every request, which cost the /contact ack
 * ~30 µs (docs/performance.md). These tests keep it that way and show that a route takes only what its
 * table owns, leaving everything else alone (the end-to-end suites show each surface answered).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ActionId, ViewId } from '../../src/blocks/ids.js';
import { route as actionRoute } from '../../src/listeners/actions/index.js';
import { route as commandRoute } from '../../src/listeners/commands/index.js';
import { route as eventRoute } from '../../src/listeners/events/index.js';
import { route as viewRoute } from '../../src/listeners/views/index.js';
import { ackMessage, allText, assertSurfacesValid, lastResponse } from '../e2e/support.js';
import { harnessPerTest } from '../kit/harness.js';

const harness = harnessPerTest();

describe('routing: one global middleware for every surface', () => {
  it('registers no Bolt listener at all, so no request pays for listener matching', async () => {
    const h = await harness();
    // Bolt keeps its listeners in a private field: read it as data, the only way to see what Bolt will run.
    const bolt = h.app as unknown as { listeners: unknown[]; middleware: unknown[] };
    assert.equal(bolt.listeners.length, 0);
    assert.ok(bolt.middleware.length >= 1, 'the router is a global middleware');
  });

  it('a route takes only what its table owns', async () => {
    const h = await harness();
    const commands = commandRoute(h.ctx);
    const actions = actionRoute(h.ctx);
    const views = viewRoute(h.ctx);
    const events = eventRoute(h.ctx);
    // Shaped as Bolt hands them to a global middleware; none of these reaches a handler.
    const unknownCommand = { body: {}, command: { command: '/unknown', text: '' } };
    const select = { body: { type: 'block_actions' }, action: { type: 'static_select', action_id: ActionId.contactUndo } };
    const unknownButton = { body: { type: 'block_actions' }, action: { type: 'button', action_id: 'not_ours' } };
    const closed = { body: { type: 'view_closed' }, view: { callback_id: ViewId.contactModal } };
    const unknownModal = { body: { type: 'view_submission' }, view: { callback_id: 'not_ours' } };
    const message = { body: { type: 'event_callback' }, event: { type: 'message' } };
    for (const args of [unknownCommand, select, unknownButton, closed, unknownModal, message]) {
      const taken = await Promise.all([commands(args), actions(args), views(args), events(args)]);
      assert.deepEqual(taken, [false, false, false, false], JSON.stringify(args));
    }
    assert.equal(await commands(select), false, 'a button is not a command');
    assert.equal(await actions(unknownCommand), false, 'a command is not a button');
  });
});

describe('what no table owns is still answered, at once', () => {
  // Without an answer Bolt waits 3 s, logs an error and sends 404: Slack then shows the person an error.
  it('an unknown slash command gets an ephemeral reply naming it and pointing at help', async () => {
    const h = await harness();
    const r = await h.command('/gemba-old', 'anything');
    const text = allText(ackMessage(r));
    assert.match(text, /\/gemba-old/);
    assert.match(text, /\/gemba help/);
  });

  it('a button no handler knows (a message from an older Gemba) is acknowledged and explained to the person', async () => {
    const h = await harness();
    const r = await h.action({ actionId: 'retired_button', responseUrl: h.fake.responseUrl('old') });
    assert.equal(r.status, 200);
    assert.equal(r.text, '');
    await h.settle();
    const reply = lastResponse(h);
    assert.equal(reply.args._key, 'old');
    assert.equal(reply.args.response_type, 'ephemeral');
    assert.equal(reply.args.replace_original, false, 'the old message stays as it was');
    assert.match(allText(reply.args), /no longer/i);
    assertSurfacesValid(h);
    assert.match(h.logText(), /no handler for .*retired_button/);
  });

  it('such a button on the Home tab (no response_url) is acknowledged, and a modal no handler knows is closed', async () => {
    const h = await harness();
    assert.equal(
      (await h.action({ actionId: 'retired_button', responseUrl: null, view: { type: 'home', callback_id: 'home' } })).status,
      200,
    );
    const submitted = await h.submit({ callbackId: 'retired_modal', values: {} });
    assert.equal(submitted.status, 200);
    assert.equal(submitted.text, '');
  });
});
