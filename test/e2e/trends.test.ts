/**
 * `/trends` end to end, over a scripted history across several weeks: sparkline, per-week numbers,
 * this week against target, streak, distinct accounts, kind breakdown; bad input; refusals.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ContactKind } from '../../src/db/repos/contacts.js';
import { seedContact } from '../jobs/support.js';
import { checkAndClose, type Harness, startHarness } from '../kit/harness.js';
import { ackMessage, allText, assertBadInputReply, contactCount, ME, OTHER } from './support.js';

/** Stores a conversation directly (for dates the one-liner no longer accepts, > 30 days back). */
const seed = (h: Harness, userId: string, account: string, kind: ContactKind, occurredOn: string): Promise<void> =>
  seedContact(h, userId, account, occurredOn, { kind });

describe('/trends over a scripted history', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness(); // Thu 2026-11-26; weeks start on Monday
    // Outside the default 8-week window, inside a 12-week one.
    await seed(h, ME, 'Oldco', 'visit', '2026-09-07');
    // Week of 19 Oct: 3 (too old for /contact, so stored directly).
    await seed(h, ME, 'Acme', 'call', '2026-10-19');
    await seed(h, ME, 'ACME', 'video', '2026-10-20');
    await seed(h, ME, 'Initech', 'call', '2026-10-21');
    // Week of 26 Oct: nothing. The rest goes through the real command.
    const lines = [
      'Globex via meeting on 2026-11-02',
      'Globex on 2026-11-03',
      'Umbrella via visit on 2026-11-04',
      'Acme on 2026-11-10',
      'acme  on 2026-11-10',
      'Hooli via other on 2026-11-10',
      'Initech via video on 2026-11-10',
    ];
    for (const line of lines) ackMessage(await h.command('/contact', line));
    for (const d of ['2026-11-16', '2026-11-17', '2026-11-18']) ackMessage(await h.command('/contact', `Acme on ${d}`));
    ackMessage(await h.command('/contact', 'Acme')); // today, this week
    // Someone else's history, which must never show up.
    await seed(h, OTHER, 'SecretCo', 'call', '2026-11-24');
    await seed(h, OTHER, 'Hushhush Ltd', 'video', '2026-11-25');
    assert.equal(await contactCount(h), 17);
    // The one-liners' after-ack profile look-up caches ME (not a Slack admin). Let it land: until it
    // has, a refused /trends team is acknowledged empty and answered via response_url after a look-up,
    // not refused in the ack as the refusal test expects.
    await h.settle();
  });
  after(() => checkAndClose(h));

  it('shows sparkline, weekly numbers, week vs target, streak, distinct accounts and kinds', async () => {
    const m = ackMessage(await h.command('/trends', ''));
    const text = allText(m);
    // Counts, oldest first: 5 Oct 0, 12 Oct 0, 19 Oct 3, 26 Oct 0, 2 Nov 3, 9 Nov 4, 16 Nov 3, 23 Nov 1.
    assert.match(text, /`▁▁▆▁▆█▆▃` {2}14 in 8 weeks/);
    assert.match(text, /5 Oct: 0 · 12 Oct: 0 · 19 Oct: 3 · 26 Oct: 0 · 2 Nov: 3 · 9 Nov: 4 · 16 Nov: 3 · 23 Nov: 1/);
    assert.match(text, /\*This week:\* 1 of 3 \(2 to go\)/);
    // This week (1 so far) does not break it; 16 Nov, 9 Nov and 2 Nov count; 26 Oct ends it.
    assert.match(text, /\*Streak:\* 3 weeks at or above target/);
    // Acme/ACME/acme are one account; Oldco is outside the window.
    assert.match(text, /\*Distinct accounts:\* 5/);
    assert.match(text, /\*By kind:\* call 9 · video 2 · meeting 1 · visit 1 · other 1/);
    assert.match(m.text, /14 in total, 1 of 3 this week, streak 3/);
    assert.doesNotMatch(text, /SecretCo|Hushhush/);
    assert.deepEqual(h.fake.invalid, []);
  });

  it('/trends 12 widens the window', async () => {
    const text = allText(ackMessage(await h.command('/trends', '12')));
    assert.match(text, /last 12 weeks/);
    assert.match(text, /`▃▁▁▁▁▁▆▁▆█▆▃`/, 'twelve bars, Oldco in the first');
    assert.match(text, /Monday · 7 Sep: 1 · 14 Sep: 0 · /);
    assert.match(text, /15 in 12 weeks/);
    assert.match(text, /\*Distinct accounts:\* 6/);
    assert.match(text, /visit 2/);
  });

  it('/trends <@self> is the same as /trends', async () => {
    const own = allText(ackMessage(await h.command('/trends', '')));
    const viaMention = allText(ackMessage(await h.command('/trends', `<@${ME}|user_u0001>`)));
    assert.equal(viaMention, own);
    assert.match(allText(ackMessage(await h.command('/trends', `<@${ME}> 4`))), /16 Nov: 3 · 23 Nov: 1/);
  });

  it("refuses team trends and other people's trends without showing anyone's data", async () => {
    for (const text of ['team', 'team 12', `<@${OTHER}|bob>`, `<@${OTHER}> 4`]) {
      const m = ackMessage(await h.command('/trends', text));
      const shown = allText(m);
      assert.match(shown, /for VPs and admins/, `refusal for "${text}"`);
      assert.match(shown, /`\/trends`/, 'says what the caller can do instead');
      assert.doesNotMatch(shown, /SecretCo|Hushhush|Acme|Globex|▁|Streak|\d+ of \d+/, `no data in the refusal for "${text}"`);
    }
  });

  it('other people asking for themselves see only their own numbers', async () => {
    const text = allText(ackMessage(await h.command('/trends', '', { userId: OTHER })));
    assert.match(text, /2 in 8 weeks/);
    assert.match(text, /\*Distinct accounts:\* 2/);
    assert.match(text, /call 1 · video 1/);
  });
});

describe('/trends bad input and help', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => checkAndClose(h));

  const cases: Array<[string, RegExp]> = [
    ['0', /Weeks must be a whole number from 1 to 52 \(you gave "0"\)/],
    ['53', /Weeks must be a whole number from 1 to 52 \(you gave "53"\)/],
    ['abc', /I don't know "abc"/],
    ['team abc', /Weeks must be a whole number from 1 to 52 \(you gave "abc"\)/],
    ['8 please', /didn't understand "please"/],
    // A number out of range is said to be one, whatever its sign or form.
    ['-1', /Weeks must be a whole number from 1 to 52 \(you gave "-1"\)/],
    ['2.5', /Weeks must be a whole number from 1 to 52 \(you gave "2\.5"\)/],
  ];
  for (const [text, why] of cases) {
    it(`/trends ${text} → a clear error with an example`, async () => {
      const reply = assertBadInputReply(await h.command('/trends', text), why);
      assert.match(reply, /Try: `\/trends (team )?12`/);
    });
  }

  it('/trends team with bad weeks offers a team example, as its other errors do', async () => {
    for (const text of ['team 0', 'team 53', 'team -1']) {
      assertBadInputReply(await h.command('/trends', text), /Try: `\/trends team 12`/);
    }
  });

  it('/trends 1 and /trends 52 are accepted', async () => {
    assert.match(allText(ackMessage(await h.command('/trends', '1'))), /0 in 1 week\b/);
    assert.match(allText(ackMessage(await h.command('/trends', '52'))), /0 in 52 weeks/);
  });

  it('/trends with nothing logged shows a flat line and zeroes', async () => {
    const text = allText(ackMessage(await h.command('/trends', '')));
    assert.match(text, /`▁▁▁▁▁▁▁▁` {2}0 in 8 weeks/);
    assert.match(text, /\*Streak:\* 0 weeks/);
    assert.match(text, /\*By kind:\* none yet/);
    assert.equal(await contactCount(h), 0);
  });

  it('/trends help explains the command with examples', async () => {
    const text = allText(ackMessage(await h.command('/trends', 'help')));
    assert.match(text, /`\/trends`/);
    assert.match(text, /`\/trends 12`/);
    assert.match(text, /1 to 52/);
    assert.match(text, /`\/trends team \[weeks\]`/);
  });
});
