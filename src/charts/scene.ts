/**
 * A chart as a flat list of what to draw: crisp rectangles (grouped by fill) and text labels. The heat
 * map is built this way, so it can be written out as SVG (sceneSvg: what tests read, and what resvg
 * draws to check the fast path) and drawn straight into pixels (raster.ts) from the same data.
 */
import { DENSITY } from './style.js';
import { n, type TextOpts, text } from './svg.js';

/** Rectangles of one fill, drawn with hard edges (whole device pixels). */
export interface RectGroup {
  fill: string;
  boxes: Array<{ x: number; y: number; w: number; h: number }>;
}

/** A label: x, y as for svg.ts `text` (baseline unless `middle`). */
export interface SceneText {
  x: number;
  y: number;
  content: string;
  opts: TextOpts;
}

export interface Scene {
  /** CSS pixels; drawn at DENSITY×. */
  width: number;
  height: number;
  /** Painted in order over a white background, then every text on top. */
  rects: RectGroup[];
  texts: SceneText[];
}

/**
 * A label's anchor in whole device pixels (baseline). Labels are placed on the device-pixel grid so
 * that a label's pixels are the same wherever it is drawn, which lets raster.ts draw each distinct
 * label once and copy it; a shift of at most a quarter CSS pixel.
 */
export function textAnchor(t: SceneText): { ax: number; ay: number } {
  const size = t.opts.size ?? 12;
  const baseline = t.opts.middle ? t.y + size * 0.36 : t.y;
  return { ax: Math.round(t.x * DENSITY), ay: Math.round(baseline * DENSITY) };
}

/** A rectangle as path data (coordinates as n() writes them), so a group is one element. */
export const boxPath = (b: { x: number; y: number; w: number; h: number }): string =>
  `M${n(b.x)} ${n(b.y)}h${n(b.w)}v${n(b.h)}h${n(-b.w)}z`;

/** The label as SVG, at its device-pixel anchor. */
export function sceneText(t: SceneText): string {
  const { ax, ay } = textAnchor(t);
  return text(ax / DENSITY, ay / DENSITY, t.content, { ...t.opts, middle: false });
}

/** The scene as an SVG document body (white background added by svgDocument). */
export function sceneBody(s: Scene): string[] {
  const out: string[] = [];
  for (const g of s.rects)
    if (g.boxes.length) out.push(`<path fill="${g.fill}" shape-rendering="crispEdges" d="${g.boxes.map(boxPath).join('')}"/>`);
  for (const t of s.texts) out.push(sceneText(t));
  return out;
}
