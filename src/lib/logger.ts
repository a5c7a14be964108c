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
 * Adapts our pino logger to Bolt's Logger interface so Bolt's own messages land in the same JSON
 * stream. Bolt logs variadic arguments; they are joined into one message, errors kept as `err`.
 */
export function toBoltLogger(logger: Logger): BoltLogger {
  let child = logger.child({ component: 'bolt' });
  const emit =
    (level: LogLevel) =>
    (...parts: unknown[]): void => {
      // Bolt logs a lot at debug (whole payloads); skip the formatting when nobody will read it.
      if (!child.isLevelEnabled(level)) return;
      const err = parts.find((p): p is Error => p instanceof Error);
      const msg = parts
        .filter((p) => p !== err)
        .map((p) => (typeof p === 'string' ? p : safeJson(p)))
        .join(' ');
      if (err) child[level]({ err }, msg || err.message);
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
