/**
 * Gemba's coded errors, in the style of bolt-js (`src/errors.ts` there): every failure that reaches
 * the one error path (listeners/errors.ts for Slack surfaces, `reportFailure` for jobs) carries one
 * of these codes, which decides what the user reads and how loudly it is logged.
 */
export enum ErrorCode {
  /** The user asked for something that cannot be done as asked: their words are shown, with an example. */
  UserInput = 'gemba_user_input',
  /** The user may not do this (role). Their words are shown. */
  Forbidden = 'gemba_forbidden',
  /** The database refused or cannot be reached (read-only, full, locked, connection lost): an operator's problem, nothing was recorded. */
  StorageUnavailable = 'gemba_storage_unavailable',
  /** A Slack Web API call failed; `slackError` says which (`channel_not_found`, a web-api ErrorCode, …). */
  SlackApi = 'gemba_slack_api',
  /** Anything else: a bug. The user gets an apology, the log the stack. */
  Unexpected = 'gemba_unexpected',
}

/** An error with a code, as bolt-js's CodedError. */
export interface CodedError extends Error {
  code: ErrorCode;
}

/** A failure found by Gemba's own code: throw it where the problem is found. */
export class GembaError extends Error implements CodedError {
  readonly code: ErrorCode;
  /** A correct example the user can copy (UserInput). */
  readonly example?: string;
  /** Slack's error string for SlackApi failures. */
  readonly slackError?: string;

  constructor(code: ErrorCode, message: string, opts: { example?: string; slackError?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'GembaError';
    this.code = code;
    this.example = opts.example;
    this.slackError = opts.slackError;
  }
}

/** Codes whose message was written for the user: shown as is, logged at info (not a fault of ours). */
export const USER_FACING: ReadonlySet<ErrorCode> = new Set([ErrorCode.UserInput, ErrorCode.Forbidden]);

const SQLITE_CODES = ['SQLITE_READONLY', 'SQLITE_FULL', 'SQLITE_IOERR', 'SQLITE_CANTOPEN', 'SQLITE_BUSY'];

/**
 * PostgreSQL SQLSTATEs that mean "the server cannot take this now", not "the statement is wrong":
 * 25006 read-only transaction; class 53 insufficient resources (disk full, out of memory, too many
 * connections); class 08 connection exception; 57P01/57P02/57P03 admin shutdown, crash shutdown,
 * cannot connect now (starting up or in recovery).
 */
const POSTGRES_STATES = /^(25006|53[0-9A-Z]{3}|08[0-9A-Z]{3}|57P0[123])$/;
/** Socket errors of the driver reaching the server. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH']);
/** node-postgres reports a dropped or unreachable server with these messages and no code. */
const POSTGRES_LOST = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

/**
 * True when the database refused or could not take a write for reasons outside the request: SQLite's
 * disk or file cannot take it; PostgreSQL is read-only, out of resources, shutting down, or unreachable.
 */
export function isStorageUnavailable(err: unknown): boolean {
  const code = codeOf(err) ?? '';
  if (SQLITE_CODES.some((c) => code.startsWith(c))) return true;
  if (POSTGRES_STATES.test(code) || NETWORK_CODES.has(code)) return true;
  return err instanceof Error && code === '' && POSTGRES_LOST.test(err.message);
}

function codeOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  return typeof err.code === 'string' ? err.code : undefined;
}

/** True for errors thrown by the Slack Web API client (their codes start `slack_webapi_`). */
export function isSlackApiError(err: unknown): boolean {
  return codeOf(err)?.startsWith('slack_webapi_') ?? false;
}

/**
 * Any thrown value as a GembaError (bolt-js's asCodedError): ours stay as they are, the database's refusals
 * become StorageUnavailable, Web API failures SlackApi, everything else Unexpected. The original is the cause.
 */
export function asGembaError(err: unknown): GembaError {
  if (err instanceof GembaError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (isStorageUnavailable(err)) return new GembaError(ErrorCode.StorageUnavailable, message, { cause: err });
  if (isSlackApiError(err)) return new GembaError(ErrorCode.SlackApi, message, { cause: err, slackError: slackErrorOf(err) });
  return new GembaError(ErrorCode.Unexpected, message, { cause: err });
}

/** Slack's own error string of a Web API failure (`channel_not_found`, …), else the client's error code. */
export function slackErrorOf(err: unknown): string {
  if (err instanceof GembaError && err.slackError) return err.slackError;
  if (typeof err === 'object' && err !== null && 'data' in err) {
    const data = err.data as { error?: unknown } | undefined;
    if (typeof data?.error === 'string') return data.error;
  }
  return codeOf(err) ?? (err instanceof Error ? err.message : 'unknown_error');
}

/** The minimal logger the error path needs (pino's shape). */
interface FailureLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * The one log line for a failure anywhere (listener, event, job): classified, at a level that says
 * whose problem it is, with `where` naming the surface and handler. Returns the classified error.
 */
export function reportFailure(logger: FailureLogger, err: unknown, where: Record<string, unknown>): GembaError {
  const e = asGembaError(err);
  const fields = { ...where, code: e.code, ...(e.slackError ? { slackError: e.slackError } : {}), err: e.cause ?? e };
  const label = Object.values(where).join(' ');
  // Not the message: it may quote what the user typed, and tactic flags are anonymous.
  if (USER_FACING.has(e.code)) logger.info({ ...where, code: e.code }, `${label} refused`);
  // Storage trouble is an operator's problem, not a bug: say so plainly so the log line is actionable.
  else if (e.code === ErrorCode.StorageUnavailable)
    logger.error(
      fields,
      `${label} failed: the database refused the write or cannot be reached (read-only, full, locked or connection lost); nothing was recorded`,
    );
  else logger.error(fields, `${label} failed`);
  return e;
}

/** The value, or an Unexpected error naming what was missing (a row just written or checked must exist). */
export function present<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new GembaError(ErrorCode.Unexpected, `${what} is missing`);
  return value;
}
