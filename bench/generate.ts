/**
 * Builds the scale database: by default 10,000 managers and 1,000,000 conversations over the 52
 * weeks before BENCH_NOW, through the real migrations and the real repositories (prepared
 * statements), in one transaction.
 *
 * Realistic skew: activity per manager is log-normal (a few very active, a long quiet tail);
 * 12% went quiet 1–8 weeks ago, 3% never logged anything, 4% joined in the last quarter. Each
 * manager has a book of 5–40 accounts out of ~50,000, with a favourite few; ~30% of conversations
 * carry an insight. Half the managers have a cached profile in one of several time zones; some are
 * snoozed, some were nudged recently, some ignored three nudges; a few dozen tactics were flagged.
 *
 *   node --import tsx bench/generate.ts <file> [managers] [contacts]   (prints JSON stats)
 */
import { existsSync, rmSync } from 'node:fs';
import type { ContactKind } from '../src/db/repos/contacts.js';
import { createSqliteRepos } from '../src/db/repos/index.js';
import { addDays, localDate, weekStart } from '../src/lib/time.js';
import { accountKey } from '../src/services/contacts.js';
import { buildCrowdTree, crowdHash } from '../src/services/crowds.js';
import { BENCH_NOW, benchContext, peakRssMb, rng, TEAM } from './common.js';

export interface GenerateOptions {
  managers: number;
  contacts: number;
  accounts: number;
  weeks: number;
  seed: number;
}

export interface GenerateStats {
  managers: number;
  contacts: number;
  accountsUsed: number;
  insights: number;
  profiles: number;
  snoozes: number;
  nudges: number;
  tactics: number;
  seconds: number;
  fileMb: number;
  peakRssMb: number;
}

export const DEFAULT_GENERATE: GenerateOptions = { managers: 10_000, contacts: 1_000_000, accounts: 50_000, weeks: 52, seed: 20261130 };

/** Time zones given to half the managers; at Monday 09:05 UTC some are past 09:00 locally, some not. */
export const BENCH_ZONES = [
  'Europe/London',
  'Europe/Berlin',
  'America/New_York',
  'America/Chicago',
  'America/Los_Angeles',
  'Asia/Tokyo',
  'Asia/Kolkata',
  'Australia/Sydney',
  'America/Sao_Paulo',
  'Africa/Johannesburg',
];

export const managerId = (i: number): string => `UM${String(i).padStart(5, '0')}`;

const KINDS: ContactKind[] = ['call', 'call', 'call', 'video', 'video', 'meeting', 'meeting', 'visit', 'other'];
const INSIGHTS = [
  'wants ROI proof before renewal',
  'evaluating two competitors, price is not the blocker',
  'procurement now requires a security review up front',
  'researched us on review sites before the first call',
  'prefers a short async demo video over a live pitch',
  'budget moved to next quarter; champion is still keen',
  'asked for references in their own industry',
  'our cold emails were ignored; a peer intro worked',
];

/** Standard normal sample (Box–Muller). */
function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

/** Generates the database at `path` (replacing any file there). */
export async function generateDatabase(path: string, opts: Partial<GenerateOptions> = {}): Promise<GenerateStats> {
  const o = { ...DEFAULT_GENERATE, ...opts };
  for (const suffix of ['', '-wal', '-shm']) if (existsSync(path + suffix)) rmSync(path + suffix);
  const started = performance.now();
  const { ctx, db } = benchContext(path);
  // A big page cache only for the bulk load: index pages stay in memory instead of thrashing.
  db.pragma('cache_size = -262144');
  db.pragma('main.journal_mode = MEMORY');
  db.pragma('synchronous = OFF');
  // Bulk generation uses the synchronous SQLite statements directly: one transaction, no await per row.
  const repos = createSqliteRepos(db);
  const r = rng(o.seed);
  const today = localDate(BENCH_NOW, 'UTC');
  const lastWeek = addDays(weekStart(today), -7); // the last complete week
  const firstWeek = addDays(lastWeek, -7 * (o.weeks - 1));
  const DAY = 86_400_000;
  // Date strings computed once: a million addDays calls would dominate the generation time.
  const weekStarts = Array.from({ length: o.weeks }, (_, w) => addDays(firstWeek, 7 * w));
  const days = weekStarts.map((w) => Array.from({ length: 7 }, (_, d) => addDays(w, d)));

  // Per-manager shape: weight (log-normal), first and last active week, book of accounts.
  const managers = Array.from({ length: o.managers }, (_, i) => {
    const u = r();
    const never = u < 0.03;
    const joinedLate = !never && u < 0.07;
    const wentQuiet = !never && !joinedLate && u < 0.19;
    const startWeek = joinedLate ? o.weeks - 1 - Math.floor(r() * 12) : 0;
    const endWeek = wentQuiet ? o.weeks - 1 - (1 + Math.floor(r() * 8)) : o.weeks - 1;
    const bookSize = 5 + Math.floor(r() * 36);
    const book = Array.from({ length: bookSize }, () => Math.floor(r() * o.accounts));
    return { userId: managerId(i), weight: never ? 0 : Math.exp(gauss(r) * 0.9), startWeek, endWeek, book };
  });
  const totalWeight = managers.reduce((s, m) => s + m.weight * (m.endWeek - m.startWeek + 1), 0);

  const stats: Omit<GenerateStats, 'seconds' | 'fileMb' | 'peakRssMb'> = {
    managers: o.managers,
    contacts: 0,
    accountsUsed: 0,
    insights: 0,
    profiles: 0,
    snoozes: 0,
    nudges: 0,
    tactics: 0,
  };
  const usedAccounts = new Set<number>();

  db.transaction(() => {
    repos.teams.updateTeamSetting(TEAM, 'timezone', 'UTC', BENCH_NOW);
    repos.teams.updateTeamSetting(TEAM, 'leaderboardChannel', 'CLEADERS', BENCH_NOW);
    repos.teams.updateTeamSetting(TEAM, 'digestChannel', 'CDIGEST', BENCH_NOW);
    repos.vps.insertVp(TEAM, 'UVP00001', BENCH_NOW, 'UADMIN');

    let remaining = o.contacts;
    managers.forEach((m, i) => {
      const enrolledAt = Date.parse(`${addDays(firstWeek, 7 * m.startWeek)}T08:00:00Z`) - Math.floor(r() * 7) * DAY;
      repos.managers.enrollManager(TEAM, m.userId, enrolledAt);
      if (i % 2 === 0) {
        repos.profiles.upsertProfile({
          teamId: TEAM,
          userId: m.userId,
          tz: BENCH_ZONES[(i / 2) % BENCH_ZONES.length],
          isAdmin: false,
          isOwner: false,
          displayName: `manager ${i}`,
          refreshedAt: BENCH_NOW - DAY,
        });
        stats.profiles++;
      }
      const weeks = m.endWeek - m.startWeek + 1;
      let n = i === o.managers - 1 ? remaining : Math.round((o.contacts * m.weight * weeks) / totalWeight);
      n = Math.max(0, Math.min(n, remaining));
      remaining -= n;
      for (let k = 0; k < n; k++) {
        const w = m.startWeek + Math.floor(r() * weeks);
        const week = weekStarts[w];
        const occurredOn = days[w][r() < 0.93 ? Math.floor(r() * 5) : 5 + Math.floor(r() * 2)];
        // A favourite few accounts get most of the conversations.
        const acct = m.book[Math.floor(m.book.length * r() * r())];
        usedAccounts.add(acct);
        const account = `Account ${String(acct).padStart(5, '0')} ${['Inc', 'GmbH', 'Ltd', 'Corp', 'SA'][acct % 5]}`;
        const insight = r() < 0.3 ? `${INSIGHTS[Math.floor(r() * INSIGHTS.length)]} (${k})` : null;
        if (insight) stats.insights++;
        repos.contacts.insertContact({
          teamId: TEAM,
          userId: m.userId,
          account,
          accountKey: accountKey(account),
          buyer: r() < 0.5 ? `Buyer ${Math.floor(r() * 1000)}` : null,
          kind: KINDS[Math.floor(r() * KINDS.length)],
          durationMin: r() < 0.6 ? 15 + Math.floor(r() * 76) : null,
          occurredOn,
          weekStart: week,
          insight,
          now: Date.parse(`${occurredOn}T17:00:00Z`),
        });
        stats.contacts++;
      }
      // Snoozes: 3% paused right now, 5% paused some weeks ago (frozen streak weeks).
      const s = r();
      if (s < 0.03) {
        repos.snoozes.insertSnooze({
          teamId: TEAM,
          userId: m.userId,
          startsOn: addDays(today, -3),
          endsOn: addDays(today, 10),
          reason: (['pto', 'travelling', 'pipeline_reset', 'snooze'] as const)[i % 4],
          createdAt: BENCH_NOW - 3 * DAY,
        });
        stats.snoozes++;
      } else if (s < 0.08) {
        const start = addDays(today, -7 * (2 + Math.floor(r() * 20)));
        repos.snoozes.insertSnooze({
          teamId: TEAM,
          userId: m.userId,
          startsOn: start,
          endsOn: addDays(start, 6),
          reason: 'pto',
          createdAt: BENCH_NOW - 30 * DAY,
        });
        stats.snoozes++;
      }
      // Nudges: 4% nudged in the last 3 days (cool-down), 2% ignored three in the last month.
      const nu = r();
      const nudgeDays = nu < 0.04 ? [1] : nu < 0.06 ? [20, 13, 6] : [];
      for (const d of nudgeDays) {
        repos.nudges.insertNudge({
          teamId: TEAM,
          userId: m.userId,
          sentAt: BENCH_NOW - d * DAY,
          localDate: addDays(today, -d),
          channel: `D${m.userId}`,
          ts: `${Math.floor((BENCH_NOW - d * DAY) / 1000)}.000100`,
        });
        stats.nudges++;
      }
    });
  })();

  // Tactic flags go through the service (crowd codes); 400 reps cut into crowds of 5 the way the
  // publish job would from users.list; a few dozen tactics, some past the threshold; then published.
  const repIds = Array.from({ length: 400 }, (_, i) => `UREP${String(i).padStart(4, '0')}`);
  await ctx.repos.tactics.replacePopulation(TEAM, {
    source: 'members',
    groupId: null,
    eligible: repIds.length,
    crowdSize: ctx.config.anonymityCrowd,
    computedOn: '2026-01-01',
    leaves: buildCrowdTree(
      repIds.map((id) => crowdHash(TEAM, id)),
      ctx.config.anonymityCrowd,
    ),
  });
  for (let t = 0; t < 40; t++) {
    const reps = 1 + Math.floor(r() * 8);
    for (let p = 0; p < reps; p++)
      await ctx.services.tactics.flagTactic(TEAM, repIds[(t * 37 + p * 53) % repIds.length], {
        tactic: `tactic number ${t}`,
        why: 'buyers ignore it now',
      });
    stats.tactics++;
  }
  await ctx.services.tactics.publish(TEAM, (await ctx.services.tactics.nextPublish(TEAM)).day);
  stats.accountsUsed = usedAccounts.size;
  // main. only: the anonymous store keeps its rollback journal (src/db/open.ts).
  db.pragma('main.journal_mode = WAL');
  db.exec('ANALYZE');
  const fileMb = (db.prepare('SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()').pluck().get() as number) / 1e6;
  db.close();
  return { ...stats, seconds: (performance.now() - started) / 1000, fileMb, peakRssMb: peakRssMb() };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [path, managers, contacts] = process.argv.slice(2);
  if (!path) {
    process.stderr.write('usage: node --import tsx bench/generate.ts <file> [managers] [contacts]\n');
    process.exit(2);
  }
  const stats = await generateDatabase(path, {
    ...(managers ? { managers: Number(managers) } : {}),
    ...(contacts ? { contacts: Number(contacts) } : {}),
  });
  process.stdout.write(`${JSON.stringify(stats)}\n`);
}
