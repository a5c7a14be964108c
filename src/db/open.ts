import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

/**
 * Opens (creating its folder if needed) the SQLite database with the pragmas the app relies on:
 * WAL so readers never block the writer, foreign keys on, a busy timeout so two processes
 * sharing the file wait for each other instead of failing, and synchronous=NORMAL, which in
 * WAL mode keeps every committed transaction across a process crash (kill -9).
 */
export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  return db;
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
