/**
 * The one error path (listeners/errors.ts, lib/errors.ts): a refusal thrown by a handler becomes the
 * user's ephemeral answer and one info log line; a button without a response_url (the Home tab) is
 * answered in the app's DM instead of failing on a missing `respond`; an unexpected failure in a
 * command gets the apology in the ack and one error line naming the listener.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UNEXPECTED } from '../../src/blocks/common.js';
import { ActionId } from '../../src/blocks/ids.js';
import { ErrorCode } from '../../src/lib/errors.js';
import { allText, ME, TEAM } from '../e2e/support.js';
import { harnessPerTest } from '../kit/harness.js';

const harness = harnessPerTest();

describe('the one error path', () => {
  it('answers a button that has no response_url in the DM, with the refusal and an example', async () => {
    const h = await harness();
    const res = await h.action({ actionId: ActionId.contactUndo, value: '4242', userId: ME, teamId: TEAM, responseUrl: null, view: {} });
    assert.equal(res.status, 200);
    await h.settle();
    assert.equal(h.fake.callsTo('response_url').length, 0, 'nothing was sent to a response_url that does not exist');
    const dm = h.fake.callsTo('chat.postMessage').find((c) => c.args.channel === ME);
    assert.ok(dm, 'the refusal went to the DM');
    assert.match(allText(dm.args), /already gone/);
    assert.match(allText(dm.args), /Try: `\/contact list`/);
    const lines = h.logs.filter((l) => l.code === ErrorCode.UserInput);
    assert.equal(lines.length, 1, 'one log line');
    assert.equal(lines[0].level, 30, 'a refusal is logged at info, not as an error');
    assert.equal(lines[0].listener, ActionId.contactUndo);
  });

  it('answers an unexpected failure in a command with the apology in the ack and one error line', async () => {
    const h = await harness();
    h.ctx.services.contacts.listRecent = () => {
      throw new Error('boom');
    };
    const res = await h.command('/contact', 'list');
    assert.equal(res.status, 200);
    assert.equal(res.json.response_type, 'ephemeral');
    assert.equal(res.json.text, UNEXPECTED);
    const lines = h.logs.filter((l) => l.code === ErrorCode.Unexpected);
    assert.equal(lines.length, 1, 'one log line');
    assert.equal(lines[0].level, 50);
    assert.equal(lines[0].listener, '/contact');
    assert.match(String((lines[0].err as { message?: string }).message), /boom/);
  });
});
