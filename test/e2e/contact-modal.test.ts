/**
 * The log/edit modal end to end: submissions (keyed by ContactField block ids and INPUT_ACTION),
 * inline errors, the confirmation (ephemeral in the channel, DM as fallback) and the Home refresh.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ActionId, ContactField, INPUT_ACTION, ViewId } from '../../src/blocks/ids.js';
import { type Harness, harnessPerTest } from '../kit/harness.js';
import { datePicker, plainInput, staticSelect } from '../kit/payloads.js';
import {
  allText,
  assertNoStrayControls,
  assertSurfacesValid,
  contactCount,
  contactRows,
  loneSurrogates,
  ME,
  managerCount,
  OTHER,
  TEAM,
} from './support.js';

const harness = harnessPerTest();

interface Form {
  account?: string | null;
  buyer?: string | null;
  kind?: string | null;
  date?: string | null;
  duration?: string | null;
  insight?: string | null;
}

/** `view.state.values` as Slack sends it for the contact modal. */
function values(f: Form): Record<string, Record<string, any>> {
  return {
    [ContactField.account]: { [INPUT_ACTION]: plainInput(f.account ?? null) },
    [ContactField.buyer]: { [INPUT_ACTION]: plainInput(f.buyer ?? null) },
    [ContactField.kind]: { [INPUT_ACTION]: staticSelect(f.kind ?? 'call') },
    [ContactField.date]: { [INPUT_ACTION]: datePicker(f.date === undefined ? '2026-11-26' : f.date) },
    [ContactField.duration]: { [INPUT_ACTION]: plainInput(f.duration ?? null) },
    [ContactField.insight]: { [INPUT_ACTION]: plainInput(f.insight ?? null) },
  };
}

const submit = (h: Harness, f: Form, meta: object = { channelId: 'C0042' }, userId = ME) =>
  h.submit({ callbackId: ViewId.contactModal, values: values(f), privateMetadata: JSON.stringify(meta), userId });

describe('contact modal: valid submission', () => {
  it('stores the conversation, confirms ephemerally in the channel it came from and republishes Home', async () => {
    const h = await harness();
    const r = await submit(h, {
      account: 'Acme Corp',
      buyer: 'Dana Lee (CFO)',
      kind: 'visit',
      date: '2026-11-24',
      duration: '45',
      insight: 'Wants ROI proof\nbefore renewal',
    });
    assert.equal(r.status, 200);
    assert.equal(r.text, '', 'an empty ack closes the modal');

    const rows = await contactRows(h);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].user_id, ME);
    assert.equal(rows[0].account, 'Acme Corp');
    assert.equal(rows[0].buyer, 'Dana Lee (CFO)');
    assert.equal(rows[0].kind, 'visit');
    assert.equal(rows[0].occurred_on, '2026-11-24');
    assert.equal(rows[0].duration_min, 45, 'a bare number is minutes');
    assert.equal(rows[0].insight, 'Wants ROI proof\nbefore renewal');
    assert.ok((await h.ctx.repos.managers.findManager(TEAM, ME))?.active, 'the author is enrolled');

    await h.settle();
    const eph = h.fake.callsTo('chat.postEphemeral');
    assert.equal(eph.length, 1);
    assert.equal(eph[0].args.channel, 'C0042');
    assert.equal(eph[0].args.user, ME);
    const text = allText(eph[0].args);
    assert.match(text, /Logged: \*Acme Corp\* · with Dana Lee \(CFO\) · visit · 45 min · Tue 24 Nov/);
    assert.match(text, /This week: \*1 of 3\*/);
    assert.match(text, /Streak: \*0 weeks\*/);
    assert.deepEqual(
      eph[0].args.blocks
        .flatMap((b: any) => b.elements ?? [])
        .filter((e: any) => e.type === 'button')
        .map((e: any) => [e.action_id, e.value]),
      [
        [ActionId.contactEdit, String(rows[0].id)],
        [ActionId.contactUndo, String(rows[0].id)],
      ],
    );
    assertNoStrayControls(eph[0].args);
    assert.equal(h.fake.callsTo('chat.postMessage').length, 0, 'no DM when the ephemeral worked');

    const home = h.fake.callsTo('views.publish');
    assert.equal(home.length, 1, 'Home republished');
    assert.equal(home[0].args.user_id, ME);
    assert.match(allText(home[0].args.view), /\*Acme Corp\*/);
    assertSurfacesValid(h);
  });

  it('falls back to a DM when the ephemeral cannot be posted', async () => {
    const h = await harness();
    h.fake.failNext('chat.postEphemeral', { error: 'channel_not_found' });
    const r = await submit(h, { account: 'Acme Corp' });
    assert.equal(r.status, 200);
    await h.settle();
    assert.equal(await contactCount(h), 1);
    assert.equal(h.fake.callsTo('chat.postEphemeral').length, 1);
    const dm = h.fake.callsTo('chat.postMessage');
    assert.equal(dm.length, 1, 'confirmation sent by DM instead');
    assert.equal(dm[0].args.channel, ME);
    assert.match(allText(dm[0].args), /Logged: \*Acme Corp\*/);
    assert.equal(h.fake.callsTo('views.publish').length, 1);
    assertSurfacesValid(h);
  });

  it('confirms by DM when the form came from the Home tab (no channel)', async () => {
    const h = await harness();
    await submit(h, { account: 'Acme Corp' }, {});
    await h.settle();
    assert.equal(h.fake.callsTo('chat.postEphemeral').length, 0);
    assert.equal(h.fake.callsTo('chat.postMessage')[0]?.args.channel, ME);
    assertSurfacesValid(h);
  });

  it('escapes user text in the confirmation', async () => {
    const h = await harness();
    await submit(h, { account: '<!here> & Co', insight: '<@U123> <http://evil|click>' });
    await h.settle();
    const eph = h.fake.callsTo('chat.postEphemeral')[0];
    const raw = JSON.stringify(eph.args);
    assert.ok(!raw.includes('<!here>') && !raw.includes('<@U123>') && !raw.includes('<http'), raw);
    assert.match(allText(eph.args), /&lt;!here&gt; &amp; Co/);
    assertSurfacesValid(h);
  });
});

describe('contact modal: inline errors', () => {
  const cases: Array<[string, Form, string, RegExp]> = [
    ['no account', { account: null }, ContactField.account, /account/i],
    ['a blank account', { account: '   ' }, ContactField.account, /account/i],
    ['an account of only zero-width characters', { account: '\u200B\u200C\uFEFF' }, ContactField.account, /account/i],
    ['a buyer of only zero-width characters', { account: 'Acme', buyer: '\u200B' }, ContactField.buyer, /Who did you talk to/],
    ['an account of 121 characters', { account: 'A'.repeat(121) }, ContactField.account, /121 characters/],
    ['a future date', { account: 'Acme', date: '2026-11-27' }, ContactField.date, /future/],
    ['a date 31 days back', { account: 'Acme', date: '2026-10-26' }, ContactField.date, /30 days/],
    ['a duration that is not one', { account: 'Acme', duration: 'half an hour' }, ContactField.duration, /isn't a duration/],
    ['a duration of 0', { account: 'Acme', duration: '0' }, ContactField.duration, /between 1 and 600/],
    ['a duration over 600 minutes', { account: 'Acme', duration: '11h' }, ContactField.duration, /between 1 and 600/],
    ['an unknown kind', { account: 'Acme', kind: 'zoom' }, ContactField.kind, /kind/],
    ['an insight of 2001 characters', { account: 'Acme', insight: 'x'.repeat(2001) }, ContactField.insight, /2001 characters/],
  ];
  for (const [what, form, field, why] of cases) {
    it(`shows ${what} on the ${field} block and stores nothing`, async () => {
      const h = await harness();
      const r = await submit(h, form);
      assert.equal(r.status, 200);
      assert.equal(r.json?.response_action, 'errors');
      assert.deepEqual(Object.keys(r.json.errors), [field]);
      assert.match(r.json.errors[field], why);
      assert.ok(r.json.errors[field].length <= 2000);
      assert.equal(await contactCount(h), 0);
      assert.equal(await managerCount(h), 0);
      await h.settle();
      assert.equal(h.fake.calls.filter((c) => c.method.startsWith('chat.') || c.method === 'views.publish').length, 0);
      assertSurfacesValid(h);
    });
  }

  it('reads a text field whose value is not a string (a forged payload) as empty: inline errors, no failure, nothing stored', async () => {
    const h = await harness();
    const forged = { ...values({ account: 'Acme' }) };
    forged[ContactField.account] = { [INPUT_ACTION]: { type: 'plain_text_input', value: 12345 } };
    forged[ContactField.insight] = { [INPUT_ACTION]: { type: 'plain_text_input', value: { a: 1 } } };
    const r = await h.submit({ callbackId: ViewId.contactModal, values: forged, privateMetadata: '{}' });
    assert.equal(r.status, 200);
    assert.equal(r.json?.response_action, 'errors');
    assert.deepEqual(Object.keys(r.json.errors), [ContactField.account]);
    assert.equal(await contactCount(h), 0);
    await h.settle();
    assert.deepEqual(
      h.logs.filter((l) => Number(l.level) >= 50),
      [],
      'no error logged',
    );
  });

  it('quotes a bad duration without cutting an emoji in half', async () => {
    const h = await harness();
    const r = await submit(h, { account: 'Acme', duration: `a${'😀'.repeat(20)}` });
    assert.match(r.json.errors[ContactField.duration], /isn't a duration/);
    assert.deepEqual(loneSurrogates(r.json), []);
  });

  it('shows every field that is wrong at once, not one per submission', async () => {
    const h = await harness();
    const r = await submit(h, { account: null, duration: 'half an hour', date: '2026-11-27', insight: 'x'.repeat(2001) });
    assert.equal(r.json?.response_action, 'errors');
    assert.deepEqual(
      Object.keys(r.json.errors).sort(),
      [ContactField.account, ContactField.date, ContactField.duration, ContactField.insight].sort(),
    );
    assert.match(r.json.errors[ContactField.duration], /isn't a duration/);
    assert.match(r.json.errors[ContactField.date], /future/);
    assert.equal(await contactCount(h), 0);
  });
});

describe('contact modal: editing', () => {
  it("refuses to save over someone else's conversation", async () => {
    const h = await harness();
    await submit(h, { account: 'Acme Corp' });
    const [row] = await contactRows(h);
    const r = await submit(h, { account: 'Hijacked' }, { contactId: row.id }, OTHER);
    assert.equal(r.json?.response_action, 'errors');
    assert.match(r.json.errors[ContactField.account], /only edit your own/);
    assert.deepEqual(await contactRows(h), [row]);
    assert.equal(await h.ctx.repos.managers.findManager(TEAM, OTHER), undefined);
    await h.settle();
    assertSurfacesValid(h);
  });

  it('says so when the conversation was deleted while the form was open', async () => {
    const h = await harness();
    await submit(h, { account: 'Acme Corp' });
    const [row] = await contactRows(h);
    await h.action({ actionId: ActionId.contactUndo, value: String(row.id) });
    const r = await submit(h, { account: 'Acme Corp' }, { contactId: row.id });
    assert.equal(r.json?.response_action, 'errors');
    assert.match(r.json.errors[ContactField.account], /deleted/);
    assert.equal(await contactCount(h), 0, 'not silently re-created');
    await h.settle();
    assertSurfacesValid(h);
  });

  it('saves an edit of a conversation now more than 30 days old when its date is kept, but refuses moving it there', async () => {
    const h = await harness();
    await submit(h, { account: 'Acme Corp', date: '2026-11-20', insight: 'wants ROI proff' });
    const [row] = await contactRows(h);
    // Five weeks later the manager finds the typo and presses Edit on the old confirmation.
    h.clock.set(Date.parse('2026-12-24T12:00:00Z'));
    const edit = { contactId: row.id, channelId: 'C0042' };
    const kept = await submit(h, { account: 'Acme Corp', date: '2026-11-20', insight: 'wants ROI proof' }, edit);
    assert.equal(kept.status, 200);
    assert.equal(kept.text, '', 'the form closes: the date it was opened with is still the date');
    const [saved] = await contactRows(h);
    assert.equal(saved.insight, 'wants ROI proof');
    assert.equal(saved.occurred_on, '2026-11-20');

    // Moving it to another day more than 30 days back is still refused, and so is a new one there.
    const moved = await submit(h, { account: 'Acme Corp', date: '2026-11-19' }, edit);
    assert.equal(moved.json?.response_action, 'errors');
    assert.match(moved.json.errors[ContactField.date], /30 days/);
    const fresh = await submit(h, { account: 'Initech', date: '2026-11-20' });
    assert.equal(fresh.json?.response_action, 'errors');
    assert.match(fresh.json.errors[ContactField.date], /30 days/);
    // Someone else's form naming this conversation gains nothing from its date.
    const other = await submit(h, { account: 'Hijacked', date: '2026-11-20' }, edit, OTHER);
    assert.equal(other.json?.response_action, 'errors');
    assert.deepEqual(await contactRows(h), [saved]);
    await h.settle();
    assertSurfacesValid(h);
  });
});
