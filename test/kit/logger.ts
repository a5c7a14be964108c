/**
 * A Bolt/WebClient-compatible logger that records instead of printing,
 * so tests stay quiet and can assert on what was logged.
 * Pass it as `logger` to `new App(...)` or `new WebClient(...)`.
 */
import { type Logger, LogLevel } from '@slack/bolt';

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  msg: string;
}

export interface TestLogger extends Logger {
  readonly lines: LogLine[];
  /** Lines at warn or error level. */
  problems(): LogLine[];
}

function render(parts: unknown[]): string {
  return parts.map((p) => (typeof p === 'string' ? p : p instanceof Error ? `${p.name}: ${p.message}` : safeJson(p))).join(' ');
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

export function createTestLogger(): TestLogger {
  const lines: LogLine[] = [];
  let level: LogLevel = LogLevel.DEBUG;
  const log =
    (l: LogLine['level']) =>
    (...msg: unknown[]) =>
      void lines.push({ level: l, msg: render(msg) });
  return {
    lines,
    problems: () => lines.filter((l) => l.level === 'warn' || l.level === 'error'),
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
