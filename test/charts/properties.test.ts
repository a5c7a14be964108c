/**
 * Property tests: any data a team can produce (no managers, one week, all zeros, huge counts, long
 * names with emoji, right-to-left and control characters) renders without throwing, as a PNG of the
 * expected size in pixels and under MAX_PNG_BYTES, with alt text within Slack's limit.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { PNG } from 'pngjs';
import {
  ALT_MAX,
  type Chart,
  heatMapChart,
  leaderboardChart,
  MAX_PNG_BYTES,
  personalChart,
  selectHeatRows,
  teamTrendChart,
} from '../../src/charts/index.js';

// Each run rasterises a real PNG (tens of ms), so a few dozen runs per chart.
const RUNS = { numRuns: 25 };

const weekStarts = (n: number) => Array.from({ length: n }, (_, i) => new Date(Date.UTC(2026, 0, 5 + 7 * i)).toISOString().slice(0, 10));
const count = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 2_000_000_000 }));
const name = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.constantFrom('🚀🔥👍🏽 Dana', 'עברית שם', 'محمد', '山田太郎', '\u202Eevil', 'x'.repeat(500), '', '   '),
);
const locale = fc.constantFrom('en-GB', 'en-US', 'de-DE', 'ja-JP', 'ar-EG', 'xx-nonsense');

function checkChart(c: Chart, width = 1600): void {
  assert.ok(c.png.length < MAX_PNG_BYTES, `${c.filename}: ${c.png.length} bytes`);
  const png = PNG.sync.read(c.png);
  assert.equal(png.width, width);
  assert.ok(c.alt.length > 0 && c.alt.length <= ALT_MAX, `alt is ${c.alt.length} characters`);
}

describe('charts render any data', () => {
  it('team trend', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 12 }),
        fc.array(fc.tuple(count, fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 12, maxLength: 12 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 50 }),
        locale,
        (n, values, managerCount, target, loc) => {
          const weeks = weekStarts(n).map((weekStart, i) => ({ weekStart, total: values[i][0], coverage: values[i][1] }));
          checkChart(teamTrendChart({ weeks, managerCount, target, locale: loc }));
        },
      ),
      RUNS,
    );
  });

  it('heat map', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.tuple(name, fc.array(count, { minLength: 12, maxLength: 12 })), { maxLength: 90 }),
        fc.integer({ min: 0, max: 50 }),
        locale,
        (n, people, target, loc) => {
          const rows = people.map(([label, counts]) => ({ label, counts: counts.slice(0, n) }));
          const sel = selectHeatRows(rows);
          checkChart(
            heatMapChart({
              weeks: weekStarts(n),
              rows: sel.rows,
              topAndBottom: sel.topAndBottom,
              managerCount: rows.length,
              target,
              locale: loc,
            }),
          );
        },
      ),
      RUNS,
    );
  });

  it('heat map with no weeks or no managers', () => {
    checkChart(heatMapChart({ weeks: [], rows: [], managerCount: 0, target: 3, locale: 'en-GB' }));
    checkChart(heatMapChart({ weeks: weekStarts(1), rows: [], managerCount: 0, target: 3, locale: 'en-GB' }));
  });

  it('leaderboard', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(name, count), { maxLength: 12 }), fc.integer({ min: 0, max: 50 }), locale, (people, target, loc) => {
        const entries = people.map(([label, c], i) => ({ rank: i + 1, label, count: c })).sort((a, b) => b.count - a.count);
        checkChart(
          leaderboardChart({
            weekStart: '2026-11-23',
            entries,
            target,
            teamTotal: entries.reduce((s, e) => s + e.count, 0),
            managerCount: entries.length,
            locale: loc,
          }),
        );
      }),
      RUNS,
    );
  });

  it('personal trend', () => {
    fc.assert(
      fc.property(
        fc.array(count, { maxLength: 52 }),
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 0, max: 104 }),
        locale,
        (counts, target, streak, loc) => {
          const weeks = weekStarts(counts.length).map((weekStart, i) => ({ weekStart, count: counts[i] }));
          checkChart(personalChart({ weeks, target, streak, locale: loc }));
        },
      ),
      RUNS,
    );
  });
});
