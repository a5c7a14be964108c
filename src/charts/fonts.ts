import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';

const require = createRequire(import.meta.url);

/**
 * The bundled fonts (dejavu-fonts-ttf: Bitstream Vera licence, free to use and redistribute; wide
 * Latin, Greek and Cyrillic coverage). Text is laid out here with fontkit and drawn as glyph
 * outlines, so resvg never looks for a font: nothing from the machine is used, and a chart is
 * identical everywhere. (resvg's own text shaping cost ~0.5 ms per text node; a heat map has 800.)
 */
export const FONT_FILES = {
  normal: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
} as const;

export type Weight = keyof typeof FONT_FILES;

interface LoadedFont {
  font: fontkit.Font;
  /** Read once: fontkit decodes its head table on every access. */
  unitsPerEm: number;
  /** Glyph outlines as path commands in font units (y up), by glyph id. */
  outlines: Map<number, Outline>;
  /** Layouts by string: glyph ids and pen positions in font units. */
  runs: Map<string, Run>;
}

/** A glyph's path: SVG commands whose coordinates are (x, y) pairs, so they can be shifted. */
type Outline = Array<{ command: string; args: number[] }>;

const SVG_COMMAND: Record<string, string> = { moveTo: 'M', lineTo: 'L', quadraticCurveTo: 'Q', bezierCurveTo: 'C', closePath: 'Z' };

export interface Run {
  glyphs: number[];
  xs: number[];
  /** Advance of the whole string, font units. */
  width: number;
  /** The run as one SVG path (font units, y up), built on first use. */
  d?: string;
  /** Ink box in font units (runBox), computed on first use. */
  box?: { x0: number; y0: number; x1: number; y1: number };
  /** Its id in a chart's <defs> (`t<id>`), so a label drawn many times is defined once. */
  id: number;
}

// Fonts are read once per process (files from the package, never the network) and then only read.
const loaded = new Map<Weight, LoadedFont>();
const RUN_CACHE_MAX = 20_000;
let nextRunId = 0;
/** Runs by id, for svgDocument to write their paths into <defs>. */
const runsById = new Map<number, { run: Run; weight: Weight }>();

function load(weight: Weight): LoadedFont {
  let f = loaded.get(weight);
  if (!f) {
    const font = fontkit.openSync(FONT_FILES[weight]) as fontkit.Font;
    f = { font, unitsPerEm: font.unitsPerEm, outlines: new Map(), runs: new Map() };
    loaded.set(weight, f);
  }
  return f;
}

export function unitsPerEm(weight: Weight = 'normal'): number {
  return load(weight).unitsPerEm;
}

/** Lays out a string (kerning included); glyphs the font lacks are dropped, never drawn as boxes. */
export function layout(s: string, weight: Weight = 'normal'): Run {
  const f = load(weight);
  let run = f.runs.get(s);
  if (run) return run;
  const glyphRun = f.font.layout(s);
  const glyphs: number[] = [];
  const xs: number[] = [];
  let x = 0;
  glyphRun.glyphs.forEach((g, i) => {
    if (g.id !== 0) {
      glyphs.push(g.id);
      xs.push(x);
      if (!f.outlines.has(g.id))
        f.outlines.set(
          g.id,
          g.path.commands.map((c) => ({ command: c.command, args: c.args })),
        );
    }
    x += g.id !== 0 ? glyphRun.positions[i].xAdvance : 0;
  });
  run = { glyphs, xs, width: x, id: nextRunId++ };
  if (f.runs.size >= RUN_CACHE_MAX) {
    // Forget the older half (a Map iterates in insertion order). A chart lays out far fewer than
    // RUN_CACHE_MAX / 2 strings, so the runs a document being built refers to are never dropped.
    let drop = RUN_CACHE_MAX / 2;
    for (const [key, old] of f.runs) {
      if (drop-- <= 0) break;
      runsById.delete(old.id);
      f.runs.delete(key);
    }
  }
  f.runs.set(s, run);
  runsById.set(run.id, { run, weight });
  return run;
}

/** Width of `s` in CSS pixels at font size `size`. */
export function textWidth(s: string, size: number, weight: Weight = 'normal'): number {
  return (layout(s, weight).width * size) / unitsPerEm(weight);
}

/** True when the bundled font can draw this character. */
export function canDraw(ch: string, weight: Weight = 'normal'): boolean {
  const cp = ch.codePointAt(0);
  return cp !== undefined && load(weight).font.hasGlyphForCodePoint(cp);
}

/**
 * One SVG path for a laid-out run, in font units (y up): a label is a single path, which resvg
 * fills far faster than one node per glyph. Cached with the run, so repeated labels cost nothing.
 */
export function runPath(run: Run, weight: Weight): string {
  if (run.d !== undefined) return run.d;
  const f = load(weight);
  let d = '';
  run.glyphs.forEach((g, i) => {
    const dx = run.xs[i];
    for (const c of f.outlines.get(g) ?? []) {
      d += SVG_COMMAND[c.command];
      for (let k = 0; k < c.args.length; k++) d += `${k ? ' ' : ''}${Math.round(k % 2 === 0 ? c.args[k] + dx : c.args[k])}`;
    }
  });
  run.d = d;
  return d;
}

/** The path of the run with this id (fonts units, y up), or '' if it was evicted. */
export function runPathById(id: number): string {
  const entry = runsById.get(id);
  return entry ? runPath(entry.run, entry.weight) : '';
}

/**
 * The ink box of a laid-out run in font units (y up): the extremes of its outline points, control
 * points included, so the glyphs always lie inside. Cached with the run. Example: "7" at 2048 units
 * per em → about { x0: 150, y0: 0, x1: 1150, y1: 1493 }.
 */
export function runBox(run: Run, weight: Weight): { x0: number; y0: number; x1: number; y1: number } {
  if (run.box) return run.box;
  const f = load(weight);
  let x0 = Number.POSITIVE_INFINITY;
  let y0 = Number.POSITIVE_INFINITY;
  let x1 = Number.NEGATIVE_INFINITY;
  let y1 = Number.NEGATIVE_INFINITY;
  run.glyphs.forEach((g, i) => {
    for (const c of f.outlines.get(g) ?? [])
      for (let k = 0; k + 1 < c.args.length; k += 2) {
        const x = c.args[k] + run.xs[i];
        const y = c.args[k + 1];
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
  });
  run.box = x0 <= x1 ? { x0, y0, x1, y1 } : { x0: 0, y0: 0, x1: 0, y1: 0 };
  return run.box;
}

/** One glyph's outline as SVG path data in font units (y up), coordinates rounded as runPath does. */
export function glyphPath(glyph: number, weight: Weight): string {
  let d = '';
  for (const c of load(weight).outlines.get(glyph) ?? []) {
    d += SVG_COMMAND[c.command];
    for (let k = 0; k < c.args.length; k++) d += `${k ? ' ' : ''}${Math.round(c.args[k])}`;
  }
  return d;
}

/** A glyph's ink box in font units (y up), control points included; null for a glyph without ink. */
export function glyphBox(glyph: number, weight: Weight): { x0: number; y0: number; x1: number; y1: number } | null {
  let x0 = Number.POSITIVE_INFINITY;
  let y0 = Number.POSITIVE_INFINITY;
  let x1 = Number.NEGATIVE_INFINITY;
  let y1 = Number.NEGATIVE_INFINITY;
  for (const c of load(weight).outlines.get(glyph) ?? [])
    for (let k = 0; k + 1 < c.args.length; k += 2) {
      const x = Math.round(c.args[k]);
      const y = Math.round(c.args[k + 1]);
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  return x0 <= x1 ? { x0, y0, x1, y1 } : null;
}
