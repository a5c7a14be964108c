import type { AppContext } from '../context.js';
import type { ClaimKey } from '../db/repos/claims.js';
import type { Repos } from '../db/repos/index.js';
import { classifySlackError, rateLimitedFor, slackErrorCode } from '../slack/errors.js';
import { RateGate } from './rate-gate.js';

/** A claim not finished within this time is treated as abandoned by a crashed process. */
export const CLAIM_STALE_AFTER_MS = 10 * 60_000;
/** When a post that failed for a passing reason (5xx, rate limit) may be tried again. */
export const RETRY_TRANSIENT_MS = 5 * 60_000;
/** When a post that failed for a lasting reason (bad channel, bad request) may be tried again. */
export const RETRY_LASTING_MS = 60 * 60_000;

/** Attempts a post gets when Slack keeps answering 429, before the period is left for a later tick. */
export const MAX_RATE_LIMITED_ATTEMPTS = 10;

export type ClaimedOutcome =
  | { status: 'done'; detail: string }
  | { status: 'not_claimed' }
  | { status: 'skipped' | 'failed'; detail: string };

/**
 * Runs `post` under a claim on its period, so it happens once per period across restarts,
 * manual runs and processes, and never twice:
 * 1. the period is claimed ('claimed') before anything is sent;
 * 2. right before each attempt it is marked 'posting' (Slack may deliver from here on), only if the
 *    claim is still the one taken in step 1 (fenced by its claimed_at): a claim taken over while this
 *    run waited out a 429 is left to the run that took it;
 * 3. a 429 means Slack delivered nothing: back to 'claimed', wait Retry-After (shared by the run's
 *    workers through `gate`), try again, at most MAX_RATE_LIMITED_ATTEMPTS times;
 * 4. success marks it 'done' in the same transaction as `onPosted`; a failure records what went
 *    wrong and, unless it was the recipient's (closed DM, archived channel), lets a later tick retry.
 * A crash leaves 'claimed' (retried once stale) or 'posting' (maybe delivered: left alone, see
 * describeUnclaimed). The jobs' Web API client rejects 429s instead of retrying them itself, so this
 * loop knows which attempt Slack refused.
 */
export async function runClaimed(
  ctx: AppContext,
  key: ClaimKey,
  now: number,
  opts: { force?: boolean; gate?: RateGate },
  post: () => Promise<string>,
  onPosted?: (tx: Repos, detail: string) => Promise<void>,
): Promise<ClaimedOutcome> {
  const { repos, storage, logger } = ctx;
  if (!(await repos.claims.claimPeriod(key, now, { staleAfterMs: CLAIM_STALE_AFTER_MS, force: opts.force })))
    return { status: 'not_claimed' };
  const gate = opts.gate ?? new RateGate();
  let detail: string;
  try {
    for (let attempt = 1; ; attempt++) {
      await gate.wait();
      // The claim is ours only while its claimed_at is the one we took: a wait for Retry-After can
      // outlast CLAIM_STALE_AFTER_MS, and another instance may have taken the claim over and sent it.
      if (!(await repos.claims.markPosting(key, now))) {
        logger.warn({ job: key.job, scope: key.scope, period: key.period }, 'claim taken over by another run while waiting; not sent');
        return { status: 'not_claimed' };
      }
      try {
        detail = await post();
        break;
      } catch (err) {
        const retryAfter = rateLimitedFor(err);
        if (retryAfter === null || attempt >= MAX_RATE_LIMITED_ATTEMPTS) throw err;
        await repos.claims.markClaimed(key, now);
        gate.pause(retryAfter);
        logger.debug({ job: key.job, scope: key.scope, retryAfter, attempt }, 'Slack asked us to slow down; waiting');
      }
    }
  } catch (err) {
    const kind = classifySlackError(err);
    const code = slackErrorCode(err);
    if (kind === 'recipient') {
      await repos.claims.finishClaim(key, 'skipped', ctx.clock.now(), code);
      logger.warn(
        { job: key.job, scope: key.scope, period: key.period, error: code },
        'recipient cannot take the post; skipped for this period',
      );
      return { status: 'skipped', detail: code };
    }
    const retryAt = ctx.clock.now() + (kind === 'retryable' ? RETRY_TRANSIENT_MS : RETRY_LASTING_MS);
    await repos.claims.finishClaim(key, 'failed', ctx.clock.now(), code, retryAt);
    logger[kind === 'fatal' ? 'error' : 'warn'](
      { job: key.job, scope: key.scope, period: key.period, error: code, err },
      'post failed; will retry later',
    );
    return { status: 'failed', detail: code };
  }
  await storage.transaction(async (tx) => {
    await onPosted?.(tx, detail);
    await tx.claims.finishClaim(key, 'done', ctx.clock.now(), detail);
  });
  return { status: 'done', detail };
}

/** Why a period could not be claimed, for the job report: done, in flight elsewhere, or waiting to retry. */
export async function describeUnclaimed(ctx: AppContext, key: ClaimKey, done: string): Promise<string> {
  const claim = await ctx.repos.claims.findClaim(key);
  switch (claim?.status) {
    case 'claimed':
      return 'being sent by another run right now';
    case 'posting':
      return Date.now() - claim.claimedAt < CLAIM_STALE_AFTER_MS && ctx.clock.now() - claim.claimedAt < CLAIM_STALE_AFTER_MS
        ? 'being sent by another run right now'
        : 'a run stopped while this was on its way to Slack, so it may have been delivered; not resent automatically (--force resends)';
    case 'failed':
      return `failed earlier (${claim.detail ?? 'unknown error'}); retried from ${new Date(claim.retryAt ?? 0).toISOString()}`;
    case 'skipped':
      return `skipped earlier (${claim.detail ?? 'unknown error'})`;
    default:
      return done;
  }
}
