/**
 * The weekly leaderboard job: what it posts (top 10 by conversations, ties by distinct accounts,
 * streaks frozen by snoozes, most improved against the manager's own four-week average, team total
 * against the week before, nobody at zero named), when (Monday 09:00 team time, catch-up for the
 * rest of the week, once per ISO week, --force), across two processes, and what happens when the
 * channel is unset or failing (one DM to the admins a week, not one a tick).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runLeaderboard } from '../../src/jobs/leaderboard.js';
import { allText, assertNoStrayControls } from '../e2e/support.js';
import { harnessPerTest } from '../kit/harness.js';
import {
  assertSurfacesValid,
  at,
  EXPECTED_IMPROVED,
  EXPECTED_LINES,
  enroll,
  many,
  posts,
  seedTeam,
  sharedDatabase,
  TEAM,
} from './support.js';

const harness = harnessPerTest();

describe('the weekly leaderboard post', () => {
  it("posts last week's standings: ties by accounts, frozen streaks, most improved, total vs the week before, zeros unnamed", async () => {
    const h = await harness({ now: '2026-11-30T09:00:00Z', env: { LEADERBOARD_CHANNEL: 'CLEAD' } });
    await seedTeam(h);
    const report = await runLeaderboard(h.ctx, h.clock.now());
    assert.deepEqual(report.posted, ['leaderboard for week of 2026-11-23 to CLEAD (T0001, 2026-W49)']);
    const [post] = posts(h, 'CLEAD');
    const blocks = post.args.blocks;
    assert.equal(blocks[0].type, 'header');
    assert.equal(blocks[0].text.text, 'Weekly leaderboard: week of Mon 23 Nov');
    assert.deepEqual(blocks[1].text.text.split('\n'), EXPECTED_LINES);
    assert.equal(blocks[2].text.text, EXPECTED_IMPROVED);
    assert.equal(
      blocks[3].elements[0].text,
      'Team total: *21* :arrow_up_small: 1 vs 20 the week before · 7 managers · 2 managers still to log one that week · target 3 a week',
    );
    assert.equal(post.args.text, 'Weekly leaderboard, week of Mon 23 Nov: 21 conversations; leading: <@UB>, <@UC>, <@UA>.');
    // People at zero are counted, never named: their ids appear nowhere in what was sent.
    const sent = JSON.stringify(post.args);
    for (const zero of ['UZERO', 'UNEVER']) assert.ok(!sent.includes(zero), `${zero} must not appear in the post`);
    assertNoStrayControls(post.args);
    assertSurfacesValid(h);
  });

  it('lists the top ten only; a team with nobody logging posts an encouraging empty board', async () => {
    const h = await harness({ now: '2026-11-30T09:00:00Z', env: { LEADERBOARD_CHANNEL: 'CLEAD' } });
    for (let i = 1; i <= 12; i++) await many(h, `UM${String(i).padStart(2, '0')}`, '2026-11-25', i, ['X', 'Y']);
    await runLeaderboard(h.ctx, h.clock.now());
    const text = allText(posts(h, 'CLEAD')[0].args);
    const named = [...text.matchAll(/<@(UM\d\d)>: /g)].map((m) => m[1]);
    assert.deepEqual(named, ['UM12', 'UM11', 'UM10', 'UM09', 'UM08', 'UM07', 'UM06', 'UM05', 'UM04', 'UM03']);
    assert.match(text, /Team total: \*78\*/);

    const empty = await harness({ now: '2026-11-30T09:00:00Z', env: { LEADERBOARD_CHANNEL: 'CLEAD' } });
    await enroll(empty, 'U1', '2026-10-01T00:00:00Z');
    await runLeaderboard(empty.ctx, empty.clock.now());
    const emptyPost = posts(empty, 'CLEAD')[0].args;
    assert.match(allText(emptyPost), /No conversations were logged that week/);
    assert.ok(!JSON.stringify(emptyPost).includes('U1'), 'the manager at zero is not named');
    assertSurfacesValid(h);
    assertSurfacesValid(empty);
  });

  it('a tie cut by the top ten is said: the managers with the same score who did not fit are counted', async () => {
    const h = await harness({ now: '2026-11-30T09:00:00Z', env: { LEADERBOARD_CHANNEL: 'CLEAD' } });
    // Twelve managers all at 3 conversations with 1 account: all twelve share first place.
    for (let i = 1; i <= 12; i++) await many(h, `UT${String(i).padStart(2, '0')}`, '2026-11-25', 3, ['X']);
    await runLeaderboard(h.ctx, h.clock.now());
    const lines = posts(h, 'CLEAD')[0].args.blocks[1].text.text.split('\n');
    assert.equal(lines.length, 11);
    assert.ok(lines.slice(0, 10).every((l: string) => l.startsWith(':first_place_medal: <@UT')));
    assert.equal(lines[10], '…and 2 more managers tied with <@UT10> at 3 conversations with 1 account');

    // No tie at the cut: nothing more is said (UM01 … UM12 log 1 … 12, as above).
    const clean = await harness({ now: '2026-11-30T09:00:00Z', env: { LEADERBOARD_CHANNEL: 'CLEAD' } });
    for (let i = 1; i <= 12; i++) await many(clean, `UM${String(i).padStart(2, '0')}`, '2026-11-25', i, ['X', 'Y']);
    await runLeaderboard(clean.ctx, clean.clock.now());
    assert.doesNotMatch(allText(posts(clean, 'CLEAD')[0].args), /tied with/);
    assertSurfacesValid(h);
    assertSurfacesValid(clean);
  });
});

describe('when the leaderboard goes out', () => {
  it('Monday 09:00 team time (Auckland), once per ISO week; --force posts again; next Monday reports the next week', async () => {
    const h = await harness({ now: '2026-11-29T19:59:00Z', env: { LEADERBOARD_CHANNEL: 'CLEAD', TEAM_TIMEZONE: 'Pacific/Auckland' } });
    await seedTeam(h);
    let report = await runLeaderboard(h.ctx, h.clock.now()); // Mon 08:59 NZDT
    assert.deepEqual(report.notes, ['T0001: not due until Monday 09:00 Pacific/Auckland']);
    h.clock.set(at('2026-11-29T20:00:00Z')); // Mon 09:00 NZDT
    report = await runLeaderboard(h.ctx, h.clock.now());
    assert.deepEqual(report.posted, ['leaderboard for week of 2026-11-23 to CLEAD (T0001, 2026-W49)']);
    for (const t of ['2026-11-29T20:05:00Z', '2026-12-02T03:00:00Z', '2026-12-06T10:59:00Z']) {
      h.clock.set(at(t));
      report = await runLeaderboard(h.ctx, h.clock.now());
      assert.deepEqual(report.posted, [], t);
      assert.match(report.notes[0], /already posted this week$/);
    }
    assert.equal(posts(h, 'CLEAD').length, 1);
    report = await runLeaderboard(h.ctx, h.clock.now(), { force: true });
    assert.equal(report.posted.length, 1);
    assert.equal(posts(h, 'CLEAD').length, 2);
    h.clock.set(at('2026-12-06T20:00:00Z')); // Mon 7 Dec 09:00 NZDT
    report = await runLeaderboard(h.ctx, h.clock.now());
    assert.deepEqual(report.posted, ['leaderboard for week of 2026-11-30 to CLEAD (T0001, 2026-W50)']);
  });

  it('catches up later in the week when the app was down on Monday', async () => {
    const h = await harness({ now: '2026-12-03T16:00:00Z', env: { LEADERBOARD_CHANNEL: 'CLEAD' } }); // Thu
    await seedTeam(h);
    const report = await runLeaderboard(h.ctx, h.clock.now());
    assert.deepEqual(report.posted, ['leaderboard for week of 2026-11-23 to CLEAD (T0001, 2026-W49)']);
    assert.deepEqual(posts(h, 'CLEAD')[0].args.blocks[1].text.text.split('\n'), EXPECTED_LINES);
  });

  it('two app processes on one database post it once', async () => {
    const { fake, databasePath } = await sharedDatabase(harness, 'gemba-two-');
    const env = { LEADERBOARD_CHANNEL: 'CLEAD' };
    const a = await harness({ fake, databasePath, env, now: '2026-11-30T09:05:00Z' });
    const b = await harness({ fake, databasePath, env, now: '2026-11-30T09:05:00Z' });
    await seedTeam(a);
    fake.delayMs = 20;
    const [ra, rb] = await Promise.all([runLeaderboard(a.ctx, a.clock.now()), runLeaderboard(b.ctx, b.clock.now())]);
    fake.delayMs = 0;
    assert.equal(ra.posted.length + rb.posted.length, 1);
    assert.equal(fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'CLEAD').length, 1);
    assert.deepEqual(fake.invalid, []);
  });

  it('a 429 on the channel post is waited out and posted once', async () => {
    const h = await harness({ now: '2026-11-30T09:00:00Z', env: { LEADERBOARD_CHANNEL: 'CLEAD' } });
    await seedTeam(h);
    h.fake.failNext('chat.postMessage', { retryAfter: 1 });
    const report = await runLeaderboard(h.ctx, h.clock.now());
    assert.equal(report.posted.length, 1);
    assert.deepEqual(
      h.fake.callsTo('chat.postMessage').map((c) => c.status),
      [429, 200],
    );
  });
});

describe('a leaderboard channel that is unset or failing', () => {
  it('unset: the admins get one DM a week, not one a tick', async () => {
    const h = await harness({ now: '2026-11-30T09:00:00Z', env: { ADMIN_USER_IDS: 'UADMIN' } });
    await seedTeam(h);
    // A Slack admin known from the profile cache is told too.
    await h.ctx.repos.profiles.upsertProfile({
      teamId: TEAM,
      userId: 'USLACKADMIN',
      tz: 'UTC',
      isAdmin: true,
      isOwner: false,
      displayName: null,
      refreshedAt: h.clock.now(),
    });
    for (let t = at('2026-11-30T09:00:00Z'); t < at('2026-11-30T13:00:00Z'); t += 5 * 60_000) {
      h.clock.set(t);
      const report = await runLeaderboard(h.ctx, t);
      assert.deepEqual(report.notes, ['T0001: no leaderboard channel set']);
    }
    const alerts = posts(h).filter((c) => c.args.channel === 'UADMIN' || c.args.channel === 'USLACKADMIN');
    assert.deepEqual(alerts.map((c) => c.args.channel).sort(), ['UADMIN', 'USLACKADMIN']);
    assert.match(
      alerts[0].args.text,
      /no channel is set for the weekly leaderboard\. Set one with `\/gemba admin channel leaderboard #channel`/,
    );
    assert.equal(posts(h).length, 2, 'nothing else was posted');
    // The next week: one more.
    h.clock.set(at('2026-12-07T09:00:00Z'));
    await runLeaderboard(h.ctx, h.clock.now());
    await runLeaderboard(h.ctx, h.clock.now() + 60_000);
    assert.equal(posts(h, 'UADMIN').length, 2);
    assertSurfacesValid(h);
  });

  it('failing with not_in_channel: the admins are told once, the post is retried hourly, and goes out once it works', async () => {
    const h = await harness({ now: '2026-11-30T09:00:00Z', env: { ADMIN_USER_IDS: 'UADMIN', LEADERBOARD_CHANNEL: 'CLEAD' } });
    await seedTeam(h);
    h.fake.failNext('chat.postMessage', { error: 'not_in_channel', times: 3, when: (args) => args.channel === 'CLEAD' });
    const skipped: string[] = [];
    for (let t = at('2026-11-30T09:00:00Z'); t < at('2026-11-30T12:30:00Z'); t += 5 * 60_000) {
      h.clock.set(t);
      const report = await runLeaderboard(h.ctx, t);
      skipped.push(...report.skipped);
      if (report.posted.length) assert.equal(new Date(t).toISOString(), '2026-11-30T12:00:00.000Z', 'posted at the fourth hourly try');
    }
    // Tried at 09:00, 10:00, 11:00 (not_in_channel), 12:00 (posted); not every 5 minutes.
    assert.equal(h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'CLEAD').length, 4);
    assert.equal(skipped.length, 3);
    assert.match(skipped[0], /not_in_channel$/);
    assert.equal(posts(h, 'CLEAD').length, 1);
    const alerts = posts(h, 'UADMIN');
    assert.equal(alerts.length, 1, 'one alert, not one per failed try');
    assert.match(
      alerts[0].args.text,
      /posting the weekly leaderboard to <#CLEAD> failed \(`not_in_channel`\)\. Invite the app to the channel/,
    );
    assertNoStrayControls(alerts[0].args);
    assertSurfacesValid(h);
  });

  it('with no admin known to tell: one warning in the log a week, not one a tick', async () => {
    const h = await harness({ now: '2026-11-30T09:00:00Z' });
    await seedTeam(h);
    for (let t = at('2026-11-30T09:00:00Z'); t < at('2026-11-30T11:00:00Z'); t += 5 * 60_000) await runLeaderboard(h.ctx, t);
    const warnings = h.logs.filter((l) => typeof l.msg === 'string' && l.msg.includes('no admin is known to tell'));
    assert.equal(warnings.length, 1);
    assert.equal(posts(h).length, 0);
  });
});
