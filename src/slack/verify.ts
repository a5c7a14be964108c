import { webApi } from '@slack/bolt';
import type { Config } from '../config.js';
import type { Logger } from '../lib/logger.js';
import { toBoltLogger } from '../lib/logger.js';

/** Slack's own Web API base, what SLACK_API_URL defaults to. */
export const SLACK_DEFAULT_API_URL = 'https://slack.com/api/';

/** Token errors: only these mean the bot token itself is wrong. */
const TOKEN_ERRORS = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'not_allowed_token_type',
]);

/** Start-up could not talk to Slack; `message` is the one line to print. */
export class SlackStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SlackStartError';
  }
}

export interface BotIdentity {
  botId: string;
  botUserId: string;
  teamId: string;
}

/**
 * Calls auth.test once at start, so the first run says what is really wrong: an unreachable Slack
 * ("cannot reach Slack at https://slack.com/api/: getaddrinfo ENOTFOUND slack.com — …") is told
 * apart from a token Slack refused (invalid_auth). Two quick retries ride out a blip; the client's
 * own retry warnings are kept out of the log, since the one line below says it all.
 */
export async function verifySlack(config: Config, token: string, logger: Logger): Promise<BotIdentity> {
  const apiUrl = config.slackApiUrl ?? SLACK_DEFAULT_API_URL;
  const client = new webApi.WebClient(token, {
    slackApiUrl: config.slackApiUrl,
    logger: toBoltLogger(logger.child({}, { level: 'fatal' })),
    retryConfig: { retries: 2, factor: 2, minTimeout: 300, maxTimeout: 1_000 },
    timeout: 10_000,
  });
  try {
    const r = await client.auth.test();
    if (!r.bot_id || !r.user_id) {
      throw new SlackStartError(
        `SLACK_BOT_TOKEN is not a bot token (auth.test at ${apiUrl} named no bot): use the Bot User OAuth Token (xoxb-…)`,
      );
    }
    return { botId: r.bot_id, botUserId: r.user_id, teamId: r.team_id ?? '' };
  } catch (err) {
    throw err instanceof SlackStartError ? err : new SlackStartError(describeStartFailure(err, apiUrl));
  }
}

/** The one line that explains why auth.test failed at start. */
export function describeStartFailure(err: unknown, apiUrl: string): string {
  const e = err as { code?: string; data?: { error?: string }; statusCode?: number; original?: unknown } | null;
  if (e?.code === webApi.ErrorCode.PlatformError) {
    const error = e.data?.error ?? 'unknown_error';
    if (TOKEN_ERRORS.has(error)) {
      return `Slack rejected SLACK_BOT_TOKEN (${error}): copy the Bot User OAuth Token (xoxb-…) from your app's OAuth & Permissions page`;
    }
    return `Slack answered auth.test at ${apiUrl} with "${error}"`;
  }
  if (e?.code === webApi.ErrorCode.HTTPError) {
    return `Slack at ${apiUrl} answered HTTP ${e.statusCode ?? '?'} to auth.test — check SLACK_API_URL`;
  }
  return `cannot reach Slack at ${apiUrl}: ${rootCause(e?.original ?? err)} — check the network or SLACK_API_URL`;
}

/**
 * The one line that explains why Socket Mode could not connect at start (apps.connections.open with
 * SLACK_APP_TOKEN): a refused app token is named as such, not blamed on the bot token.
 */
export function describeSocketStartFailure(err: unknown, apiUrl: string): string {
  const e = err as { code?: string; data?: { error?: string } } | null;
  if (e?.code === webApi.ErrorCode.PlatformError) {
    const error = e.data?.error ?? 'unknown_error';
    if (TOKEN_ERRORS.has(error)) {
      return `Slack rejected SLACK_APP_TOKEN (${error}): copy the app-level token (xapp-…) with the connections:write scope from your app's Basic Information page, or leave SLACK_APP_TOKEN empty to run over HTTP`;
    }
    return `Slack refused the Socket Mode connection (apps.connections.open at ${apiUrl} answered "${error}"): check SLACK_APP_TOKEN and that Socket Mode is on for the app`;
  }
  return describeStartFailure(err, apiUrl).replace('to auth.test', 'to apps.connections.open');
}

/** The innermost cause's message: `getaddrinfo ENOTFOUND slack.com` rather than `fetch failed`. */
function rootCause(err: unknown): string {
  let e = err as { message?: string; cause?: unknown; code?: string } | null | undefined;
  for (let depth = 0; e?.cause && depth < 5; depth += 1) e = e.cause as typeof e;
  if (e instanceof AggregateError && e.errors.length > 0) e = e.errors[0] as typeof e;
  return e?.message || e?.code || String(err);
}
