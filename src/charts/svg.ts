/**
 * A small SVG writer for the charts: escaped text, rounded coordinates, "nice" axis ticks and
 * label clean-up. Pure string building, no I/O.
 */

import { canDraw, layout, runPath, runPathById, unitsPerEm, type Weight } from './fonts.js';

/** Escapes text for an SVG text node or attribute. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Coordinates to 0.1 px: enough for 2× rendering, and keeps the SVG (and goldens) stable. */
export const n = (v: number): string => String(Math.round(v * 10) / 10);

export type Anchor = 'start' | 'middle' | 'end';

export interface TextOpts {
  size?: number;
  anchor?: Anchor;
  weight?: 'normal' | 'bold';
  fill?: string;
  /** Degrees, around (x, y). */
  rotate?: number;
  /** Vertical alignment: by default y is the baseline. */
  middle?: boolean;
}

/**
 * Text as glyph outlines (see fonts.ts): a <use> of the label's path, which the document defines
 * once however often it is drawn (a heat map draws "3" hundreds of times), placed at the baseline
 * and scaled from font units.
 */
export function text(x: number, y: number, content: string, o: TextOpts = {}): string {
  const size = o.size ?? 12;
  const weight: Weight = o.weight ?? 'normal';
  const run = layout(content, weight);
  if (run.glyphs.length === 0) return '';
  const scale = size / unitsPerEm(weight);
  const shift = o.anchor === 'middle' ? run.width / 2 : o.anchor === 'end' ? run.width : 0;
  const baseline = o.middle ? y + size * 0.36 : y;
  const rotate = o.rotate ? ` rotate(${o.rotate})` : '';
  const unshift = shift ? ` translate(${Math.round(-shift)} 0)` : '';
  runPath(run, weight);
  return `<use href="#t${run.id}" transform="translate(${n(x)} ${n(baseline)})${rotate} scale(${+scale.toFixed(6)} ${-scale.toFixed(6)})${unshift}" fill="${o.fill ?? '#222222'}"/>`;
}

export function rect(x: number, y: number, w: number, h: number, fill: string, extra = ''): string {
  return `<rect x="${n(x)}" y="${n(y)}" width="${n(Math.max(0, w))}" height="${n(Math.max(0, h))}" fill="${fill}"${extra ? ` ${extra}` : ''}/>`;
}

export function line(x1: number, y1: number, x2: number, y2: number, stroke: string, width = 1, extra = ''): string {
  return `<line x1="${n(x1)}" y1="${n(y1)}" x2="${n(x2)}" y2="${n(y2)}" stroke="${stroke}" stroke-width="${width}"${extra ? ` ${extra}` : ''}/>`;
}

export function polyline(points: Array<[number, number]>, stroke: string, width = 2, extra = ''): string {
  return `<polyline points="${points.map(([x, y]) => `${n(x)},${n(y)}`).join(' ')}" fill="none" stroke="${stroke}" stroke-width="${width}" stroke-linejoin="round"${extra ? ` ${extra}` : ''}/>`;
}

export function circle(cx: number, cy: number, r: number, fill: string, extra = ''): string {
  return `<circle cx="${n(cx)}" cy="${n(cy)}" r="${n(r)}" fill="${fill}"${extra ? ` ${extra}` : ''}/>`;
}

/** The whole document: white background (none if null), fixed size in CSS pixels (rendered at 2×). */
export function svgDocument(width: number, height: number, body: string[], defs = '', background: string | null = '#ffffff'): string {
  const content = body.join('');
  const ids = new Set<number>();
  for (const m of content.matchAll(/href="#t(\d+)"/g)) ids.add(Number(m[1]));
  const labels = [...ids].map((id) => `<path id="t${id}" d="${runPathById(id)}"/>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><defs>${labels}${defs}</defs>${background ? `<rect width="${width}" height="${height}" fill="${background}"/>` : ''}${content}</svg>`;
}

/**
 * Axis ticks from 0 to at least `max`, with a 1/2/5 × 10^k step so there are at most `count`
 * intervals. Example: max 47, count 5 → step 10, ticks 0 10 20 30 40 50.
 */
export function niceTicks(max: number, count = 5): { step: number; top: number; ticks: number[] } {
  const m = Number.isFinite(max) && max > 0 ? max : 1;
  const raw = m / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((f) => f * mag).find((s) => s >= raw) ?? 10 * mag;
  const wholeStep = Math.max(1, step);
  const top = Math.ceil(m / wholeStep) * wholeStep;
  const ticks: number[] = [];
  for (let v = 0; v <= top + wholeStep / 2; v += wholeStep) ticks.push(v);
  return { step: wholeStep, top, ticks };
}

/** 1234567 → "1.2M", 12345 → "12.3k", 999 → "999": tick and bar labels stay short at any count. */
export function compact(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${trim(v / 1e9)}B`;
  if (a >= 1e6) return `${trim(v / 1e6)}M`;
  if (a >= 1e4) return `${trim(v / 1e3)}k`;
  return String(Math.round(v));
}
const trim = (v: number): string => (Math.round(v * 10) / 10).toString();

// Control and format characters (joiners, bidi overrides), variation selectors: never drawn. Emoji and
// skin tones go because the font has no glyph for them (canDraw).
const INVISIBLE = /[\p{Cc}\p{Cf}]|\u20e3|\ufe0e|\ufe0f/gu;

/**
 * A label the chart can draw in at most `maxWidth` px at `size`: characters the bundled font lacks
 * (emoji, most CJK) removed, spaces collapsed, cut with an ellipsis. `fallback` when nothing is left.
 * Example: "Dana 🚀 Lee (Enterprise, EMEA North)" in 110 px at 10.5 → "Dana Lee (Enterpri…".
 */
export function chartLabel(raw: string, maxWidth: number, size: number, fallback = '?', weight: Weight = 'normal'): string {
  const clean =
    [...raw.replace(INVISIBLE, '')]
      .filter((ch) => canDraw(ch, weight))
      .join('')
      .replace(/\s+/g, ' ')
      .trim() || fallback;
  const width = (s: string) => (layout(s, weight).width * size) / unitsPerEm(weight);
  if (width(clean) <= maxWidth) return clean;
  const chars = [...clean];
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (width(`${chars.slice(0, mid).join('').trimEnd()}…`) <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  return `${chars.slice(0, Math.max(1, lo)).join('').trimEnd()}…`;
}
