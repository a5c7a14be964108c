import type { Db } from '../open.js';

export type ClaimStatus = 'claimed' | 'posting' | 'done' | 'skipped' | 'failed';

export interface ClaimKey {
  job: string;
  scope: string;
  period: string;
}

export interface ClaimRow extends ClaimKey {
  status: ClaimStatus;
  claimedAt: number;
  finishedAt: number | null;
  retryAt: number | null;
  attempts: number;
  detail: string | null;
}

/**
 * Repository for `job_claims`: the once-per-period guarantee. Taking a claim is a single
 * INSERT … ON CONFLICT DO UPDATE … WHERE, which SQLite runs atomically, so of two processes
 * racing for the same period exactly one sees `changes = 1`.
 */
export function createClaimsRepo(db: Db) {
  const take = db.prepare(`INSERT INTO job_claims (job, scope, period, status, claimed_at, attempts)
    VALUES (@job, @scope, @period, 'claimed', @now, 1)
    ON CONFLICT (job, scope, period) DO UPDATE SET status = 'claimed', claimed_at = @now, finished_at = NULL,
      retry_at = NULL, attempts = attempts + 1, detail = NULL
    WHERE @force = 1
       OR (status = 'failed' AND (retry_at IS NULL OR retry_at <= @now))
       OR (status = 'claimed' AND claimed_at <= @now - @staleAfterMs)`);
  const finish = db.prepare(`UPDATE job_claims SET status = @status, finished_at = @now, detail = @detail, retry_at = @retryAt
    WHERE job = @job AND scope = @scope AND period = @period`);
  // Fenced by claimed_at: a claim another process took over (stale) or forced has a new claimed_at,
  // so the process that took it first changes nothing and learns the claim is no longer its own.
  const setStatus = db.prepare(`UPDATE job_claims SET status = @status WHERE job = @job AND scope = @scope AND period = @period
    AND status IN ('claimed', 'posting') AND claimed_at = @claimedAt`);
  // A post left 'posting' by a run that stopped, settled after reading Slack back: fenced by the
  // claimed_at the stopped run took, so of two runs settling it at once exactly one changes the row.
  const finishPosting = db.prepare(`UPDATE job_claims SET status = 'done', finished_at = @now, detail = @detail
    WHERE job = @job AND scope = @scope AND period = @period AND status = 'posting' AND claimed_at = @claimedAt`);
  const retakePosting = db.prepare(`UPDATE job_claims SET status = 'claimed', claimed_at = @now, finished_at = NULL,
      retry_at = NULL, attempts = attempts + 1, detail = NULL
    WHERE job = @job AND scope = @scope AND period = @period AND status = 'posting' AND claimed_at = @claimedAt`);
  // A run told to stop gives back a claim it holds but has not sent under ('claimed': nothing can have been
  // delivered): as a failure retryable at once, fenced by claimed_at, so the next run takes it straight away.
  const release = db.prepare(`UPDATE job_claims SET status = 'failed', finished_at = @now, detail = @detail, retry_at = NULL
    WHERE job = @job AND scope = @scope AND period = @period AND status = 'claimed' AND claimed_at = @claimedAt`);
  const delScope = db.prepare('DELETE FROM job_claims WHERE scope = ?');
  const find = db.prepare(`SELECT job, scope, period, status, claimed_at AS claimedAt, finished_at AS finishedAt,
    retry_at AS retryAt, attempts, detail FROM job_claims WHERE job = ? AND scope = ? AND period = ?`);

  return {
    /**
     * Claims a period. Succeeds when it was never claimed, when an earlier attempt failed and its
     * retry time has come, when a claim was abandoned (a crash) for longer than `staleAfterMs`, or
     * always with `force`.
     */
    claimPeriod(key: ClaimKey, now: number, opts: { staleAfterMs: number; force?: boolean }): boolean {
      return take.run({ ...key, now, staleAfterMs: opts.staleAfterMs, force: opts.force ? 1 : 0 }).changes === 1;
    },
    /** Records how a claimed period ended. `failed` with `retryAt` lets a later tick take it again. */
    finishClaim(
      key: ClaimKey,
      status: Exclude<ClaimStatus, 'claimed' | 'posting'>,
      now: number,
      detail: string | null,
      retryAt: number | null = null,
    ): void {
      finish.run({ ...key, status, now, detail, retryAt });
    },
    /**
     * Marks a period claimed at `claimedAt` as on its way to Slack (it may be delivered from now on).
     * False when the claim is no longer that one (taken over once stale, forced, finished): then nothing may be sent.
     */
    markPosting(key: ClaimKey, claimedAt: number): boolean {
      return setStatus.run({ ...key, status: 'posting', claimedAt }).changes === 1;
    },
    /** Back to plain 'claimed' after Slack refused an attempt outright (429): nothing was delivered. False as for markPosting. */
    markClaimed(key: ClaimKey, claimedAt: number): boolean {
      return setStatus.run({ ...key, status: 'claimed', claimedAt }).changes === 1;
    },
    /**
     * Finishes as 'done' a claim a stopped run left 'posting' at `claimedAt`, once Slack showed the post
     * was delivered. False when it is no longer that claim (another run settled or took it first).
     */
    finishPostingClaim(key: ClaimKey, claimedAt: number, now: number, detail: string): boolean {
      return finishPosting.run({ ...key, claimedAt, now, detail }).changes === 1;
    },
    /**
     * Takes over, as a fresh claim at `now`, a claim a stopped run left 'posting' at `claimedAt`, once
     * Slack showed the post was not delivered. False as for finishPostingClaim: then nothing may be sent.
     */
    takeOverPostingClaim(key: ClaimKey, claimedAt: number, now: number): boolean {
      return retakePosting.run({ ...key, claimedAt, now }).changes === 1;
    },
    /**
     * Gives back, unsent, a claim taken at `claimedAt` that is still plain 'claimed' (a run told to stop while it
     * waited out a 429): the next run, on this instance or another, may take it at once. False when it is no longer that claim.
     */
    releaseClaim(key: ClaimKey, claimedAt: number, now: number, detail: string): boolean {
      return release.run({ ...key, claimedAt, now, detail }).changes === 1;
    },
    /** Deletes every claim of a scope (forget: per-manager claims are scoped 'team:user'). */
    deleteClaimsOfScope(scope: string): number {
      return delScope.run(scope).changes;
    },
    /** The claim row, if any. */
    findClaim(key: ClaimKey): ClaimRow | undefined {
      return find.get(key.job, key.scope, key.period) as ClaimRow | undefined;
    },
  };
}
