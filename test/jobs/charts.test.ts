/**
 * Charts in the weekly posts, end to end against the fake Slack: the external upload flow
 * (files.getUploadURLExternal, the bytes to the upload URL, one files.completeUploadExternal with
 * the post's channel) happens once per post, after its text; the bytes are the PNG we drew; a 429 on
 * any step is waited out and the step made again; an upload that still fails (missing scope, Slack
 * error, 429s beyond the attempts, a broken upload URL) leaves exactly one text post, one warning in
 * the log, a line in the job report, and nothing resent on later runs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { DIGEST_CHART_MIN_WEEKS, firstDrawnWeek } from '../../src/jobs/charts.js';
import { MAX_RATE_LIMITED_ATTEMPTS } from '../../src/jobs/claimed.js';
import { runDigest } from '../../src/jobs/digest.js';
import { runLeaderboard } from '../../src/jobs/leaderboard.js';
import type { FailSpec } from '../kit/fake-slack.js';
import { type Harness, harnessPerTest } from '../kit/harness.js';
import { assertSurfacesValid, posts, seedTeam, TEAM } from './support.js';

const harness = harnessPerTest();
const MONDAY = '2026-11-30T09:45:00Z';
const ENV = { LEADERBOARD_CHANNEL: 'CLEAD', DIGEST_CHANNEL: 'CDIGEST' };

/** The Web API methods the job called, in order, leaving out look-ups that post nothing. */
function flow(h: Harness): string[] {
  return h.fake.calls.map((c) => c.method).filter((m) => m === 'chat.postMessage' || m.startsWith('files.') || m === 'upload');
}

const chartWarnings = (h: Harness) => h.logs.filter((l) => l.msg === 'chart not shared; the post went out as text only');

describe('weekly posts carry their charts', () => {
  it('leaderboard: text, then one upload flow to the same channel; the PNG is the one drawn; nobody at zero named', async () => {
    const h = await harness({ now: MONDAY, env: ENV });
    await seedTeam(h);
    await h.ctx.repos.profiles.upsertProfile({
      teamId: TEAM,
      userId: 'UB',
      tz: null,
      isAdmin: false,
      isOwner: false,
      displayName: 'Bea 🚀 Brown',
      refreshedAt: h.clock.now(),
    });
    const report = await runLeaderboard(h.ctx, h.clock.now());
    assert.equal(report.posted.length, 1);
    assert.deepEqual(flow(h), ['chat.postMessage', 'files.getUploadURLExternal', 'upload', 'files.completeUploadExternal']);
    const [get] = h.fake.callsTo('files.getUploadURLExternal');
    assert.equal(get.args.filename, 'gemba-leaderboard-2026-11-23.png');
    assert.match(
      get.args.alt_txt,
      /^Leaders, week of 23 Nov: conversations per manager, target 3 a week; team total 21\. 1\. Bea 🚀 Brown 5;/,
    );
    const [done] = h.fake.callsTo('files.completeUploadExternal');
    assert.equal(done.args.channel_id, 'CLEAD');
    assert.deepEqual(
      done.args.files.map((f: { id: string }) => f.id),
      [get.response.file_id],
    );
    assert.match(done.args.initial_comment, /^Chart, week of 23 Nov: 21 conversations; leading: Bea 🚀 Brown 5, /);
    const png = h.fake.uploadBytes.get(get.response.file_id)!;
    assert.equal(png.length, Number(get.args.length));
    const image = PNG.sync.read(png);
    assert.deepEqual([image.width, image.height], [1600, 800]);
    const sent = JSON.stringify([get.args, done.args]);
    for (const zero of ['UZERO', 'UNEVER']) assert.ok(!sent.includes(zero), `${zero} must not be named with the chart`);
    assert.match(
      JSON.parse((await h.ctx.repos.claims.findClaim({ job: 'leaderboard', scope: TEAM, period: '2026-W49' }))!.detail!).files[0],
      /^F/,
    );
    assert.deepEqual(chartWarnings(h), []);
    assertSurfacesValid(h);
  });

  it('digest: both charts (team trend, heat map) in one message in the digest channel', async () => {
    const h = await harness({ now: MONDAY, env: ENV });
    await seedTeam(h);
    await runDigest(h.ctx, h.clock.now());
    assert.deepEqual(flow(h), [
      'chat.postMessage',
      'files.getUploadURLExternal',
      'upload',
      'files.getUploadURLExternal',
      'upload',
      'files.completeUploadExternal',
    ]);
    const names = h.fake.callsTo('files.getUploadURLExternal').map((c) => c.args.filename);
    assert.deepEqual(names, ['gemba-team-trend-2026-11-23.png', 'gemba-heat-map-2026-11-23.png']);
    const [done] = h.fake.callsTo('files.completeUploadExternal');
    assert.equal(done.args.channel_id, 'CDIGEST');
    assert.equal(done.args.files.length, 2);
    assert.match(
      done.args.initial_comment,
      /^Charts, week of 23 Nov: 21 conversations against a team target of 21, coverage 71% \(5 of 7 managers\)\.$/,
    );
    const [trendAlt, heatAlt] = h.fake.callsTo('files.getUploadURLExternal').map((c) => c.args.alt_txt as string);
    assert.match(trendAlt, /23 Nov: 21, 71%\.$/);
    // The window is 12 weeks, but the team began with UNEVER's enrolment on 1 Oct: nothing before its week is drawn.
    assert.match(heatAlt, /7 of 7 managers, 9 weeks from 28 Sept to 23 Nov/);
    assert.match(trendAlt, /, 9 weeks, .*: 28 Sept: 0, 0%; 5 Oct:/, 'the trend starts with the same week');
    for (const c of h.fake.callsTo('files.getUploadURLExternal'))
      assert.ok(h.fake.uploadBytes.get(c.response.file_id)!.length < 150 * 1024);
    assertSurfacesValid(h);
  });
});

describe('how far back the digest charts go', () => {
  const WEEKS = ['2026-09-07', '2026-09-14', '2026-09-21', '2026-09-28', '2026-10-05', '2026-10-12', '2026-10-19', '2026-10-26'];
  const grid = (firstEnrolledAt: string | null, counts: number[] = WEEKS.map(() => 0)) => ({
    weeks: WEEKS,
    rows: [{ counts }],
    firstEnrolledAt: firstEnrolledAt === null ? null : Date.parse(firstEnrolledAt),
  });

  it('from the week the team began: its first enrolment, in the team time zone', () => {
    assert.equal(firstDrawnWeek(grid('2026-09-01T00:00:00Z'), 'UTC'), 0, 'older than the window: all of it');
    assert.equal(firstDrawnWeek(grid('2026-09-16T10:00:00Z'), 'UTC'), 1);
    // Sunday 13 Sep 23:30 UTC is Monday 14 Sep in Berlin: that week.
    assert.equal(firstDrawnWeek(grid('2026-09-13T23:30:00Z'), 'Europe/Berlin'), 1);
    assert.equal(firstDrawnWeek(grid('2026-09-13T23:30:00Z'), 'UTC'), 0);
  });

  it('or from an earlier conversation (dated before its logger enrolled), and never fewer than 4 weeks', () => {
    assert.equal(firstDrawnWeek(grid('2026-10-01T00:00:00Z', [0, 0, 1, 0, 0, 0, 0, 0]), 'UTC'), 2);
    assert.equal(firstDrawnWeek(grid('2026-10-20T00:00:00Z'), 'UTC'), WEEKS.length - DIGEST_CHART_MIN_WEEKS);
    assert.equal(firstDrawnWeek(grid(null), 'UTC'), WEEKS.length - DIGEST_CHART_MIN_WEEKS, 'nobody yet');
  });
});

describe('a 429 during the upload is waited out and the chart shared', () => {
  const FLOW = ['chat.postMessage', 'files.getUploadURLExternal', 'upload', 'files.completeUploadExternal'];
  for (const method of FLOW.slice(1)) {
    it(`${method}: Retry-After honoured, that step made again, the chart shared once`, async () => {
      const h = await harness({ now: MONDAY, env: ENV });
      await seedTeam(h);
      h.fake.failNext(method, { retryAfter: 1 });
      const report = await runLeaderboard(h.ctx, h.clock.now());
      assert.equal(report.posted.length, 1);
      assert.deepEqual(report.notes, []);
      assert.deepEqual(
        flow(h),
        FLOW.flatMap((m) => (m === method ? [m, m] : [m])),
      );
      const [refused, retried] = h.fake.callsTo(method);
      assert.equal(refused.status, 429);
      assert.ok(retried.at - refused.at >= 900, `made again ${retried.at - refused.at} ms after a 429 asking for 1 s`);
      assert.equal(posts(h, 'CLEAD').length, 1);
      assert.equal(h.fake.callsTo('files.completeUploadExternal').filter((c) => c.response?.ok === true).length, 1);
      assert.equal(h.fake.uploadBytes.size, 1);
      assert.deepEqual(chartWarnings(h), []);
      const claim = (await h.ctx.repos.claims.findClaim({ job: 'leaderboard', scope: TEAM, period: '2026-W49' }))!;
      assert.equal(JSON.parse(claim.detail!).files.length, 1);
    });
  }
});

describe('a chart that cannot be shared leaves exactly one text post', () => {
  // 429s answer with Retry-After: 0 here, so the bounded attempts run out quickly.
  const failures: Array<[string, string, FailSpec, string]> = [
    ['files:write missing', 'files.getUploadURLExternal', { error: 'missing_scope' }, 'missing_scope'],
    ['429s on completing, beyond the attempts', 'files.completeUploadExternal', { retryAfter: 0 }, 'ratelimited'],
    ['429s on the upload URL, beyond the attempts', 'upload', { retryAfter: 0 }, 'ratelimited'],
    ['the upload URL answers 500', 'upload', { status: 500 }, 'upload_failed'],
    ['Slack refuses the share', 'files.completeUploadExternal', { error: 'not_in_channel' }, 'not_in_channel'],
  ];
  for (const [what, method, spec, error] of failures) {
    it(`${what}: one text post, one warning, a line in the report, not retried`, async () => {
      const h = await harness({ now: MONDAY, env: ENV });
      await seedTeam(h);
      h.fake.failNext(method, { ...spec, times: MAX_RATE_LIMITED_ATTEMPTS });
      const first = await runLeaderboard(h.ctx, h.clock.now());
      assert.equal(first.posted.length, 1, 'the post counts as posted');
      assert.deepEqual(first.notes, [
        `leaderboard for week of 2026-11-23 to CLEAD (T0001, 2026-W49): chart not shared (${error}); the post went out as text only`,
      ]);
      assert.equal(posts(h, 'CLEAD').length, 1);
      assert.equal(h.fake.callsTo('files.completeUploadExternal').filter((c) => c.response?.ok === true).length, 0);
      const warnings = chartWarnings(h);
      assert.equal(warnings.length, 1);
      assert.equal(warnings[0].job, 'leaderboard');
      assert.equal(warnings[0].error, error);
      // Later ticks (and the next minute) never resend the text or retry the chart.
      h.clock.set(h.clock.now() + 60 * 60_000);
      await runLeaderboard(h.ctx, h.clock.now());
      await runLeaderboard(h.ctx, h.clock.now());
      assert.equal(posts(h, 'CLEAD').length, 1);
      assert.equal(chartWarnings(h).length, 1);
      assert.ok(h.fake.callsTo('files.getUploadURLExternal').length <= 1);
      const claim = (await h.ctx.repos.claims.findClaim({ job: 'leaderboard', scope: TEAM, period: '2026-W49' }))!;
      assert.equal(claim.status, 'done');
      assert.equal(JSON.parse(claim.detail!).chartError, error);
      assertSurfacesValid(h);
    });
  }

  it('a 429 on the text post is waited out; the chart still goes once, after the one post', async () => {
    const h = await harness({ now: MONDAY, env: ENV });
    await seedTeam(h);
    h.fake.failNext('chat.postMessage', { retryAfter: 1, when: (a) => a.channel === 'CLEAD' });
    await runLeaderboard(h.ctx, h.clock.now());
    assert.equal(posts(h, 'CLEAD').length, 1);
    assert.equal(h.fake.callsTo('files.completeUploadExternal').length, 1);
    assert.deepEqual(flow(h), [
      'chat.postMessage',
      'chat.postMessage',
      'files.getUploadURLExternal',
      'upload',
      'files.completeUploadExternal',
    ]);
  });
});
