import { rateLimitedFor } from '../slack/errors.js';

/** Thrown by RateGate.call when the run was told to stop while it waited: the call was not made. */
export class RunStopped extends Error {
  readonly code = 'stopped';
  constructor() {
    super('the run was told to stop; the call was not made');
  }
}

/**
 * Shared back-off for one job run: when Slack answers 429 with Retry-After, every worker of the run
 * waits until then before its next attempt, as the Web API client's own queue would. It waits in
 * real time (it is about Slack's clock, not the job's notion of "now"). A run told to stop (`signal`)
 * stops waiting at once: the caller then makes no call (a shutdown must not sit out a 30 s Retry-After).
 */
export class RateGate {
  private until = 0;

  /** Resolves once no pause is in force, or as soon as `signal` is aborted (check it before calling Slack). */
  async wait(signal?: AbortSignal): Promise<void> {
    for (let left = this.until - Date.now(); left > 0 && !signal?.aborted; left = this.until - Date.now()) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, left);
        signal?.addEventListener('abort', done, { once: true });
      });
    }
  }

  /** Holds every worker back for `seconds` from now (the longest pause asked for wins). */
  pause(seconds: number): void {
    this.until = Math.max(this.until, Date.now() + Math.max(0, seconds) * 1000);
  }

  /**
   * Makes a Slack call once no pause is in force; on a 429, pauses every worker for its Retry-After and
   * makes the call again while `budget.retries` lasts (each 429 spends one), then throws the 429. Calls
   * given one budget share it, so a flow of several calls waits a bounded time in all. Throws RunStopped,
   * without calling, once `signal` is aborted. (runClaimed keeps its own loop: it marks the claim between
   * attempts.)
   */
  async call<T>(budget: { retries: number }, call: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    for (;;) {
      await this.wait(signal);
      if (signal?.aborted) throw new RunStopped();
      try {
        return await call();
      } catch (err) {
        const retryAfter = rateLimitedFor(err);
        if (retryAfter === null || budget.retries <= 0) throw err;
        budget.retries -= 1;
        this.pause(retryAfter);
      }
    }
  }
}
