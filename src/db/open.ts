import { existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

/**
 * Opens (creating its folder if needed) the SQLite database with the pragmas the app relies on:
 * WAL so readers never block the writer, foreign keys on, a busy timeout so two processes
 * sharing the file wait for each other instead of failing, and synchronous=NORMAL, which in
 * WAL mode keeps every committed transaction across a process crash (kill -9); secure_delete so
 * deleted data is overwritten, not left readable in free pages.
 */
export function openDatabase(path: string, opts: { exclusive?: boolean } = {}): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  // In WAL mode a crash before the first checkpoint can leave the data in the -wal file alone.
  const mainExisted = path !== ':memory:' && (hasData(path) || hasData(`${path}-wal`));
  if (!mainExisted && path !== ':memory:' && hasData(anonymousStorePath(path))) throw orphanAnonymousStore(path);
  const db = new Database(path);
  try {
    // `exclusive` (db:copy): set before the first read, so that this fails with SQLITE_BUSY (after the busy
    // timeout) while another process has the install open, an app still running on it included, and so
    // that no other process can open it until this connection closes. Set later, it would not: a WAL
    // connection that has read once shares the file through its -shm index.
    if (opts.exclusive) db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    // Deleted rows are overwritten with zeros rather than left in free space (PRODUCT.md "Deleting is erasing").
    db.pragma('secure_delete = ON');
    // Temporary tables and VACUUM's working copy stay in memory: a temporary file would put a copy of the
    // anonymous store on disk (reorderAnonymousStore), deleted but not erased.
    db.pragma('temp_store = MEMORY');
    if (mainExisted && !hasData(anonymousStorePath(path)) && anonymousStoreCreated(db)) throw missingAnonymousStore(path);
    attachAnonymousStore(db, anonymousStorePath(path));
  } catch (err) {
    // A half-opened connection would keep its file locks (an exclusive one above all) until the process ends.
    db.close();
    throw err;
  }
  return db;
}

/**
 * Every file of one SQLite install: the main file with its WAL and shared-memory index, and the
 * anonymous store with its rollback journal. Removing an install (the sandbox's `--reset`) removes
 * them all; a backup copies them all.
 */
export function sqliteInstallFiles(path: string): string[] {
  const anon = anonymousStorePath(path);
  return [path, `${path}-wal`, `${path}-shm`, anon, `${anon}-journal`];
}

/** Thrown when the two files of an install do not belong together; its message says what to do. */
export class InstallFilesError extends Error {
  override name = 'InstallFilesError';
}

const hasData = (file: string): boolean => existsSync(file) && statSync(file).size > 0;

/** True when the main file's migrations already created the anonymous store (0012 applied). */
function anonymousStoreCreated(db: Db): boolean {
  const ledger = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  return ledger !== undefined && db.prepare("SELECT 1 FROM schema_migrations WHERE substr(version, 1, 5) = '0012_'").get() !== undefined;
}

function orphanAnonymousStore(path: string): InstallFilesError {
  const anon = anonymousStorePath(path);
  return new InstallFilesError(
    `${anon} exists but ${path} does not: the two files are one Gemba install. Restore ${basename(path)} from the backup ` +
      `you took with ${basename(anon)}, or move ${basename(anon)} away to start with an empty database.`,
  );
}

function missingAnonymousStore(path: string): InstallFilesError {
  const anon = anonymousStorePath(path);
  return new InstallFilesError(
    `${anon} is missing beside ${path}: it holds the flagged tactics and is the other half of this install. Restore it ` +
      `from the backup you took with ${basename(path)} (back up and restore both files together). Gemba does not start ` +
      'without it rather than carry on with the flags silently gone.',
  );
}

/**
 * Where the anonymous store lives: next to the main file, ".anon" before the extension
 * (`./data/gemba.db` → `./data/gemba.anon.db`); `:memory:` stays in memory.
 */
export function anonymousStorePath(path: string): string {
  if (path === ':memory:') return path;
  const ext = extname(path);
  return join(dirname(path), `${basename(path, ext)}.anon${ext}`);
}

/**
 * Attaches the anonymous store as schema `anon` (docs/anonymity.md). It is a separate file so that
 * no timestamped write of another table sits beside a flag, in the file or in a WAL; it uses a
 * rollback journal truncated after each commit (no WAL keeping the order of writes) and
 * secure_delete. Its tables are created by the migrations (0012).
 */
function attachAnonymousStore(db: Db, anonPath: string): void {
  // From here on, journal_mode without a schema would change both files: always write main.journal_mode.
  db.prepare('ATTACH DATABASE ? AS anon').run(anonPath);
  db.pragma('anon.journal_mode = TRUNCATE');
  db.pragma('anon.secure_delete = ON');
  db.pragma('anon.synchronous = FULL');
}

/**
 * After a delete that must erase (forget, undo, hide, pruning): copies the WAL into the main file
 * and truncates the WAL to zero bytes, so the old page images it still held are gone too. Another
 * process reading at that moment can keep the checkpoint from finishing; then the WAL is reset at
 * the next checkpoint instead, and `false` is returned.
 */
export function eraseCheckpoint(db: Db): boolean {
  if (!db.open || db.memory) return true;
  const [r] = db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
  return r?.busy === 0;
}

/** Which file a path names now (device and inode), or null when there is none. */
export function fileIdentity(path: string): string | null {
  try {
    const s = statSync(path);
    return `${s.dev}:${s.ino}`;
  } catch {
    return null;
  }
}

/**
 * Whether the database answers a query (for GET /healthz). `files` are the install's files with the identity
 * each had when it was opened: SQLite keeps writing to a file removed or replaced under it (its open handle
 * still works), so a `SELECT 1` alone would say ok while everything written from then on is lost at the
 * next start. Example: `rm -r data/` under a running app makes this answer "… was removed".
 */
export function pingDatabase(
  db: Db,
  files: ReadonlyArray<{ path: string; identity: string | null }> = [],
): { ok: true } | { ok: false; reason: string } {
  try {
    db.prepare('SELECT 1').get();
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
  for (const f of files) {
    const now = fileIdentity(f.path);
    if (now !== f.identity) {
      return {
        ok: false,
        reason: `${f.path} was ${now === null ? 'removed' : 'replaced by another file'} while Gemba was running: what it writes now is lost at the next start; put the file back or restart`,
      };
    }
  }
  return { ok: true };
}
