import { mkdirSync } from 'node:fs';
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
export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  // Deleted rows are overwritten with zeros rather than left in free space (PRODUCT.md "Deleting is erasing").
  db.pragma('secure_delete = ON');
  attachAnonymousStore(db, anonymousStorePath(path));
  return db;
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

/** True when the database answers a query (for GET /healthz). */
export function pingDatabase(db: Db): boolean {
  try {
    db.prepare('SELECT 1').get();
    return true;
  } catch {
    return false;
  }
}
