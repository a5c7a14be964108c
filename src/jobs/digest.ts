import type { Message } from '../blocks/common.js';
import { digestMessage } from '../blocks/digest.js';
import type { AppContext } from '../context.js';
import { localDate } from '../lib/time.js';
import type { JobReport } from './report.js';
import { runWeeklyPost, type WeeklyPost } from './weekly.js';

/** The digest for a team about the week starting `reportWeek`, as of `now`. */
export function composeDigest(ctx: AppContext, teamId: string, reportWeek: string, now: number, opts: { preview?: boolean } = {}): Message {
  const settings = ctx.services.settings.forTeam(teamId);
  const data = ctx.services.digest.compute(teamId, {
    reportWeek,
    today: localDate(now, settings.timezone),
    target: settings.weeklyTarget,
    now,
    timezone: settings.timezone,
  });
  const tactics = ctx.services.tactics.digestTactics(teamId, ctx.config.anonymityMinReports);
  return digestMessage(data, tactics, opts);
}

/** Monday 09:30 team time: the VP digest to the digest channel. */
export const digestPost: WeeklyPost = {
  job: 'digest',
  hour: 9,
  minute: 30,
  channelOf: (s) => s.digestChannel,
  channelCommand: '/gemba admin channel digest',
  build: (ctx, teamId, reportWeek) => composeDigest(ctx, teamId, reportWeek, ctx.clock.now()),
};

/** Runs the weekly VP digest if it is due (or `force`). */
export function runDigest(ctx: AppContext, now: number, opts: { force?: boolean } = {}): Promise<JobReport> {
  // The digest is computed as of `now` (the job's instant), not the clock: `runDigest(ctx, now)` must
  // say the same whoever calls it.
  return runWeeklyPost(ctx, { ...digestPost, build: (c, teamId, reportWeek) => composeDigest(c, teamId, reportWeek, now) }, now, opts);
}
