/**
 * Draws a Scene (scene.ts) straight into pixels: rectangles are filled in a reused buffer, and each
 * distinct label is rasterised once by resvg (all of a chart's new labels in one small "atlas"
 * render) and then copied, coloured, wherever it appears. Same pixels as resvg drawing the scene's
 * SVG (test/charts checks it), in a fraction of the time. Why: docs/charts.md, "How the heat map is drawn".
 */
import { Resvg } from '@resvg/resvg-js';
import { layout, runBox, unitsPerEm, type Weight } from './fonts.js';
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
  if (missing.size) for (const [key, tile] of renderTiles([...missing.values()])) used.set(key, tile);
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
