import { pino } from 'pino';
import { loadConfigOrReport } from '../config.js';
import { createContext } from '../context.js';
import { connectStorage, describeStorageFailure } from '../db/connect.js';
import type { Storage } from '../db/storage.js';
import { JOBS } from '../jobs/index.js';
import { exitCodeOf, formatReport } from '../jobs/report.js';
import { listServedTeams } from '../jobs/teams.js';
import { FixedClock, systemClock } from '../lib/clock.js';
import { createLogger } from '../lib/logger.js';
import { createSlackClient } from '../slack/client.js';
import { HELP, parseJobArgs, USAGE } from './job-args.js';

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
    process.stderr.write(`${args.error}\n${USAGE}\n`);
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
  try {
    const clock = args.now === null ? systemClock : new FixedClock(args.now);
    const ctx = createContext({ config, storage, logger, clock, slack: createSlackClient(config, logger) });
    const report = await JOBS[args.job](ctx, clock.now(), { force: args.force });
    await ctx.background.drain();
    process.stdout.write(`${formatReport(report, (await listServedTeams(ctx)).length)}\n`);
    return exitCodeOf(report);
  } finally {
    await storage.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`job failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
