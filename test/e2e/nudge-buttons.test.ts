/**
 * The nudge DM's buttons, pressed through signed block_actions: Snooze a week and the reason
 * buttons (On PTO, Travelling, Pipeline reset) pause nudges for a week, record the answer, show
 * the reason in the VP digest and replace the DM via response_url; Log a conversation opens the
 * contact modal.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ActionId, ViewId } from '../../src/blocks/ids.js';
import type { SnoozeReason } from '../../src/db/repos/snoozes.js';
import { composeDigest } from '../../src/jobs/digest.js';
import { runNudges } from '../../src/jobs/nudges.js';
import { at, cacheTz, nudgeRows, posts, seedContact } from '../jobs/support.js';
import { type Harness, harnessPerTest } from '../kit/harness.js';
import { allText, assertNoStrayControls, assertSurfacesValid, TEAM } from './support.js';

let h: Harness | undefined;
const harness = harnessPerTest();

const MONDAY = '2026-11-30T09:00:00Z';

/** A harness on Monday 30 Nov 09:00 UTC where each of `users` (quiet since 10 Nov) got a nudge DM. */
async function nudged(users: string[]): Promise<Harness> {
  h = await harness({ now: '2026-11-10T12:00:00Z' });
  for (const u of users) {
    await cacheTz(h, u, 'UTC');
    await seedContact(h, u, 'Acme', '2026-11-10'); // logged (and enrolled) on 10 Nov
  }
  h.clock.set(at(MONDAY));
  const report = await runNudges(h.ctx, h.clock.now());
  assert.equal(report.posted.length, users.length);
  return h;
}

/** Presses a button on the manager's nudge DM, as Slack would send it. */
async function press(h: Harness, userId: string, actionId: string, value?: string) {
  const dm = posts(h, userId).at(-1)!;
  return h.action({ actionId, value, userId, channelId: dm.response.channel, messageTs: dm.response.ts });
}

const digestOf = async (h: Harness) =>
  await h.ctx.services.digest.compute(TEAM, {
    reportWeek: '2026-11-23',
    today: '2026-11-30',
    target: 3,
    now: h.clock.now(),
    timezone: 'UTC',
  });

describe('nudge buttons', () => {
  const cases: Array<{ userId: string; actionId: string; value: string; reason: SnoozeReason; said: RegExp; label: string | null }> = [
    {
      userId: 'USNZ',
      actionId: ActionId.nudgeSnooze,
      value: 'snooze',
      reason: 'snooze',
      said: /^:zzz: Got it\. Nudges are paused/,
      label: null,
    },
    {
      userId: 'UPTO',
      actionId: ActionId.nudgeReasonPto,
      value: 'pto',
      reason: 'pto',
      said: /^:zzz: Got it \(on PTO\)\. Nudges are paused/,
      label: 'on PTO',
    },
    {
      userId: 'UTRV',
      actionId: ActionId.nudgeReasonTravelling,
      value: 'travelling',
      reason: 'travelling',
      said: /^:zzz: Got it \(travelling\)\./,
      label: 'travelling',
    },
    {
      userId: 'UPIP',
      actionId: ActionId.nudgeReasonPipelineReset,
      value: 'pipeline_reset',
      reason: 'pipeline_reset',
      said: /^:zzz: Got it \(pipeline reset\)\./,
      label: 'pipeline reset',
    },
  ];

  it('each snooze button pauses nudges for a week, records the answer and replaces the DM', async () => {
    const h = await nudged(cases.map((c) => c.userId));
    for (const c of cases) {
      const before = h.fake.callsTo('response_url').length;
      const r = await press(h, c.userId, c.actionId, c.value);
      assert.equal(r.status, 200, `${c.actionId}: ${r.text}`);
      const replies = h.fake.callsTo('response_url').slice(before);
      assert.equal(replies.length, 1, c.actionId);
      const reply = replies[0].args;
      assert.equal(reply.replace_original, true, 'the DM is replaced, not answered beside');
      assert.match(reply.text, c.said);
      assert.match(reply.text, /paused through Sun 6 Dec, and your streak is frozen meanwhile\. `\/gemba snooze off` resumes them\./);
      assertNoStrayControls(reply);
      const snooze = await h.ctx.services.snoozes.activeSnooze(TEAM, c.userId, '2026-11-30');
      assert.deepEqual([snooze?.startsOn, snooze?.endsOn, snooze?.reason], ['2026-11-30', '2026-12-06', c.reason]);
    }
    assert.deepEqual(
      (await nudgeRows(h)).map((n) => [n.userId, n.answered]).sort(),
      cases.map((c) => [c.userId, c.reason]).sort(),
      'each nudge records the button pressed (not counted as ignored)',
    );

    // The digest shows who is paused and why; the quiet list carries the reason given.
    const d = await digestOf(h);
    assert.deepEqual(
      d.snoozed,
      cases.map((c) => ({ userId: c.userId, reason: c.reason, endsOn: '2026-12-06' })).sort((a, b) => a.userId.localeCompare(b.userId)),
    );
    const quietReason = Object.fromEntries(d.quiet.map((q) => [q.userId, q.reason]));
    for (const c of cases) assert.equal(quietReason[c.userId], c.reason === 'snooze' ? null : c.reason, c.userId);
    const digestText = allText(await composeDigest(h.ctx, TEAM, '2026-11-23', h.clock.now()));
    for (const c of cases) {
      if (c.label)
        assert.ok(digestText.includes(`<@${c.userId}>: ${c.label} through Sun 6 Dec`), `${c.userId} in the digest:\n${digestText}`);
    }

    // Paused: no nudge for the rest of the week, even with the 3-day cool-down over…
    for (const day of ['2026-12-03T09:00:00Z', '2026-12-04T09:00:00Z']) {
      h.clock.set(at(day));
      assert.equal((await runNudges(h.ctx, h.clock.now())).posted.length, 0, day);
    }
    // …and back on the Monday after.
    h.clock.set(at('2026-12-07T09:00:00Z'));
    assert.equal((await runNudges(h.ctx, h.clock.now())).posted.length, cases.length);
    assertSurfacesValid(h);
  });

  it('pressing a second reason replaces the first: one snooze, the latest reason', async () => {
    const h = await nudged(['U1']);
    await press(h, 'U1', ActionId.nudgeSnooze, 'snooze');
    await press(h, 'U1', ActionId.nudgeReasonTravelling, 'travelling');
    const rows = await h.ctx.repos.snoozes.listSnoozesBetween(TEAM, 'U1', '2026-01-01', '2027-01-01');
    assert.deepEqual(
      rows.map((s) => [s.startsOn, s.endsOn, s.reason]),
      [['2026-11-30', '2026-12-06', 'travelling']],
    );
    assert.equal((await nudgeRows(h))[0].answered, 'travelling');
    assertSurfacesValid(h);
  });

  it('a reason pressed during a longer pause records the reason but never shortens the pause', async () => {
    const h = await nudged(['U1']);
    // The manager sets three weeks off, then answers the nudge with On PTO.
    const set = await h.command('/gemba', 'snooze 3w', { userId: 'U1' });
    assert.equal(set.status, 200);
    const r = await press(h, 'U1', ActionId.nudgeReasonPto, 'pto');
    assert.equal(r.status, 200);
    const rows = await h.ctx.repos.snoozes.listSnoozesBetween(TEAM, 'U1', '2026-01-01', '2027-01-01');
    assert.deepEqual(
      rows.map((s) => [s.startsOn, s.endsOn, s.reason]),
      [['2026-11-30', '2026-12-20', 'pto']],
      'still paused through Sun 20 Dec, now with the reason the digest shows',
    );
    assert.equal((await nudgeRows(h))[0].answered, 'pto');
    const reply = h.fake.callsTo('response_url').at(-1)!;
    assert.match(allText(reply.args), /Got it \(on PTO\)\. Nudges are paused through Sun 20 Dec/);
    // Home's Snooze a week (pressed on a Home drawn before the pause) does not shorten it either.
    await h.action({ actionId: ActionId.homeSnooze, userId: 'U1', view: { type: 'home' } });
    await h.settle();
    const after = await h.ctx.repos.snoozes.listSnoozesBetween(TEAM, 'U1', '2026-01-01', '2027-01-01');
    assert.deepEqual(
      after.map((s) => s.endsOn),
      ['2026-12-20'],
    );
    assertSurfacesValid(h);
  });

  it('Log a conversation opens the contact modal with the trigger_id and counts as an answer', async () => {
    const h = await nudged(['U1']);
    const dm = posts(h, 'U1')[0];
    const triggerId = '7777.1700000000.beef01';
    const r = await h.action({
      actionId: ActionId.nudgeLogContact,
      userId: 'U1',
      triggerId,
      channelId: dm.response.channel,
      messageTs: dm.response.ts,
    });
    assert.equal(r.status, 200);
    const open = await h.fake.waitFor('views.open');
    assert.equal(open.args.trigger_id, triggerId);
    assert.equal(open.args.view.callback_id, ViewId.contactModal);
    assert.equal((await nudgeRows(h))[0].answered, 'log');
    assert.equal(await h.ctx.services.snoozes.activeSnooze(TEAM, 'U1', '2026-11-30'), undefined, 'logging does not snooze');
    assertSurfacesValid(h);
  });
});
