import { webApi } from '@slack/bolt';
import { slackErrorOf } from '../lib/errors.js';
import { UploadError } from './files.js';

const { ErrorCode } = webApi;

/**
 * How a failed Web API call should be treated by scheduled work.
 * - recipient: this DM or channel cannot take the post (closed, archived, not joined, deactivated);
 *   log it, skip this recipient for this period, serve the others.
 * - retryable: Slack or the network is having a moment (5xx, timeouts, rate limits that outlasted
 *   the bounded attempts); release the claim so a later tick tries again.
 * - fatal: our request is wrong (bad blocks, bad token); log loudly, retry much later.
 */
export type SlackFailure = 'recipient' | 'retryable' | 'fatal';

const RECIPIENT_ERRORS = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'account_inactive',
  'user_not_found',
  'user_disabled',
  'cannot_dm_bot',
  'messages_tab_disabled',
  'restricted_action',
  'user_not_in_channel',
]);

const RETRYABLE_ERRORS = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'team_added_to_org',
]);

/** The Slack error code of a Web API failure (`channel_not_found`, …) or the client's error code. */
export const slackErrorCode = slackErrorOf;

function webApiCode(err: unknown): string | undefined {
  const code = typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/** Seconds Slack asked us to wait when it answered 429 (a Web API call or a file upload), or null when the error is something else. */
export function rateLimitedFor(err: unknown): number | null {
  if (err instanceof UploadError) return err.retryAfter;
  if (webApiCode(err) !== ErrorCode.RateLimitedError) return null;
  const { retryAfter } = err as { retryAfter?: number };
  return retryAfter ?? 1;
}

/** Classifies a Web API failure (see SlackFailure). */
export function classifySlackError(err: unknown): SlackFailure {
  switch (webApiCode(err)) {
    case ErrorCode.RateLimitedError:
    case ErrorCode.HTTPError:
    case ErrorCode.RequestError:
      return 'retryable';
    case ErrorCode.PlatformError: {
      const code = slackErrorOf(err);
      if (RECIPIENT_ERRORS.has(code)) return 'recipient';
      if (RETRYABLE_ERRORS.has(code)) return 'retryable';
      return 'fatal';
    }
    default:
      return 'retryable';
  }
}
