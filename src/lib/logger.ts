import type { Logger as BoltLogger, LogLevel as BoltLogLevel } from '@slack/bolt';
import { type DestinationStream, type Logger as PinoLogger, pino } from 'pino';
import type { LogLevel } from '../config.js';

/** The app's one structured logger: JSON lines on stdout (or a given stream, for tests). */
export type Logger = PinoLogger;

/** Builds the JSON logger at the given level, writing to `destination` (stdout by default). */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino({ level, base: { app: 'gemba' }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}

/**
 * Slack user ids (`U…`, `W…`) as they appear in Bolt's and the Web API client's own messages: at
 * debug those carry whole request bodies (`users.info {"user":"U123"}`), ack bodies and API results.
 */
const SLACK_USER_ID = /\b[UW][A-Z0-9]{2,}\b/g;

/** Removes Slack user ids from a vendor log message, so no level of logging names a rep. */
export function redactUserIds(text: string): string {
  return text.replace(SLACK_USER_ID, '[user]');
}

/**
 * Adapts our pino logger to Bolt's Logger interface so Bolt's own messages land in the same JSON
 * stream. Bolt logs variadic arguments; they are joined into one message, errors kept as `err`.
 * Every message has Slack user ids removed (redactUserIds): Bolt and the Web API client log payloads
 * at debug, and a rep's id must not reach the log at any level (PRODUCT.md "No trace of the rep").
 */
export function toBoltLogger(logger: Logger): BoltLogger {
  let child = logger.child({ component: 'bolt' });
  const emit =
    (level: LogLevel) =>
    (...parts: unknown[]): void => {
      // Bolt logs a lot at debug (whole payloads); skip the formatting when nobody will read it.
      if (!child.isLevelEnabled(level)) return;
      const err = parts.find((p): p is Error => p instanceof Error);
      const msg = redactUserIds(
        parts
          .filter((p) => p !== err)
          .map((p) => (typeof p === 'string' ? p : safeJson(p)))
          .join(' '),
      );
      if (err)
        child[level](
          { err: { type: err.name, message: redactUserIds(err.message), stack: redactUserIds(err.stack ?? '') } },
          msg || redactUserIds(err.message),
        );
      else child[level](msg);
    };
  return {
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    setLevel: (level: BoltLogLevel) => {
      child.level = level;
    },
    getLevel: () => child.level as BoltLogLevel,
    setName: (name: string) => {
      child = logger.child({ component: name });
    },
  };
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}
