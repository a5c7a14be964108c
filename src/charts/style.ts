import { canDraw, textWidth } from './fonts.js';

/**
 * One look for every chart: the Okabe–Ito palette (distinguishable with the common colour-vision
 * deficiencies, and in greyscale by lightness), one bundled font, Slack's inline-preview size.
 */

/** CSS-pixel size of a chart; rendered at DENSITY× for sharp text on high-density screens. */
export const WIDTH = 800;
export const HEIGHT = 400;
export const DENSITY = 2;
/** Every PNG stays under this size (bytes). */
export const MAX_PNG_BYTES = 150 * 1024;

/** Okabe & Ito (2008), "Color Universal Design". */
export const PALETTE = {
  blue: '#0072B2',
  orange: '#E69F00',
  sky: '#56B4E9',
  green: '#009E73',
  vermillion: '#D55E00',
  purple: '#CC79A7',
  yellow: '#F0E442',
  ink: '#222222',
  muted: '#666666',
  grid: '#E3E3E3',
  quiet: '#F4F4F4',
} as const;

/**
 * Heat-map shades for 1 … target+ conversations, light to dark blue (a single hue, so order is
 * read by lightness alone). 0 is not a shade: quiet cells get PALETTE.quiet and a hatch.
 */
export const HEAT = ['#DCEBF7', '#A9CCE8', '#6AA6D6', '#2F7DBF', '#0B559A'] as const;

const formatters = new Map<string, { short: Intl.DateTimeFormat; numeric: Intl.DateTimeFormat }>();

/**
 * "23 Nov" (en-GB), "Nov 23" (en-US), "23. Nov." (de-DE): a week's Monday in the locale's own short
 * day-month format. The date is already local, so it is formatted as UTC. When the bundled font
 * cannot draw the locale's month name (ja-JP "11月23日"), the locale's numeric form ("11/23").
 */
export function weekLabel(weekStart: string, locale: string): string {
  let f = formatters.get(locale);
  if (!f) {
    const tag = safeLocale(locale);
    f = {
      short: new Intl.DateTimeFormat(tag, { day: 'numeric', month: 'short', timeZone: 'UTC', numberingSystem: 'latn' }),
      numeric: new Intl.DateTimeFormat(tag, { day: 'numeric', month: 'numeric', timeZone: 'UTC', numberingSystem: 'latn' }),
    };
    formatters.set(locale, f);
  }
  const [y, m, d] = weekStart.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  const short = f.short.format(date);
  return [...short].every((ch) => canDraw(ch)) ? short : f.numeric.format(date);
}

/** Shows every `every`-th week label (counting back from the latest) so labels `maxWidth` wide never touch. */
export function labelStep(slot: number, labels: string[], size: number): number {
  const widest = Math.max(0, ...labels.map((l) => textWidth(l, size)));
  return Math.max(1, Math.ceil((widest + 8) / Math.max(1, slot)));
}

/** The locale if this Node knows it, else en-GB (the text posts' "23 Nov" style). */
export function safeLocale(locale: string): string {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([locale]).length ? locale : 'en-GB';
  } catch {
    return 'en-GB';
  }
}
