import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import bolt, { type ReceiverDispatchErrorHandlerArgs } from '@slack/bolt';
import { ActionId, ViewId } from '../blocks/ids.js';
import type { Logger } from '../lib/logger.js';
import type { RequestGauge } from '../lib/request-gauge.js';
import type { DeferredClaim } from '../services/contacts.js';

const { HTTPModuleFunctions, ErrorCode: BoltErrorCode } = bolt;

/** Slack's window for a request timestamp, in either direction (PRODUCT.md "Request authenticity"). */
export const REQUEST_WINDOW_SEC = 5 * 60;

export interface RequestGuardDeps {
  signingSecret: string;
  /** Records a signature digest until `expiresAtSec`; false when it was already recorded (a replay). */
  claimSignature: (signatureSha256: string, expiresAtSec: number, nowSec: number) => Promise<boolean>;
  logger: Logger;
  /**
   * Requests whose handler takes the replay claim in its own write (the `/contact` one-liner): the
   * guard does not claim them first but leaves the claim on the request (`claimLeftFor`), so the
   * ack waits on one transaction instead of two. The handler must keep the same semantics: a replay
   * stores nothing and gets no second answer.
   */
  defersClaim?: (body: Record<string, unknown>) => boolean;
  /** Paths Slack posts to; anything else (GET /healthz) passes untouched. */
  endpoints?: readonly string[];
  /** Counts the Slack requests in flight (from arrival to the response's end or the connection's close). */
  gauge?: RequestGauge;
  /** Wall clock in ms. Bolt checks staleness against the real clock, so this does too. */
  nowMs?: () => number;
}

/**
 * Slack's signature check (slack-platform.md §2): `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}`
 * with the signing secret, the timestamp no older than 5 minutes; compared in constant time. The
 * timestamp is used as sent (Slack signs the header's text).
 */
export function signatureProblem(
  secret: string,
  raw: string,
  signature: string | undefined,
  timestamp: string | undefined,
  nowSec: number,
): string | null {
  if (!signature || !timestamp) return 'missing signature headers';
  const ts = Number(timestamp);
  if (!Number.isInteger(ts)) return 'the timestamp is not a number';
  if (ts < nowSec - REQUEST_WINDOW_SEC) return 'stale timestamp (more than 5 minutes old)';
  const expected = Buffer.from(`v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${raw}`).digest('hex')}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected) ? null : 'the signature does not match';
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

const claimsLeft = new WeakMap<IncomingMessage, DeferredClaim>();

/** The replay claim the guard left on a request whose handler takes it itself (`defersClaim`), or undefined. */
export function claimLeftFor(req: IncomingMessage): DeferredClaim | undefined {
  return claimsLeft.get(req);
}

const answer = (res: ServerResponse, status: number): void => {
  res.writeHead(status);
  res.end();
};

/**
 * Wraps Bolt's HTTP request listener: the one place that checks a Slack request is authentic and
 * new, before Bolt (whose own check is switched off, `signatureVerification: false`, so the HMAC
 * is computed once per request) sees it.
 * - A bad, missing or stale signature is refused with 401, and a timestamp more than 5 minutes in
 *   the future too (Bolt's verifier refused only stale ones).
 * - Slack's `ssl_check` (unsigned by design) is answered 200 here, its body never reaching Bolt.
 * - A request whose signature verifies and was already processed within the window is answered
 *   200 with an empty body and not handed to Bolt, so its work is done once. The memory is the
 *   `seen_requests` table, so it holds across processes sharing the database; it keeps a SHA-256
 *   of the signature and an expiry, nothing about who sent it. For the requests `defersClaim`
 *   names, the claim is left to the handler's own write (`claimLeftFor`), with the same outcome.
 * The body is buffered here the way Bolt does (`req.rawBody`), so Bolt reuses it instead of
 * reading the stream twice.
 */
export function guardSlackRequests(listener: RequestListener, deps: RequestGuardDeps): RequestListener {
  const endpoints = new Set(deps.endpoints ?? ['/slack/events']);
  const nowMs = deps.nowMs ?? Date.now;
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (deps.gauge) {
      const leave = deps.gauge.enter();
      res.once('finish', leave);
      res.once('close', leave);
    }
    const nowSec = Math.floor(nowMs() / 1000);
    const timestampHeader = header(req, 'x-slack-request-timestamp');
    const timestamp = Number(timestampHeader);
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
    const contentType = header(req, 'content-type');
    const signature = header(req, 'x-slack-signature');
    const problem = signatureProblem(deps.signingSecret, raw, signature, timestampHeader, nowSec);
    if (problem) {
      // Slack checks the certificate with an unsigned `ssl_check=1` form post; it only needs a 200.
      if (contentType?.startsWith('application/x-www-form-urlencoded') && new URLSearchParams(raw).get('ssl_check') === '1') {
        return answer(res, 200);
      }
      deps.logger.warn({ reason: problem }, 'refused a Slack request whose signature does not verify');
      return answer(res, 401);
    }
    const body = parseBody(raw, contentType);
    if (!body || body.type === 'url_verification' || isAnonymousSurface(body)) return void listener(req, res);
    const digest = createHash('sha256')
      .update(signature ?? '')
      .digest('hex');
    const expiresAtSec = timestamp + REQUEST_WINDOW_SEC;
    const claimAlone = async (): Promise<boolean> => {
      try {
        return await deps.claimSignature(digest, expiresAtSec, nowSec);
      } catch (err) {
        // The database refused the write: let the request through; its own write will fail and say so.
        deps.logger.warn({ err }, 'could not record a request signature; replay protection skipped for it');
        return true;
      }
    };
    const replayed = () =>
      deps.logger.info('ignored a replayed Slack request (same signature within 5 minutes): answered, not processed again');
    if (deps.defersClaim?.(body)) {
      claimsLeft.set(req, { signatureSha256: digest, expiresAtSec, nowSec, claimAlone, replayed });
      return void listener(req, res);
    }
    if (!(await claimAlone())) {
      replayed();
      return answer(res, 200);
    }
    listener(req, res);
  };
  return (req, res) => {
    // Anything else (GET /healthz, the install pages, an unknown path) goes to Bolt synchronously: its
    // router throws for a request no route takes, and the server's dispatch error handler must catch
    // that throw (answerUnroutedRequest) — inside an async function it would become a 500.
    // The path as Bolt routes it (pathOf): a request Bolt would take as a Slack request is always checked here.
    if (req.method?.toUpperCase() !== 'POST' || !endpoints.has(pathOf(req))) return listener(req, res);
    handle(req, res).catch((err) => {
      // Method and path only: the request itself carries headers (cookies, authorization) not for a log.
      deps.logger.error({ err: errorSummary(err), method: req.method, path: pathOf(req) }, 'request guard failed');
      if (!res.headersSent) answer(res, 500);
    });
  };
}

/**
 * A request's path exactly as Bolt's HTTPReceiver routes it (`new URL(req.url, 'http://localhost').pathname`):
 * dot segments resolved, the query and fragment dropped, an absolute-form target reduced to its path. The
 * guard must decide on the same path Bolt does: `/slack/x/../events` or `/slack/events#x` is Bolt's
 * `/slack/events`, and with Bolt's own signature check off, a raw-text match would let such a request in
 * unsigned. Unparseable: '' (Bolt throws on it, and the request is answered 500 without reaching a handler).
 */
export function pathOf(req: IncomingMessage): string {
  try {
    return new URL(req.url ?? '/', 'http://localhost').pathname;
  } catch {
    return '';
  }
}

/** An error's name, message and stack, without its other fields (Bolt's HTTP errors hold the request). */
function errorSummary(err: unknown): { type: string; message: string; stack?: string } {
  return err instanceof Error ? { type: err.name, message: err.message, stack: err.stack } : { type: typeof err, message: String(err) };
}

/** A route Gemba's HTTP server answers: its path and the methods it takes. */
export interface KnownRoute {
  path: string;
  methods: readonly string[];
}

/**
 * Bolt's `dispatchErrorHandler` for the HTTP receiver: what no route takes is answered here. An unknown
 * path gets 404; a known path asked with another method (GET /slack/events, POST /healthz) gets 405 with
 * `Allow`; both log one info line with the method and path, never the query or headers (an OAuth
 * redirect's `?code=` or a browser's cookies). Anything else that failed before Bolt could route the
 * request gets 500 and one error line.
 */
export function answerUnroutedRequest(logger: Logger, routes: readonly KnownRoute[]) {
  return ({ error, request, response }: ReceiverDispatchErrorHandlerArgs): void => {
    const path = pathOf(request);
    const where = { method: request.method, path };
    if (response.headersSent) return;
    if (!('code' in error) || error.code !== BoltErrorCode.HTTPReceiverDeferredRequestError) {
      logger.error({ ...where, err: errorSummary(error) }, 'could not route an HTTP request');
      answer(response, 500);
      return;
    }
    const route = routes.find((r) => r.path === path);
    if (route) {
      logger.info({ ...where, allow: route.methods }, 'HTTP request with a method this path does not take: answered 405');
      response.writeHead(405, { allow: route.methods.join(', ') });
      response.end();
      return;
    }
    logger.info(where, 'HTTP request to a path Gemba does not serve: answered 404');
    answer(response, 404);
  };
}
