import { svgToPng } from './render.js';
import type { SceneText } from './scene.js';
import { PALETTE } from './style.js';
import { text } from './svg.js';

/** A rendered chart: the PNG, and the words that carry the same numbers without it. */
export interface Chart {
  /** Title shown above the file in Slack. */
  title: string;
  /** `gemba-….png`. */
  filename: string;
  /** States the chart's numbers: Slack's alt text (≤ ALT_MAX) and the text beside the image. */
  alt: string;
  png: Buffer;
}

/** The SVG of a chart before rasterising (what the golden and property tests look at). */
export interface ChartSvg {
  title: string;
  filename: string;
  alt: string;
  svg: string;
}

/** files.getUploadURLExternal refuses alt text over 1,000 characters (alt_txt_too_large). */
export const ALT_MAX = 1000;

/** Rasterises a chart built by one of the *Svg functions. */
export function toChart(c: ChartSvg): Chart {
  return { title: c.title, filename: c.filename, alt: c.alt, png: svgToPng(c.svg) };
}

/**
 * Joins the parts of an alt text, dropping whole items from the end (with "…and N more") rather
 * than cutting a number in half, so it stays within ALT_MAX.
 */
export function altText(head: string, items: string[], tail = ''): string {
  const fits = (s: string) => s.length <= ALT_MAX;
  for (let k = items.length; k >= 0; k--) {
    const more = k < items.length ? ` …and ${items.length - k} more.` : '';
    const s = `${head}${k > 0 ? ` ${items.slice(0, k).join('; ')}.` : ''}${more}${tail ? ` ${tail}` : ''}`;
    if (fits(s)) return s;
  }
  return `${head}${tail ? ` ${tail}` : ''}`.slice(0, ALT_MAX);
}

/** A name as alt text carries it: one line, control characters removed, at most 40 characters. */
export function altLabel(raw: string): string {
  const clean = raw
    .replace(/[\p{Cc}\p{Cf}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const chars = [...clean];
  return chars.length > 40 ? `${chars.slice(0, 39).join('')}…` : clean || '?';
}

/** Title and subtitle in the top-left corner, as scene labels. */
export function headingTexts(title: string, subtitle: string): SceneText[] {
  return [
    { x: 20, y: 28, content: title, opts: { size: 17, weight: 'bold', fill: PALETTE.ink } },
    { x: 20, y: 47, content: subtitle, opts: { size: 12, fill: PALETTE.muted } },
  ];
}

/** Title and subtitle in the top-left corner. */
export function heading(title: string, subtitle: string): string[] {
  return headingTexts(title, subtitle).map((t) => text(t.x, t.y, t.content, t.opts));
}

/** A centred note for a chart with nothing to plot, as a scene label. */
export function emptyNoteText(x: number, y: number, note: string): SceneText {
  return { x, y, content: note, opts: { size: 14, anchor: 'middle', fill: PALETTE.muted } };
}

/** A centred note for a chart with nothing to plot. */
export function emptyNote(x: number, y: number, note: string): string {
  const t = emptyNoteText(x, y, note);
  return text(t.x, t.y, t.content, t.opts);
}
