import type { AppContext } from '../context.js';
import { reportFailure } from '../lib/errors.js';
import { runDigest } from './digest.js';
import { runLeaderboard } from './leaderboard.js';
import { runNudges } from './nudges.js';
import { runPublish } from './publish.js';
import type { JobReport } from './report.js';
import { runRetention } from './retention.js';

/** `signal`: the run is told to stop (SIGTERM); it finishes the post in flight, sends nothing new and returns (report.stopped). */
export interface JobOptions {
  force?: boolean;
  signal?: AbortSignal;
}

export type JobRunner = (ctx: AppContext, now: number, opts?: JobOptions) => Promise<JobReport>;

/** Every scheduled job by its CLI name. Adding a job: write `run<Job>(ctx, now, opts)` and list it here. */
export const JOBS = {
  nudges: runNudges,
  leaderboard: runLeaderboard,
  digest: runDigest,
  retention: runRetention,
  publish: runPublish,
} as const satisfies Record<string, JobRunner>;

export type JobName = keyof typeof JOBS;

/** What each job does, one line each (`npm run job -- --help`); PRODUCT.md "Scheduled jobs" has the whole rule. */
export const JOB_SUMMARIES: Record<JobName, string> = {
  nudges: 'DM each quiet manager at their own nudge hour on working days (once per manager per day)',
  leaderboard: "post last week's leaderboard to LEADERBOARD_CHANNEL (Monday 09:00 team time, once per week)",
  digest: 'post the VP digest to DIGEST_CHANNEL (Monday 09:30 team time, once per week)',
  retention: 'erase the data of workspaces that uninstalled Gemba more than UNINSTALL_RETENTION_DAYS ago (distribution mode)',
  publish: 'publish the tactic flags and Me toos received since the last publish (daily at FLAG_PUBLISH_HOUR)',
};

/**
 * Runs every job once for the instant `now`; each decides for itself whether anything is due. Once `signal`
 * is aborted the job running finishes its post in flight and returns, and the jobs after it are not started.
 */
export async function runDueJobs(ctx: AppContext, now: number, signal?: AbortSignal): Promise<JobReport[]> {
  const reports: JobReport[] = [];
  for (const [name, run] of Object.entries(JOBS)) {
    if (signal?.aborted) break;
    try {
      reports.push(await run(ctx, now, { signal }));
    } catch (err) {
      // One job's failure (e.g. the database briefly unavailable) must not stop the others.
      reportFailure(ctx.logger, err, { surface: 'job', job: name });
    }
  }
  return reports;
}
