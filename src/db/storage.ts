import type { Repos } from './repos/index.js';

/**
 * The one door to stored data. Services, listeners, jobs and the CLI see only this: repository
 * functions that return Promises of plain data, and a transaction that hands its callback the
 * same repositories bound to one transaction. No statement, driver row or SQL text gets through.
 */
export interface Storage {
  /** Which engine is behind the door (logs, /healthz, tests); behaviour must not depend on it. */
  readonly engine: 'sqlite' | 'postgres';
  /** Repositories outside any transaction: each call is atomic on its own. */
  readonly repos: Repos;
  /**
   * Runs `fn` in one transaction: committed when its Promise resolves, rolled back when it rejects.
   * Inside, use only `tx` (never `storage.repos`), and do nothing but database work: no Slack
   * calls, no waiting on timers.
   */
  transaction<T>(fn: (tx: Repos) => Promise<T>): Promise<T>;
  /**
   * After a delete that must erase (forget, undo, hide, pruning): makes the engine drop old copies
   * of deleted rows it still keeps where it can (SQLite: truncates the WAL). False when it could not
   * right now (the next checkpoint does it).
   */
  eraseCheckpoint(): Promise<boolean>;
  /**
   * Rewrites the anonymous store so that where a row sits says nothing about when it was written
   * (docs/anonymity.md "Where the anonymous data lives"): rows are laid out in the order of their keys
   * (random tactic ids, crowd codes, random reason ids), not the order they came in. SQLite rebuilds the
   * anonymous file (VACUUM) after every flag or Me too and at the publish; PostgreSQL, whose row versions
   * order the writes until the publish anyway (xmin), rewrites its anonymous tables (CLUSTER) at the
   * publish only. False when it could not right now (the next one does it).
   */
  reorderAnonymousStore(at: 'write' | 'publish'): Promise<boolean>;
  /**
   * Optional hint from the composition root: whether other requests are in flight right now, so an
   * engine that batches commits (SQLite's group commit) waits for company only when there is some.
   */
  expectCompany?(othersInFlight: () => boolean): void;
  /**
   * Whether the database answers a query (GET /healthz); when it does not, `reason` says why in a few
   * words for the log (the driver's error, or a SQLite file removed from under the running app).
   */
  ping(): Promise<{ ok: true } | { ok: false; reason: string }>;
  /** Closes the database; pending work should be drained first. */
  close(): Promise<void>;
}
