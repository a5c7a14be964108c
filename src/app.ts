import type { IncomingMessage, ServerResponse } from 'node:http';
import bolt, { type AnyMiddlewareArgs, type LogLevel, type Middleware } from '@slack/bolt';
import type { AppContext } from './context.js';
import { reportFailure } from './lib/errors.js';
import { toBoltLogger } from './lib/logger.js';
import { RequestGauge } from './lib/request-gauge.js';
import { registerListeners } from './listeners/index.js';
import { isOneLinerText } from './services/contacts.js';
import { slackClientOptions } from './slack/client.js';
import { installCallbacks, installPage } from './slack/install-pages.js';
import { STATE_LIFETIME_SECONDS } from './slack/oauth.js';
import { answerUnroutedRequest, claimLeftFor, guardSlackRequests } from './slack/request-guard.js';
import { BOT_SCOPES } from './slack/scopes.js';

const { App, HTTPReceiver } = bolt;

/** Where Slack posts events, commands and interactions (manifest.yml's request URLs). */
export const SLACK_EVENTS_PATH = '/slack/events';
/** Distribution mode's install page and OAuth redirect (PRODUCT.md; the manifest's redirect URL). */
export const INSTALL_PATH = '/slack/install';
export const REDIRECT_PATH = '/slack/oauth_redirect';
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
    // HEAD too: some load balancers probe with it (Node sends the status and headers, no body).
    method: ['GET', 'HEAD'],
    handler: async (_req: IncomingMessage, res: ServerResponse) => {
      const body = await healthStatus(ctx);
      res.writeHead(body.status === 'ok' ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    },
  };
  const common = {
    logger: toBoltLogger(ctx.logger),
    // Without this Bolt resets its logger to info, ignoring LOG_LEVEL.
    logLevel: config.logLevel as LogLevel,
    clientOptions: slackClientOptions(config, ctx.logger),
    customRoutes: [healthz],
    // auth.test runs once in app.init(), awaited, so a bad token fails start-up cleanly.
    deferInitialization: true,
    // No listener reads Bolt's conversation context; its middleware cost every request a store look-up.
    convoStore: false as const,
  };
  // One bot token, or (distribution mode) Bolt's OAuth support: an installer serving /slack/install and
  // /slack/oauth_redirect whose authorize() finds each request's installation in Gemba's database.
  const oauth = oauthOptions(ctx);
  // A known identity (main.ts's own auth.test, or a test's) switches Bolt's check off: init() would call auth.test again.
  const known = options.botId !== undefined && options.botUserId !== undefined;
  const token = oauth
    ? {}
    : { token: config.slackBotToken, botId: options.botId, botUserId: options.botUserId, tokenVerificationEnabled: !known };
  const app = config.slackAppToken
    ? new App({
        ...common,
        ...token,
        ...oauth,
        socketMode: true,
        appToken: config.slackAppToken,
        installerOptions: { ...oauth?.installerOptions, port: config.port },
      })
    : // The receiver is ours (request guard): the installer is built there and Bolt takes its authorize().
      new App({ ...common, ...token, receiver: httpReceiver(ctx, common, options, oauth) });
  if (ctx.oauth) app.use(rememberWorkspaces(ctx));

  // Listener failures are answered and logged by the error path (listeners/errors.ts); what reaches
  // here failed inside Bolt itself (authorization, a receiver error) and gets the same one log line.
  app.error(async (error) => {
    reportFailure(ctx.logger, error, { surface: 'bolt' });
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
  oauth: OAuthOptions | undefined,
) {
  const signingSecret = ctx.config.slackSigningSecret ?? '';
  const receiver = new HTTPReceiver({
    ...oauth,
    signingSecret,
    endpoints: [SLACK_EVENTS_PATH],
    logger: common.logger,
    logLevel: common.logLevel,
    customRoutes: common.customRoutes,
    processBeforeResponse: options.processBeforeResponse ?? false,
    // The request guard below checks every signature before Bolt sees the request (once, not twice).
    signatureVerification: false,
    // A replay claim the guard left for the handler reaches it as `context.replayClaim`.
    customPropertiesExtractor: (req) => {
      const claim = claimLeftFor(req);
      return claim ? { replayClaim: claim } : {};
    },
    // Unknown paths get 404, known paths asked with the wrong method 405, logged without query or headers.
    dispatchErrorHandler: answerUnroutedRequest(ctx.logger, [
      { path: SLACK_EVENTS_PATH, methods: ['POST'] },
      ...(common.customRoutes ?? []).map((r) => ({ path: r.path, methods: [r.method].flat() })),
      ...(oauth ? [INSTALL_PATH, REDIRECT_PATH].map((path) => ({ path, methods: ['GET'] })) : []),
    ]),
  });
  // Group commit (SQLite) waits for other one-liners only when other requests are in flight.
  const gauge = new RequestGauge();
  ctx.storage.expectCompany?.(() => gauge.inFlight > 1);
  receiver.requestListener = guardSlackRequests(receiver.requestListener, {
    signingSecret,
    endpoints: [SLACK_EVENTS_PATH],
    gauge,
    claimSignature: (digest, expiresAt, nowSec) => ctx.repos.seenRequests.claimSignature(digest, expiresAt, nowSec),
    // The /contact one-liner claims its signature in the same transaction as the conversation (services/contacts.ts).
    defersClaim: (body) => body.command === '/contact' && typeof body.text === 'string' && isOneLinerText(body.text),
    logger: ctx.logger,
  });
  return receiver;
}

type OAuthOptions = NonNullable<ReturnType<typeof oauthOptions>>;

/** Distribution mode's options for Bolt's installer (@slack/oauth InstallProvider), or undefined with a bot token. */
function oauthOptions(ctx: AppContext) {
  if (!ctx.oauth) return undefined;
  return {
    clientId: ctx.oauth.config.clientId,
    clientSecret: ctx.oauth.config.clientSecret,
    stateSecret: ctx.oauth.config.stateSecret,
    scopes: [...BOT_SCOPES],
    installationStore: ctx.oauth.installationStore,
    installerOptions: {
      stateStore: ctx.oauth.stateStore,
      stateCookieExpirationSeconds: STATE_LIFETIME_SECONDS,
      installPath: INSTALL_PATH,
      redirectUriPath: REDIRECT_PATH,
      renderHtmlForInstallPath: installPage,
      callbackOptions: installCallbacks,
      // oauth.v2.access (install and token refresh) goes to SLACK_API_URL like every other call.
      clientOptions: slackClientOptions(ctx.config, ctx.logger),
    },
  };
}

/**
 * Distribution mode: remembers which Enterprise Grid org each workspace belongs to (once per
 * workspace and process), so scheduled work for a workspace of an org-wide install finds the org's token.
 */
function rememberWorkspaces(ctx: AppContext): Middleware<AnyMiddlewareArgs> {
  const known = new Map<string, string | null>();
  return async ({ context, next }) => {
    const teamId = context.teamId;
    const enterpriseId = context.enterpriseId ?? null;
    if (teamId && known.get(teamId) !== enterpriseId) {
      await ctx.repos.installations.recordWorkspace(teamId, enterpriseId, ctx.clock.now());
      known.set(teamId, enterpriseId);
    }
    await next();
  };
}

/** The body of `GET /healthz`: ok only when the database answers a query. */
export async function healthStatus(ctx: AppContext): Promise<{
  status: 'ok' | 'unavailable';
  database: 'ok' | 'unavailable';
  engine: 'sqlite' | 'postgres';
  mode: 'http' | 'socket';
}> {
  const ping = await ctx.storage.ping();
  const database = ping.ok ? 'ok' : 'unavailable';
  if (!ping.ok) ctx.logger.error({ engine: ctx.storage.engine, reason: ping.reason }, 'health check: the database does not answer');
  return {
    status: database === 'ok' ? 'ok' : 'unavailable',
    database,
    engine: ctx.storage.engine,
    mode: ctx.config.slackAppToken ? 'socket' : 'http',
  };
}
