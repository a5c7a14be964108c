import type { AppContext } from '../context.js';
import type { ClaimKey, ClaimRow } from '../db/repos/claims.js';
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

/**
 * Slack's clock against ours: a read-back looks at messages from this long before the claim was taken,
 * so a post is found even when the app's clock ran ahead of Slack's by up to this much.
 */
export const READ_BACK_CLOCK_ALLOWANCE_MS = 5 * 60_000;

/**
 * What a read-back of Slack says about a post a stopped run left 'posting': it is there (`detail` as
 * `post` would have returned it), it is not, or Slack could not tell us (`error`: its error code).
 */
export type ReadBack = { status: 'delivered'; detail: string } | { status: 'not_delivered' } | { status: 'unknown'; error: string };

export type ClaimedOutcome =
  /** `readBack`: delivered by a run that stopped before recording it, found by `verify`; nothing was sent now. */
  | { status: 'done'; detail: string; readBack?: true }
  /** `unverified`: a stale post in doubt whose read-back failed (Slack's error code); left alone. */
  | { status: 'not_claimed'; unverified?: string }
  /** The run was told to stop (`opts.signal`) before sending: nothing was sent, and no claim is held, so the next run takes it. */
  | { status: 'stopped' }
  | { status: 'skipped' | 'failed'; detail: string };

export interface ClaimedOptions {
  force?: boolean;
  gate?: RateGate;
  /**
   * Asks Slack whether the post of a claim a stopped run left 'posting' was delivered (see runClaimed).
   * May throw: a thrown error counts as 'unknown'. Without it such a claim stays in doubt.
   */
  verify?: (claim: ClaimRow) => Promise<ReadBack>;
  /**
   * The run is told to stop (SIGTERM): no claim is taken from then on, and a claim waiting out a 429 is given
   * back unsent. A post already on its way to Slack is never abandoned: its request is awaited and recorded.
   */
  signal?: AbortSignal;
}

/** The claim detail of a claim a stopped run gave back unsent. */
export const RELEASED_ON_STOP = 'stopped before sending; left for the next run';

/**
 * A 'posting' claim is given up for a stopped run's only when it is older than CLAIM_STALE_AFTER_MS by
 * the app's clock and by the wall clock (the job CLI's --now can differ from the wall clock).
 */
function isStalePosting(ctx: AppContext, claim: ClaimRow): boolean {
  return (
    claim.status === 'posting' &&
    Date.now() - claim.claimedAt >= CLAIM_STALE_AFTER_MS &&
    ctx.clock.now() - claim.claimedAt >= CLAIM_STALE_AFTER_MS
  );
}

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
 *    wrong and, unless it was the recipient's (closed DM, archived channel), lets a later tick retry;
 * 5. `opts.signal` aborted (shutdown): nothing is claimed from then on, and a claim not yet on its way
 *    (before its first attempt, or waiting out a 429) is given back unsent for the next run ('stopped').
 * A crash leaves 'claimed' (retried once stale) or 'posting' (maybe delivered). A stale 'posting'
 * claim is settled by reading Slack back when the job gives `opts.verify` (nudges: the bot's own DM
 * history): delivered → 'done' with `onPosted`, nothing sent; not delivered → taken over and sent once;
 * Slack cannot tell (no scope, an error, a 429) → left alone and reported (describeUnclaimed). Settling
 * and taking over are fenced on the stopped run's claimed_at, so two runs cannot both do it. Without
 * `verify` (channel posts: reading a channel would need more scopes) a stale 'posting' claim stays in
 * doubt. The jobs' Web API client rejects 429s instead of retrying them itself, so this loop knows
 * which attempt Slack refused.
 */
export async function runClaimed(
  ctx: AppContext,
  key: ClaimKey,
  now: number,
  opts: ClaimedOptions,
  post: () => Promise<string>,
  onPosted?: (tx: Repos, detail: string) => Promise<void>,
): Promise<ClaimedOutcome> {
  const { repos, storage, logger } = ctx;
  const { signal } = opts;
  if (signal?.aborted) return { status: 'stopped' };
  if (!(await repos.claims.claimPeriod(key, now, { staleAfterMs: CLAIM_STALE_AFTER_MS, force: opts.force }))) {
    const settled = opts.verify ? await settleStalePosting(ctx, key, now, opts.verify, onPosted) : undefined;
    if (settled?.status !== 'taken_over') return settled ?? { status: 'not_claimed' };
  }
  const gate = opts.gate ?? new RateGate();
  let detail: string;
  try {
    for (let attempt = 1; ; attempt++) {
      await gate.wait(signal);
      // Told to stop before this attempt (maybe during a Retry-After wait): the claim is plain 'claimed', so
      // nothing of it reached Slack; give it back for the next run instead of leaving it to go stale.
      if (signal?.aborted) {
        await repos.claims.releaseClaim(key, now, ctx.clock.now(), RELEASED_ON_STOP);
        return { status: 'stopped' };
      }
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

/**
 * A claim a stopped run left 'posting': read Slack back and settle it (see runClaimed). 'taken_over'
 * means the claim is now this run's, at `now`, and the post goes out by the normal path.
 */
async function settleStalePosting(
  ctx: AppContext,
  key: ClaimKey,
  now: number,
  verify: (claim: ClaimRow) => Promise<ReadBack>,
  onPosted?: (tx: Repos, detail: string) => Promise<void>,
): Promise<ClaimedOutcome | { status: 'taken_over' }> {
  const { repos, storage, logger } = ctx;
  const claim = await repos.claims.findClaim(key);
  if (!claim || !isStalePosting(ctx, claim)) return { status: 'not_claimed' };
  const where = { job: key.job, scope: key.scope, period: key.period };
  let found: ReadBack;
  try {
    found = await verify(claim);
  } catch (err) {
    // The client hands a 429 back as its own error: say what Slack said.
    found = { status: 'unknown', error: rateLimitedFor(err) === null ? slackErrorCode(err) : 'ratelimited' };
  }
  switch (found.status) {
    case 'unknown':
      logger.warn({ ...where, error: found.error }, 'could not read Slack back for a post in doubt; left in doubt, not resent');
      return { status: 'not_claimed', unverified: found.error };
    case 'delivered': {
      const { detail } = found;
      const settled = await storage.transaction(async (tx) => {
        if (!(await tx.claims.finishPostingClaim(key, claim.claimedAt, ctx.clock.now(), detail))) return false;
        await onPosted?.(tx, detail);
        return true;
      });
      if (!settled) return { status: 'not_claimed' };
      logger.info(where, 'a post in doubt was found delivered; recorded, not resent');
      return { status: 'done', detail, readBack: true };
    }
    case 'not_delivered':
      if (!(await repos.claims.takeOverPostingClaim(key, claim.claimedAt, now))) return { status: 'not_claimed' };
      logger.info(where, 'a post in doubt was not delivered; sending it');
      return { status: 'taken_over' };
  }
}

/** Why a period could not be claimed, for the job report: done, in flight elsewhere, in doubt (`unverified`: why Slack could not be asked), or waiting to retry. */
export async function describeUnclaimed(ctx: AppContext, key: ClaimKey, done: string, unverified?: string): Promise<string> {
  const claim = await ctx.repos.claims.findClaim(key);
  switch (claim?.status) {
    case 'claimed':
      return 'being sent by another run right now';
    case 'posting':
      return !isStalePosting(ctx, claim)
        ? 'being sent by another run right now'
        : `a run stopped while this was on its way to Slack, so it may have been delivered${
            unverified ? `; Slack could not be asked (${unverified})` : ''
          }; not resent automatically (--force resends)`;
    case 'failed':
      return `failed earlier (${claim.detail ?? 'unknown error'}); retried from ${new Date(claim.retryAt ?? 0).toISOString()}`;
    case 'skipped':
      return `skipped earlier (${claim.detail ?? 'unknown error'})`;
    default:
      return done;
  }
}
