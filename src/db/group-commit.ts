import type { ConnectionGate } from './repos/index.js';

/** One call's outcome inside a batch: its value, or what it threw (it alone was rolled back). */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** Runs `fn`, catching what it throws, so one item of a batch cannot fail the others. */
export function settle<T>(fn: () => T): Settled<T> {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Settles one caller's promise with its item's outcome. */
function answer<O>(r: Settled<O> | undefined, resolve: (o: O) => void, reject: (err: unknown) => void): void {
  if (r?.ok) resolve(r.value);
  else reject(r ? r.error : new Error('group commit: no result for an item'));
}

export interface GroupCommit<I, O> {
  /** Queues one item; resolves once the transaction holding it has committed. */
  run(item: I): Promise<O>;
  /** Resolves when every item queued so far has been committed or refused. */
  drain(): Promise<void>;
}

/**
 * Group commit: the calls made during one turn of the event loop are run together by `runAll`, in one
 * transaction, so a burst of concurrent requests pays for one commit (its WAL frames and system
 * calls: most of a one-liner's database cost, docs/performance.md) instead of one each. Each item
 * still gets its own answer: `runAll` runs every item in a savepoint of its own and settles it, so a
 * refused item is rolled back alone; if the transaction itself fails (BEGIN or COMMIT), every item
 * of the batch is refused with that error, and nothing of any is stored. Nobody's promise resolves
 * before the commit, so an ack still waits on its data being committed. Waiting for the turn's end
 * costs ~50 µs (measured at concurrency 1), so a call runs at once, a batch of one, when `company`
 * says no other request is on its way and nothing is queued or holding the connection.
 */
export function groupCommit<I, O>(
  runAll: (items: I[]) => Settled<O>[],
  gate: ConnectionGate,
  company: () => boolean = () => true,
): GroupCommit<I, O> {
  let queued: Array<{ item: I; resolve: (o: O) => void; reject: (err: unknown) => void }> = [];
  let inFlight: Promise<void> = Promise.resolve();

  const flush = async (): Promise<void> => {
    let results: Settled<O>[];
    let batch = queued;
    try {
      // Wait for an open transaction (SqliteStorage.transaction) to end, then take the queue and run it in the same tick.
      while (gate.busy()) await gate.wait();
      batch = queued;
      queued = [];
      results = runAll(batch.map((b) => b.item));
    } catch (err) {
      if (batch === queued) queued = [];
      for (const b of batch) b.reject(err);
      return;
    }
    for (const [i, b] of batch.entries()) answer(results[i], b.resolve, b.reject);
  };

  return {
    run(item) {
      return new Promise<O>((resolve, reject) => {
        if (queued.length === 0 && !gate.busy() && !company()) {
          // Alone: a batch of one, now (runAll throwing means its transaction failed).
          let r: Settled<O> | undefined;
          try {
            [r] = runAll([item]);
          } catch (error) {
            r = { ok: false, error };
          }
          return answer(r, resolve, reject);
        }
        if (queued.push({ item, resolve, reject }) === 1) {
          const done = new Promise<void>((r) => setImmediate(() => void flush().finally(r)));
          inFlight = inFlight.then(() => done);
        }
      });
    },
    drain() {
      return inFlight;
    },
  };
}
