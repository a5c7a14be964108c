import type { AppContext } from '../context.js';
import { type JobReport, newReport } from './report.js';

/**
 * Erases the data of workspaces that uninstalled Gemba more than UNINSTALL_RETENTION_DAYS ago
 * (0: at the next tick), along with their installation. Reinstalling before then keeps everything.
 * Single-workspace mode has no installations, so nothing is ever due there.
 */
export async function runRetention(ctx: AppContext, now: number): Promise<JobReport> {
  const report = newReport('retention');
  for (const { installKey, workspaces } of await ctx.services.installations.eraseExpired(now)) {
    const what = `erased ${installKey}: ${workspaces.length ? `workspace data of ${workspaces.join(', ')}` : 'no workspace data left'}`;
    report.posted.push(what);
    ctx.logger.info({ installKey, workspaces }, 'uninstalled workspace erased after the retention window');
  }
  return report;
}
