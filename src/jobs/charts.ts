import { type Chart, heatMapChart, leaderboardChart, selectHeatRows, teamTrendChart, weekLabel } from '../charts/index.js';
import type { AppContext } from '../context.js';
import { localDate, weekStart } from '../lib/time.js';
import type { Leaderboard } from '../services/leaderboard.js';
import type { TeamSettings } from '../services/settings.js';
import type { SlackClient } from '../slack/client.js';
import { rateLimitedFor, slackErrorCode } from '../slack/errors.js';
import { uploadImages } from '../slack/files.js';
import { MAX_RATE_LIMITED_ATTEMPTS } from './claimed.js';
import { type RateGate, RunStopped } from './rate-gate.js';

/** Weeks the digest's charts cover (the text keeps its 8): a quarter, to see last month against the one before. */
export const DIGEST_CHART_WEEKS = 12;

/** The images that go with a weekly post, and the one line that introduces them. */
export interface PostCharts {
  comment: string;
  charts: Chart[];
}

/** Managers' names as a chart prints them: the cached Slack display name, else the user id. */
async function namesOf(ctx: AppContext, teamId: string, userIds: string[]): Promise<(userId: string) => string> {
  const names = new Map<string, string>();
  for (const userId of userIds) {
    const profile = await ctx.repos.profiles.findProfile(teamId, userId);
    if (profile?.displayName) names.set(userId, profile.displayName);
  }
  return (userId) => names.get(userId) ?? userId;
}

/** Fewest weeks a digest chart draws, however new the team: a trend needs a few points. */
export const DIGEST_CHART_MIN_WEEKS = 4;

/**
 * The index of the first week the digest's charts draw: the week the team's first manager enrolled,
 * or of its first conversation if that is earlier (a conversation may be dated before its logger
 * enrolled); never leaving fewer than DIGEST_CHART_MIN_WEEKS. Example: a team that began 3 weeks
 * before a 12-week window's end → index 8 (its last 4 weeks).
 */
export function firstDrawnWeek(
  grid: { weeks: string[]; rows: Array<{ counts: number[] }>; firstEnrolledAt: number | null },
  timezone: string,
): number {
  const enrolledWeek = grid.firstEnrolledAt === null ? null : weekStart(localDate(grid.firstEnrolledAt, timezone));
  const byEnrolment = enrolledWeek === null ? grid.weeks.length : grid.weeks.findIndex((w) => w >= enrolledWeek);
  const firstCounted = grid.weeks.findIndex((_, i) => grid.rows.some((r) => (r.counts[i] ?? 0) > 0));
  const first = Math.min(byEnrolment === -1 ? grid.weeks.length : byEnrolment, firstCounted === -1 ? grid.weeks.length : firstCounted);
  return Math.max(0, Math.min(first, grid.weeks.length - DIGEST_CHART_MIN_WEEKS));
}

/** The digest's charts: the team trend with coverage, and the managers × weeks heat map. */
export async function digestCharts(ctx: AppContext, teamId: string, reportWeek: string, settings: TeamSettings): Promise<PostCharts> {
  const { team } = ctx.services;
  const trend = await team.teamTrend(teamId, { lastDay: reportWeek, weeks: DIGEST_CHART_WEEKS, target: settings.weeklyTarget, listed: 0 });
  const fullGrid = await team.weeklyGrid(teamId, { lastDay: reportWeek, weeks: DIGEST_CHART_WEEKS });
  // A team younger than the window: its charts start with its first week, not with weeks it never had.
  const from = firstDrawnWeek(fullGrid, settings.timezone);
  const grid = { weeks: fullGrid.weeks.slice(from), rows: fullGrid.rows.map((r) => ({ ...r, counts: r.counts.slice(from) })) };
  const trendWeeks = trend.weeks.slice(from);
  const picked = selectHeatRows(grid.rows);
  const name = await namesOf(
    ctx,
    teamId,
    picked.rows.map((r) => r.userId),
  );
  const locale = ctx.config.teamLocale;
  const latest = trendWeeks[trendWeeks.length - 1];
  const teamTarget = trend.managerCount * settings.weeklyTarget;
  return {
    comment: `Charts, week of ${weekLabel(reportWeek, locale)}: ${latest.total} conversations against a team target of ${teamTarget}, coverage ${Math.round(latest.coverage * 100)}% (${latest.managersWithOne} of ${trend.managerCount} managers).`,
    charts: [
      teamTrendChart({ weeks: trendWeeks, managerCount: trend.managerCount, target: settings.weeklyTarget, locale }),
      heatMapChart({
        weeks: grid.weeks,
        rows: picked.rows.map((r) => ({ label: name(r.userId), fallback: r.userId, counts: r.counts })),
        topAndBottom: picked.topAndBottom,
        managerCount: trend.managerCount,
        target: settings.weeklyTarget,
        locale,
      }),
    ],
  };
}

/** The leaderboard's chart: last week's leaders against target. People at zero are not in `lb.entries`. */
export async function leaderboardCharts(ctx: AppContext, teamId: string, lb: Leaderboard): Promise<PostCharts> {
  const name = await namesOf(
    ctx,
    teamId,
    lb.entries.map((e) => e.userId),
  );
  const leaders = lb.entries.slice(0, 3).map((e) => `${name(e.userId)} ${e.count}`);
  return {
    comment: `Chart, week of ${weekLabel(lb.weekStart, ctx.config.teamLocale)}: ${lb.teamTotal} conversations${leaders.length ? `; leading: ${leaders.join(', ')}` : ''}.`,
    charts: [
      leaderboardChart({
        weekStart: lb.weekStart,
        entries: lb.entries.map((e) => ({ rank: e.rank, label: name(e.userId), fallback: e.userId, count: e.count })),
        target: lb.target,
        teamTotal: lb.teamTotal,
        managerCount: lb.managerCount,
        locale: ctx.config.teamLocale,
      }),
    ],
  };
}

/**
 * Draws and shares a post's charts in `channel` as one message, with the workspace's own client,
 * after the post's text went out. A 429 on any step of the upload is waited out through the run's
 * `gate` and that step made again, at most MAX_RATE_LIMITED_ATTEMPTS - 1 times for the whole flow
 * (the post's claim stays 'posting' meanwhile, so the wait is bounded); a run told to stop (`signal`)
 * stops waiting and shares no chart, so a shutdown records the text post instead of outliving its grace period.
 * Never throws: a chart that still cannot be drawn or uploaded (files:write missing, a Slack error,
 * 429s beyond the attempts) leaves the text post as it is, logs one warning, and is not retried on
 * later runs, so the post is never sent twice because of its chart. Returns what happened, for the
 * claim's detail and the job report.
 */
export async function shareCharts(
  ctx: AppContext,
  slack: SlackClient,
  gate: RateGate,
  where: { job: string; teamId: string; channel: string },
  build: () => Promise<PostCharts>,
  signal?: AbortSignal,
): Promise<{ files: string[] } | { chartError: string }> {
  const budget = { retries: MAX_RATE_LIMITED_ATTEMPTS - 1 };
  try {
    const { comment, charts } = await build();
    const { fileIds } = await uploadImages(
      slack,
      {
        channel: where.channel,
        comment,
        images: charts.map((c) => ({ filename: c.filename, title: c.title, alt: c.alt, bytes: c.png })),
      },
      (call) => gate.call(budget, call, signal),
    );
    return { files: fileIds };
  } catch (err) {
    // The client's 429 error and the upload URL's carry no Slack error string: say what Slack said.
    const code = err instanceof RunStopped ? err.code : rateLimitedFor(err) === null ? slackErrorCode(err) : 'ratelimited';
    ctx.logger.warn(
      { job: where.job, teamId: where.teamId, channel: where.channel, error: code },
      'chart not shared; the post went out as text only',
    );
    return { chartError: code };
  }
}
