/**
 * Work started after a request was acknowledged (profile look-ups, follow-up messages). Tracked so
 * shutdown can wait for it before the database closes, and so tests can wait until it settles.
 */
export class BackgroundTasks {
  private readonly running = new Set<Promise<unknown>>();

  /** Runs `task` without awaiting it; its failure is passed to `onError`, never thrown. */
  run(task: () => Promise<unknown>, onError: (err: unknown) => void): void {
    const p = Promise.resolve()
      .then(task)
      .catch(onError)
      .finally(() => this.running.delete(p));
    this.running.add(p);
  }

  /** Resolves once every task started so far (and any they started) has settled. */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
