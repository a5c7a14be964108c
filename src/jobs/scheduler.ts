import cron from 'node-cron';
import type { AppContext } from '../context.js';
import { runDueJobs } from './index.js';

/**
 * The only node-cron user. Cron just supplies a heartbeat; what is due is decided per team and
 * per manager from the injected clock (src/services/schedule.ts), because cron expressions cannot
 * express "09:00 in each manager's own time zone" and node-cron has had DST bugs.
 */
export const TICK_EXPRESSION = '*/5 * * * *';

export interface Scheduler {
  /** Runs one tick now (also used at start-up, to catch up on work due while the app was down). */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the heartbeat; `enabled: false` gives a scheduler whose tick can still be called by hand. */
export function startScheduler(ctx: AppContext, opts: { enabled: boolean }): Scheduler {
  let running: Promise<void> | null = null;
  const tick = (): Promise<void> => {
    // Ticks never overlap: a slow fan-out finishes before the next one starts.
    if (running) return running;
    running = (async () => {
      try {
        const reports = await runDueJobs(ctx, ctx.clock.now());
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
      if (running) await running;
    },
  };
}
