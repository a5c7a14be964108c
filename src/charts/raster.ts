/**
 * Draws a Scene (scene.ts) straight into pixels: rectangles are filled in a reused buffer, and each
 * distinct label gets a coverage tile once (summed from cached per-glyph tiles that resvg drew; a
 * rotated label by resvg in a small "atlas" render) and is then copied, coloured, wherever it appears. Same pixels as resvg drawing the scene's
 * SVG (test/charts checks it), in a fraction of the time. Why: docs/charts.md, "How the heat map is drawn".
 */
import { Resvg } from '@resvg/resvg-js';
import { glyphBox, glyphPath, layout, runBox, unitsPerEm, type Weight } from './fonts.js';
import { encodeIndexedPng } from './png.js';
import { type Scene, type SceneText, textAnchor } from './scene.js';
import { DENSITY, MAX_PNG_BYTES } from './style.js';
import { n, svgDocument, text } from './svg.js';

/** A label's coverage (alpha 0–255), w × h device pixels, the anchor at (ox, oy) inside it. */
interface Tile {
  mask: Uint8Array;
  w: number;
  h: number;
  ox: number;
  oy: number;
}

// Labels repeat from chart to chart (numbers, week labels, the team's names), so tiles are kept
// across charts, up to about 16 MB, the least recently used dropped first.
const TILE_BUDGET = 16 * 1024 * 1024;
const tiles = new Map<string, Tile>();
let tileBytes = 0;

const MARGIN = 2; // device pixels of room around the ink for anti-aliasing
const ATLAS_WIDTH = 2048;

const tileKey = (t: SceneText): string =>
  `${t.opts.weight ?? 'normal'}|${t.opts.size ?? 12}|${t.opts.anchor ?? 'start'}|${t.opts.rotate ?? 0}|${t.content}`;

/** Size of a label's tile and where its anchor sits, from the run's ink box (rotation included). */
function tileGeometry(t: SceneText): { w: number; h: number; ox: number; oy: number } | null {
  const weight: Weight = t.opts.weight ?? 'normal';
  const run = layout(t.content, weight);
  if (run.glyphs.length === 0) return null;
  const k = ((t.opts.size ?? 12) / unitsPerEm(weight)) * DENSITY;
  const shift = t.opts.anchor === 'middle' ? run.width / 2 : t.opts.anchor === 'end' ? run.width : 0;
  const u = shift ? Math.round(-shift) : 0; // as svg.ts text() shifts, in font units
  const b = runBox(run, weight);
  const a = ((t.opts.rotate ?? 0) * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  let x0 = Number.POSITIVE_INFINITY;
  let y0 = Number.POSITIVE_INFINITY;
  let x1 = Number.NEGATIVE_INFINITY;
  let y1 = Number.NEGATIVE_INFINITY;
  for (const [fx, fy] of [
    [b.x0 + u, b.y0],
    [b.x1 + u, b.y0],
    [b.x0 + u, b.y1],
    [b.x1 + u, b.y1],
  ]) {
    const px = fx * k;
    const py = -fy * k; // font units are y up
    const x = px * cos - py * sin;
    const y = px * sin + py * cos;
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y);
  }
  const ox = MARGIN - Math.floor(x0);
  const oy = MARGIN - Math.floor(y0);
  return { w: ox + Math.ceil(x1) + MARGIN, h: oy + Math.ceil(y1) + MARGIN, ox, oy };
}

/**
 * Rasterises the labels not seen before in one resvg render: each drawn in black on transparent at
 * a whole-device-pixel anchor in a shelf-packed sheet, its coverage kept as the tile's mask.
 */
function renderTiles(missing: SceneText[]): Map<string, Tile> {
  const made = new Map<string, Tile>();
  const placed: Array<{ t: SceneText; key: string; x: number; y: number; g: NonNullable<ReturnType<typeof tileGeometry>> }> = [];
  let x = 0;
  let y = 0;
  let rowH = 0;
  let width = ATLAS_WIDTH;
  for (const t of missing) {
    const g = tileGeometry(t);
    if (!g) continue;
    width = Math.max(width, g.w + (g.w % 2));
    if (x + g.w > width) {
      x = 0;
      y += rowH;
      rowH = 0;
    }
    placed.push({ t, key: tileKey(t), x, y, g });
    x += g.w + (g.w % 2); // even, so anchors stay on whole CSS half-pixels
    rowH = Math.max(rowH, g.h + (g.h % 2));
  }
  if (placed.length === 0) return made;
  const height = y + rowH;
  const body = placed.map((p) =>
    text((p.x + p.g.ox) / DENSITY, (p.y + p.g.oy) / DENSITY, p.t.content, { ...p.t.opts, middle: false, fill: '#000000' }),
  );
  const svg = svgDocument(width / DENSITY, height / DENSITY, body, '', null);
  const image = new Resvg(svg, { fitTo: { mode: 'zoom', value: DENSITY }, font: { loadSystemFonts: false }, logLevel: 'off' }).render();
  const px = image.pixels;
  const stride = image.width;
  for (const p of placed) {
    const { w, h } = p.g;
    const mask = new Uint8Array(w * h);
    for (let j = 0; j < h; j++) {
      const row = (p.y + j) * stride + p.x;
      for (let i = 0; i < w; i++) mask[j * w + i] = px[(row + i) * 4 + 3];
    }
    const tile = { mask, w, h, ox: p.g.ox, oy: p.g.oy };
    made.set(p.key, tile);
    remember(p.key, tile);
  }
  return made;
}

// New labels (a team's names the first time its digest is drawn) are not sent to resvg one by one:
// each glyph is rasterised once per font, size and eighth-of-a-device-pixel offset ("glyph tile"),
// and a label's tile is the sum of its glyphs' coverage at the positions fontkit laid out. When a
// chart has many new labels of one font and size (a names column), the tiles of every Latin-1
// character at that size are drawn in the same resvg call, so later names in Latin script need no
// resvg call at all. Rotated labels still go through renderTiles.
const BUCKETS = 8;
/** New labels of one font and size in a chart that mark it as a names column, worth pre-warming. */
const PREWARM_AFTER = 8;
const GLYPH_TILES_MAX = 60_000;
const glyphTiles = new Map<string, Tile | null>();
const warmedSizes = new Set<string>();
const PREWARM = (() => {
  let s = '';
  for (let c = 0x21; c <= 0x7e; c++) s += String.fromCharCode(c);
  for (let c = 0xa1; c <= 0xff; c++) s += String.fromCharCode(c);
  return s;
})();

/** Font units to device pixels, with the scale exactly as svg.ts text() writes it. */
const deviceScale = (size: number, weight: Weight): number => +(size / unitsPerEm(weight)).toFixed(6) * DENSITY;

interface GlyphNeed {
  weight: Weight;
  size: number;
  glyph: number;
  b: number;
  key: string;
}

/** Where each glyph of an unrotated label sits: whole device pixels from the anchor plus a bucket. */
function placements(t: SceneText): Array<GlyphNeed & { ip: number }> {
  const weight: Weight = t.opts.weight ?? 'normal';
  const size = t.opts.size ?? 12;
  const run = layout(t.content, weight);
  const k = deviceScale(size, weight);
  const shift = t.opts.anchor === 'middle' ? run.width / 2 : t.opts.anchor === 'end' ? run.width : 0;
  const u = shift ? Math.round(-shift) : 0;
  return run.glyphs.map((glyph, i) => {
    const pos = (u + run.xs[i]) * k;
    let ip = Math.floor(pos);
    let b = Math.round((pos - ip) * BUCKETS);
    if (b === BUCKETS) {
      ip++;
      b = 0;
    }
    return { weight, size, glyph, b, ip, key: `${weight}|${size}|${glyph}|${b}` };
  });
}

/** Draws the missing glyph tiles in one resvg render (shelf-packed, black on transparent). */
function renderGlyphTiles(needs: GlyphNeed[]): void {
  const placed: Array<{ need: GlyphNeed; x: number; y: number; w: number; h: number; ox: number; oy: number; k: number }> = [];
  let x = 0;
  let y = 0;
  let rowH = 0;
  for (const need of needs) {
    const box = glyphBox(need.glyph, need.weight);
    if (!box) {
      glyphTiles.set(need.key, null);
      continue;
    }
    const k = deviceScale(need.size, need.weight);
    const dx = need.b / BUCKETS;
    const x0 = box.x0 * k + dx;
    const x1 = box.x1 * k + dx;
    const y0 = -box.y1 * k;
    const y1 = -box.y0 * k;
    const ox = MARGIN - Math.floor(x0);
    const oy = MARGIN - Math.floor(y0);
    const w = ox + Math.ceil(x1) + MARGIN;
    const h = oy + Math.ceil(y1) + MARGIN;
    if (x + w > ATLAS_WIDTH) {
      x = 0;
      y += rowH;
      rowH = 0;
    }
    placed.push({ need, x, y, w, h, ox, oy, k });
    x += w;
    rowH = Math.max(rowH, h);
  }
  if (placed.length === 0) return;
  const height = y + rowH;
  const body = placed.map((p) => {
    const s = p.k / DENSITY;
    return `<path transform="translate(${(p.x + p.ox + p.need.b / BUCKETS) / DENSITY} ${(p.y + p.oy) / DENSITY}) scale(${s} ${-s})" d="${glyphPath(p.need.glyph, p.need.weight)}"/>`;
  });
  const svg = svgDocument(ATLAS_WIDTH / DENSITY, height / DENSITY, body, '', null);
  const image = new Resvg(svg, { fitTo: { mode: 'zoom', value: DENSITY }, font: { loadSystemFonts: false }, logLevel: 'off' }).render();
  const px = image.pixels;
  const stride = image.width;
  if (glyphTiles.size + placed.length > GLYPH_TILES_MAX) {
    glyphTiles.clear();
    warmedSizes.clear();
  }
  for (const p of placed) {
    const mask = new Uint8Array(p.w * p.h);
    for (let j = 0; j < p.h; j++) {
      const row = (p.y + j) * stride + p.x;
      for (let i = 0; i < p.w; i++) mask[j * p.w + i] = px[(row + i) * 4 + 3];
    }
    glyphTiles.set(p.need.key, { mask, w: p.w, h: p.h, ox: p.ox, oy: p.oy });
  }
}

/** Tiles for unrotated labels, each the sum of its glyphs' tiles (as resvg sums a path's coverage). */
function composeTiles(missing: SceneText[]): Map<string, Tile> {
  const made = new Map<string, Tile>();
  const laid = missing.map((t) => ({ t, at: placements(t) }));
  const needs = new Map<string, GlyphNeed>();
  const newPerSize = new Map<string, number>();
  for (const { t } of laid) {
    const sizeKey = `${t.opts.weight ?? 'normal'}|${t.opts.size ?? 12}`;
    newPerSize.set(sizeKey, (newPerSize.get(sizeKey) ?? 0) + 1);
  }
  for (const { t, at } of laid) {
    const weight: Weight = t.opts.weight ?? 'normal';
    const size = t.opts.size ?? 12;
    const sizeKey = `${weight}|${size}`;
    if (at.length && (newPerSize.get(sizeKey) ?? 0) >= PREWARM_AFTER && !warmedSizes.has(sizeKey)) {
      warmedSizes.add(sizeKey);
      for (const ch of PREWARM) {
        const glyph = layout(ch, weight).glyphs[0];
        if (glyph === undefined) continue;
        for (let b = 0; b < BUCKETS; b++) {
          const key = `${weight}|${size}|${glyph}|${b}`;
          if (!glyphTiles.has(key)) needs.set(key, { weight, size, glyph, b, key });
        }
      }
    }
    for (const g of at) if (!glyphTiles.has(g.key)) needs.set(g.key, g);
  }
  if (needs.size) renderGlyphTiles([...needs.values()]);
  for (const { t, at } of laid) {
    const g = tileGeometry(t);
    if (!g) continue;
    const mask = new Uint8Array(g.w * g.h);
    for (const p of at) {
      const gt = glyphTiles.get(p.key);
      if (!gt) continue;
      const left = g.ox + p.ip - gt.ox;
      const top = g.oy - gt.oy;
      for (let j = 0; j < gt.h; j++) {
        const y = top + j;
        if (y < 0 || y >= g.h) continue;
        for (let i = 0; i < gt.w; i++) {
          const c = gt.mask[j * gt.w + i];
          if (c === 0) continue;
          const x = left + i;
          if (x < 0 || x >= g.w) continue;
          const q = y * g.w + x;
          const sum = mask[q] + c;
          mask[q] = Math.min(sum, 255);
        }
      }
    }
    const key = tileKey(t);
    const tile = { mask, w: g.w, h: g.h, ox: g.ox, oy: g.oy };
    made.set(key, tile);
    remember(key, tile);
  }
  return made;
}

function remember(key: string, tile: Tile): void {
  tiles.set(key, tile);
  tileBytes += tile.mask.length;
  for (const [k, old] of tiles) {
    if (tileBytes <= TILE_BUDGET) break;
    tiles.delete(k);
    tileBytes -= old.mask.length;
  }
}

/** '#RRGGBB' as a little-endian RGBA word (R in the low byte), opaque. */
function colour(hex: string): number {
  const v = Number.parseInt(hex.slice(1, 7), 16);
  return ((0xff << 24) | ((v & 0xff) << 16) | (v & 0xff00) | (v >>> 16)) >>> 0;
}

// The canvas is reused from chart to chart: a fresh 8 MB buffer per chart cost ~35 ms in page faults
// on the project's VM (first touch of memory the kernel hands out is slow there). Rendering is
// synchronous and the PNG is a copy, so one buffer is enough.
let canvas = new Uint32Array(0);

/** The scene as a PNG at DENSITY× (indexed colour, png.ts). */
export function rasteriseScene(scene: Scene): Buffer {
  const W = Math.round(scene.width * DENSITY);
  const H = Math.round(scene.height * DENSITY);
  if (canvas.length < W * H) canvas = new Uint32Array(W * H);
  const px = canvas.subarray(0, W * H);
  // This chart's tiles, held here so the cache dropping old ones cannot lose a label mid-chart.
  const used = new Map<string, Tile>();
  const missing = new Map<string, SceneText>();
  for (const t of scene.texts) {
    const key = tileKey(t);
    if (used.has(key)) continue;
    const tile = tiles.get(key);
    if (!tile) missing.set(key, t);
    else {
      used.set(key, tile);
      tiles.delete(key); // most recently used last: the cache drops from the front
      tiles.set(key, tile);
    }
  }
  if (missing.size) {
    const all = [...missing.values()];
    for (const [key, tile] of renderTiles(all.filter((t) => t.opts.rotate))) used.set(key, tile);
    for (const [key, tile] of composeTiles(all.filter((t) => !t.opts.rotate))) used.set(key, tile);
  }
  const rgba = new Uint8Array(px.buffer, px.byteOffset, W * H * 4);
  // Anti-aliasing gives each label colour on each background up to ~60 blends (about 140 colours in
  // all); should a scene ever pass 256, its blends are rounded to 16 steps, which still reads smoothly.
  for (const steps of [0, 16]) {
    paint(scene, used, px, W, H, steps);
    const png = encodeIndexedPng(rgba, W, H, MAX_PNG_BYTES - 10 * 1024);
    if (png) return png;
  }
  throw new Error('chart has more than 256 colours');
}

function paint(scene: Scene, used: Map<string, Tile>, px: Uint32Array, W: number, H: number, steps: number): void {
  px.fill(0xffffffff);
  // Edges as the SVG writes them (n(): 0.1 px), then to the device pixel whose centre they pass,
  // as resvg fills a crispEdges path.
  const edge = (v: number) => Math.round(Number(n(v)) * DENSITY);
  const far = (v: number, size: number) => Math.round((Number(n(v)) + Number(n(size))) * DENSITY);
  for (const g of scene.rects) {
    const c = colour(g.fill);
    for (const b of g.boxes) {
      const x0 = Math.max(0, edge(b.x));
      const x1 = Math.min(W, far(b.x, b.w));
      const y0 = Math.max(0, edge(b.y));
      const y1 = Math.min(H, far(b.y, b.h));
      if (x1 <= x0) continue;
      for (let y = y0; y < y1; y++) px.fill(c, y * W + x0, y * W + x1);
    }
  }
  for (const t of scene.texts) {
    const tile = used.get(tileKey(t));
    if (tile) blit(px, W, H, tile, textAnchor(t), colour(t.opts.fill ?? '#222222'), steps);
  }
}

/** Source-over of a solid colour through the tile's coverage. */
function blit(px: Uint32Array, W: number, H: number, tile: Tile, at: { ax: number; ay: number }, fg: number, steps: number): void {
  const fr = fg & 255;
  const fgG = (fg >>> 8) & 255;
  const fb = (fg >>> 16) & 255;
  const left = at.ax - tile.ox;
  const top = at.ay - tile.oy;
  for (let j = 0; j < tile.h; j++) {
    const y = top + j;
    if (y < 0 || y >= H) continue;
    for (let i = 0; i < tile.w; i++) {
      const cover = tile.mask[j * tile.w + i];
      const a = steps ? Math.round((Math.round((cover * steps) / 255) * 255) / steps) : cover;
      if (a === 0) continue;
      const x = left + i;
      if (x < 0 || x >= W) continue;
      const p = y * W + x;
      if (a === 255) {
        px[p] = fg;
        continue;
      }
      const d = px[p];
      const na = 255 - a;
      const r = ((fr * a + (d & 255) * na + 127) / 255) | 0;
      const g = ((fgG * a + ((d >>> 8) & 255) * na + 127) / 255) | 0;
      const b = ((fb * a + ((d >>> 16) & 255) * na + 127) / 255) | 0;
      px[p] = ((0xff << 24) | (b << 16) | (g << 8) | r) >>> 0;
    }
  }
}
