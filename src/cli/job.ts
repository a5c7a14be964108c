import { constants } from 'node:os';
import { pino } from 'pino';
import { loadConfigOrReport } from '../config.js';
import { createContext } from '../context.js';
import { connectStorage, describeStorageFailure } from '../db/connect.js';
import type { Storage } from '../db/storage.js';
import { JOBS } from '../jobs/index.js';
import { describeStop, exitCodeOf, formatReport } from '../jobs/report.js';
import { listServedTeams } from '../jobs/teams.js';
import { FixedClock, systemClock } from '../lib/clock.js';
import { createLogger } from '../lib/logger.js';
import { createSlackClient } from '../slack/client.js';
import { EXAMPLE, HELP, parseJobArgs, USAGE } from './job-args.js';

/**
 * `npm run job -- <job> [--now …] [--force]`: runs one job once against the configured database
 * and Slack, prints what it posted, and exits. For external schedulers (SCHEDULER_ENABLED=false)
 * and for operators. The once-per-period rule holds unless --force.
 */
async function main(): Promise<number> {
  const args = parseJobArgs(process.argv.slice(2));
  if ('help' in args) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if ('error' in args) {
    process.stderr.write(`${args.error}\n${USAGE}\n${EXAMPLE}\n`);
    return 2;
  }
  const config = loadConfigOrReport('invalid configuration', { servesHttp: false });
  if (!config) return 1;
  // Logs go to stderr so stdout carries only the report.
  const logger = createLogger(config.logLevel, pino.destination(2));
  let storage: Storage;
  try {
    ({ storage } = await connectStorage(config, logger));
  } catch (err) {
    process.stderr.write(`job failed: ${describeStorageFailure(config, err)}\n`);
    return 1;
  }
  // SIGTERM/SIGINT (an external scheduler's timeout, Ctrl-C): the DMs on their way finish, nothing new is sent,
  // the report says what was left, and the exit status is the shell's for that signal (130, 143). Past
  // SHUTDOWN_DEADLINE_MS (a Slack call that hangs) the database is closed and the process exits regardless.
  const stop = new AbortController();
  let interrupted: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = signal;
    stop.abort();
    process.stderr.write(`${signal}: stopping after the posts in flight; the rest is left for the next run\n`);
    setTimeout(() => {
      process.stderr.write(`job interrupted (${signal}): still running after ${SHUTDOWN_DEADLINE_MS / 1000} s; exiting\n`);
      void Promise.race([storage.close(), new Promise((resolve) => setTimeout(resolve, 2_000))]).finally(() =>
        process.exit(signalExitCode(signal)),
      );
    }, SHUTDOWN_DEADLINE_MS);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    const clock = args.now === null ? systemClock : new FixedClock(args.now);
    const ctx = createContext({ config, storage, logger, clock, slack: createSlackClient(config, logger) });
    const report = await JOBS[args.job](ctx, clock.now(), { force: args.force, signal: stop.signal });
    await ctx.background.drain();
    process.stdout.write(`${formatReport(report, (await listServedTeams(ctx)).length)}\n`);
    if (interrupted) {
      process.stderr.write(`job interrupted (${interrupted}): ${report.stopped ? describeStop(report.stopped) : 'it had finished'}\n`);
      return signalExitCode(interrupted);
    }
    return exitCodeOf(report);
  } finally {
    await storage.close();
  }
}

/** How long an interrupted job may take to finish its posts in flight before it exits regardless. */
const SHUTDOWN_DEADLINE_MS = 5_000;

/** The shell's status for a process ended by `signal` (128 + its number): SIGINT 130, SIGTERM 143. */
const signalExitCode = (signal: NodeJS.Signals): number => 128 + (constants.signals[signal] ?? 0);

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`job failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
