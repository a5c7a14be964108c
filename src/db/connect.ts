import type { Logger } from '../lib/logger.js';
import { openPostgresStorage } from './postgres.js';
import { openSqliteStorage } from './sqlite.js';
import type { Storage } from './storage.js';

/**
 * Opens the configured database and brings its schema up to date: PostgreSQL when DATABASE_URL is
 * set (migrations under an advisory lock, so instances starting together are safe), else the
 * SQLite file at DATABASE_PATH. `where` names it for the log, without the password.
 */
export async function connectStorage(
  config: { databasePath: string; databaseUrl?: string },
  logger?: Logger,
): Promise<{ storage: Storage; applied: string[]; where: string }> {
  if (config.databaseUrl) {
    const { storage, applied } = await openPostgresStorage(config.databaseUrl, logger);
    const url = new URL(config.databaseUrl);
    url.password = url.password ? '***' : '';
    return { storage, applied, where: url.toString() };
  }
  const { storage, applied } = openSqliteStorage(config.databasePath, (message) =>
    logger?.warn({ database: config.databasePath, error: message }, 'SQLite background checkpoint failed'),
  );
  return { storage, applied, where: config.databasePath };
}
