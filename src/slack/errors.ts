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
export function slackErrorCode(err: unknown): string {
  const e = err as { data?: { error?: string }; code?: string; message?: string } | null;
  return e?.data?.error ?? e?.code ?? e?.message ?? 'unknown_error';
}

/** Seconds Slack asked us to wait when it answered 429, or null when the error is something else. */
export function rateLimitedFor(err: unknown): number | null {
  const e = err as { code?: string; retryAfter?: number } | null;
  return e?.code === 'slack_webapi_rate_limited_error' ? (e.retryAfter ?? 1) : null;
}

/** Classifies a Web API failure (see SlackFailure). */
export function classifySlackError(err: unknown): SlackFailure {
  const e = err as { code?: string; data?: { error?: string } } | null;
  switch (e?.code) {
    case 'slack_webapi_rate_limited_error':
    case 'slack_webapi_http_error':
    case 'slack_webapi_request_error':
      return 'retryable';
    case 'slack_webapi_platform_error': {
      const code = e.data?.error ?? '';
      if (RECIPIENT_ERRORS.has(code)) return 'recipient';
      if (RETRYABLE_ERRORS.has(code)) return 'retryable';
      return 'fatal';
    }
    default:
      return 'retryable';
  }
}
