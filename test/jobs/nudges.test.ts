/**
 * The nudge job, driven by the injected clock through the in-process tick and by runNudges:
 * each manager at their own 09:00 on their own working days (Chicago, Tokyo, Auckland, UTC),
 * across the 2026 US DST changes; who is due; the DM; once per local day across re-runs,
 * crashes and two processes; --force; Slack failures (429, recipients that cannot take a DM,
 * passing errors); time zones looked up in Slack, and who waits when Slack cannot say.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ActionId } from '../../src/blocks/ids.js';
import { CLAIM_STALE_AFTER_MS, MAX_RATE_LIMITED_ATTEMPTS, RETRY_TRANSIENT_MS } from '../../src/jobs/claimed.js';
import { NUDGE_CONCURRENCY, PROFILE_REFRESH_BATCH, runNudges } from '../../src/jobs/nudges.js';
import { startScheduler } from '../../src/jobs/scheduler.js';
import { CONVERSATION_PROMPTS } from '../../src/services/nudges.js';
import { BACKGROUND_RETRY } from '../../src/slack/client.js';
import { allText, assertNoStrayControls } from '../e2e/support.js';
import { harnessPerTest } from '../kit/harness.js';
import {
  assertSurfacesValid,
  at,
  cacheTz,
  enroll,
  nudgeRows,
  nudgeTimes,
  posts,
  seedContact,
  sharedDatabase,
  TEAM,
  tickThrough,
} from './support.js';

const HOUR = 3_600_000;
const harness = harnessPerTest();

describe("nudges at each manager's own 09:00", () => {
  it('Chicago, Tokyo, Auckland (UTC+13) and UTC: their own working days, never their weekend', async () => {
    const h = await harness({ now: '2026-10-24T06:00:00Z' }); // Saturday everywhere (Sat 01:00 in Chicago)
    // Time zones come from Slack: the job looks each manager up (users.info) before deciding.
    const zones = { UCHI: 'America/Chicago', UTOK: 'Asia/Tokyo', UAKL: 'Pacific/Auckland', UUTC: 'UTC' };
    for (const [u, tz] of Object.entries(zones)) {
      h.fake.setUser(u, { tz });
      await enroll(h, u, '2026-09-01T12:00:00Z'); // quiet since: due whenever the 3-day cool-down allows
    }
    const scheduler = startScheduler(h.ctx, { enabled: false });
    // Hourly ticks (PRODUCT.md: "checked hourly") for two weeks, across Chicago's change on Sun 1 Nov.
    await tickThrough(h, scheduler, '2026-10-24T06:00:00Z', '2026-11-07T12:00:00Z', HOUR);
    await scheduler.stop();

    assert.deepEqual(await nudgeTimes(h), {
      // Mon 09:00, Thu 09:00 (3 days later), Mon, Thu: 09:00 CDT = 14:00Z, then 09:00 CST = 15:00Z.
      UCHI: ['2026-10-26T14:00:00Z', '2026-10-29T14:00:00Z', '2026-11-02T15:00:00Z', '2026-11-05T15:00:00Z'],
      // Monday 09:00 JST is Sunday 00:00 UTC.
      UTOK: ['2026-10-26T00:00:00Z', '2026-10-29T00:00:00Z', '2026-11-02T00:00:00Z', '2026-11-05T00:00:00Z'],
      // Monday 09:00 NZDT (UTC+13) is Sunday 20:00 UTC.
      UAKL: ['2026-10-25T20:00:00Z', '2026-10-28T20:00:00Z', '2026-11-01T20:00:00Z', '2026-11-04T20:00:00Z'],
      UUTC: ['2026-10-26T09:00:00Z', '2026-10-29T09:00:00Z', '2026-11-02T09:00:00Z', '2026-11-05T09:00:00Z'],
    });
    // Local dates are the managers' own.
    assert.deepEqual(
      (await nudgeRows(h)).filter((r) => r.userId === 'UTOK' || r.userId === 'UAKL').map((r) => r.localDate),
      ['2026-10-26', '2026-10-26', '2026-10-29', '2026-10-29', '2026-11-02', '2026-11-02', '2026-11-05', '2026-11-05'],
    );
    // One DM per nudge, to the manager.
    for (const u of Object.keys(zones)) assert.equal(posts(h, u).length, 4, u);
    assert.equal((await h.ctx.services.profiles.cached(TEAM, 'UAKL'))?.tz, 'Pacific/Auckland');
    assertSurfacesValid(h);
  });

  it('spring forward (Sun 8 Mar 2026): a Friday nudge is followed by Monday at 09:00 CDT, not an hour late', async () => {
    const h = await harness({ now: '2026-02-27T18:00:00Z' });
    h.fake.setUser('UCHI', { tz: 'America/Chicago' });
    await seedContact(h, 'UCHI', 'Acme', '2026-02-26'); // Thu: 8 days quiet (more than 7) on Fri 6 Mar
    const scheduler = startScheduler(h.ctx, { enabled: false });
    await tickThrough(h, scheduler, '2026-03-05T00:00:00Z', '2026-03-14T00:00:00Z', 30 * 60_000);
    // Fri 09:00 CST; Mon 09:00 CDT is only 71 hours later, and still gets its nudge; Thu.
    assert.deepEqual(await nudgeTimes(h), { UCHI: ['2026-03-06T15:00:00Z', '2026-03-09T14:00:00Z', '2026-03-12T14:00:00Z'] });
    assert.equal(posts(h, 'UCHI').length, 3);
    await scheduler.stop();
  });

  it('fall back (Sun 1 Nov 2026): Friday then Monday 09:00 CST, each once', async () => {
    const h = await harness({ now: '2026-10-23T18:00:00Z' });
    h.fake.setUser('UCHI', { tz: 'America/Chicago' });
    await seedContact(h, 'UCHI', 'Acme', '2026-10-22'); // Thu: more than 7 days quiet on Fri 30 Oct
    const scheduler = startScheduler(h.ctx, { enabled: false });
    await tickThrough(h, scheduler, '2026-10-29T00:00:00Z', '2026-11-07T00:00:00Z', 30 * 60_000);
    assert.deepEqual(await nudgeTimes(h), { UCHI: ['2026-10-30T14:00:00Z', '2026-11-02T15:00:00Z', '2026-11-05T15:00:00Z'] });
    assert.equal(posts(h, 'UCHI').length, 3);
    await scheduler.stop();
  });

  it('catches up later the same local day when the app was down at 09:00, not the day after', async () => {
    const h = await harness({ now: '2026-11-30T15:30:00Z' }); // Mon, up again at 15:30 UTC
    await enroll(h, 'U1', '2026-11-01T00:00:00Z');
    await cacheTz(h, 'U1', 'UTC');
    let report = await runNudges(h.ctx, h.clock.now());
    assert.equal(report.posted.length, 1);
    assert.equal((await nudgeRows(h))[0].localDate, '2026-11-30');
    // Tuesday and Wednesday: the 3-day cool-down; Thursday: due again at 09:00. The cool-down
    // counts local days, so a late catch-up does not push later nudges to 15:30 too.
    for (const [day, expected] of [
      ['2026-12-01T09:00:00Z', 0],
      ['2026-12-02T09:00:00Z', 0],
      ['2026-12-03T09:00:00Z', 1],
    ] as const) {
      h.clock.set(at(day));
      report = await runNudges(h.ctx, h.clock.now());
      assert.equal(report.posted.length, expected, day);
    }
  });
});

describe('catch-up only while the period is current', () => {
  it('a Friday missed while the app was down is not sent at the weekend; Monday gets its own', async () => {
    const h = await harness({ now: '2026-11-28T10:00:00Z' }); // up again on Saturday
    await enroll(h, 'U1', '2026-11-01T12:00:00Z');
    await cacheTz(h, 'U1', 'UTC');
    const scheduler = startScheduler(h.ctx, { enabled: false });
    await tickThrough(h, scheduler, '2026-11-28T10:00:00Z', '2026-11-30T12:00:00Z', HOUR);
    await scheduler.stop();
    assert.deepEqual(await nudgeTimes(h), { U1: ['2026-11-30T09:00:00Z'] });
  });
});

describe('who is due', () => {
  it('only the active, quiet, un-snoozed managers not nudged in the last 3 days', async () => {
    const h = await harness({ now: '2026-11-30T09:00:00Z' }); // Mon
    for (const u of ['UQUIET', 'UNEW', 'URECENT', 'USNOOZE', 'UCOOL', 'UGONE', 'UEXACT', 'UEIGHT']) await cacheTz(h, u, 'UTC');
    await seedContact(h, 'UQUIET', 'Acme', '2026-11-20'); // 10 days quiet
    await enroll(h, 'UNEW', '2026-11-27T12:00:00Z'); // enrolled 3 days ago, nothing logged: not yet
    await seedContact(h, 'URECENT', 'Acme', '2026-11-27'); // 3 days
    // PRODUCT.md: due when the last conversation is *older than* nudge-after (7) days.
    await seedContact(h, 'UEXACT', 'Acme', '2026-11-23'); // exactly 7 days: not yet
    await seedContact(h, 'UEIGHT', 'Acme', '2026-11-22'); // 8 days: due
    await seedContact(h, 'USNOOZE', 'Acme', '2026-11-01');
    await h.ctx.services.snoozes.snooze(TEAM, 'USNOOZE', { days: 7, reason: 'pto', today: '2026-11-27', now: h.clock.now() });
    await seedContact(h, 'UCOOL', 'Acme', '2026-11-01');
    await h.ctx.repos.nudges.insertNudge({
      teamId: TEAM,
      userId: 'UCOOL',
      sentAt: at('2026-11-28T09:00:00Z'),
      localDate: '2026-11-28',
      channel: null,
      ts: null,
    });
    await seedContact(h, 'UGONE', 'Acme', '2026-11-01');
    await h.ctx.repos.managers.deactivateManager(TEAM, 'UGONE');

    const due = await h.ctx.services.nudges.selectDueNudges(TEAM, h.clock.now());
    assert.deepEqual(due.map((d) => [d.userId, d.daysQuiet]).sort(), [
      ['UEIGHT', 8],
      ['UQUIET', 10],
    ]);
    // --force ignores the cool-down, never the snooze or the quiet rule.
    const forced = await h.ctx.services.nudges.selectDueNudges(TEAM, h.clock.now(), { ignoreCooldown: true });
    assert.deepEqual(forced.map((d) => d.userId).sort(), ['UCOOL', 'UEIGHT', 'UQUIET']);
    // The same instant on Saturday is nobody's working day here.
    assert.deepEqual(await h.ctx.services.nudges.selectDueNudges(TEAM, at('2026-11-28T12:00:00Z')), []);
  });

  it('an enrolled manager with nothing logged counts from enrolment', async () => {
    const h = await harness({ now: '2026-11-30T09:00:00Z' });
    await enroll(h, 'U1', '2026-11-22T08:00:00Z');
    await enroll(h, 'U2', '2026-11-23T08:00:00Z'); // a week ago today: not older than 7 days yet
    await cacheTz(h, 'U1', 'UTC');
    await cacheTz(h, 'U2', 'UTC');
    const due = await h.ctx.services.nudges.selectDueNudges(TEAM, h.clock.now());
    assert.deepEqual(
      due.map((n) => [n.userId, n.daysQuiet, n.hasLoggedBefore, n.dormantAccounts]),
      [['U1', 8, false, []]],
    );
  });

  it('the cool-down looks back from now only: a nudge stamped later (a job run with a later --now) holds nothing back', async () => {
    const h = await harness({ now: '2026-11-20T12:00:00Z' });
    await seedContact(h, 'U1', 'Acme', '2026-11-18');
    await cacheTz(h, 'U1', 'UTC');
    // Thursday 3 Dec first, then the Monday before it: that Monday nobody was nudged in the 3 days before.
    assert.deepEqual((await runNudges(h.ctx, at('2026-12-03T09:00:00Z'))).posted, ['DM to U1 (T0001, 2026-12-03, quiet 15d)']);
    assert.deepEqual((await runNudges(h.ctx, at('2026-11-30T09:00:00Z'))).posted, ['DM to U1 (T0001, 2026-11-30, quiet 12d)']);
    // An operator tries a date next June; back in December the manager is still nudged as usual.
    assert.deepEqual((await runNudges(h.ctx, at('2027-06-01T09:00:00Z'))).posted, ['DM to U1 (T0001, 2027-06-01, quiet 195d)']);
    assert.deepEqual((await runNudges(h.ctx, at('2026-12-07T09:00:00Z'))).posted, ['DM to U1 (T0001, 2026-12-07, quiet 19d)']);
    // The cool-down itself still holds: Tuesday after that Monday, nothing.
    assert.deepEqual((await runNudges(h.ctx, at('2026-12-08T09:00:00Z'))).posted, []);
  });

  it('a zone change never brings a second nudge within the cool-down (Kiritimati Tuesday 09:00, then Pago Pago Monday 09:00 an hour later)', async () => {
    const h = await harness({ now: '2026-11-09T19:00:00Z' });
    await enroll(h, 'U1', '2026-10-01T00:00:00Z');
    await cacheTz(h, 'U1', 'Pacific/Kiritimati'); // UTC+14: 19:00Z Monday is Tuesday 09:00
    assert.deepEqual((await runNudges(h.ctx, h.clock.now())).posted, ['DM to U1 (T0001, 2026-11-10, quiet 40d)']);
    // Slack now says Pago Pago (UTC−11), where 20:00Z is Monday 09:00: another local day, but an hour later.
    h.clock.set(h.clock.now() + HOUR);
    await cacheTz(h, 'U1', 'Pacific/Pago_Pago');
    assert.deepEqual((await runNudges(h.ctx, h.clock.now())).posted, []);
    assert.deepEqual(
      (await nudgeRows(h)).map((r) => r.localDate),
      ['2026-11-10'],
    );
    // Three local days on (Thursday in Pago Pago), the cool-down is over.
    h.clock.set(Date.parse('2026-11-12T20:00:00Z'));
    await cacheTz(h, 'U1', 'Pacific/Pago_Pago');
    assert.deepEqual((await runNudges(h.ctx, h.clock.now())).posted, ['DM to U1 (T0001, 2026-11-12, quiet 43d)']);
  });
});

describe('the nudge DM', () => {
  it('says how long it has been, names up to three dormant accounts (escaped), gives a prompt and five buttons', async () => {
    const h = await harness({ now: '2026-11-30T09:00:00Z' });
    await cacheTz(h, 'U1', 'UTC');
    await seedContact(h, 'U1', 'Acme', '2026-10-01'); // dormant, but the fourth most recently silent
    await seedContact(h, 'U1', 'Umbrella', '2026-10-10');
    await seedContact(h, 'U1', 'Initech & Co', '2026-10-20');
    await seedContact(h, 'U1', 'Globex <!channel>', '2026-10-25');
    await seedContact(h, 'U1', 'Hooli', '2026-11-20'); // 10 days ago: not dormant, and the last conversation
    const report = await runNudges(h.ctx, h.clock.now());
    assert.deepEqual(report.posted, ['DM to U1 (T0001, 2026-11-30, quiet 10d)']);

    const [dm] = posts(h, 'U1');
    const text = allText(dm.args);
    assert.match(text, /It's been 10 days since your last logged buyer conversation/);
    assert.match(text, /\*Globex &lt;!channel&gt;\*, \*Initech &amp; Co\* and \*Umbrella\* haven't heard from you in 30\+ days/);
    assert.doesNotMatch(text, /Acme|Hooli/);
    assert.ok(!JSON.stringify(dm.args).includes('<!channel>'), 'account names cannot ping the channel');
    const prompts = CONVERSATION_PROMPTS.filter((p) => text.includes(p));
    assert.equal(prompts.length, 1, 'exactly one conversation prompt');
    const buttons = dm.args.blocks.flatMap((b: any) => b.elements ?? []).filter((e: any) => e.type === 'button');
    assert.deepEqual(
      buttons.map((b: any) => [b.text.text, b.action_id]),
      [
        ['Log a conversation', ActionId.nudgeLogContact],
        ['Snooze a week', ActionId.nudgeSnooze],
        ['On PTO', ActionId.nudgeReasonPto],
        ['Travelling', ActionId.nudgeReasonTravelling],
        ['Pipeline reset', ActionId.nudgeReasonPipelineReset],
      ],
    );
    assert.match(dm.args.text, /It's been 10 days/, 'a notification text for the DM');
    assertNoStrayControls(dm.args);
    // The DM is recorded (for the cool-down and "3 nudges ignored").
    assert.deepEqual(
      (await nudgeRows(h)).map((r) => [r.userId, r.localDate, r.answered]),
      [['U1', '2026-11-30', null]],
    );
    assertSurfacesValid(h);
  });

  it('several managers due at once: each gets their own dormant accounts (read for all of them together)', async () => {
    const h = await harness({ now: '2026-11-30T09:00:00Z' });
    for (const u of ['U1', 'U2', 'U3']) await cacheTz(h, u, 'UTC');
    await seedContact(h, 'U1', 'Acme', '2026-10-01');
    await seedContact(h, 'U1', 'Umbrella', '2026-10-20');
    await seedContact(h, 'U1', 'Hooli', '2026-11-20');
    await seedContact(h, 'U2', 'Beta', '2026-10-05');
    await seedContact(h, 'U2', 'Gamma', '2026-10-12');
    await seedContact(h, 'U2', 'Beta', '2026-11-15'); // talked to again within 30 days: not dormant
    await seedContact(h, 'U2', 'Delta', '2026-11-18');
    await enroll(h, 'U3', '2026-11-01T12:00:00Z'); // nothing logged: no dormant accounts
    const due = await h.ctx.services.nudges.selectDueNudges(TEAM, h.clock.now());
    assert.deepEqual(due.map((n) => [n.userId, n.daysQuiet, n.hasLoggedBefore, n.dormantAccounts]).sort(), [
      ['U1', 10, true, ['Umbrella', 'Acme']],
      ['U2', 12, true, ['Gamma']],
      ['U3', 29, false, []],
    ]);
  });

  it('for a manager with nothing logged: since joining, no dormant accounts; the prompt rotates by day', async () => {
    const h = await harness({ now: '2026-11-30T09:00:00Z' });
    await enroll(h, 'U2', '2026-11-01T12:00:00Z');
    await cacheTz(h, 'U2', 'UTC');
    await runNudges(h.ctx, h.clock.now());
    const text = allText(posts(h, 'U2')[0].args);
    assert.match(text, /It's been 29 days since you joined Gemba, and no buyer conversation is logged yet/);
    assert.doesNotMatch(text, /next step/i);
    // Over two weeks of days, the prompt is not always the same one.
    const seen = new Set<string>();
    for (let d = 1; d <= 14; d++) {
      const [n] = await h.ctx.services.nudges.selectDueNudges(TEAM, at(`2026-12-${String(d).padStart(2, '0')}T10:00:00Z`), {
        ignoreCooldown: true,
      });
      if (n) seen.add(n.prompt);
    }
    assert.ok(seen.size >= 3, `prompts rotate (saw ${seen.size})`);
    for (const p of seen) assert.ok((CONVERSATION_PROMPTS as readonly string[]).includes(p));
    assertSurfacesValid(h);
  });
});

describe('once per manager per local day', () => {
  it('a second run posts nothing and says so; --force posts again', async () => {
    const h = await harness({ now: '2026-11-30T09:05:00Z' });
    await enroll(h, 'U1', '2026-11-01T12:00:00Z');
    await cacheTz(h, 'U1', 'UTC');
    const first = await runNudges(h.ctx, h.clock.now());
    assert.equal(first.posted.length, 1);
    h.clock.advance(10 * 60_000);
    const second = await runNudges(h.ctx, h.clock.now());
    assert.deepEqual([second.posted, second.failed, second.skipped], [[], [], []]);
    assert.deepEqual(second.notes, ['DM to U1 (T0001, 2026-11-30, quiet 29d): already sent for this day']);
    assert.equal(posts(h, 'U1').length, 1);
    const forced = await runNudges(h.ctx, h.clock.now(), { force: true });
    assert.equal(forced.posted.length, 1);
    assert.equal(posts(h, 'U1').length, 2);
    assert.equal(await h.ctx.repos.nudges.countNudgesOn(TEAM, 'U1', '2026-11-30'), 2);
  });

  it('a claim left by a crash (claimed, never finished) is retried once it is stale, and posts once', async () => {
    const h = await harness({ now: '2026-11-30T09:00:00Z' });
    await enroll(h, 'U1', '2026-11-01T12:00:00Z');
    await cacheTz(h, 'U1', 'UTC');
    const key = { job: 'nudges', scope: `${TEAM}:U1`, period: '2026-11-30' };
    // Another process took the claim, then died before posting.
    assert.equal(await h.ctx.repos.claims.claimPeriod(key, h.clock.now(), { staleAfterMs: CLAIM_STALE_AFTER_MS }), true);
    h.clock.advance(5 * 60_000);
    const meanwhile = await runNudges(h.ctx, h.clock.now());
    assert.equal(meanwhile.posted.length, 0, 'a fresh claim may still be in flight elsewhere');
    assert.match(meanwhile.notes[0], /being sent by another run/);
    h.clock.set(at('2026-11-30T09:00:00Z') + CLAIM_STALE_AFTER_MS + 1);
    const recovered = await runNudges(h.ctx, h.clock.now());
    assert.equal(recovered.posted.length, 1);
    assert.equal((await h.ctx.repos.claims.findClaim(key))?.status, 'done');
    assert.equal((await h.ctx.repos.claims.findClaim(key))?.attempts, 2);
    h.clock.advance(CLAIM_STALE_AFTER_MS * 2);
    assert.equal((await runNudges(h.ctx, h.clock.now())).posted.length, 0);
    assert.equal(posts(h, 'U1').length, 1);
  });

  it('two app processes on one database: each manager is DMed once', async () => {
    const { fake, databasePath } = await sharedDatabase(harness, 'gemba-two-');
    const a = await harness({ fake, databasePath, now: '2026-11-30T09:00:00Z' });
    const b = await harness({ fake, databasePath, now: '2026-11-30T09:00:00Z' });
    const users = Array.from({ length: 9 }, (_, i) => `U${i + 1}`);
    for (const u of users) {
      await enroll(a, u, '2026-11-01T12:00:00Z');
      await cacheTz(a, u, 'UTC');
    }
    fake.delayMs = 15; // keep posts in flight while the other process looks
    const [ra, rb] = await Promise.all([runNudges(a.ctx, a.clock.now()), runNudges(b.ctx, b.clock.now())]);
    fake.delayMs = 0;
    assert.equal(ra.posted.length + rb.posted.length, users.length);
    const dms = fake
      .callsTo('chat.postMessage')
      .map((c) => c.args.channel)
      .sort();
    assert.deepEqual(dms, [...users].sort(), 'exactly one DM per manager');
    assert.equal((await nudgeRows(a)).length, users.length);
    // And again from both: nothing more.
    const again = await Promise.all([runNudges(a.ctx, a.clock.now()), runNudges(b.ctx, b.clock.now())]);
    assert.equal(again[0].posted.length + again[1].posted.length, 0);
    assert.equal(fake.callsTo('chat.postMessage').length, users.length);
    assert.deepEqual(fake.invalid, []);
  });
});

describe('Slack failures', () => {
  it('a 429 with Retry-After on the first post is waited out and the DM goes out once', async () => {
    const h = await harness({ now: '2026-11-30T09:00:00Z' });
    await enroll(h, 'U1', '2026-11-01T12:00:00Z');
    await cacheTz(h, 'U1', 'UTC');
    h.fake.failNext('chat.postMessage', { retryAfter: 1 });
    const started = Date.now();
    const report = await runNudges(h.ctx, h.clock.now());
    assert.equal(report.posted.length, 1);
    assert.equal(h.fake.rateLimited, 1);
    assert.ok(Date.now() - started >= 900, 'Retry-After was honoured');
    const calls = h.fake.callsTo('chat.postMessage');
    assert.deepEqual(
      calls.map((c) => c.status),
      [429, 200],
    );
    assert.equal(posts(h, 'U1').length, 1);
  });

  it('a DM that cannot be delivered is logged and skipped for the day; the others are still served', async () => {
    const h = await harness({ now: '2026-11-30T09:00:00Z' });
    const failing = { UNOTIN: 'not_in_channel', UNOCHAN: 'channel_not_found', UARCH: 'is_archived', UINACT: 'account_inactive' };
    const users = ['U1', ...Object.keys(failing), 'U2'];
    for (const u of users) {
      await enroll(h, u, '2026-11-01T12:00:00Z');
      await cacheTz(h, u, 'UTC');
    }
    for (const [u, error] of Object.entries(failing)) h.fake.failNext('chat.postMessage', { error, when: (args) => args.channel === u });
    const report = await runNudges(h.ctx, h.clock.now());
    assert.deepEqual(report.posted.map((p) => p.split(' ')[2]).sort(), ['U1', 'U2']);
    assert.deepEqual(report.skipped.map((s) => s.replace(/ \(.*\)/, '')).sort(), [
      'DM to UARCH: is_archived',
      'DM to UINACT: account_inactive',
      'DM to UNOCHAN: channel_not_found',
      'DM to UNOTIN: not_in_channel',
    ]);
    assert.equal(report.failed.length, 0);
    for (const [u, error] of Object.entries(failing)) {
      assert.ok(
        h.logs.some((l) => l.error === error && l.scope === `${TEAM}:${u}` && l.level === 40),
        `warning logged for ${u}`,
      );
      assert.equal((await h.ctx.repos.claims.findClaim({ job: 'nudges', scope: `${TEAM}:${u}`, period: '2026-11-30' }))?.status, 'skipped');
    }
    // Not retried on every tick that day…
    h.clock.advance(HOUR);
    const later = await runNudges(h.ctx, h.clock.now());
    assert.equal(later.posted.length + later.failed.length + later.skipped.length, 0);
    assert.ok(later.notes.some((n) => /UNOTIN.*skipped earlier \(not_in_channel\)/.test(n)));
    // …but tried again on the next due day.
    h.clock.set(at('2026-12-03T09:00:00Z'));
    const thursday = await runNudges(h.ctx, h.clock.now());
    assert.equal(thursday.posted.length, users.length, 'the skipped ones are due again, and so are U1 and U2 (3 days on)');
  });

  it('a passing Slack error releases the claim: a later tick retries and posts once', async () => {
    const h = await harness({ now: '2026-11-30T09:00:00Z' });
    await enroll(h, 'U1', '2026-11-01T12:00:00Z');
    await cacheTz(h, 'U1', 'UTC');
    h.fake.failNext('chat.postMessage', { error: 'service_unavailable' });
    const first = await runNudges(h.ctx, h.clock.now());
    assert.equal(first.failed.length, 1);
    assert.match(first.failed[0], /service_unavailable/);
    h.clock.advance(RETRY_TRANSIENT_MS - 60_000);
    const early = await runNudges(h.ctx, h.clock.now());
    assert.equal(early.posted.length, 0);
    assert.match(early.notes[0], /failed earlier \(service_unavailable\)/);
    h.clock.set(at('2026-11-30T09:00:00Z') + RETRY_TRANSIENT_MS);
    const retried = await runNudges(h.ctx, h.clock.now());
    assert.equal(retried.posted.length, 1);
    assert.equal(posts(h, 'U1').length, 1);
    assert.equal((await nudgeRows(h)).length, 1);
  });

  it('429s that outlast the bounded attempts release the claim for a later tick', async () => {
    const h = await harness({ now: '2026-11-30T09:00:00Z' });
    await enroll(h, 'U1', '2026-11-01T12:00:00Z');
    await cacheTz(h, 'U1', 'UTC');
    h.fake.failNext('chat.postMessage', { retryAfter: 0, times: MAX_RATE_LIMITED_ATTEMPTS });
    const report = await runNudges(h.ctx, h.clock.now());
    assert.equal(report.failed.length, 1);
    // A bounded number of attempts, each after the Retry-After wait; then the period waits for a later tick.
    assert.equal(h.fake.callsTo('chat.postMessage').length, MAX_RATE_LIMITED_ATTEMPTS);
    assert.equal((await h.ctx.repos.claims.findClaim({ job: 'nudges', scope: `${TEAM}:U1`, period: '2026-11-30' }))?.status, 'failed');
    h.fake.reset();
    h.clock.advance(RETRY_TRANSIENT_MS);
    assert.equal((await runNudges(h.ctx, h.clock.now())).posted.length, 1);
  });

  it('a 5xx is retried by the Web API client within the same run', async () => {
    const h = await harness({ now: '2026-11-30T09:00:00Z' });
    await enroll(h, 'U1', '2026-11-01T12:00:00Z');
    await cacheTz(h, 'U1', 'UTC');
    h.fake.failNext('chat.postMessage', { status: 500, times: 1 });
    const report = await runNudges(h.ctx, h.clock.now());
    assert.equal(report.posted.length, 1);
    assert.deepEqual(
      h.fake.callsTo('chat.postMessage').map((c) => c.status),
      [500, 200],
    );
  });
});

describe('time zones from Slack', () => {
  it('the job looks up managers whose profile is missing or a week old, and not the others', async () => {
    const h = await harness({ now: '2026-11-29T20:00:00Z' }); // Sun 20:00 UTC = Mon 09:00 in Auckland
    h.fake.setUser('UAKL', { tz: 'Pacific/Auckland' });
    await enroll(h, 'UAKL', '2026-11-01T12:00:00Z');
    await enroll(h, 'UFRESH', '2026-11-01T12:00:00Z');
    await cacheTz(h, 'UFRESH', 'UTC');
    const report = await runNudges(h.ctx, h.clock.now());
    // Unknown zone would have been the team's (UTC, Sunday): the look-up makes it Monday 09:00.
    // Enrolled 1 Nov 12:00 UTC, which was already 2 Nov in Auckland.
    assert.deepEqual(report.posted, ['DM to UAKL (T0001, 2026-11-30, quiet 28d)']);
    assert.deepEqual(
      h.fake.callsTo('users.info').map((c) => c.args.user),
      ['UAKL'],
    );
    h.clock.advance(6 * 24 * HOUR);
    await runNudges(h.ctx, h.clock.now());
    assert.equal(h.fake.callsTo('users.info').length, 1, 'nobody is stale yet');
    h.clock.advance(2 * 24 * HOUR);
    await runNudges(h.ctx, h.clock.now());
    assert.deepEqual(
      h.fake
        .callsTo('users.info')
        .map((c) => c.args.user)
        .sort(),
      ['UAKL', 'UAKL', 'UFRESH'],
    );
  });

  it('a profile stamped later than now (a job run with a later --now) is looked up again: a move to Tokyo is seen that week', async () => {
    const h = await harness({ now: '2026-11-20T12:00:00Z' });
    await seedContact(h, 'U1', 'Acme', '2026-11-18');
    // An operator tries a date next June (the job CLI's clock is --now): the look-up then is stamped June 2027.
    h.clock.set(at('2027-06-01T09:00:00Z'));
    assert.equal((await runNudges(h.ctx, h.clock.now())).posted.length, 1);
    // Back in December the manager has moved to Tokyo: Monday 09:05 there is 00:05 UTC.
    h.fake.setUser('U1', { tz: 'Asia/Tokyo' });
    h.clock.set(at('2026-12-14T00:05:00Z'));
    const report = await runNudges(h.ctx, h.clock.now());
    assert.deepEqual(report.posted, ['DM to U1 (T0001, 2026-12-14, quiet 26d)']);
    assert.equal((await h.ctx.services.profiles.cached(TEAM, 'U1'))?.tz, 'Asia/Tokyo');
  });

  it("a manager whose zone Gemba never learned is not nudged at the team's hour: beyond the look-up batch, they wait for a later tick", async () => {
    const h = await harness({ now: '2026-11-30T09:05:00Z' }); // Mon 09:05 UTC (the team's zone) is 01:05 in Los Angeles
    const users = Array.from({ length: PROFILE_REFRESH_BATCH + 10 }, (_, i) => `U${String(i).padStart(3, '0')}`);
    for (const u of users) {
      h.fake.setUser(u, { tz: 'America/Los_Angeles' });
      await enroll(h, u, '2026-10-01T12:00:00Z');
    }
    const first = await runNudges(h.ctx, h.clock.now());
    assert.deepEqual(first.posted, [], 'nobody is woken at 01:05');
    assert.deepEqual(first.notes, [
      'T0001: 10 managers wait for their time zone from Slack (not looked up yet, or Slack did not answer); not nudged until it is known',
    ]);
    assert.equal(h.fake.callsTo('users.info').length, PROFILE_REFRESH_BATCH);
    // The next tick looks the others up: still nobody at 01:10, and nobody waits any more.
    h.clock.advance(5 * 60_000);
    const second = await runNudges(h.ctx, h.clock.now());
    assert.deepEqual([second.posted, second.notes], [[], []]);
    assert.equal(h.fake.callsTo('users.info').length, users.length);
    // 09:05 in Los Angeles: everyone, once, on their own day.
    h.clock.set(at('2026-11-30T17:05:00Z'));
    const due = await runNudges(h.ctx, h.clock.now());
    assert.equal(due.posted.length, users.length);
    assert.deepEqual(new Set((await nudgeRows(h)).map((r) => r.localDate)), new Set(['2026-11-30']));
  });

  it('a look-up Slack did not answer (passing error, 5xx, 429s beyond the attempts) leaves a manager never placed for a later tick; a lasting answer means the team zone', async () => {
    const h = await harness({ now: '2026-11-30T09:00:00Z' }); // the team's (and the fake's default) zone is UTC
    for (const u of ['UOK', 'UPASSING', 'U5XX', 'U429', 'UGONE', 'USCOPE']) await enroll(h, u, '2026-11-01T12:00:00Z');
    h.fake.failNext('users.info', { error: 'service_unavailable', when: (a) => a.user === 'UPASSING' });
    // The Web API client retries a 5xx itself a few times (BACKGROUND_RETRY) before giving up.
    h.fake.failNext('users.info', { status: 500, times: BACKGROUND_RETRY.retries + 1, when: (a) => a.user === 'U5XX' });
    h.fake.failNext('users.info', { retryAfter: 0, times: MAX_RATE_LIMITED_ATTEMPTS, when: (a) => a.user === 'U429' });
    h.fake.removeUser('UGONE'); // user_not_found
    h.fake.failNext('users.info', { error: 'missing_scope', when: (a) => a.user === 'USCOPE' });
    const first = await runNudges(h.ctx, h.clock.now());
    assert.deepEqual(first.posted.map((p) => p.split(' ')[2]).sort(), ['UGONE', 'UOK', 'USCOPE']);
    assert.deepEqual(first.notes, [
      'T0001: 3 managers wait for their time zone from Slack (not looked up yet, or Slack did not answer); not nudged until it is known',
    ]);
    assert.equal(h.fake.callsTo('users.info').filter((c) => c.args.user === 'U429').length, MAX_RATE_LIMITED_ATTEMPTS);
    // Nothing was claimed for those who wait: the next tick, with Slack answering, nudges them the same day.
    h.clock.advance(5 * 60_000);
    const second = await runNudges(h.ctx, h.clock.now());
    assert.deepEqual(second.posted.map((p) => p.split(' ')[2]).sort(), ['U429', 'U5XX', 'UPASSING']);
    assert.equal(second.notes.filter((n) => /wait for their time zone/.test(n)).length, 0);
    assert.equal((await nudgeRows(h)).length, 6);
  });

  it('a manager Slack reports deactivated is not nudged and stops being a manager (off the quiet list, audited)', async () => {
    const h = await harness({ now: '2026-11-30T09:00:00Z', env: { ADMIN_USER_IDS: 'UADMIN' } });
    for (const u of ['USTAYS', 'ULEFT']) await enroll(h, u, '2026-11-01T12:00:00Z');
    h.fake.setUser('ULEFT', { deleted: true });
    const report = await runNudges(h.ctx, h.clock.now());
    assert.deepEqual(
      report.posted.map((p) => p.split(' ')[2]),
      ['USTAYS'],
    );
    assert.deepEqual(report.notes, ['T0001: 1 manager is deactivated in Slack and no longer a manager (an admin can add them back)']);
    assert.equal((await h.ctx.repos.managers.findManager(TEAM, 'ULEFT'))?.active, false);
    const quiet = await h.ctx.services.digest.quietManagers(TEAM, { today: '2026-11-30', now: h.clock.now(), timezone: 'UTC' });
    assert.deepEqual(
      quiet.map((q) => q.userId),
      ['USTAYS'],
    );
    const [entry] = await h.ctx.repos.audit.listRecentAuditEntries(TEAM, 1);
    assert.deepEqual([entry.actorId, entry.action], ['slack-deactivated', 'managers.remove']);
    // Days later, still nothing for them.
    h.clock.set(at('2026-12-03T09:00:00Z'));
    assert.equal(
      (await runNudges(h.ctx, h.clock.now(), { force: true })).posted.some((p) => p.includes('ULEFT')),
      false,
    );
  });

  it('a manager whose zone is cached keeps it when the weekly refresh fails', async () => {
    const h = await harness({ now: '2026-11-20T00:00:00Z' });
    await enroll(h, 'UTOK', '2026-11-01T12:00:00Z');
    await cacheTz(h, 'UTOK', 'Asia/Tokyo');
    h.clock.set(at('2026-11-30T00:00:00Z')); // Mon 09:00 in Tokyo, Sunday in the team's zone; the profile is 10 days old
    h.fake.failNext('users.info', { error: 'service_unavailable' });
    const report = await runNudges(h.ctx, h.clock.now());
    assert.equal(h.fake.callsTo('users.info').length, 1);
    assert.equal(report.posted.length, 1);
    assert.deepEqual(report.notes, []);
    assert.equal((await nudgeRows(h))[0].localDate, '2026-11-30');
  });

  it('a 429 on users.info holds every call back for Retry-After; the refused look-ups are made again', async () => {
    const h = await harness({ now: '2026-11-30T09:00:00Z' });
    const users = Array.from({ length: 12 }, (_, i) => `U${String(i).padStart(2, '0')}`);
    for (const u of users) await enroll(h, u, '2026-11-01T12:00:00Z');
    // Every look-up of the first wave (NUDGE_CONCURRENCY in flight at once) is refused.
    h.fake.failNext('users.info', { retryAfter: 1, times: NUDGE_CONCURRENCY });
    const report = await runNudges(h.ctx, h.clock.now());
    const refused = h.fake.calls.filter((c) => c.status === 429);
    assert.equal(refused.length, NUDGE_CONCURRENCY);
    const firstRefusal = Math.min(...refused.map((c) => c.at));
    for (const c of h.fake.calls.filter((c) => c.status !== 429))
      assert.ok(
        c.at - firstRefusal >= 900,
        `${c.method} ${c.args.user ?? c.args.channel} went out ${c.at - firstRefusal} ms after a 429 asking for 1 s`,
      );
    assert.deepEqual(
      h.fake
        .callsTo('users.info')
        .filter((c) => c.status === 200)
        .map((c) => c.args.user)
        .sort(),
      users,
      'each looked up once, the refused ones again after the wait',
    );
    assert.equal(report.posted.length, users.length);
    assert.deepEqual(report.notes, []);
  });
});
