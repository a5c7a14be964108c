import type { Logger as BoltLogger, LogLevel as BoltLogLevel } from '@slack/bolt';
import { type DestinationStream, type Logger as PinoLogger, pino } from 'pino';
import type { LogFormat, LogLevel } from '../config.js';

/** The app's one structured logger: JSON lines on stdout (or a given stream, for tests). */
export type Logger = PinoLogger;

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const LEVEL_COLOURS: Record<number, string> = { 20: '\x1b[90m', 30: '\x1b[36m', 40: '\x1b[33m', 50: '\x1b[31m', 60: '\x1b[41;97m' };
/** Fields every line carries; the readable format leaves them out. */
const QUIET_FIELDS = new Set(['level', 'time', 'msg', 'app', 'pid', 'hostname', 'err']);

/**
 * Where log lines go for a format: `json` (and `auto` when the stream is not a terminal) writes pino's
 * JSON lines as they are, for log collectors; `pretty` (and `auto` on a terminal) writes one readable
 * line per entry, `12:04:05 INFO  Gemba is running port=3000 mode=http`, with an error's message
 * and, for errors, its stack. A few lines of our own rather than pino-pretty and its dozen dependencies.
 */
export function logDestination(format: LogFormat, stream: NodeJS.WriteStream = process.stdout): DestinationStream {
  const pretty = format === 'pretty' || (format === 'auto' && stream.isTTY === true);
  if (!pretty) return stream;
  const colour = stream.isTTY === true;
  return {
    write(line: string): void {
      stream.write(formatPrettyLine(line, colour));
    },
  };
}

/** One pino JSON line as a readable line (unparseable input is passed through). */
export function formatPrettyLine(line: string, colour = false): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.endsWith('\n') ? line : `${line}\n`;
  }
  const level = Number(entry.level);
  const time = typeof entry.time === 'string' ? entry.time.slice(11, 19) : new Date().toISOString().slice(11, 19);
  const name = (LEVEL_NAMES[level] ?? String(entry.level)).padEnd(5);
  const fields = Object.entries(entry)
    .filter(([k]) => !QUIET_FIELDS.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'string' ? (/\s/.test(v) ? JSON.stringify(v) : v) : JSON.stringify(v)}`);
  const err = entry.err as { type?: string; message?: string; stack?: string } | undefined;
  const errText = err ? ` (${err.type ?? 'Error'}: ${err.message ?? ''})` : '';
  const stack = err?.stack && level >= 50 ? `\n${err.stack.replace(/^/gm, '    ')}` : '';
  const head = colour ? `\x1b[2m${time}\x1b[0m ${LEVEL_COLOURS[level] ?? ''}${name}\x1b[0m` : `${time} ${name}`;
  return `${head} ${String(entry.msg ?? '')}${errText}${fields.length ? ` ${fields.join(' ')}` : ''}${stack}\n`;
}

/** Builds the JSON logger at the given level, writing to `destination` (stdout by default). */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino({ level, base: { app: 'gemba' }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}

/**
 * Slack user ids (`U…`, `W…`) as they appear in Bolt's and the Web API client's own messages: at
 * debug those carry whole request bodies (`users.info {"user":"U123"}`), ack bodies and API results.
 */
const SLACK_USER_ID = /\b[UW][A-Z0-9]{2,}\b/g;

/**
 * Upper-case words of the Slack SDKs' own messages that the pattern above would take for a user id
 * ("Failed to retrieve a new WSS URL" read "… a new [user] [user]"). None can be one: Slack's user ids
 * are at least nine characters long.
 */
const VENDOR_WORDS = new Set(['URL', 'URLS', 'URI', 'WSS', 'UTF', 'WARN']);

/** Removes Slack user ids from a vendor log message, so no level of logging names a rep. */
export function redactUserIds(text: string): string {
  return text.replace(SLACK_USER_ID, (word) => (VENDOR_WORDS.has(word) ? word : '[user]'));
}

/**
 * Credentials as they appear in the Web API client's debug lines: oauth.v2.access sends the client
 * secret and the authorization code in its body (the client redacts only keys named `token`), and any
 * Slack token (`xoxb-…`, `xoxe-…`) that slips into a message.
 */
const SECRETS = /("(?:client_secret|code|refresh_token|access_token)"\s*:\s*)"[^"]*"|\bxox[a-z]-[A-Za-z0-9-]+/g;

/**
 * A request target's query in Bolt's own HTTP lines ("… made to /slack/x?code=…"): Socket Mode's HTTP
 * server logs an unmatched request's whole URL, and a query may carry an OAuth code or state.
 */
const REQUEST_QUERY = /(\bmade to [^\s?]*)\?\S*/g;

/** Removes OAuth credentials, Slack tokens and request queries from a vendor log message. */
export function redactSecrets(text: string): string {
  return text
    .replace(SECRETS, (_m, key: string | undefined) => (key ? `${key}"[redacted]"` : '[token]'))
    .replace(REQUEST_QUERY, '$1?[query redacted]');
}

/**
 * Adapts our pino logger to Bolt's Logger interface so Bolt's own messages land in the same JSON
 * stream. Bolt logs variadic arguments; they are joined into one message, errors kept as `err`.
 * Their debug lines are dropped (see emit), and every other message has Slack user ids and OAuth credentials removed
 * (redactUserIds, redactSecrets): a rep's id must not reach the log at any level (PRODUCT.md "No trace of the rep").
 */
export function toBoltLogger(logger: Logger): BoltLogger {
  let child = logger.child({ component: 'bolt' });
  const emit =
    (level: LogLevel) =>
    (...parts: unknown[]): void => {
      // Bolt's and the Web API client's debug lines are never written, at any LOG_LEVEL: they carry whole
      // payloads and results (a looked-up rep's name, a flag form's callback id) with the time of each
      // request, and a log must not date a flag nor name a rep (PRODUCT.md "No trace of the rep").
      if (level === 'debug' || !child.isLevelEnabled(level)) return;
      const err = parts.find((p): p is Error => p instanceof Error);
      const msg = redactSecrets(
        redactUserIds(
          parts
            .filter((p) => p !== err)
            .map((p) => (typeof p === 'string' ? p : safeJson(p)))
            .join(' '),
        ),
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
