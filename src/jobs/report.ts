import { plural } from '../blocks/common.js';

/** What a job run did, printed by the job CLI and logged by the scheduler. */
export interface JobReport {
  job: string;
  posted: string[];
  skipped: string[];
  failed: string[];
  /** Why nothing was attempted for a team or person (not due yet, already done, no channel). */
  notes: string[];
  /**
   * Set when the run was told to stop (SIGTERM/SIGINT): `left` posts it knew were due and did not send (their
   * claims given back), `teamsLeft` teams it did not reach. The next run takes both.
   */
  stopped?: { left: number; teamsLeft: number };
}

export const newReport = (job: string): JobReport => ({ job, posted: [], skipped: [], failed: [], notes: [] });

/** One line on what a stopped run left for the next run, e.g. "stopped early: 12 due posts and 2 teams not reached, left for the next run". */
export function describeStop(stopped: NonNullable<JobReport['stopped']>): string {
  const parts = [];
  if (stopped.left > 0) parts.push(plural(stopped.left, 'due post'));
  if (stopped.teamsLeft > 0) parts.push(`${plural(stopped.teamsLeft, 'team')} not reached`);
  return parts.length ? `stopped early: ${parts.join(' and ')}, left for the next run` : 'stopped early: nothing was left undone';
}

/** True when a stopped run left work for the next run. */
export const leftWork = (r: JobReport): r is JobReport & Required<Pick<JobReport, 'stopped'>> =>
  r.stopped !== undefined && r.stopped.left + r.stopped.teamsLeft > 0;

/** Exit status of the job CLI: non-zero when any post failed, so an external scheduler sees it. */
export const exitCodeOf = (r: JobReport): number => (r.failed.length > 0 ? 1 : 0);

/** Human-readable lines for the CLI; `teams` is how many teams the job could serve. */
export function formatReport(r: JobReport, teams = 1): string {
  const lines = [`${r.job}: ${r.posted.length} posted, ${r.skipped.length} skipped, ${r.failed.length} failed`];
  for (const p of r.posted) lines.push(`  posted  ${p}`);
  for (const s of r.skipped) lines.push(`  skipped ${s}`);
  for (const f of r.failed) lines.push(`  failed  ${f}`);
  for (const n of r.notes) lines.push(`  note    ${n}`);
  if (r.stopped) lines.push(`  ${describeStop(r.stopped)}`);
  if (r.posted.length + r.skipped.length + r.failed.length + r.notes.length === 0 && !r.stopped)
    lines.push(teams === 0 ? '  no team is set up yet (nobody has used Gemba in this workspace)' : '  nothing was due');
  return lines.join('\n');
}
