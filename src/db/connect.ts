import { openSqliteStorage } from './sqlite.js';
import type { Storage } from './storage.js';

/** Opens the configured database and brings its schema up to date. */
export async function connectStorage(config: { databasePath: string }): Promise<{ storage: Storage; applied: string[]; where: string }> {
  const { storage, applied } = openSqliteStorage(config.databasePath);
  return { storage, applied, where: config.databasePath };
}
