/** Fixed chart data for the golden images (npm run goldens) and their tests. */
import type { HeatMapInput, LeaderboardInput, PersonalInput, TeamTrendInput } from '../../src/charts/index.js';
import { selectHeatRows } from '../../src/charts/index.js';

export const WEEKS_12 = [
  '2026-09-07',
  '2026-09-14',
  '2026-09-21',
  '2026-09-28',
  '2026-10-05',
  '2026-10-12',
  '2026-10-19',
  '2026-10-26',
  '2026-11-02',
  '2026-11-09',
  '2026-11-16',
  '2026-11-23',
];

const FIRST = [
  'Dana',
  'Lee',
  'Ana',
  'Bo',
  'Chen',
  'Priya',
  'Omar',
  'Sofia',
  'Ken',
  'Maya',
  'Tom',
  'Inès',
  'Raj',
  'Zoë',
  'Ola',
  'Yusuf',
  'Olga',
];
const LAST = ['Lee', 'Okafor', 'García', 'Nguyen', 'Smith', 'Kowalski', 'Haddad', 'Rossi', 'Tanaka', 'Müller', 'Ivanova', 'Brown'];

/** A deterministic pseudo-random sequence (LCG), so fixtures never change between runs. */
export function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

/** `n` managers with names (one with emoji, one very long) and 12 weeks of counts, about 1 in 5 quiet. */
export function managers(n: number, seed = 7): Array<{ label: string; counts: number[] }> {
  const r = seeded(seed);
  return Array.from({ length: n }, (_, i) => ({
    label:
      i === 3
        ? 'Bo 🚀 Okafor (Enterprise, EMEA North & Central region)'
        : `${FIRST[i % FIRST.length]} ${LAST[(i * 7 + Math.floor(i / FIRST.length)) % LAST.length]}`,
    counts: WEEKS_12.map(() => {
      const x = r();
      return x < 0.2 ? 0 : Math.floor(x * 7);
    }),
  }));
}

export const teamTrend: TeamTrendInput = {
  weeks: WEEKS_12.map((weekStart, i) => ({
    weekStart,
    total: [22, 30, 28, 35, 41, 38, 26, 44, 47, 39, 51, 48][i],
    coverage: [6, 7, 7, 8, 9, 8, 6, 9, 10, 9, 11, 10][i] / 12,
  })),
  managerCount: 12,
  target: 3,
  locale: 'en-GB',
};

const sixtyFour = selectHeatRows(managers(64));
export const heatMap64: HeatMapInput = {
  weeks: WEEKS_12,
  rows: sixtyFour.rows,
  topAndBottom: sixtyFour.topAndBottom,
  managerCount: 64,
  target: 3,
  locale: 'en-GB',
};

export const heatMap12: HeatMapInput = {
  weeks: WEEKS_12.slice(-8),
  rows: selectHeatRows(managers(12, 11).map((m) => ({ ...m, counts: m.counts.slice(-8) }))).rows,
  managerCount: 12,
  target: 3,
  locale: 'en-US',
};

export const leaderboard: LeaderboardInput = {
  weekStart: '2026-11-23',
  entries: [
    { rank: 1, label: 'Dana Lee', count: 9 },
    { rank: 2, label: 'Priya Kowalski', count: 7 },
    { rank: 3, label: 'Bo 🚀 Okafor (Enterprise, EMEA North & Central region)', count: 6 },
    { rank: 3, label: 'Omar Haddad', count: 6 },
    { rank: 5, label: 'Zoë Müller', count: 4 },
    { rank: 6, label: 'Ken Tanaka', count: 3 },
    { rank: 7, label: 'Maya Rossi', count: 2 },
    { rank: 8, label: 'Tom Brown', count: 1 },
    { rank: 9, label: 'Nobody At Zero', count: 0 },
  ],
  target: 3,
  teamTotal: 38,
  managerCount: 12,
  locale: 'en-GB',
};

export const personal: PersonalInput = {
  weeks: WEEKS_12.slice(-8).map((weekStart, i) => ({ weekStart, count: [2, 3, 1, 4, 3, 5, 3, 1][i] })),
  target: 3,
  streak: 4,
  locale: 'de-DE',
};

/** Name → input and renderer, for the goldens script and test. */
export const GOLDENS = {
  'team-trend': { kind: 'teamTrend', input: teamTrend },
  'heat-map-64': { kind: 'heatMap', input: heatMap64 },
  'heat-map-12': { kind: 'heatMap', input: heatMap12 },
  leaderboard: { kind: 'leaderboard', input: leaderboard },
  personal: { kind: 'personal', input: personal },
} as const;
