import { webApi } from '@slack/bolt';
import type { Config } from '../config.js';
import type { Logger } from '../lib/logger.js';
import { toBoltLogger } from '../lib/logger.js';

export type SlackClient = InstanceType<typeof webApi.WebClient>;

/** Retry policy for background work: a few retries (5xx, network, 429 after Retry-After), then give up. */
export const BACKGROUND_RETRY = { retries: 3, factor: 2, minTimeout: 200, maxTimeout: 5_000 };

/**
 * Web API options shared by Bolt's per-request clients and the background client, so both honour
 * SLACK_API_URL and the same bounded retry policy.
 */
export function slackClientOptions(config: Config, logger: Logger) {
  return {
    slackApiUrl: config.slackApiUrl,
    logger: toBoltLogger(logger),
    retryConfig: BACKGROUND_RETRY,
  };
}

/**
 * The Web API client that jobs and after-ack work use (listeners get Bolt's own). It hands 429s
 * back as WebAPIRateLimitedError (with Retry-After) instead of retrying them itself, so a job knows
 * that attempt delivered nothing and can wait and retry without ever posting twice (jobs/claimed.ts).
 * 5xx and network errors are still retried by the client, a bounded few times.
 */
export function createSlackClient(config: Config, logger: Logger): SlackClient {
  return new webApi.WebClient(config.slackBotToken, { ...slackClientOptions(config, logger), rejectRateLimitedCalls: true });
}
