/**
 * `/contact` end to end: one-liner, time zones, ack latency, modal opening, buttons (Edit, Undo,
 * Delete), `list`, `help`, bad input and escaping. Everything goes through signed HTTP requests to
 * the real app; assertions read the HTTP answer, the fake Slack's calls and the database.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ActionId, ContactField, INPUT_ACTION, ViewId } from '../../src/blocks/ids.js';
import { validateMessage } from '../kit/block-kit.js';
import { harnessPerTest } from '../kit/harness.js';
import {
  ackMessage,
  allText,
  assertBadInputReply,
  assertNoStrayControls,
  assertSurfacesValid,
  buttonValues,
  contactCount,
  contactRows,
  lastResponse,
  loneSurrogates,
  ME,
  managerCount,
  OTHER,
  TEAM,
} from './support.js';

const harness = harnessPerTest();

const ONE_LINER = 'Acme Corp with Dana Lee (CFO) via video 30m yesterday: wants ROI proof';

describe('/contact one-liner', () => {
  it('stores the conversation, enrols the author and confirms with week, streak, Edit and Undo', async () => {
    const h = await harness();
    assert.equal(await h.ctx.repos.managers.findManager(TEAM, ME), undefined);

    const r = await h.command('/contact', ONE_LINER);
    const m = ackMessage(r);
    const text = allText(m);
    assert.match(text, /\*Acme Corp\*/);
    assert.match(text, /with Dana Lee \(CFO\)/);
    assert.match(text, /video/);
    assert.match(text, /30 min/);
    assert.match(text, /yesterday \(Wed 25 Nov\)/);
    assert.match(text, /> wants ROI proof/);
    assert.match(text, /This week: \*1 of 3\*/);
    assert.match(text, /Streak: \*0 weeks\*/);

    const rows = await contactRows(h);
    assert.equal(rows.length, 1);
    const row = rows[0];
    assert.deepEqual(
      {
        team_id: row.team_id,
        user_id: row.user_id,
        account: row.account,
        buyer: row.buyer,
        kind: row.kind,
        duration_min: row.duration_min,
        occurred_on: row.occurred_on,
        week_start: row.week_start,
        insight: row.insight,
      },
      {
        team_id: TEAM,
        user_id: ME,
        account: 'Acme Corp',
        buyer: 'Dana Lee (CFO)',
        kind: 'video',
        duration_min: 30,
        occurred_on: '2026-11-25',
        week_start: '2026-11-23',
        insight: 'wants ROI proof',
      },
    );
    assert.deepEqual(buttonValues(m, ActionId.contactEdit), [String(row.id)]);
    assert.deepEqual(buttonValues(m, ActionId.contactUndo), [String(row.id)]);

    const manager = await h.ctx.repos.managers.findManager(TEAM, ME);
    assert.ok(manager?.active, 'the author is enrolled as an active manager');
    assert.match(text, /Welcome to Gemba/);

    // A second one counts up and no longer welcomes.
    const second = ackMessage(await h.command('/contact', 'Initech'));
    assert.match(allText(second), /This week: \*2 of 3\*/);
    assert.doesNotMatch(allText(second), /Welcome to Gemba/);
    assert.equal(await managerCount(h), 1);

    // The third reaches the target.
    assert.match(allText(ackMessage(await h.command('/contact', 'Globex'))), /This week: \*3 of 3\* :tada:/);
    await h.settle();
    assertSurfacesValid(h);
  });

  it("resolves 'today' in the manager's cached time zone, not UTC", async () => {
    // 15:00 UTC on Thu 26 Nov is 04:00 on Fri 27 Nov in Auckland (NZDT, UTC+13).
    const h = await harness({ now: '2026-11-26T15:00:00Z' });
    h.fake.setUser(ME, { tz: 'Pacific/Auckland' });

    // First contact: no profile cached yet, so the team time zone (UTC) decides.
    ackMessage(await h.command('/contact', 'Warmup Ltd'));
    await h.settle();
    assert.equal(h.fake.callsTo('users.info').length, 1, 'the profile is looked up after the ack');
    assert.equal((await h.ctx.services.profiles.cached(TEAM, ME))?.tz, 'Pacific/Auckland');

    const today = ackMessage(await h.command('/contact', 'Acme Corp'));
    assert.match(allText(today), /today \(Fri 27 Nov\)/);
    const yesterday = ackMessage(await h.command('/contact', 'Beta Inc yesterday'));
    assert.match(allText(yesterday), /yesterday \(Thu 26 Nov\)/);
    // 2026-11-27 is not in the future for an Auckland manager.
    ackMessage(await h.command('/contact', 'Gamma on 2026-11-27'));

    const byAccount = Object.fromEntries((await contactRows(h)).map((r) => [r.account, r.occurred_on]));
    assert.deepEqual(byAccount, {
      'Warmup Ltd': '2026-11-26',
      'Acme Corp': '2026-11-27',
      'Beta Inc': '2026-11-26',
      Gamma: '2026-11-27',
    });
    // The cached profile is fresh: no further look-ups.
    await h.settle();
    assert.equal(h.fake.callsTo('users.info').length, 1);
    assertSurfacesValid(h);
  });

  it('acknowledges without waiting on Slack; the users.info look-up happens afterwards', async () => {
    const h = await harness({ processBeforeResponse: false });
    h.fake.delayMs = 1500;
    const r = await h.command('/contact', 'Acme');
    const answeredAt = Date.now();
    ackMessage(r);
    assert.ok(r.ms < 1000, `ack took ${Math.round(r.ms)} ms; it must not wait on Slack`);
    assert.equal(await contactCount(h), 1, 'the row is committed before the ack');
    assert.equal((await contactRows(h))[0].account, 'Acme');

    const lookup = await h.fake.waitFor('users.info', (c) => c.args.user === ME, 4000);
    assert.ok(lookup.at >= answeredAt, 'users.info answered after the ack was sent');
    await h.settle();
    assert.ok(await h.ctx.services.profiles.cached(TEAM, ME), 'the profile is cached afterwards');
    assertSurfacesValid(h);
  });
});

describe('/contact with no text', () => {
  it('answers an empty 200 and opens the modal with the trigger_id', async () => {
    const h = await harness();
    const triggerId = '1234.5678.abcdef';
    const r = await h.command('/contact', '', { triggerId, channelId: 'C0042' });
    assert.equal(r.status, 200);
    assert.equal(r.text, '', 'the ack is empty');
    const open = await h.fake.waitFor('views.open');
    assert.equal(open.args.trigger_id, triggerId);
    assert.equal(open.args.view.type, 'modal');
    assert.equal(open.args.view.callback_id, ViewId.contactModal);
    assert.deepEqual(JSON.parse(open.args.view.private_metadata), { channelId: 'C0042' });
    const blockIds = open.args.view.blocks.map((b: any) => b.block_id);
    assert.deepEqual(blockIds, Object.values(ContactField));
    const date = open.args.view.blocks.find((b: any) => b.block_id === ContactField.date);
    assert.equal(date.element.initial_date, '2026-11-26');
    assert.equal(date.element.action_id, INPUT_ACTION);
    assert.equal(await contactCount(h), 0);
    await h.settle();
    assertSurfacesValid(h);
  });
});

describe('/contact buttons', () => {
  it('Edit opens the modal prefilled; submitting it updates the same row', async () => {
    const h = await harness();
    ackMessage(await h.command('/contact', ONE_LINER, { channelId: 'C0042' }));
    const [row] = await contactRows(h);

    const r = await h.action({ actionId: ActionId.contactEdit, value: String(row.id), channelId: 'C0042' });
    assert.equal(r.status, 200);
    const open = await h.fake.waitFor('views.open');
    const view = open.args.view;
    assert.equal(view.callback_id, ViewId.contactModal);
    assert.deepEqual(JSON.parse(view.private_metadata), { contactId: row.id, channelId: 'C0042' });
    const el = (id: string) => view.blocks.find((b: any) => b.block_id === id).element;
    assert.equal(el(ContactField.account).initial_value, 'Acme Corp');
    assert.equal(el(ContactField.buyer).initial_value, 'Dana Lee (CFO)');
    assert.equal(el(ContactField.kind).initial_option.value, 'video');
    assert.equal(el(ContactField.date).initial_date, '2026-11-25');
    assert.equal(el(ContactField.duration).initial_value, '30m');
    assert.equal(el(ContactField.insight).initial_value, 'wants ROI proof');

    const values = {
      [ContactField.account]: { [INPUT_ACTION]: { type: 'plain_text_input', value: 'Acme Corporation' } },
      [ContactField.buyer]: { [INPUT_ACTION]: { type: 'plain_text_input', value: 'Dana Lee (CFO)' } },
      [ContactField.kind]: {
        [INPUT_ACTION]: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'Meeting' }, value: 'meeting' } },
      },
      [ContactField.date]: { [INPUT_ACTION]: { type: 'datepicker', selected_date: '2026-11-24' } },
      [ContactField.duration]: { [INPUT_ACTION]: { type: 'plain_text_input', value: '1h' } },
      [ContactField.insight]: { [INPUT_ACTION]: { type: 'plain_text_input', value: 'ROI proof, then renewal' } },
    };
    const s = await h.submit({ callbackId: ViewId.contactModal, values, privateMetadata: view.private_metadata });
    assert.equal(s.status, 200);
    assert.equal(s.text, '', 'a valid submission closes the modal');
    await h.settle();

    const rows = await contactRows(h);
    assert.equal(rows.length, 1, 'edited in place, not added');
    assert.equal(rows[0].id, row.id);
    assert.equal(rows[0].account, 'Acme Corporation');
    assert.equal(rows[0].kind, 'meeting');
    assert.equal(rows[0].occurred_on, '2026-11-24');
    assert.equal(rows[0].duration_min, 60);
    assert.equal(rows[0].insight, 'ROI proof, then renewal');
    const confirm = h.fake.callsTo('chat.postEphemeral')[0];
    assert.equal(confirm.args.channel, 'C0042');
    assert.match(allText(confirm.args), /Updated: \*Acme Corporation\*/);
    assertSurfacesValid(h);
  });

  it('Undo deletes the row and replaces the confirmation; a second Undo says it is already gone', async () => {
    const h = await harness();
    ackMessage(await h.command('/contact', ONE_LINER));
    const [row] = await contactRows(h);

    const r = await h.action({ actionId: ActionId.contactUndo, value: String(row.id) });
    assert.equal(r.status, 200);
    assert.equal(await contactCount(h), 0);
    const undone = lastResponse(h);
    assert.equal(undone.args.replace_original, true);
    assert.match(allText(undone.args), /Removed: \*Acme Corp\*/);
    assert.deepEqual(validateMessage(undone.args), []);

    await h.action({ actionId: ActionId.contactUndo, value: String(row.id) });
    const again = lastResponse(h);
    assert.notEqual(again, undone);
    assert.equal(again.args.replace_original, false, 'the refusal does not wipe the message');
    assert.match(allText(again.args), /already gone/);
    assert.match(allText(again.args), /Try: `\/contact list`/);
    assertNoStrayControls(again.args);
    assertSurfacesValid(h);
  });

  it("refuses Undo, Delete and Edit of someone else's conversation and leaves it intact", async () => {
    const h = await harness();
    ackMessage(await h.command('/contact', ONE_LINER));
    const [row] = await contactRows(h);

    for (const actionId of [ActionId.contactUndo, ActionId.contactDelete, ActionId.contactEdit]) {
      const before = h.fake.callsTo('response_url').length;
      const r = await h.action({ actionId, value: String(row.id), userId: OTHER });
      assert.equal(r.status, 200);
      assert.equal(h.fake.callsTo('response_url').length, before + 1, `${actionId} answers the clicker`);
      const reply = lastResponse(h);
      assert.match(allText(reply.args), /belongs to someone else/);
      assert.notEqual(reply.args.replace_original, true);
      assert.doesNotMatch(allText(reply.args), /Acme|Dana|ROI/, "the refusal shows nothing of the other person's data");
    }
    assert.equal(h.fake.callsTo('views.open').length, 0);
    assert.deepEqual(await contactRows(h), [row], 'row intact');
    assertSurfacesValid(h);
  });

  it('ignores a tampered button value', async () => {
    const h = await harness();
    ackMessage(await h.command('/contact', 'Acme'));
    await h.action({ actionId: ActionId.contactUndo, value: '1 OR 1=1' });
    assert.match(allText(lastResponse(h).args), /already gone/);
    assert.equal(await contactCount(h), 1);
    await h.settle();
    assertSurfacesValid(h);
  });
});

describe('/contact list', () => {
  it('shows the last 10, newest first, each with a Delete button; Delete removes and redraws', async () => {
    const h = await harness();
    // 12 conversations on 12 different days, logged oldest first (Account 01 = 12 days ago).
    for (let i = 1; i <= 12; i++) {
      const day = String(26 - (13 - i)).padStart(2, '0');
      ackMessage(await h.command('/contact', `Account ${String(i).padStart(2, '0')} on 2026-11-${day}`));
    }
    assert.equal(await contactCount(h), 12);

    const list = ackMessage(await h.command('/contact', 'list'));
    const rows = await contactRows(h);
    const expectedIds = rows
      .map((r) => String(r.id))
      .reverse()
      .slice(0, 10);
    assert.deepEqual(buttonValues(list, ActionId.contactDelete), expectedIds, 'exactly the 10 newest, newest first');
    const text = allText(list);
    assert.ok(text.indexOf('Account 12') < text.indexOf('Account 03'), 'newest first');
    assert.doesNotMatch(text, /Account 0[12]\*/, 'the two oldest are not listed');

    // Delete the newest: it goes, and the list is redrawn in place with the next one pulled in.
    const newest = rows[11];
    const r = await h.action({ actionId: ActionId.contactDelete, value: String(newest.id) });
    assert.equal(r.status, 200);
    assert.equal(await contactCount(h), 11);
    assert.equal(await h.ctx.repos.contacts.findContact(TEAM, newest.id), undefined);
    const redrawn = lastResponse(h);
    assert.equal(redrawn.args.replace_original, true);
    assert.deepEqual(
      buttonValues(redrawn.args, ActionId.contactDelete),
      rows
        .map((x) => String(x.id))
        .reverse()
        .slice(1, 11),
    );
    assert.doesNotMatch(allText(redrawn.args), /Account 12/);
    assert.match(allText(redrawn.args), /Account 02/);
    assertSurfacesValid(h);
  });

  it('deleting the last conversation replaces the list instead of leaving a stale one', async () => {
    const h = await harness();
    ackMessage(await h.command('/contact', 'Acme'));
    const [row] = await contactRows(h);
    await h.action({ actionId: ActionId.contactDelete, value: String(row.id) });
    assert.equal(await contactCount(h), 0);
    const reply = lastResponse(h);
    assert.equal(reply.args.replace_original, true, 'the stale list (with its Delete button) must go');
    assert.match(allText(reply.args), /haven't logged any conversations/);
    assertSurfacesValid(h);
  });

  it('with nothing logged says so and shows how to start', async () => {
    const h = await harness();
    const m = ackMessage(await h.command('/contact', 'list'));
    assert.match(allText(m), /haven't logged any/);
    assert.match(allText(m), /Try: `\/contact /);
    assert.equal(await managerCount(h), 0, 'listing does not enrol anyone');
  });
});

describe('/contact help', () => {
  it('explains the grammar with examples and stores nothing', async () => {
    const h = await harness();
    const m = ackMessage(await h.command('/contact', 'help'));
    const text = allText(m);
    assert.match(text, /\/contact &lt;account&gt; \[with &lt;buyer&gt;\]/);
    assert.match(text, /Examples/);
    assert.match(text, /`\/contact Acme Corp`/);
    assert.match(text, /`\/contact Acme Corp with Dana Lee \(CFO\) via video 30m yesterday: wants ROI proof`/);
    assert.match(text, /`\/contact Initech on 2026-11-20`/);
    assert.match(text, /\/contact list/);
    assert.equal(await contactCount(h), 0);
    assert.equal(await managerCount(h), 0);
  });
});

describe('/contact bad input', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['empty account before the colon', ': insight only', /couldn't find an account name/],
    ['account of 121 characters', 'A'.repeat(121), /Account is 121 characters; the limit is 120/],
    ['unknown kind', 'Acme Corp via zoom', /"zoom" isn't a kind I know/],
    ['zero minutes', 'Acme Corp 0m', /between 1 and 600 minutes \(you gave 0m\)/],
    ['601 minutes', 'Acme Corp 601m', /between 1 and 600 minutes \(you gave 601m\)/],
    ['a future date', 'Acme Corp on 2026-11-27', /in the future/],
    ['31 days back', 'Acme Corp on 2026-10-26', /more than 30 days back/],
    ['an impossible date', 'Acme Corp on 2026-02-30', /2026-02-30 doesn't exist/],
    ['an insight of 2001 characters', `Acme Corp: ${'x'.repeat(2001)}`, /insight is 2001 characters; the limit is 2000/],
    ['a stray word after the options', 'Acme Corp via video Corp', /didn't understand "Corp"/],
    ['a date where the account goes', 'yesterday with Dana Lee', /couldn't find an account name: "yesterday" reads as the date/],
    ['"on <date>" where the account goes', 'on 2026-11-20', /couldn't find an account name/],
    ['an account of only zero-width characters', '\u200B\u200B: wants ROI proof', /couldn't find an account name/],
    ['a buyer of only zero-width characters', 'Acme Corp with \u200B via video', /Who did you talk to/],
  ];
  for (const [what, text, why] of cases) {
    it(`refuses ${what}, shows a correct example and stores nothing`, async () => {
      const h = await harness();
      const reply = assertBadInputReply(await h.command('/contact', text), why);
      assert.match(reply, /^:warning:/);
      assert.equal(await contactCount(h), 0, 'nothing stored');
      assert.equal(await managerCount(h), 0, 'nobody enrolled');
      await h.settle();
      assert.equal(h.fake.callsTo('users.info').length, 0, 'bad input triggers no Slack look-up');
    });
  }

  it('the example offered after a bad date is itself accepted', async () => {
    const h = await harness();
    const reply = assertBadInputReply(await h.command('/contact', 'Acme Corp on 2026-11-27'));
    const example = /Try: `\/contact ([^`]*)`/.exec(reply)![1];
    ackMessage(await h.command('/contact', example));
    assert.equal(await contactCount(h), 1);
  });

  it("refuses '/contact via video' (no account, only options)", async () => {
    const h = await harness();
    assertBadInputReply(await h.command('/contact', 'via video'), /account/);
    assert.equal(await contactCount(h), 0);
    assert.equal(await managerCount(h), 0);
  });
});

describe('/contact with Slack markup', () => {
  it("splits at the first colon outside Slack's markup: an auto-linked domain is the account, not the start of the insight", async () => {
    const h = await harness();
    // What Slack sends (should_escape) for "/contact acme.io with @bob via video: see the deck", acme.io auto-linked.
    const m = ackMessage(
      await h.command('/contact', '<http://acme.io|acme.io> with <@U0777|bob> via video: see <https://acme.io/deck|the deck>'),
    );
    const [row] = await contactRows(h);
    // Stored as typed, markup included (shown escaped, never live), like any other text.
    assert.deepEqual(
      [row.account, row.buyer, row.kind, row.insight],
      ['<http://acme.io|acme.io>', '<@U0777|bob>', 'video', 'see <https://acme.io/deck|the deck>'],
    );
    assert.match(allText(m), /\*&lt;http:\/\/acme\.io\|acme\.io&gt;\* · with &lt;@U0777\|bob&gt; · video/);
    assertSurfacesValid(h);
  });
});

describe('/contact escaping', () => {
  it('shows user text escaped, never as a live mention, broadcast or link', async () => {
    const h = await harness();
    const r = await h.command('/contact', '<!channel> & Co: <@U123> said <http://evil|click>');
    const m = ackMessage(r);
    const raw = JSON.stringify(m);
    assert.ok(!raw.includes('<!channel>'), 'no live broadcast');
    assert.ok(!raw.includes('<@U123>'), 'no live mention');
    assert.ok(!raw.includes('<http://evil'), 'no live link');
    assert.match(allText(m), /\*&lt;!channel&gt; &amp; Co\*/);
    assert.match(allText(m), /&lt;@U123&gt; said &lt;http:\/\/evil\|click&gt;/);
    assert.match(m.text, /&lt;!channel&gt; &amp; Co/);

    // Stored exactly as typed.
    const [row] = await contactRows(h);
    assert.equal(row.account, '<!channel> & Co');
    assert.equal(row.insight, '<@U123> said <http://evil|click>');

    // Slack's own escaping of & < > in command text is undone once, not twice.
    ackMessage(await h.command('/contact', 'AT&amp;T'));
    assert.equal((await contactRows(h))[1].account, 'AT&T');

    // The list and the Undo reply escape it too.
    const list = ackMessage(await h.command('/contact', 'list'));
    assert.ok(!JSON.stringify(list).includes('<!channel>'));
    await h.action({ actionId: ActionId.contactUndo, value: String(row.id) });
    const undone = lastResponse(h);
    assert.ok(!JSON.stringify(undone.args).includes('<!channel>'));
    assertNoStrayControls(undone.args);
    assertSurfacesValid(h);
  });
});

describe('/contact with characters outside the BMP', () => {
  it('never cuts an emoji in half where a long insight is shortened (confirmation, list, Home)', async () => {
    const h = await harness();
    // 2000 emoji: within the 2000-character limit, 4000 UTF-16 units; the confirmation quotes 1500 of them.
    const r = await h.command('/contact', `Acme: ${'😀'.repeat(2000)}`);
    const m = ackMessage(r);
    assert.equal(await contactCount(h), 1);
    assert.deepEqual(loneSurrogates(m), [], 'the confirmation holds no half emoji');
    assert.deepEqual(loneSurrogates(ackMessage(await h.command('/contact', 'list'))), [], 'nor does the list');
    await h.homeOpened(ME);
    await h.settle();
    for (const c of h.fake.calls) assert.deepEqual(loneSurrogates(c.args), [], `nor ${c.method}`);
    assertSurfacesValid(h);
  });
});
