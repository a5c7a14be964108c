/** What a job run did, printed by the job CLI and logged by the scheduler. */
export interface JobReport {
  job: string;
  posted: string[];
  skipped: string[];
  failed: string[];
  /** Why nothing was attempted for a team or person (not due yet, already done, no channel). */
  notes: string[];
}

export const newReport = (job: string): JobReport => ({ job, posted: [], skipped: [], failed: [], notes: [] });

/** Exit status of the job CLI: non-zero when any post failed, so an external scheduler sees it. */
export const exitCodeOf = (r: JobReport): number => (r.failed.length > 0 ? 1 : 0);

/** Human-readable lines for the CLI; `teams` is how many teams the job could serve. */
export function formatReport(r: JobReport, teams = 1): string {
  const lines = [`${r.job}: ${r.posted.length} posted, ${r.skipped.length} skipped, ${r.failed.length} failed`];
  for (const p of r.posted) lines.push(`  posted  ${p}`);
  for (const s of r.skipped) lines.push(`  skipped ${s}`);
  for (const f of r.failed) lines.push(`  failed  ${f}`);
  for (const n of r.notes) lines.push(`  note    ${n}`);
  if (r.posted.length + r.skipped.length + r.failed.length + r.notes.length === 0)
    lines.push(teams === 0 ? '  no team is set up yet (nobody has used Gemba in this workspace)' : '  nothing was due');
  return lines.join('\n');
}
