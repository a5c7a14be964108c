/**
 * `/gemba` personal commands end to end: help, settings, snooze <N>d|<N>w|off (and bad input,
 * which stores nothing), the Home tab's Snooze/Resume buttons, and snoozed weeks freezing the
 * streak that /trends and the Home tab show.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ActionId } from '../../src/blocks/ids.js';
import { runNudges } from '../../src/jobs/nudges.js';
import { at, cacheTz, enroll, posts, seedContact } from '../jobs/support.js';
import { type Harness, harnessPerTest } from '../kit/harness.js';
import { ackMessage, allText, assertSurfacesValid, buttonValues, loneSurrogates, ME, TEAM } from './support.js';

const harness = harnessPerTest();

const snoozeRows = (h: Harness) => h.ctx.repos.snoozes.listSnoozesBetween(TEAM, ME, '2000-01-01', '2100-01-01');

describe('/gemba help', () => {
  it('shows settings and snooze to everyone, the digest preview to VPs and admin help to admins', async () => {
    const h = await harness({ env: { ADMIN_USER_IDS: 'UADMIN' } });
    for (const text of ['help', '']) {
      const m = ackMessage(await h.command('/gemba', text));
      const t = allText(m);
      assert.match(t, /`\/gemba settings`/);
      assert.match(
        t,
        /`\/gemba snooze 5d` · `\/gemba snooze 2w` · `\/gemba snooze off` — pause nudges \(vacation\), up to 8 weeks; snoozed weeks freeze your streak/,
      );
      assert.doesNotMatch(t, /admin help|digest preview/);
    }
    const admin = allText(ackMessage(await h.command('/gemba', 'help', { userId: 'UADMIN' })));
    assert.match(admin, /`\/gemba digest preview`/);
    assert.match(admin, /`\/gemba admin help`/);
    assertSurfacesValid(h);
  });
});

describe('/gemba settings', () => {
  it("shows target, nudge-after, nudge hour, team time zone, channels, and the caller's own status", async () => {
    const h = await harness({
      env: { WEEKLY_TARGET: '4', NUDGE_AFTER_DAYS: '5', TEAM_TIMEZONE: 'Europe/Berlin', LEADERBOARD_CHANNEL: 'CLEAD' },
    });
    await cacheTz(h, ME, 'America/Chicago');
    let t = allText(ackMessage(await h.command('/gemba', 'settings')));
    assert.match(t, /Weekly target: \*4\* conversations per manager/);
    assert.match(t, /Nudge after: \*5 days\* without a conversation, at 09:00 local time on working days/);
    assert.match(t, /Team time zone: \*Europe\/Berlin\* \(leaderboard Mondays 09:00, digest Mondays 09:30\)/);
    assert.match(t, /Leaderboard channel: <#CLEAD>/);
    assert.match(t, /Digest channel: _not set_/);
    assert.match(t, /your time zone America\/Chicago · nudges on/);
    // The caller's own snooze shows up.
    await h.command('/gemba', 'snooze 1w');
    t = allText(ackMessage(await h.command('/gemba', 'settings')));
    assert.match(t, /nudges snoozed through Wed 2 Dec/);
    assertSurfacesValid(h);
  });
});

describe('/gemba snooze', () => {
  it('2w pauses nudges for 14 days from today, off resumes them', async () => {
    const h = await harness(); // Thu 2026-11-26
    await seedContact(h, ME, 'Acme', '2026-11-01');
    await cacheTz(h, ME, 'UTC');
    const m = ackMessage(await h.command('/gemba', 'snooze 2w'));
    assert.equal(
      m.text,
      ':zzz: Nudges paused through *Wed 9 Dec*. Weeks you spend snoozed freeze your streak instead of breaking it. `/gemba snooze off` resumes them.',
    );
    assert.deepEqual(
      (await snoozeRows(h)).map((s) => [s.startsOn, s.endsOn, s.reason]),
      [['2026-11-26', '2026-12-09', 'snooze']],
    );

    // No nudge while paused (quiet for weeks, Monday 09:00).
    h.clock.set(at('2026-11-30T09:00:00Z'));
    assert.equal((await runNudges(h.ctx, h.clock.now())).posted.length, 0);

    // A new snooze replaces the running one rather than stacking.
    ackMessage(await h.command('/gemba', 'snooze 3d'));
    assert.deepEqual(
      (await snoozeRows(h)).map((s) => [s.startsOn, s.endsOn]),
      [
        ['2026-11-26', '2026-11-29'],
        ['2026-11-30', '2026-12-02'],
      ],
    );

    const off = ackMessage(await h.command('/gemba', 'snooze off'));
    assert.equal(off.text, ':bell: Nudges are back on.');
    // The days already snoozed stay (they freeze the streak); nothing covers today.
    assert.deepEqual(
      (await snoozeRows(h)).map((s) => [s.startsOn, s.endsOn]),
      [['2026-11-26', '2026-11-29']],
    );
    assert.equal((await runNudges(h.ctx, h.clock.now())).posted.length, 1, 'nudged again once resumed');

    const again = ackMessage(await h.command('/gemba', 'snooze OFF'));
    assert.match(again.text, /Nudges weren't snoozed, so nothing changed\. Pause them with `\/gemba snooze 1w`\./);
    assertSurfacesValid(h);
  });

  it('accepts days and weeks up to 8 weeks', async () => {
    const h = await harness();
    for (const [arg, endsOn] of [
      ['1d', 'Thu 26 Nov'],
      ['5d', 'Mon 30 Nov'],
      ['8w', 'Wed 20 Jan'],
      ['56d', 'Wed 20 Jan'],
    ]) {
      const m = ackMessage(await h.command('/gemba', `snooze ${arg}`));
      assert.ok(m.text.includes(`paused through *${endsOn}*`), `${arg}: ${m.text}`);
    }
  });

  it('refuses bad durations with an example and stores nothing', async () => {
    const h = await harness();
    const cases: Array<[string, RegExp]> = [
      ['snooze 9w', /Snooze must be from 1 day to 8 weeks \(you asked for 63 days\)\./],
      ['snooze 57d', /you asked for 57 days/],
      ['snooze 0d', /you asked for 0 days/],
      ['snooze 1000d', /Snooze must be from 1 day to 8 weeks \(you asked for 1000 days\)\./],
      ['snooze abc', /"abc" isn't a duration\. Use days like `5d`, weeks like `2w`, or `off`\./],
      ['snooze 2 weeks', /Say how long to pause nudges/],
      ['snooze', /Say how long to pause nudges: days \(`5d`\), weeks \(`2w`\) or `off`\./],
    ];
    for (const [text, why] of cases) {
      const m = ackMessage(await h.command('/gemba', text));
      const t = allText(m);
      assert.match(t, why, text);
      assert.match(t, /Try: `\/gemba snooze 2w`/, text);
    }
    assert.equal(await h.value('SELECT COUNT(*) FROM snoozes'), 0, 'nothing stored from bad input');
    assertSurfacesValid(h);
  });
});

describe('Home tab Snooze / Resume', () => {
  it('Snooze a week pauses and republishes with Resume; Resume ends it and republishes with Snooze', async () => {
    const h = await harness();
    await enroll(h, ME, '2026-11-01T00:00:00Z');
    let r = await h.action({ actionId: ActionId.homeSnooze, userId: ME, view: { type: 'home' } });
    assert.equal(r.status, 200);
    let view = (await h.fake.waitFor('views.publish')).args.view;
    assert.equal(buttonValues(view, ActionId.homeResume).length, 1);
    assert.equal(buttonValues(view, ActionId.homeSnooze).length, 0);
    assert.match(allText(view), /Nudges paused through Wed 2 Dec; your streak is frozen meanwhile/);
    assert.deepEqual(
      (await snoozeRows(h)).map((s) => [s.startsOn, s.endsOn, s.reason]),
      [['2026-11-26', '2026-12-02', 'snooze']],
    );

    h.fake.reset();
    r = await h.action({ actionId: ActionId.homeResume, userId: ME, view: { type: 'home' } });
    assert.equal(r.status, 200);
    view = (await h.fake.waitFor('views.publish')).args.view;
    assert.equal(buttonValues(view, ActionId.homeSnooze).length, 1);
    assert.doesNotMatch(allText(view), /Nudges paused/);
    assert.deepEqual(await snoozeRows(h), [], 'a snooze started and resumed today leaves nothing');
    assertSurfacesValid(h);
  });
});

describe('snoozed weeks freeze the streak', () => {
  it('/trends and Home count across a week spent snoozed, and a week not snoozed breaks it', async () => {
    // Target 3: 3 in the weeks of 2 Nov and 16 Nov, none in the week of 9 Nov, spent snoozed.
    const h = await harness({ now: '2026-11-09T08:00:00Z' });
    for (const d of ['2026-11-02', '2026-11-03', '2026-11-04', '2026-11-16', '2026-11-17', '2026-11-18'])
      await seedContact(h, ME, 'Acme', d);
    await seedContact(h, 'UOTHER', 'Acme', '2026-11-02');
    for (const d of ['2026-11-03', '2026-11-04', '2026-11-16', '2026-11-17', '2026-11-18']) await seedContact(h, 'UOTHER', 'Acme', d);
    ackMessage(await h.command('/gemba', 'snooze 5d')); // Mon 9 – Fri 13 Nov
    h.clock.set(at('2026-11-26T15:00:00Z'));

    const mine = allText(ackMessage(await h.command('/trends', '')));
    assert.match(mine, /\*Streak:\* 2 weeks at or above target/);
    // The same history without the snooze: the empty week of 9 Nov ends it.
    const theirs = allText(ackMessage(await h.command('/trends', '', { userId: 'UOTHER' })));
    assert.match(theirs, /\*Streak:\* 1 week at or above target/);

    await h.homeOpened(ME);
    await h.settle();
    assert.match(allText(h.fake.callsTo('views.publish').at(-1)!.args.view), /\*Streak:\* 2 weeks at or above target/);
    // Resuming later does not un-freeze the days already snoozed.
    ackMessage(await h.command('/gemba', 'snooze off'));
    assert.match(allText(ackMessage(await h.command('/trends', ''))), /\*Streak:\* 2 weeks/);
    assert.equal(posts(h).length, 0);
    assertSurfacesValid(h);
  });
});

describe('/gemba bad input echoes', () => {
  it('quote what was typed without cutting an emoji in half', async () => {
    const h = await harness({ env: { ADMIN_USER_IDS: ME } });
    // 'a' then emoji: a cut after 30 (or 20, 40) UTF-16 units lands inside an emoji.
    const word = `a${'😀'.repeat(30)}`;
    for (const text of [
      word,
      `snooze ${word}`,
      `admin managers add ${word}`,
      `admin channel digest ${word}`,
      `admin timezone ${word}`,
      `admin ${word}`,
    ]) {
      const m = ackMessage(await h.command('/gemba', text));
      assert.match(allText(m), /Try: `\/gemba/, text);
      assert.deepEqual(loneSurrogates(m), [], text);
    }
  });
});

describe('/gemba extra words', () => {
  it('settings and admin help refuse extra words, as help does, with an example', async () => {
    const h = await harness({ env: { ADMIN_USER_IDS: ME } });
    for (const [text, example] of [
      ['settings now', '/gemba settings'],
      ['admin help me', '/gemba admin help'],
    ]) {
      const m = ackMessage(await h.command('/gemba', text));
      assert.match(allText(m), /takes no more words/, text);
      assert.ok(allText(m).includes(`Try: \`${example}\``), text);
    }
  });
});
