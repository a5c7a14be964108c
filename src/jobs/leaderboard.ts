import { leaderboardMessage } from '../blocks/leaderboard.js';
import type { AppContext } from '../context.js';
import { WEEKLY_POSTS } from '../services/schedule.js';
import { leaderboardCharts } from './charts.js';
import type { JobOptions } from './index.js';
import type { JobReport } from './report.js';
import { runWeeklyPost, type WeeklyPost } from './weekly.js';

/** Monday 09:00 team time: last week's leaderboard to the leaderboard channel. */
export const leaderboardPost: WeeklyPost = {
  job: 'leaderboard',
  ...WEEKLY_POSTS.leaderboard,
  channelOf: (s) => s.leaderboardChannel,
  channelCommand: '/gemba admin channel leaderboard',
  build: async (ctx, teamId, reportWeek, settings) =>
    leaderboardMessage(await ctx.services.leaderboard.compute(teamId, reportWeek, settings.weeklyTarget, { complete: true }), {
      title: 'Weekly leaderboard',
      inProgress: false,
    }),
  charts: async (ctx, teamId, reportWeek, settings) =>
    leaderboardCharts(ctx, teamId, await ctx.services.leaderboard.compute(teamId, reportWeek, settings.weeklyTarget, { complete: true })),
};

/** Runs the weekly leaderboard post if it is due (or `force`). */
export function runLeaderboard(ctx: AppContext, now: number, opts: JobOptions = {}): Promise<JobReport> {
  return runWeeklyPost(ctx, leaderboardPost, now, opts);
}
