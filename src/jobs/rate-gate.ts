import { rateLimitedFor } from '../slack/errors.js';

/**
 * Shared back-off for one job run: when Slack answers 429 with Retry-After, every worker of the run
 * waits until then before its next attempt, as the Web API client's own queue would. It waits in
 * real time (it is about Slack's clock, not the job's notion of "now").
 */
export class RateGate {
  private until = 0;

  /** Resolves once no pause is in force. */
  async wait(): Promise<void> {
    for (let left = this.until - Date.now(); left > 0; left = this.until - Date.now()) {
      await new Promise((resolve) => setTimeout(resolve, left));
    }
  }

  /** Holds every worker back for `seconds` from now (the longest pause asked for wins). */
  pause(seconds: number): void {
    this.until = Math.max(this.until, Date.now() + Math.max(0, seconds) * 1000);
  }

  /**
   * Makes a Slack call once no pause is in force; on a 429, pauses every worker for its Retry-After and
   * makes the call again while `budget.retries` lasts (each 429 spends one), then throws the 429. Calls
   * given one budget share it, so a flow of several calls waits a bounded time in all. (runClaimed
   * keeps its own loop: it marks the claim between attempts.)
   */
  async call<T>(budget: { retries: number }, call: () => Promise<T>): Promise<T> {
    for (;;) {
      await this.wait();
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
