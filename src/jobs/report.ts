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

/** Human-readable lines for the CLI. */
export function formatReport(r: JobReport): string {
  const lines = [`${r.job}: ${r.posted.length} posted, ${r.skipped.length} skipped, ${r.failed.length} failed`];
  for (const p of r.posted) lines.push(`  posted  ${p}`);
  for (const s of r.skipped) lines.push(`  skipped ${s}`);
  for (const f of r.failed) lines.push(`  failed  ${f}`);
  for (const n of r.notes) lines.push(`  note    ${n}`);
  if (r.posted.length + r.skipped.length + r.failed.length + r.notes.length === 0) lines.push('  nothing was due');
  return lines.join('\n');
}
