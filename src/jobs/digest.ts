import type { Message } from '../blocks/common.js';
import { digestMessage } from '../blocks/digest.js';
import type { AppContext } from '../context.js';
import { localDate } from '../lib/time.js';
import { digestCharts } from './charts.js';
import type { JobReport } from './report.js';
import { runWeeklyPost, type WeeklyPost } from './weekly.js';

/** The digest for a team about the week starting `reportWeek`, as of `now`. */
export async function composeDigest(
  ctx: AppContext,
  teamId: string,
  reportWeek: string,
  now: number,
  opts: { preview?: boolean } = {},
): Promise<Message> {
  const settings = await ctx.services.settings.forTeam(teamId);
  const [data, tactics] = await Promise.all([
    ctx.services.digest.compute(teamId, {
      reportWeek,
      today: localDate(now, settings.timezone),
      target: settings.weeklyTarget,
      now,
      timezone: settings.timezone,
    }),
    ctx.services.tactics.digestTactics(teamId, ctx.config.anonymityMinReports),
  ]);
  return digestMessage(data, tactics, opts);
}

/** Monday 09:30 team time: the VP digest to the digest channel. */
export const digestPost: WeeklyPost = {
  job: 'digest',
  hour: 9,
  minute: 30,
  channelOf: (s) => s.digestChannel,
  channelCommand: '/gemba admin channel digest',
  build: (ctx, teamId, reportWeek, _settings, now) => composeDigest(ctx, teamId, reportWeek, now),
  charts: digestCharts,
};

/** Runs the weekly VP digest if it is due (or `force`). */
export function runDigest(ctx: AppContext, now: number, opts: { force?: boolean } = {}): Promise<JobReport> {
  return runWeeklyPost(ctx, digestPost, now, opts);
}
