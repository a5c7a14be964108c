/** Chart module units: layout helpers, row selection, streak marking, alt texts, what is never drawn. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Resvg } from '@resvg/resvg-js';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { altText } from '../../src/charts/chart.js';
import { textWidth } from '../../src/charts/fonts.js';
import {
  ALT_MAX,
  HEAT_PANEL_ROWS,
  heatMapChart,
  heatMapScene,
  heatMapSvg,
  leaderboardChart,
  leaderboardSvg,
  personalSvg,
  selectHeatRows,
  streakWeeks,
  teamTrendSvg,
  weekLabel,
} from '../../src/charts/index.js';
import { encodeIndexedPng } from '../../src/charts/png.js';
import { rasteriseScene } from '../../src/charts/raster.js';
import type { Scene } from '../../src/charts/scene.js';
import { chartLabel, compact, niceTicks } from '../../src/charts/svg.js';
import { heatMap64, leaderboard, managers, personal, teamTrend, WEEKS_12 } from './fixtures.js';

describe('chart helpers', () => {
  it('niceTicks: 1/2/5 steps from zero past the maximum', () => {
    assert.deepEqual(niceTicks(47, 5).ticks, [0, 10, 20, 30, 40, 50]);
    assert.deepEqual(niceTicks(0, 5).ticks, [0, 1]);
    assert.deepEqual(niceTicks(3.3, 5).ticks, [0, 1, 2, 3, 4]);
    assert.equal(niceTicks(1e12, 5).ticks.length <= 7, true);
  });

  it('compact numbers', () => {
    assert.deepEqual([compact(999), compact(12_345), compact(2_500_000), compact(7e9)], ['999', '12.3k', '2.5M', '7B']);
  });

  it('week labels follow the locale', () => {
    assert.equal(weekLabel('2026-11-23', 'en-US'), 'Nov 23');
    assert.match(weekLabel('2026-11-23', 'en-GB'), /^23 Nov/);
    assert.match(weekLabel('2026-11-23', 'de-DE'), /^23\. Nov/);
    assert.match(weekLabel('2026-11-23', 'not a locale!'), /^23 Nov/);
  });

  it('chartLabel drops what the font cannot draw and fits the width', () => {
    assert.equal(chartLabel('Dana 🚀 Lee', 500, 12), 'Dana Lee');
    assert.equal(chartLabel('👍🏽🇫🇷', 500, 12, 'U123'), 'U123');
    assert.equal(chartLabel('a\u0000b\u202Ec', 500, 12), 'abc');
    const long = chartLabel('Bo Okafor (Enterprise, EMEA North & Central region)', 110, 10.5);
    assert.ok(long.endsWith('…') && long.startsWith('Bo Okafor'), long);
    assert.ok(textWidth(long, 10.5) <= 110);
  });

  it('labels stay drawable after the layout cache has turned over many times', () => {
    for (let i = 0; i < 25_000; i++) textWidth(`label ${i}`, 10);
    const svg = heatMapSvg(heatMap64).svg;
    const used = new Set([...svg.matchAll(/href="#(t\d+)"/g)].map((m) => m[1]));
    for (const id of used) assert.match(svg, new RegExp(`<path id="${id}" d="M`), `label path ${id} is defined`);
  });

  it('altText keeps whole items within the limit', () => {
    const items = Array.from({ length: 400 }, (_, i) => `Manager ${i}: ${i}`);
    const alt = altText('Head:', items, 'Tail.');
    assert.ok(alt.length <= ALT_MAX);
    assert.match(alt, /…and \d+ more\. Tail\.$/);
    assert.doesNotMatch(alt, /Manager \d+: \d+ …and/, 'no item is cut');
  });

  it('encodeIndexedPng is lossless, white and black included', () => {
    const colours = [
      [255, 255, 255],
      [0, 0, 0],
      [0, 114, 178],
      [230, 159, 0],
      [255, 255, 254],
    ];
    const w = 70;
    const px = new Uint8Array(w * 3 * 4);
    for (let i = 0; i < w * 3; i++) px.set([...colours[(i * 7) % colours.length], 255], i * 4);
    const png = encodeIndexedPng(px, w, 3);
    assert.ok(png);
    assert.deepEqual([...PNG.sync.read(png).data], [...px]);
  });

  it('encodeIndexedPng refuses more than 256 colours', () => {
    const px = new Uint8Array(300 * 4);
    for (let i = 0; i < 300; i++) px.set([i & 255, i >> 8, 0, 255], i * 4);
    assert.equal(encodeIndexedPng(px, 300, 1), null);
    assert.ok(encodeIndexedPng(px.subarray(0, 256 * 4), 256, 1));
  });
});

describe('heat map rows', () => {
  it('shows everyone when they fit, busiest first', () => {
    const sel = selectHeatRows(managers(40));
    assert.equal(sel.rows.length, 40);
    assert.equal(sel.topAndBottom, false);
    const totals = sel.rows.map((r) => r.counts.reduce((s, c) => s + c, 0));
    assert.deepEqual(
      totals,
      [...totals].sort((a, b) => b - a),
    );
  });

  it('10,000 managers: the top and bottom 30 by window total', () => {
    const all = managers(10_000, 3);
    const sel = selectHeatRows(all);
    assert.equal(sel.rows.length, 2 * HEAT_PANEL_ROWS);
    assert.equal(sel.topAndBottom, true);
    const total = (r: { counts: number[] }) => r.counts.reduce((s, c) => s + c, 0);
    const sorted = all.map(total).sort((a, b) => b - a);
    assert.deepEqual(sel.rows.slice(0, 30).map(total), sorted.slice(0, 30));
    assert.deepEqual(sel.rows.slice(30).map(total), sorted.slice(-30).reverse(), 'bottom panel, fewest first');
    const chart = heatMapChart({ weeks: WEEKS_12, rows: sel.rows, topAndBottom: true, managerCount: 10_000, target: 3, locale: 'en-GB' });
    assert.match(chart.alt, /top 30 and bottom 30 of 10000 managers/);
  });

  it('alt text states every drawn row and the quiet count', () => {
    const alt = heatMapSvg(heatMap64).alt;
    assert.ok(alt.length <= ALT_MAX);
    assert.match(alt, /\d+ quiet manager-weeks/);
    assert.match(alt, /^Conversations by manager and week, top 30 and bottom 30 of 64 managers/);
  });
});

describe('leaderboard chart', () => {
  it('never draws or names a manager at zero', () => {
    const withZero = leaderboardChart(leaderboard);
    const without = leaderboardChart({ ...leaderboard, entries: leaderboard.entries.filter((e) => e.count > 0) });
    assert.ok(withZero.png.equals(without.png), 'the zero entry changed the image');
    assert.doesNotMatch(withZero.alt, /Nobody At Zero/);
    assert.match(withZero.alt, /1\. Dana Lee 9; 2\. Priya Kowalski 7/);
  });

  it('says so when nobody logged anything', () => {
    const svg = leaderboardSvg({ ...leaderboard, entries: [{ rank: 1, label: 'Zero', count: 0 }], teamTotal: 0 });
    assert.doesNotMatch(svg.alt, /Zero/);
  });
});

describe('team trend chart', () => {
  it('alt text carries each week, the team target and coverage', () => {
    const alt = teamTrendSvg(teamTrend).alt;
    assert.match(alt, /team target of 36 \(12 managers × 3\)/);
    assert.match(alt, /23 Nov: 48, 83%/);
    assert.equal(alt.split(';').length, 13);
  });
});

describe('personal chart', () => {
  it('streakWeeks steps over short weeks the streak forgives', () => {
    assert.deepEqual([...streakWeeks([3, 0, 4, 1], 3, 2)].sort(), [0, 2]);
    assert.deepEqual([...streakWeeks([3, 3, 3], 3, 0)], []);
    assert.deepEqual([...streakWeeks([5, 5, 5], 3, 2)].sort(), [1, 2]);
  });

  it('alt text: weeks, target and streak', () => {
    const alt = personalSvg(personal).alt;
    assert.match(alt, /target of 3 a week; streak 4 weeks at or above target/);
    assert.match(alt, /23\. Nov\.?: 1 \(this week so far\)\.$/);
  });
});

describe('heat map raster (drawn without a full-size resvg render)', () => {
  const viaResvg = (svg: string) =>
    new Resvg(svg, { fitTo: { mode: 'zoom', value: 2 }, font: { loadSystemFonts: false }, logLevel: 'off' }).render();
  const cases = {
    'top and bottom of 64': heatMap64,
    '60 managers, two panels': { ...heatMap64, rows: managers(60), topAndBottom: false, managerCount: 60 },
    '12 managers, 8 weeks': { ...heatMap64, weeks: WEEKS_12.slice(-8), rows: managers(12, 11), topAndBottom: false, managerCount: 12 },
    '40 managers, 7 weeks (fractional cells)': {
      ...heatMap64,
      weeks: WEEKS_12.slice(-7),
      rows: managers(25, 5),
      topAndBottom: false,
      managerCount: 25,
    },
    'no managers': { ...heatMap64, rows: [], topAndBottom: false, managerCount: 0 },
    // Never drawn before, and outside Latin-1: glyph tiles drawn on demand, not pre-warmed.
    'new names in Greek, Cyrillic and Latin Extended': {
      ...heatMap64,
      rows: managers(20, 3).map((m, i) => ({
        ...m,
        label: `${['Σοφία Παπαδάκη', 'Дмитрий Волков', 'Łukasz Wróbel', 'Ğülşen Çağlar'][i % 4]} ${i}`,
      })),
      topAndBottom: false,
      managerCount: 20,
    },
  };
  for (const [name, input] of Object.entries(cases)) {
    it(`${name}: the same picture as resvg drawing the chart's SVG`, () => {
      const fast = PNG.sync.read(heatMapChart(input).png);
      const ref = viaResvg(heatMapSvg(input).svg);
      assert.deepEqual([fast.width, fast.height], [ref.width, ref.height]);
      const refPixels = ref.pixels;
      const diff = pixelmatch(fast.data, refPixels, undefined, fast.width, fast.height, { threshold: 0.1 });
      assert.ok(diff / (fast.width * fast.height) <= 0.001, `${diff} pixels differ`);
    });
  }

  it('repeated and interleaved charts give identical bytes (shared canvas and label cache)', () => {
    const first = heatMapChart(heatMap64).png;
    heatMapChart(cases['12 managers, 8 weeks']);
    assert.ok(heatMapChart(heatMap64).png.equals(first));
  });

  it('the SVG has only rectangles and labels (what raster.ts draws)', () => {
    const svg = heatMapSvg(heatMap64).svg;
    assert.doesNotMatch(svg, /<(line|polyline|circle|text)\b/);
    const scene = heatMapScene(heatMap64).scene;
    assert.equal(scene.texts.filter((t) => t.opts.size === 9 && t.opts.anchor === 'middle').length > 400, true, 'cell numbers drawn');
  });

  it('a scene with more than 256 colours rounds its anti-aliasing and still encodes', () => {
    // 12 text colours × ~27 anti-aliasing blends each on white: over 256 until rounded to 16 steps.
    const fills = [
      '#D55E00',
      '#E69F00',
      '#56B4E9',
      '#009E73',
      '#0072B2',
      '#CC79A7',
      '#F0E442',
      '#7F3C8D',
      '#11A579',
      '#3969AC',
      '#F2B701',
      '#E73F74',
    ];
    const scene: Scene = {
      width: 400,
      height: 260,
      rects: [],
      texts: fills.map((fill, i) => ({ x: 10, y: 20 + i * 20, content: `Label ${i} @%&Qgjy`, opts: { size: 14, fill } })),
    };
    const png = PNG.sync.read(rasteriseScene(scene));
    assert.deepEqual([png.width, png.height], [800, 520]);
    assert.ok(
      png.data.some((v, i) => i % 4 === 0 && v !== 255),
      'labels drawn',
    );
  });
});
