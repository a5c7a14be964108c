/**
 * The App Home tab end to end: `app_home_opened` publishes the caller's dashboard, and its
 * "Log a conversation" button opens the modal.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ActionId, ViewId } from '../../src/blocks/ids.js';
import { type Harness, harnessPerTest } from '../kit/harness.js';
import { eventCallback } from '../kit/payloads.js';
import { allText, assertNoStrayControls, assertSurfacesValid, buttonValues, ME, OTHER, TEAM } from './support.js';

const harness = harnessPerTest();

async function openHome(h: Harness, userId: string): Promise<any> {
  const before = h.fake.callsTo('views.publish').length;
  const r = await h.homeOpened(userId);
  assert.equal(r.status, 200);
  await h.settle();
  const published = h.fake.callsTo('views.publish');
  assert.equal(published.length, before + 1, 'one views.publish per opening');
  const call = published[published.length - 1];
  assert.equal(call.args.user_id, userId);
  assert.equal(call.args.view.type, 'home');
  return call.args.view;
}

describe('App Home', () => {
  it('shows week vs target, streak, sparkline, the last five conversations and a Log button', async () => {
    const h = await harness();
    // Six conversations, oldest first; the Home tab shows the five newest.
    const accounts = ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo', 'Foxtrot'];
    for (const [i, a] of accounts.entries()) {
      const r = await h.command('/contact', `${a} on 2026-11-${String(20 + i).padStart(2, '0')}`);
      assert.equal(r.status, 200);
    }
    // Another person's conversation never shows on my Home.
    await h.command('/contact', 'SecretCo', { userId: OTHER });

    const view = await openHome(h, ME);
    const text = allText(view);
    // This week (from Mon 23 Nov): Delta, Echo, Foxtrot → 3 of 3.
    assert.match(text, /\*This week:\* 3 of 3 \(:tada: target reached\)/);
    assert.match(text, /\*Streak:\* 2 weeks at or above target/);
    // Last week: Alpha, Bravo, Charlie (20–22 Nov) = 3; this week 3: a two-week streak.
    assert.match(text, /`▁▁▁▁▁▁██` {2}6 in 8 weeks/);

    const rows = view.blocks.filter((b: any) => b.type === 'section' && /^\*(Alpha|Bravo|Charlie|Delta|Echo|Foxtrot)\*/.test(b.text.text));
    assert.deepEqual(
      rows.map((b: any) => /^\*(\w+)\*/.exec(b.text.text)![1]),
      ['Foxtrot', 'Echo', 'Delta', 'Charlie', 'Bravo'],
      'exactly the five newest, newest first',
    );
    assert.doesNotMatch(text, /Alpha|SecretCo/);
    assert.match(text, /Foxtrot\* · call · yesterday \(Wed 25 Nov\)/);

    const buttons = view.blocks.flatMap((b: any) => b.elements ?? []).filter((e: any) => e.type === 'button');
    assert.ok(buttons.some((b: any) => b.action_id === ActionId.homeLogContact && b.text.text === 'Log a conversation'));
    assertNoStrayControls(view);
    assertSurfacesValid(h);
  });

  it('for someone with nothing logged, shows zeroes and how to start, and caches no profile', async () => {
    const h = await harness();
    const view = await openHome(h, OTHER);
    const text = allText(view);
    assert.match(text, /\*This week:\* 0 of 3/);
    assert.match(text, /`▁▁▁▁▁▁▁▁`/);
    assert.match(text, /Nothing logged yet/);
    assert.equal(buttonValues(view, ActionId.homeLogContact).length, 1);
    assertNoStrayControls(view);
    assert.equal(h.fake.callsTo('users.info').length, 0, 'no look-up for a non-manager');
    assert.equal(await h.ctx.services.profiles.cached(TEAM, OTHER), undefined, 'no profile row for a non-manager');
    assertSurfacesValid(h);
  });

  it("refreshes a manager's profile when they open Home, so their time zone is known", async () => {
    const h = await harness();
    h.fake.setUser(ME, { tz: 'Pacific/Auckland' });
    // Enrol without caching a profile: store through the service (no Slack involved).
    await h.ctx.services.contacts.logContact(
      TEAM,
      ME,
      { account: 'Acme', buyer: null, kind: 'call', durationMin: null, occurredOn: '2026-11-26', insight: null },
      h.clock.now(),
    );
    await openHome(h, ME);
    assert.equal((await h.ctx.services.profiles.cached(TEAM, ME))?.tz, 'Pacific/Auckland');
    // 15:00 UTC Thu is Fri 27 Nov in Auckland: the next opening labels Thursday as yesterday.
    const view = await openHome(h, ME);
    assert.match(allText(view), /\*Acme\* · call · yesterday \(Thu 26 Nov\)/);
    assertSurfacesValid(h);
  });

  it('escapes account names', async () => {
    const h = await harness();
    await h.command('/contact', '<!everyone> & Sons');
    const view = await openHome(h, ME);
    assert.ok(!JSON.stringify(view).includes('<!everyone>'));
    assert.match(allText(view), /\*&lt;!everyone&gt; &amp; Sons\*/);
    assertSurfacesValid(h);
  });

  it('ignores the Messages tab', async () => {
    const h = await harness();
    const r = await h.send(
      eventCallback({ type: 'app_home_opened', user: ME, channel: `D${ME}`, tab: 'messages', event_ts: '1700000000.000100' }),
    );
    assert.equal(r.status, 200);
    await h.settle();
    assert.equal(h.fake.callsTo('views.publish').length, 0);
  });

  it('"Log a conversation" opens the empty modal with the trigger_id', async () => {
    const h = await harness();
    const triggerId = '4242.1700000000.cafe01';
    const r = await h.action({ actionId: ActionId.homeLogContact, triggerId, view: { type: 'home' } });
    assert.equal(r.status, 200);
    const open = await h.fake.waitFor('views.open');
    assert.equal(open.args.trigger_id, triggerId);
    assert.equal(open.args.view.callback_id, ViewId.contactModal);
    assert.equal(open.args.view.type, 'modal');
    assert.deepEqual(JSON.parse(open.args.view.private_metadata), {});
    assert.ok(
      open.args.view.blocks.every((b: any) => b.type !== 'input' || b.element.initial_value === undefined),
      'nothing prefilled',
    );
    await h.settle();
    assertSurfacesValid(h);
  });

  it('is republished after a change made elsewhere: Undo, Delete in /contact list, Snooze on a nudge', async () => {
    const h = await harness();
    for (const a of ['Alpha', 'Bravo']) await h.command('/contact', a, { channelId: 'C0042' });
    const [alpha, bravo] = await h.rows('SELECT id FROM contacts ORDER BY id');
    const lastHome = () => allText(h.fake.callsTo('views.publish').at(-1)?.args.view ?? {});

    // Undo on the confirmation: Alpha leaves the Home tab.
    await h.action({ actionId: ActionId.contactUndo, value: String(alpha.id), userId: ME });
    await h.settle();
    assert.equal(h.fake.callsTo('views.publish').length, 1, 'Undo republishes Home');
    assert.match(lastHome(), /\*This week:\* 1 of 3/);
    assert.doesNotMatch(lastHome(), /Alpha/);
    assert.match(lastHome(), /\*Bravo\*/);

    // Delete in /contact list: Bravo leaves it too.
    await h.action({ actionId: ActionId.contactDelete, value: String(bravo.id), userId: ME });
    await h.settle();
    assert.equal(h.fake.callsTo('views.publish').length, 2, 'Delete republishes Home');
    assert.match(lastHome(), /\*This week:\* 0 of 3/);
    assert.match(lastHome(), /Nothing logged yet/);

    // Snooze a week on a nudge: Home offers Resume instead of Snooze.
    await h.action({ actionId: ActionId.nudgeReasonPto, value: 'pto', userId: ME, channelId: `D${ME}` });
    await h.settle();
    const published = h.fake.callsTo('views.publish');
    assert.equal(published.length, 3, "a nudge's snooze button republishes Home");
    assert.equal(published[2].args.user_id, ME);
    assert.equal(buttonValues(published[2].args.view, ActionId.homeResume).length, 1);
    assert.match(lastHome(), /Nudges paused through Wed 2 Dec/);

    // A refused press changes nothing, so nothing is republished.
    await h.action({ actionId: ActionId.contactUndo, value: String(alpha.id), userId: ME });
    await h.settle();
    assert.equal(h.fake.callsTo('views.publish').length, 3);
    for (const call of h.fake.callsTo('views.publish')) assertNoStrayControls(call.args.view);
    assertSurfacesValid(h);
  });
});
