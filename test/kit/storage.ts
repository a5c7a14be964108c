/** A migrated database behind the Storage interface, for service and property tests. */
import { openSqliteStorage, type SqliteStorage } from '../../src/db/sqlite.js';

/** Opens (default: in memory) and migrates a SQLite database behind the Storage interface. */
export function openTestStorage(path = ':memory:'): SqliteStorage {
  return openSqliteStorage(path).storage;
}
