import cron from 'node-cron';
import type { AppContext } from '../context.js';
import { runDueJobs } from './index.js';
import { describeStop, leftWork } from './report.js';

/**
 * The only node-cron user. Cron just supplies a heartbeat; what is due is decided per team and
 * per manager from the injected clock (src/services/schedule.ts), because cron expressions cannot
 * express "09:00 in each manager's own time zone" and node-cron has had DST bugs.
 */
export const TICK_EXPRESSION = '*/5 * * * *';

export interface Scheduler {
  /** Runs one tick now (also used at start-up, to catch up on work due while the app was down). */
  tick(): Promise<void>;
  /**
   * Stops the heartbeat and tells the running tick to stop: each job finishes the post on its way to Slack,
   * takes nothing new and returns (a Retry-After wait is cut short). Resolves once the tick has returned.
   */
  stop(): Promise<void>;
}

/** Starts the heartbeat; `enabled: false` gives a scheduler whose tick can still be called by hand. */
export function startScheduler(ctx: AppContext, opts: { enabled: boolean }): Scheduler {
  let running: Promise<void> | null = null;
  // One for the scheduler's life: once stopped, no tick (cron's or a caller's) starts anything.
  const stopping = new AbortController();
  const tick = (): Promise<void> => {
    // Ticks never overlap: a slow fan-out finishes before the next one starts.
    if (running) return running;
    running = (async () => {
      try {
        const reports = await runDueJobs(ctx, ctx.clock.now(), stopping.signal);
        const stopped = reports.filter(leftWork);
        if (stopped.length)
          ctx.logger.warn(
            { jobs: Object.fromEntries(stopped.map((r) => [r.job, r.stopped])) },
            `shutting down with work left: ${stopped.map((r) => `${r.job} ${describeStop(r.stopped)}`).join('; ')}`,
          );
        for (const r of reports) {
          if (r.posted.length || r.failed.length || r.skipped.length) {
            ctx.logger.info(
              { job: r.job, posted: r.posted.length, skipped: r.skipped.length, failed: r.failed.length },
              'scheduled job ran',
            );
          }
        }
      } finally {
        running = null;
      }
    })();
    return running;
  };
  const task = opts.enabled ? cron.schedule(TICK_EXPRESSION, () => tick(), { noOverlap: true, name: 'gemba-tick' }) : null;
  return {
    tick,
    async stop() {
      // destroy, not stop: a stopped task stays in node-cron's global registry for good.
      await task?.destroy();
      stopping.abort();
      if (running) await running;
    },
  };
}
