import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the background connection copies committed WAL pages into the database file. */
export const CHECKPOINT_EVERY_MS = 250;

/**
 * The worker's source. Plain CommonJS evaluated as a string, so it runs the same under tsx, plain
 * node and a bundler, with better-sqlite3 resolved by the parent (no second TypeScript loader).
 * A PASSIVE checkpoint never waits for the writer and never blocks it: it copies what is committed
 * and stops at pages a reader still needs; the next one picks up the rest.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
// A failure is reported once, when checkpoints start failing (a read-only or full disk fails every
// 250 ms), not on every tick; a later success re-arms the report.
let failing = false;
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    failing = false;
  } catch (err) {
    if (!failing) parentPort.postMessage({ error: String(err && err.message || err) });
    failing = true;
  }
};
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on('message', (msg) => {
  if (msg !== 'close') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * Checkpoints the WAL from a worker thread with its own connection, so no request ever pays for
 * one. With SQLite's default (wal_autocheckpoint = 1000 pages) the commit that crosses the
 * threshold runs the checkpoint itself: it copies ~4 MB into the database file and fsyncs it
 * inside that request, which is what put the /contact ack's p99 at 2× bare Bolt (bench/results.md).
 * The app's connection turns automatic checkpoints off (openSqliteStorage) and this one takes over.
 */
export class BackgroundCheckpointer {
  readonly #worker: Worker;
  #exited = false;
  #closed: Promise<void> | null = null;

  /**
   * `onFailure` hears of a checkpoint that failed, or of the worker dying (`stopped`): the caller
   * then turns automatic checkpoints back on, so the WAL never grows without bound.
   */
  constructor(path: string, onFailure: (message: string, stopped: boolean) => void, everyMs = CHECKPOINT_EVERY_MS) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.#worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, driver, everyMs } });
    this.#worker.on('message', (msg: { error?: string }) => {
      if (msg.error) onFailure(msg.error, false);
    });
    this.#worker.on('error', (err) => onFailure(err.message, true));
    this.#worker.on('exit', () => {
      this.#exited = true;
    });
    // A process that is otherwise done (a CLI job, a test) does not wait for the timer.
    this.#worker.unref();
  }

  /** Stops the worker after its current checkpoint; its connection closes cleanly. */
  close(): Promise<void> {
    this.#closed ??= new Promise<void>((resolve) => {
      if (this.#exited) return resolve();
      // Held open until the worker has closed its connection (it is unref'd while it just ticks).
      this.#worker.ref();
      const killer = setTimeout(() => void this.#worker.terminate(), 2_000);
      killer.unref();
      this.#worker.once('exit', () => {
        clearTimeout(killer);
        resolve();
      });
      this.#worker.postMessage('close');
    });
    return this.#closed;
  }
}
