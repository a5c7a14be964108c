/**
 * How many Slack requests this process is handling right now. The request guard counts them in
 * and out; SQLite's group commit asks it whether another request may reach the database in the
 * same turn of the event loop (worth waiting for) or this one is alone (commit at once).
 */
export class RequestGauge {
  #inFlight = 0;

  /** One request came in; call the returned function once when its response is done. */
  enter(): () => void {
    this.#inFlight++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.#inFlight--;
    };
  }

  /** Requests in flight, the caller's own included. */
  get inFlight(): number {
    return this.#inFlight;
  }
}
