import type { AppContext } from '../context.js';
import { reportFailure } from '../lib/errors.js';
import { runDigest } from './digest.js';
import { runLeaderboard } from './leaderboard.js';
import { runNudges } from './nudges.js';
import { runPublish } from './publish.js';
import type { JobReport } from './report.js';
import { runRetention } from './retention.js';

export type JobRunner = (ctx: AppContext, now: number, opts?: { force?: boolean }) => Promise<JobReport>;

/** Every scheduled job by its CLI name. Adding a job: write `run<Job>(ctx, now, opts)` and list it here. */
export const JOBS = {
  nudges: runNudges,
  leaderboard: runLeaderboard,
  digest: runDigest,
  retention: runRetention,
  publish: runPublish,
} as const satisfies Record<string, JobRunner>;

export type JobName = keyof typeof JOBS;

/** Runs every job once for the instant `now`; each decides for itself whether anything is due. */
export async function runDueJobs(ctx: AppContext, now: number): Promise<JobReport[]> {
  const reports: JobReport[] = [];
  for (const [name, run] of Object.entries(JOBS)) {
    try {
      reports.push(await run(ctx, now));
    } catch (err) {
      // One job's failure (e.g. the database briefly unavailable) must not stop the others.
      reportFailure(ctx.logger, err, { surface: 'job', job: name });
    }
  }
  return reports;
}
