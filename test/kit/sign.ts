/**
 * Signing helpers: build requests exactly the way Slack sends them
 * (slack-platform.md §2): HMAC-SHA256 over `v0:{timestamp}:{raw body}`,
 * hex-encoded, prefixed `v0=`.
 */
import { createHmac } from 'node:crypto';

export type SlackContentType = 'application/x-www-form-urlencoded' | 'application/json';

/** Headers Slack adds to every request it sends to the app. */
export function signSlackRequest(
  signingSecret: string,
  rawBody: string,
  timestampSec: number = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const digest = createHmac('sha256', signingSecret).update(`v0:${timestampSec}:${rawBody}`).digest('hex');
  return {
    'x-slack-request-timestamp': String(timestampSec),
    'x-slack-signature': `v0=${digest}`,
  };
}

export interface PostSignedOptions {
  secret: string;
  body: string;
  contentType: SlackContentType;
  /** Defaults to now. Use an old value to test replay protection. */
  timestampSec?: number;
  /** Replaces the computed signature (to forge a request). */
  signature?: string;
  /** Defaults to '/slack/events'. */
  path?: string;
  /** Extra request headers, e.g. `x-slack-retry-num`. */
  headers?: Record<string, string>;
}

export interface PostSignedResult {
  status: number;
  text: string;
  /** Parsed body when it is JSON, otherwise undefined. */
  json: any | undefined;
  /** Wall time from sending the request to reading the whole response. */
  ms: number;
  headers: Record<string, string>;
}

/**
 * POST a signed request to the app. The body is sent as a string with the exact
 * content-type (Bolt rejects `...;charset=UTF-8`, which URLSearchParams bodies get).
 */
export async function postSigned(baseUrl: string, opts: PostSignedOptions): Promise<PostSignedResult> {
  const path = opts.path ?? '/slack/events';
  const url = baseUrl.replace(/\/+$/, '') + (path.startsWith('/') ? path : `/${path}`);
  const signed = signSlackRequest(opts.secret, opts.body, opts.timestampSec);
  if (opts.signature !== undefined) signed['x-slack-signature'] = opts.signature;
  const started = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: { ...(opts.headers ?? {}), ...signed, 'content-type': opts.contentType },
    body: opts.body,
  });
  const text = await res.text();
  const ms = performance.now() - started;
  let json: any | undefined;
  if (text.length > 0) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  return { status: res.status, text, json, ms, headers: Object.fromEntries(res.headers.entries()) };
}
