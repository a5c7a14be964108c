/**
 * Shared pieces of the benchmark: the fixed instant every scale measurement uses, a quiet
 * context built the way the composition root builds it, and small statistics helpers.
 */
import { type Config, loadConfig } from '../src/config.js';
import { type AppContext, createContext } from '../src/context.js';
import type { Db } from '../src/db/open.js';
import { openSqliteStorage } from '../src/db/sqlite.js';
import { FixedClock } from '../src/lib/clock.js';
import { createLogger } from '../src/lib/logger.js';
import { createSlackClient } from '../src/slack/client.js';

export const TEAM = 'T0001';
/** Monday 09:05 UTC: weekly jobs and UTC managers' nudges are all due. */
export const BENCH_NOW = Date.parse('2026-11-30T09:05:00Z');
export const SIGNING_SECRET = 'bench-signing-secret-0123456789';
export const ANONYMITY_KEY = 'bench-anonymity-key-0123456789abcdef';

/** The app's configuration for a bench run (warn-level logs so the bench stays quiet). */
export function benchConfig(env: Record<string, string>): Config {
  return loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-bench-token',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: 'http://127.0.0.1:1/api/',
    LOG_LEVEL: 'warn',
    SCHEDULER_ENABLED: 'false',
    ANONYMITY_KEY,
    TEAM_TIMEZONE: 'UTC',
    PORT: '0',
    ...env,
  });
}

/** Opens (and migrates) a database and builds the real AppContext on it, with a fixed clock. */
export function benchContext(
  databasePath: string,
  opts: { now?: number; env?: Record<string, string> } = {},
): { ctx: AppContext; db: Db; clock: FixedClock } {
  const config = benchConfig({ DATABASE_PATH: databasePath, ...opts.env });
  // Warnings and errors still reach stderr; info lines would drown the table.
  const logger = createLogger(config.logLevel, process.stderr);
  const { storage } = openSqliteStorage(databasePath);
  const { db } = storage;
  const clock = new FixedClock(opts.now ?? BENCH_NOW);
  const ctx = createContext({ config, storage, logger, clock, slack: createSlackClient(config, logger) });
  return { ctx, db, clock };
}

/** The q-quantile (0…1) of numbers, nearest-rank. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);

/** Milliseconds with a sensible number of digits. */
export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms < 1) return `${ms.toFixed(3)} ms`;
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  return `${Math.round(ms)} ms`;
}

/** Times `fn` after `warmup` untimed runs: every timed run, in ms. */
export async function timeRuns(
  fn: () => Promise<unknown>,
  opts: { warmup?: number; runs?: number } = {},
): Promise<{ first: number; runs: number[] }> {
  const t0 = performance.now();
  await fn();
  const first = performance.now() - t0;
  for (let i = 1; i < (opts.warmup ?? 2); i++) await fn();
  const runs: number[] = [];
  for (let i = 0; i < (opts.runs ?? 7); i++) {
    const s = performance.now();
    await fn();
    runs.push(performance.now() - s);
  }
  return { first, runs };
}

/** A small seeded PRNG (mulberry32), so every bench run generates the same data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Peak resident set size of this process so far, in MB. */
export const peakRssMb = (): number => process.resourceUsage().maxRSS / 1024;
