import type { Message } from '../blocks/common.js';
import { noChannelProblem, postFailedProblem, weeklyPostAlert } from '../blocks/weekly.js';
import type { AppContext } from '../context.js';
import { mention } from '../lib/slack-text.js';
import { weeklyWindow } from '../services/schedule.js';
import type { TeamSettings } from '../services/settings.js';
import type { SlackClient } from '../slack/client.js';
import { type PostCharts, shareCharts } from './charts.js';
import { describeUnclaimed, RETRY_LASTING_MS, runClaimed } from './claimed.js';
import type { JobOptions } from './index.js';
import { RateGate } from './rate-gate.js';
import { type JobReport, newReport } from './report.js';
import { listServedTeams, workspaceClient } from './teams.js';

/** A weekly channel post (leaderboard, digest): when it goes out, where, and what it says. */
export interface WeeklyPost {
  job: string;
  /** Team-local Monday time it is due. */
  hour: number;
  minute: number;
  channelOf: (s: TeamSettings) => string | null;
  /** The admin command that sets the channel, for the alert. */
  channelCommand: string;
  build: (ctx: AppContext, teamId: string, reportWeek: string, settings: TeamSettings, now: number) => Promise<Message>;
  /** The post's charts, shared in the same channel right after the text (jobs/charts.ts). */
  charts?: (ctx: AppContext, teamId: string, reportWeek: string, settings: TeamSettings) => Promise<PostCharts>;
}

/**
 * Posts a weekly message for every team once its Monday time has come (catch-up for the rest
 * of the week if the app was down), once per ISO week. An unset or failing channel is reported
 * to the admins once per week by DM, not on every tick.
 */
export async function runWeeklyPost(ctx: AppContext, spec: WeeklyPost, now: number, opts: JobOptions = {}): Promise<JobReport> {
  const report = newReport(spec.job);
  const { signal } = opts;
  let left = 0;
  let teamsLeft = 0;
  for (const teamId of await listServedTeams(ctx)) {
    const settings = await ctx.services.settings.forTeam(teamId);
    const window = weeklyWindow(now, settings.timezone, spec.hour, spec.minute);
    if (!window.due && !opts.force) {
      report.notes.push(
        `${teamId}: not due until Monday ${String(spec.hour).padStart(2, '0')}:${String(spec.minute).padStart(2, '0')} ${settings.timezone}`,
      );
      continue;
    }
    // Told to stop (SIGTERM): the post in progress was finished; the teams after it are left for the next run.
    if (signal?.aborted) {
      teamsLeft += 1;
      continue;
    }
    // The workspace's own installation; none (uninstalled, revoked) means nothing is sent there at all.
    const slack = await workspaceClient(ctx, teamId, report);
    if (!slack) continue;
    const channel = spec.channelOf(settings);
    if (!channel) {
      report.notes.push(`${teamId}: no ${spec.job} channel set`);
      await alertAdminsOnce(ctx, slack, teamId, spec, window.period, now, noChannelProblem(spec.job, spec.channelCommand));
      continue;
    }
    // Built only once the claim is ours: every tick for the rest of the week would otherwise
    // compute a post that is already out.
    const key = { job: spec.job, scope: teamId, period: window.period };
    // One gate for the text and its chart: a 429 on either holds the other back too.
    const gate = new RateGate();
    let chartError: string | undefined;
    // The signal only stops the run before the text is sent (or while a 429 on it is waited out): once
    // the text is out, the chart is shared and the claim recorded, so a stop never leaves half a post.
    const outcome = await runClaimed(ctx, key, now, { ...opts, gate, signal }, async () => {
      const message = await spec.build(ctx, teamId, window.reportWeek, settings, now);
      const res = await slack.chat.postMessage({ channel, text: message.text, blocks: message.blocks, unfurl_links: false });
      // After the text is out and still inside this one attempt: shareCharts never throws, so a
      // chart failure can neither fail the claim nor make runClaimed send the text again.
      const chartsOf = spec.charts;
      const charts = chartsOf
        ? await shareCharts(
            ctx,
            slack,
            gate,
            { job: spec.job, teamId, channel },
            () => chartsOf(ctx, teamId, window.reportWeek, settings),
            signal,
          )
        : undefined;
      if (charts && 'chartError' in charts) chartError = charts.chartError;
      return JSON.stringify({ channel: res.channel, ts: res.ts, ...charts });
    });
    if (outcome.status === 'stopped') {
      left += 1;
      continue;
    }
    const what = `${spec.job} for week of ${window.reportWeek} to ${channel} (${teamId}, ${window.period})`;
    if (outcome.status === 'done') {
      report.posted.push(what);
      if (chartError) report.notes.push(`${what}: chart not shared (${chartError}); the post went out as text only`);
    } else if (outcome.status === 'not_claimed')
      report.notes.push(`${what}: ${await describeUnclaimed(ctx, key, 'already posted this week')}`);
    else {
      // A channel problem is lasting: do not skip the week silently, tell the admins once.
      (outcome.status === 'skipped' ? report.skipped : report.failed).push(`${what}: ${outcome.detail}`);
      if (outcome.status === 'skipped') {
        await ctx.repos.claims.finishClaim(key, 'failed', ctx.clock.now(), outcome.detail, ctx.clock.now() + RETRY_LASTING_MS);
        await alertAdminsOnce(
          ctx,
          slack,
          teamId,
          spec,
          window.period,
          now,
          postFailedProblem({
            job: spec.job,
            channel,
            detail: outcome.detail,
            channelCommand: spec.channelCommand,
            retryMs: RETRY_LASTING_MS,
          }),
        );
      }
    }
  }
  if (signal?.aborted) report.stopped = { left, teamsLeft };
  return report;
}

/** DMs the team's admins about a weekly post problem, at most once per job per week. */
async function alertAdminsOnce(
  ctx: AppContext,
  slack: SlackClient,
  teamId: string,
  spec: WeeklyPost,
  period: string,
  now: number,
  problem: string,
): Promise<void> {
  const admins = await ctx.services.roles.listKnownAdmins(teamId);
  const alert = weeklyPostAlert(problem);
  await runClaimed(ctx, { job: `${spec.job}-alert`, scope: teamId, period }, now, {}, async () => {
    // Under the claim too, so a team without a known admin gets one warning a week, not one a tick.
    if (admins.length === 0) {
      ctx.logger.warn({ teamId, job: spec.job }, `weekly ${spec.job} cannot be posted and no admin is known to tell: ${problem}`);
      return 'no admin known';
    }
    for (const admin of admins) {
      try {
        await slack.chat.postMessage({ channel: admin, text: alert.text, blocks: alert.blocks });
      } catch (err) {
        ctx.logger.warn({ err, admin: mention(admin) }, 'could not alert an admin');
      }
    }
    return `alerted ${admins.length}`;
  });
}
