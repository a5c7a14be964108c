import type { IncomingMessage, ServerResponse } from 'node:http';
import bolt, { type LogLevel } from '@slack/bolt';
import type { AppContext } from './context.js';
import { pingDatabase } from './db/open.js';
import { toBoltLogger } from './lib/logger.js';
import { registerListeners } from './listeners/index.js';
import { slackClientOptions } from './slack/client.js';
import { guardSlackRequests } from './slack/request-guard.js';

const { App, HTTPReceiver } = bolt;
export type BoltApp = InstanceType<typeof App>;

export interface CreateAppOptions {
  /** Hold the HTTP response until listeners finish (deterministic tests). Default false. */
  processBeforeResponse?: boolean;
  /** Known bot identity; when given, Bolt skips auth.test entirely (tests). */
  botId?: string;
  botUserId?: string;
}

/**
 * Builds the Bolt app with every listener registered: HTTP receiver on `/slack/events` (plus
 * `GET /healthz`), or Socket Mode when SLACK_APP_TOKEN is set. No network or port is touched
 * here: `app.init()` (auth.test) and `app.start()` are the caller's.
 */
export function createApp(ctx: AppContext, options: CreateAppOptions = {}): BoltApp {
  const { config } = ctx;
  const healthz = {
    path: '/healthz',
    method: ['GET'],
    handler: (_req: IncomingMessage, res: ServerResponse) => {
      const body = healthStatus(ctx);
      res.writeHead(body.status === 'ok' ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    },
  };
  const common = {
    token: config.slackBotToken,
    botId: options.botId,
    botUserId: options.botUserId,
    logger: toBoltLogger(ctx.logger),
    // Without this Bolt resets its logger to info, ignoring LOG_LEVEL.
    logLevel: config.logLevel as LogLevel,
    clientOptions: slackClientOptions(config, ctx.logger),
    customRoutes: [healthz],
    // auth.test runs once in app.init(), awaited, so a bad token fails start-up cleanly.
    deferInitialization: true,
  };
  const app = config.slackAppToken
    ? new App({ ...common, socketMode: true, appToken: config.slackAppToken, installerOptions: { port: config.port } })
    : new App({ ...common, receiver: httpReceiver(ctx, common, options) });

  app.error(async (error) => {
    ctx.logger.error({ err: error }, 'unhandled error in Bolt');
  });
  registerListeners(app, ctx);
  return app;
}

/**
 * Bolt's HTTP receiver (signatures verified, `/slack/events`, `GET /healthz`) with the request guard
 * in front: future-dated requests refused, replayed signatures answered without doing the work again.
 */
function httpReceiver(
  ctx: AppContext,
  common: {
    logger: ReturnType<typeof toBoltLogger>;
    logLevel: LogLevel;
    customRoutes: ConstructorParameters<typeof HTTPReceiver>[0]['customRoutes'];
  },
  options: CreateAppOptions,
) {
  const signingSecret = ctx.config.slackSigningSecret ?? '';
  const receiver = new HTTPReceiver({
    signingSecret,
    logger: common.logger,
    logLevel: common.logLevel,
    customRoutes: common.customRoutes,
    processBeforeResponse: options.processBeforeResponse ?? false,
  });
  receiver.requestListener = guardSlackRequests(receiver.requestListener, {
    signingSecret,
    claimSignature: (digest, expiresAt, nowSec) => ctx.repos.seenRequests.claimSignature(digest, expiresAt, nowSec),
    logger: ctx.logger,
  });
  return receiver;
}

/** The body of `GET /healthz`: ok only when the database answers a query. */
export function healthStatus(ctx: AppContext): { status: 'ok' | 'unavailable'; database: 'ok' | 'unavailable'; mode: 'http' | 'socket' } {
  const database = pingDatabase(ctx.db) ? 'ok' : 'unavailable';
  return { status: database === 'ok' ? 'ok' : 'unavailable', database, mode: ctx.config.slackAppToken ? 'socket' : 'http' };
}
