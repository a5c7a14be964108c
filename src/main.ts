import { type BoltApp, createApp } from './app.js';
import { loadConfigOrReport } from './config.js';
import { type AppContext, createContext } from './context.js';
import { connectStorage, describeStorageFailure } from './db/connect.js';
import type { Storage } from './db/storage.js';
import { type Scheduler, startScheduler } from './jobs/scheduler.js';
import { systemClock } from './lib/clock.js';
import { reportHeldFailures } from './lib/held-failures.js';
import { createLogger, logDestination } from './lib/logger.js';
import { createSlackClient } from './slack/client.js';
import { checkTokenKey } from './slack/oauth.js';
import { type BotIdentity, describeSocketStartFailure, SLACK_DEFAULT_API_URL, SlackStartError, verifySlack } from './slack/verify.js';

/**
 * Composition root: config → logger → database → migrations → context → Bolt app → start →
 * scheduler.
 * SIGTERM/SIGINT stop the scheduler (the running tick finishes the DMs on their way and takes no new one), stop
 * taking requests, let in-flight ones and after-ack work finish, then close the database: all within
 * SHUTDOWN_DEADLINE_MS, after which the database is closed regardless.
 */
async function main(): Promise<void> {
  const config = loadConfigOrReport('Gemba cannot start: invalid configuration');
  if (!config) process.exit(1);
  const logger = createLogger(config.logLevel, logDestination(config.logFormat));

  // Signals are handled from here on, not only once the app runs: start-up can take long (Socket Mode retries
  // a connection Slack's WebSocket does not accept, PostgreSQL's migration lock waits for another instance),
  // and a SIGTERM then must still close the database and exit 0 rather than kill the process mid-write.
  let stopping = false;
  let storage: Storage | undefined;
  let running: { app: BoltApp; scheduler: Scheduler; ctx: AppContext } | undefined;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, starting: running === undefined }, 'shutting down');
    const orderly = (async () => {
      if (running) {
        await running.scheduler.stop();
        await running.app.stop();
        await running.ctx.background.drain();
        // Failures on the flag surfaces held for a publish that this process will not run.
        for (const [teamId, failures] of running.ctx.heldFailures.takeAll())
          reportHeldFailures(logger, teamId, failures, 'since the last publish (reported at shutdown)');
      }
    })().catch((err) => logger.error({ err }, 'error while stopping'));
    // A Slack call can hang (the Web API client has no request timeout, and retries 5xx for seconds), and a
    // container platform kills the process after its grace period: past the deadline, close the database anyway.
    // A DM cut off then stays 'posting', and the next run reads Slack back before sending it (jobs/claimed.ts).
    if ((await Promise.race([orderly.then(() => true), sleep(SHUTDOWN_DEADLINE_MS).then(() => false)])) === false)
      logger.warn({ deadlineMs: SHUTDOWN_DEADLINE_MS }, 'work still running at the shutdown deadline; closing the database anyway');
    await Promise.race([
      storage?.close().catch((err) => logger.error({ err }, 'error while closing the database')),
      sleep(CLOSE_DEADLINE_MS),
    ]);
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  const connected = await connectStorage(config, logger).catch((err: unknown) => startFailed(describeStorageFailure(config, err)));
  storage = connected.storage;
  const { applied, where } = connected;
  logger.info({ applied, database: where }, applied.length ? 'migrations applied' : 'database schema up to date');

  // Distribution mode: a changed TOKEN_ENCRYPTION_KEY would fail every request and job; say so once, now.
  const keyProblem = config.distribution ? await checkTokenKey(storage.repos.installations, config.distribution.tokenKey) : null;
  if (keyProblem) {
    await storage.close();
    startFailed(keyProblem);
  }

  const ctx = createContext({ config, storage, logger, clock: systemClock, slack: createSlackClient(config, logger) });
  // One auth.test first (single-workspace mode), so an unreachable Slack or a refused token is one clear line.
  let identity: BotIdentity | undefined;
  if (config.slackBotToken) {
    try {
      identity = await verifySlack(config, config.slackBotToken, logger);
    } catch (err) {
      await storage.close();
      if (!(err instanceof SlackStartError)) throw err;
      startFailed(err.message);
    }
  }
  // Bolt is given the identity auth.test returned, so it does not call auth.test a second time.
  const app = createApp(ctx, identity ? { botId: identity.botId, botUserId: identity.botUserId } : {});
  try {
    await app.init();
    await app.start(config.port);
  } catch (err) {
    await storage.close();
    const code = (err as { code?: string }).code;
    if (code === 'EADDRINUSE') startFailed(`port ${config.port} is already in use — stop the other process or set PORT`);
    startFailed(config.slackAppToken ? describeSocketStartFailure(err, config.slackApiUrl ?? SLACK_DEFAULT_API_URL) : errorText(err));
  }
  logger.info(
    { port: config.port, mode: config.slackAppToken ? 'socket' : 'http', workspaces: config.distribution ? 'distribution' : 'one' },
    'Gemba is running',
  );

  // A signal that came while the app was starting has closed the database and is about to exit.
  if (stopping) return;
  const scheduler = startScheduler(ctx, { enabled: config.schedulerEnabled });
  running = { app, scheduler, ctx };
  if (config.schedulerEnabled) {
    // Catch up on anything that fell due while the app was down.
    void scheduler.tick().catch((err) => logger.error({ err }, 'start-up catch-up failed'));
  } else {
    logger.info('in-process scheduler is off (SCHEDULER_ENABLED=false); run jobs with `npm run job -- <job>`');
  }
}

/**
 * How long a SIGTERM waits for the running tick (its DMs in flight), requests in flight and after-ack work
 * before closing the database regardless: well inside the 10–30 s a container platform grants.
 */
const SHUTDOWN_DEADLINE_MS = 5_000;
/** How long closing the database may take after that (a PostgreSQL pool waits for its checked-out clients). */
const CLOSE_DEADLINE_MS = 2_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Start-up failures are one plain line on stderr (not a JSON stack), then exit 1. */
function startFailed(line: string): never {
  process.stderr.write(`Gemba cannot start: ${line}\n`);
  process.exit(1);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

main().catch((err) => startFailed(errorText(err)));
