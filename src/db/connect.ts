import type { Logger } from '../lib/logger.js';
import { redactUrl } from '../lib/redact.js';
import { MigrationError } from './migrate.js';
import { InstallFilesError } from './open.js';
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
    return { storage, applied, where: redactUrl(config.databaseUrl) };
  }
  const { storage, applied } = openSqliteStorage(config.databasePath, (message) =>
    logger?.warn({ database: config.databasePath, error: message }, 'SQLite background checkpoint failed'),
  );
  return { storage, applied, where: config.databasePath };
}

/**
 * The one line that says why connectStorage failed, naming the database (never the password) and the
 * variable to check. Example: `cannot reach PostgreSQL at postgres://gemba:***@db:5432/gemba: connect
 * ECONNREFUSED 10.0.0.5:5432 — is it running, and is DATABASE_URL right?`. A migration or a half-restored
 * SQLite install already has its own message.
 */
export function describeStorageFailure(config: { databasePath: string; databaseUrl?: string }, err: unknown): string {
  if (err instanceof MigrationError || err instanceof InstallFilesError) return err.message;
  const cause = rootMessage(err);
  if (config.databaseUrl) {
    const where = redactUrl(config.databaseUrl);
    // Node's socket errors (ECONNREFUSED, ENOTFOUND, ETIMEDOUT…) mean the server was not reached at all.
    if (/^E[A-Z]+$/.test(String((err as { code?: unknown } | null)?.code ?? '')) || /timeout/i.test(cause)) {
      return `cannot reach PostgreSQL at ${where}: ${cause} — is it running, and is DATABASE_URL right?`;
    }
    return `PostgreSQL at ${where} refused Gemba: ${cause} — check DATABASE_URL`;
  }
  return `cannot open the SQLite database at ${config.databasePath}: ${cause} — check DATABASE_PATH (its folder must be writable)`;
}

/** The first concrete message: an AggregateError (one per address tried) by its first error. */
function rootMessage(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return rootMessage(err.errors[0]);
  const e = err as { message?: string; code?: string } | null;
  return e?.message || e?.code || String(err);
}
