import { JOB_SUMMARIES, JOBS, type JobName } from '../jobs/index.js';
import { isRealDate } from '../lib/time.js';

/** The job CLI's arguments, apart from src/cli/job.ts so they can be tested without running a job. */
export const USAGE = `usage: npm run job -- <${Object.keys(JOBS).join('|')}> [--now <ISO 8601 timestamp>] [--force]`;

/** `npm run job -- --help`: the usage, each job in a line, and what the options do. */
export const HELP = [
  USAGE,
  '',
  'Runs one scheduled job once against the configured database and Slack (for SCHEDULER_ENABLED=false and',
  'external schedulers) and prints what it posted. Exits 0 when all is done, 1 when something failed,',
  '2 on bad arguments, 130/143 when stopped by SIGINT/SIGTERM (the next run finishes what was left).',
  '',
  ...Object.entries(JOB_SUMMARIES).map(([job, summary]) => `  ${job.padEnd(12)}${summary}`),
  '',
  '  --now <ISO 8601>  run as if it were that instant (no offset means UTC), e.g. 2026-11-30T09:05:00Z',
  '  --force           run even if this period was already done (posts again)',
].join('\n');

/** The parsed command line, a request for help, or a message saying what is wrong with it. */
export function parseJobArgs(argv: string[]): { job: JobName; now: number | null; force: boolean } | { help: true } | { error: string } {
  if (argv.some((a) => a === '--help' || a === '-h') || argv[0] === 'help') return { help: true };
  const rest = [...argv];
  const job = rest.shift();
  // hasOwn, not `in`: `toString` or `constructor` is not a job.
  if (!job || !Object.hasOwn(JOBS, job)) return { error: job ? `unknown job "${job}"` : 'which job?' };
  let now: number | null = null;
  let force = false;
  while (rest.length) {
    const arg = rest.shift() ?? '';
    if (arg === '--force') force = true;
    else if (arg === '--now' || arg.startsWith('--now=')) {
      const value = arg === '--now' ? rest.shift() : arg.slice('--now='.length);
      const ms = parseInstant(value ?? '');
      if (Number.isNaN(ms)) return { error: `--now needs an ISO 8601 timestamp such as 2026-11-30T09:05:00Z (got "${value ?? ''}")` };
      now = ms;
    } else return { error: `unknown option "${arg}"` };
  }
  return { job: job as JobName, now, force };
}

/**
 * An ISO 8601 timestamp as epoch ms, or NaN. Without an offset it is UTC (never the host's zone,
 * which Date.parse would use), and an impossible date is refused rather than rolled over
 * (Date.parse reads 2026-02-30T09:00Z as 2 March).
 * Example: '2026-03-09T14:00:00Z', '2026-03-09T09:00-05:00' and '2026-03-09T14:00' are one instant.
 */
export function parseInstant(value: string): number {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?$/i.exec(value.trim());
  if (!m || !isRealDate(m[1]) || Number(m[2]) > 23 || Number(m[3]) > 59 || Number(m[4] ?? 0) > 59) return NaN;
  return Date.parse(m[5] ? value.trim() : `${value.trim()}Z`);
}
