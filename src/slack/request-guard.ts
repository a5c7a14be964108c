import { createHash } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import bolt from '@slack/bolt';
import { ActionId, ViewId } from '../blocks/ids.js';
import type { Logger } from '../lib/logger.js';

const { HTTPModuleFunctions, verifySlackRequest } = bolt;

/** Slack's window for a request timestamp, in either direction (PRODUCT.md "Request authenticity"). */
export const REQUEST_WINDOW_SEC = 5 * 60;

export interface RequestGuardDeps {
  signingSecret: string;
  /** Records a signature digest until `expiresAtSec`; false when it was already recorded (a replay). */
  claimSignature: (signatureSha256: string, expiresAtSec: number, nowSec: number) => Promise<boolean>;
  logger: Logger;
  /** Paths Slack posts to; anything else (GET /healthz) passes untouched. */
  endpoints?: readonly string[];
  /** Wall clock in ms. Bolt checks staleness against the real clock, so this does too. */
  nowMs?: () => number;
}

/**
 * Requests on the anonymous surfaces: `/flag-tactic`, **Me too**, the flag form. They are never
 * recorded as seen, because a row with an expiry would date them (PRODUCT.md "Published daily,
 * not live"); they need no record, because doing them twice changes nothing (one row per crowd
 * code and tactic, identical reasons stored once).
 */
export function isAnonymousSurface(body: Record<string, unknown>): boolean {
  if (body.command === '/flag-tactic') return true;
  if (body.type === 'block_actions') {
    const actions = Array.isArray(body.actions) ? (body.actions as Array<{ action_id?: string }>) : [];
    return actions.some((a) => a.action_id === ActionId.tacticMeToo);
  }
  if (body.type === 'view_submission' || body.type === 'view_closed') {
    return (body.view as { callback_id?: string } | undefined)?.callback_id === ViewId.flagTacticModal;
  }
  return false;
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return typeof v === 'string' ? v : undefined;
};

function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> | null {
  try {
    if (contentType?.startsWith('application/x-www-form-urlencoded')) {
      const form = Object.fromEntries(new URLSearchParams(raw));
      return typeof form.payload === 'string' ? JSON.parse(form.payload) : form;
    }
    return JSON.parse(raw);
  } catch {
    return null;
  }
}

const answer = (res: ServerResponse, status: number): void => {
  res.writeHead(status);
  res.end();
};

/**
 * Wraps Bolt's HTTP request listener: the one place that enforces what Bolt's verifier
 * (`verifySlackRequest`, which refuses stale timestamps only) leaves out.
 * - A timestamp more than 5 minutes in the future is refused with 401, as Bolt refuses a stale one.
 * - A request whose signature verifies and was already processed within the window is answered
 *   200 with an empty body and not handed to Bolt, so its work is done once. The memory is the
 *   `seen_requests` table, so it holds across processes sharing the database; it keeps a SHA-256
 *   of the signature and an expiry, nothing about who sent it.
 * Everything else (bad or stale signatures included) goes to Bolt unchanged, which verifies again
 * and answers 401 itself. The body is buffered here the way Bolt does (`req.rawBody`), so Bolt
 * reuses it instead of reading the stream twice.
 */
export function guardSlackRequests(listener: RequestListener, deps: RequestGuardDeps): RequestListener {
  const endpoints = new Set(deps.endpoints ?? ['/slack/events']);
  const nowMs = deps.nowMs ?? Date.now;
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'POST' || !endpoints.has(path)) return void listener(req, res);
    const nowSec = Math.floor(nowMs() / 1000);
    const timestamp = Number(header(req, 'x-slack-request-timestamp'));
    if (Number.isFinite(timestamp) && timestamp > nowSec + REQUEST_WINDOW_SEC) {
      deps.logger.warn({ aheadSec: timestamp - nowSec }, 'refused a Slack request dated more than 5 minutes in the future');
      return answer(res, 401);
    }
    let raw: string;
    try {
      raw = (await HTTPModuleFunctions.bufferIncomingMessage(req, HTTPModuleFunctions.defaultBodyLimit)).rawBody.toString();
    } catch (err) {
      const tooLarge = HTTPModuleFunctions.isRawBodyError(err) && (err.type === 'entity.too.large' || err.statusCode === 413);
      return answer(res, tooLarge ? 413 : 400);
    }
    const signature = header(req, 'x-slack-signature');
    try {
      verifySlackRequest({
        signingSecret: deps.signingSecret,
        body: raw,
        headers: { 'x-slack-signature': signature ?? '', 'x-slack-request-timestamp': timestamp },
        nowMilliseconds: nowMs(),
      });
    } catch {
      return void listener(req, res); // Bolt refuses it with 401 and logs why.
    }
    const body = parseBody(raw, header(req, 'content-type'));
    if (!body || body.type === 'url_verification' || isAnonymousSurface(body)) return void listener(req, res);
    const digest = createHash('sha256')
      .update(signature ?? '')
      .digest('hex');
    let first: boolean;
    try {
      first = await deps.claimSignature(digest, timestamp + REQUEST_WINDOW_SEC, nowSec);
    } catch (err) {
      // The database refused the write: let the request through; its own write will fail and say so.
      deps.logger.warn({ err }, 'could not record a request signature; replay protection skipped for it');
      first = true;
    }
    if (!first) {
      deps.logger.info('ignored a replayed Slack request (same signature within 5 minutes): answered, not processed again');
      return answer(res, 200);
    }
    listener(req, res);
  };
  return (req, res) => {
    handle(req, res).catch((err) => {
      deps.logger.error({ err }, 'request guard failed');
      if (!res.headersSent) answer(res, 500);
    });
  };
}
