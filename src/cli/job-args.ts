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

/** A correct command line, shown under the usage whenever the arguments were wrong. */
export const EXAMPLE = 'example: npm run job -- leaderboard --now 2026-11-30T09:05:00Z';

/** The parsed command line, a request for help, or a message saying what is wrong with it. */
export function parseJobArgs(argv: string[]): { job: JobName; now: number | null; force: boolean } | { help: true } | { error: string } {
  if (argv.some((a) => a === '--help' || a === '-h') || argv[0] === 'help') return { help: true };
  const rest = [...argv];
  const jobs = Object.keys(JOBS).join(', ');
  let job: string | undefined;
  let now: number | null = null;
  let force = false;
  // The options may come before the job too (`--force nudges`): the job is the one word that is not an option.
  while (rest.length) {
    const arg = rest.shift() ?? '';
    if (arg === '--force') force = true;
    else if (arg === '--now' || arg.startsWith('--now=')) {
      const value = arg === '--now' ? rest.shift() : arg.slice('--now='.length);
      const ms = parseInstant(value ?? '');
      if (Number.isNaN(ms)) return { error: `--now needs an ISO 8601 timestamp such as 2026-11-30T09:05:00Z (got "${value ?? ''}")` };
      if (ms < NOW_RANGE.from || ms >= NOW_RANGE.to)
        return { error: `--now must lie in the years ${NOW_RANGE.firstYear}–${NOW_RANGE.lastYear} (got "${value}")` };
      now = ms;
    } else if (arg.startsWith('-')) return { error: `unknown option "${arg}"` };
    else if (job !== undefined) return { error: `one job at a time (got "${job}" and "${arg}")` };
    // hasOwn, not `in`: `toString` or `constructor` is not a job.
    else if (!Object.hasOwn(JOBS, arg)) return { error: `unknown job "${arg}": the jobs are ${jobs}` };
    else job = arg;
  }
  if (job === undefined) return { error: `which job? name one of ${jobs}` };
  return { job: job as JobName, now, force };
}

/**
 * The instants --now accepts: from 1970 to the end of 9998, so every date a job works out from it (the day after, the
 * week after) is one the calendar helpers can write (they stop at 9999-12-31).
 */
const NOW_RANGE = { firstYear: 1970, lastYear: 9998, from: Date.UTC(1970, 0, 1), to: Date.UTC(9999, 0, 1) };

/**
 * An ISO 8601 timestamp as epoch ms, or NaN: a date, `T` (or a space, as RFC 3339 allows), hours and minutes,
 * optional seconds with any number of decimals (`.` or `,`; cut to milliseconds), and an optional offset (`Z`,
 * `±hh`, `±hhmm` or `±hh:mm`). Without an offset it is UTC (never the host's zone, which Date.parse would use), and
 * an impossible date or time is refused rather than rolled over (Date.parse reads 2026-02-30T09:00Z as 2 March).
 * Example: '2026-03-09T14:00:00Z', '2026-03-09T09:00-05:00', '2026-03-09T09:00-05', '2026-03-09T14:00' and
 * '2026-03-09T14:00:00.000000+00:00' (Python's isoformat) are one instant.
 */
export function parseInstant(value: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|([+-])(\d{2})(?::?(\d{2}))?)?$/i.exec(value.trim());
  if (!m || !isRealDate(`${m[1]}-${m[2]}-${m[3]}`)) return NaN;
  const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
  const [offsetHours, offsetMinutes] = [Number(m[10] ?? 0), Number(m[11] ?? 0)];
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return NaN;
  const ms = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3));
  const offset = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  const wall = new Date(0);
  wall.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  wall.setUTCHours(hour, minute, second, ms);
  return wall.getTime() - offset;
}
