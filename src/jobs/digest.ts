import type { Message } from '../blocks/common.js';
import { digestMessage } from '../blocks/digest.js';
import type { AppContext } from '../context.js';
import { WEEKLY_POSTS } from '../services/schedule.js';
import { digestCharts } from './charts.js';
import type { JobOptions } from './index.js';
import type { JobReport } from './report.js';
import { runWeeklyPost, type WeeklyPost } from './weekly.js';

/** The digest message for a team about the week starting `reportWeek`, as of `now`: the service's content, rendered. */
export async function composeDigest(
  ctx: AppContext,
  teamId: string,
  reportWeek: string,
  now: number,
  opts: { preview?: boolean } = {},
): Promise<Message> {
  const { data, tactics } = await ctx.services.digest.forWeek(teamId, reportWeek, now);
  return digestMessage(data, tactics, opts);
}

/** Monday 09:30 team time: the VP digest to the digest channel. */
export const digestPost: WeeklyPost = {
  job: 'digest',
  ...WEEKLY_POSTS.digest,
  channelOf: (s) => s.digestChannel,
  channelCommand: '/gemba admin channel digest',
  build: (ctx, teamId, reportWeek, _settings, now) => composeDigest(ctx, teamId, reportWeek, now),
  charts: digestCharts,
};

/** Runs the weekly VP digest if it is due (or `force`). */
export function runDigest(ctx: AppContext, now: number, opts: JobOptions = {}): Promise<JobReport> {
  return runWeeklyPost(ctx, digestPost, now, opts);
}
