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
}
