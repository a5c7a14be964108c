import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
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
  return db;
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
