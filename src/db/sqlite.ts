import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { BackgroundCheckpointer } from './checkpointer.js';
import { type GroupCommit, groupCommit, settle } from './group-commit.js';
import { migrate } from './migrate.js';
import type { Db } from './open.js';
import { anonymousStorePath, eraseCheckpoint, fileIdentity, openDatabase, pingDatabase } from './open.js';
import type { OneLinerOutcome, OneLinerWrite } from './repos/contact-log.js';
import { createSqliteRepos, type Repos, toAsyncRepos } from './repos/index.js';
import type { Storage } from './storage.js';

const insideTransaction = () => new Error('storage.repos used inside storage.transaction(): use the callback’s repositories');

/** How long an erasing checkpoint waits for a background one to finish: 40 × 25 ms = 1 s. */
const ERASE_ATTEMPTS = 40;
const ERASE_RETRY_MS = 25;

/**
 * SQLite behind the asynchronous Storage interface. better-sqlite3 runs each statement
 * synchronously on one connection, so a repository call outside a transaction is atomic by
 * itself. A transaction, though, stays open across the `await`s of its callback; while it is open
 * every other call waits for it (otherwise another request's statement would run inside it), and
 * transactions queue one behind the other. A call on `storage.repos` made from inside a
 * transaction's callback would wait for itself: it throws instead, naming the mistake.
 */
export class SqliteStorage implements Storage {
  readonly engine = 'sqlite' as const;
  readonly repos: Repos;
  readonly #txRepos: Repos;
  readonly #inside = new AsyncLocalStorage<true>();
  #open = false;
  #released: Promise<void> = Promise.resolve();
  #release: () => void = () => undefined;
  readonly #begin;
  readonly #commit;
  readonly #rollback;
  readonly #oneLiners: GroupCommit<OneLinerWrite, OneLinerOutcome>;
  #company: () => boolean = () => true;
  /** The install's files as they were when opened (see pingDatabase); empty in memory. */
  readonly #files: ReadonlyArray<{ path: string; identity: string | null }>;

  constructor(
    readonly db: Db,
    readonly checkpointer: BackgroundCheckpointer | null = null,
  ) {
    this.#files =
      db.memory || db.name === ':memory:'
        ? []
        : [db.name, anonymousStorePath(db.name)].map((path) => ({ path, identity: fileIdentity(path) }));
    const sync = createSqliteRepos(db);
    const repos = toAsyncRepos(sync, { busy: () => this.#open, wait: () => this.#outside() });
    this.#txRepos = toAsyncRepos(sync, null);
    // The /contact one-liner, the hottest write, is group-committed (see groupCommit): concurrent
    // one-liners share one transaction, each in its own savepoint (a nested better-sqlite3 transaction).
    const logAll = db.transaction((ws: OneLinerWrite[]) => ws.map((w) => settle(() => sync.contactLog.logOneLiner(w))));
    this.#oneLiners = groupCommit(
      (ws) => (ws.length === 1 ? [settle(() => sync.contactLog.logOneLiner(ws[0] as OneLinerWrite))] : logAll.immediate(ws)),
      { busy: () => this.#open, wait: () => this.#released },
      () => this.#company(),
    );
    this.repos = {
      ...repos,
      contactLog: {
        ...repos.contactLog,
        logOneLiner: (w) => (this.#inside.getStore() ? Promise.reject(insideTransaction()) : this.#oneLiners.run(w)),
      },
    };
    // IMMEDIATE takes the write lock up front, so two processes sharing the file never deadlock
    // upgrading a read to a write; busy_timeout makes the second one wait.
    this.#begin = db.prepare('BEGIN IMMEDIATE');
    this.#commit = db.prepare('COMMIT');
    this.#rollback = db.prepare('ROLLBACK');
  }

  /** Resolves when the open transaction ends (callers check again, synchronously, before running). */
  #outside(): Promise<void> {
    if (this.#inside.getStore()) {
      return Promise.reject(insideTransaction());
    }
    return this.#released;
  }

  async transaction<T>(fn: (tx: Repos) => Promise<T>): Promise<T> {
    if (this.#inside.getStore()) throw new Error('storage.transaction() does not nest');
    while (this.#open) await this.#released;
    this.#open = true;
    this.#released = new Promise<void>((resolve) => {
      this.#release = resolve;
    });
    try {
      this.#begin.run();
      try {
        const result = await this.#inside.run(true, () => fn(this.#txRepos));
        this.#commit.run();
        return result;
      } catch (err) {
        if (this.db.inTransaction) this.#rollback.run();
        throw err;
      }
    } finally {
      this.#open = false;
      this.#release();
    }
  }

  /**
   * Tells group commit whether other requests are in flight (the composition root passes the request
   * gauge's count): one-liners then wait for the turn's end to share a commit; alone, they commit at once.
   */
  expectCompany(othersInFlight: () => boolean): void {
    this.#company = othersInFlight;
  }

  async eraseCheckpoint(): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      // A checkpoint inside an open transaction would not finish; wait for it like any other call.
      while (this.#open) await this.#released;
      // Busy also when the background checkpointer is in the middle of one (it takes a few ms):
      // wait for it rather than leave old page images in the WAL.
      const done = eraseCheckpoint(this.db);
      if (done || attempt >= ERASE_ATTEMPTS) return done;
      await sleep(ERASE_RETRY_MS);
    }
  }

  async reorderAnonymousStore(_at: 'write' | 'publish'): Promise<boolean> {
    // In memory there is no file to read rows' places from.
    if (!this.db.open || this.db.memory || this.db.name === ':memory:') return true;
    while (this.#open) await this.#released;
    // A SQLite page keeps its rows' bytes in the order they were written (each new one below the last), and
    // new pages are added at the end of the file: a copy of the file showed which flag came after which, and,
    // lining up a reason with the report written with it, whose crowd gave which reason. VACUUM writes the
    // file anew in key order. Its temporary copy stays in memory (temp_store, see openDatabase), and its
    // rollback journal is truncated at commit like every other.
    this.db.exec('VACUUM anon');
    return true;
  }

  async ping(): Promise<{ ok: true } | { ok: false; reason: string }> {
    return pingDatabase(this.db, this.#files);
  }

  async close(): Promise<void> {
    // One-liners already queued are committed (or refused) before the connection goes.
    await this.#oneLiners.drain();
    await this.checkpointer?.close();
    if (this.db.open) this.db.close();
  }
}

/**
 * Opens the SQLite file (see openDatabase for the pragmas), applies pending migrations (the
 * repositories prepare their statements against the current schema), and puts it behind the
 * Storage interface. `applied` lists the migrations this call ran.
 */
export function openSqliteStorage(
  path: string,
  onCheckpointFailure: (message: string) => void = () => undefined,
): { storage: SqliteStorage; applied: string[] } {
  const db = openDatabase(path);
  try {
    const applied = migrate(db);
    return { storage: new SqliteStorage(db, startBackgroundCheckpoints(db, path, onCheckpointFailure)), applied };
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Moves WAL checkpoints off the request path (see BackgroundCheckpointer): the app's connection
 * stops checkpointing on commit, a worker thread does it every CHECKPOINT_EVERY_MS. Should the
 * worker fail, the connection checkpoints on commit again (SQLite's default, 1000 pages), so the
 * WAL never grows without bound. An in-memory database has no WAL.
 */
function startBackgroundCheckpoints(db: Db, path: string, onFailure: (message: string) => void): BackgroundCheckpointer | null {
  if (db.memory || path === ':memory:') return null;
  db.pragma('wal_autocheckpoint = 0');
  return new BackgroundCheckpointer(path, (message, stopped) => {
    if (stopped && db.open) db.pragma('wal_autocheckpoint = 1000');
    onFailure(stopped ? `background checkpoints stopped (${message}); checkpointing on commit again` : message);
  });
}
