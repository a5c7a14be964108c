/**
 * A domain error that carries a code and a message fit to show the user. The one error handler
 * (app.error) turns any other error into a generic apology; these keep their words.
 */
export class UserFacingError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly example?: string,
  ) {
    super(message);
    this.name = 'UserFacingError';
  }
}

/** True when SQLite refused a write because the disk or database file cannot take it. */
export function isStorageUnavailable(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code ?? '';
  return ['SQLITE_READONLY', 'SQLITE_FULL', 'SQLITE_IOERR', 'SQLITE_CANTOPEN', 'SQLITE_BUSY'].some((c) => code.startsWith(c));
}
