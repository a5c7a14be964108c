import { altLabel, altText, type ChartSvg, emptyNoteText, headingTexts } from './chart.js';
import { textWidth } from './fonts.js';
import { type RectGroup, type Scene, sceneBody } from './scene.js';
import { HEAT, PALETTE, WIDTH, weekLabel } from './style.js';
import { chartLabel, compact, svgDocument } from './svg.js';

export interface HeatRow {
  /** Manager name as the chart should print it (cleaned and cut here). */
  label: string;
  /** Printed instead when nothing of `label` can be drawn (e.g. the user id). */
  fallback?: string;
  /** One count per week, oldest first, aligned with `weeks`. */
  counts: number[];
}

export interface HeatMapInput {
  /** Week starts (Mondays), oldest first. */
  weeks: string[];
  /** The rows to draw (at most HEAT_MAX_ROWS: pick them with selectHeatRows). */
  rows: HeatRow[];
  /** Active managers in the team, including those not drawn. */
  managerCount: number;
  target: number;
  locale: string;
  /** True when `rows` are the top and bottom of a larger team (selectHeatRows). */
  topAndBottom?: boolean;
}

/** Rows per panel; two panels side by side keep 60 managers legible at Slack's preview width. */
export const HEAT_PANEL_ROWS = 30;
export const HEAT_MAX_ROWS = 2 * HEAT_PANEL_ROWS;
const ROW_H = 14;
const GAP = 24;
const TOTAL_W = 34;

/** Width of a week's cell: panels share 760 px, each keeps a name column and a total column. */
function cellWidth(panels: number, weeks: number): number {
  const panelW = (WIDTH - 40 - GAP * (panels - 1)) / panels;
  return Math.min(48, (panelW - (panels === 2 ? 118 : 190) - TOTAL_W) / Math.max(1, weeks));
}

/**
 * The rows a heat map can show for a team of any size: everyone when they fit (most conversations
 * in the window first), otherwise the top and the bottom HEAT_PANEL_ROWS by window total (ties by
 * the order given), the bottom ones fewest first. Example: 10,000 managers → the 30 with most, then
 * the 30 with fewest.
 */
export function selectHeatRows<T extends { counts: number[] }>(rows: readonly T[]): { rows: T[]; topAndBottom: boolean } {
  const total = (r: T) => r.counts.reduce((s, c) => s + c, 0);
  const sorted = rows.map((r, i) => ({ r, t: total(r), i })).sort((a, b) => b.t - a.t || a.i - b.i);
  if (sorted.length <= HEAT_MAX_ROWS) return { rows: sorted.map((s) => s.r), topAndBottom: false };
  return {
    // The bottom panel reads from the quietest up, like the top one from the busiest down.
    rows: [...sorted.slice(0, HEAT_PANEL_ROWS), ...sorted.slice(-HEAT_PANEL_ROWS).reverse()].map((s) => s.r),
    topAndBottom: true,
  };
}

/** Shade for a week's count: 0 is quiet (hatched), then lighter below target, darker at and above. */
export function heatShade(count: number, target: number): string | null {
  if (count <= 0) return null;
  const t = Math.max(1, target);
  if (count >= 2 * t) return HEAT[4];
  if (count >= t) return HEAT[3];
  return count * 2 >= t ? HEAT[1] : HEAT[0];
}

/** The heat map as a scene (scene.ts), with its title, file name and alt text. */
export interface HeatMapScene {
  title: string;
  filename: string;
  alt: string;
  scene: Scene;
}

/**
 * The digest's coverage heat map: one row per manager, one column per week, the count in each
 * cell; quiet cells (no conversation) are grey with a dark dash so they read without colour. Up to 30
 * rows in one panel, up to 60 in two; a bigger team shows its top and bottom 30 (selectHeatRows).
 * Everything but the labels is a hard-edged rectangle, so raster.ts can draw it without resvg.
 */
export function heatMapScene(d: HeatMapInput): HeatMapScene {
  const rows = d.rows.slice(0, HEAT_MAX_ROWS);
  const weeks = d.weeks;
  const panels = rows.length > HEAT_PANEL_ROWS ? 2 : 1;
  const perPanel = panels === 2 ? Math.ceil(rows.length / 2) : Math.max(rows.length, 1);
  const split = d.topAndBottom ? HEAT_PANEL_ROWS : perPanel;
  // Room above the grid for a panel caption and the week labels (rotated when cells are narrow).
  const captioned = d.topAndBottom || panels === 2;
  const TOP = 62 + (captioned ? 26 : 0) + (weeks.length && cellWidth(panels, weeks.length) < 36 ? 40 : 20);
  const height = Math.max(200, TOP + Math.max(perPanel, 4) * ROW_H + (d.topAndBottom ? 58 : 36));
  const title = 'Conversations by manager and week';
  const last = weeks[weeks.length - 1];
  const filename = `gemba-heat-map-${last ?? 'empty'}.png`;
  const shown = d.topAndBottom
    ? `top ${HEAT_PANEL_ROWS} and bottom ${HEAT_PANEL_ROWS} of ${d.managerCount} managers`
    : `${rows.length} of ${d.managerCount} managers`;
  const quietCells = rows.reduce((s, r) => s + r.counts.filter((c) => c <= 0).length, 0);
  const alt = altText(
    `${title}, ${shown}, ${weeks.length} weeks from ${weeks[0] ? weekLabel(weeks[0], d.locale) : '-'} to ${last ? weekLabel(last, d.locale) : '-'}; ${quietCells} quiet manager-weeks (no conversation). Conversations per week, oldest first:`,
    rows.map((r) => `${altLabel(r.label)} ${r.counts.join(' ')}`),
  );
  const scene: Scene = {
    width: WIDTH,
    height,
    rects: [],
    texts: [...headingTexts(title, `${shown} · ${weeks.length} weeks · target ${d.target} a week`)],
  };
  legend(scene, d.target);
  if (rows.length === 0 || weeks.length === 0) {
    scene.texts.push(emptyNoteText(WIDTH / 2, height / 2, 'No managers to show yet'));
    return { title, filename, alt, scene };
  }

  const panelW = (WIDTH - 40 - GAP * (panels - 1)) / panels;
  const labelW = panels === 2 ? 118 : 190;
  const cellW = cellWidth(panels, weeks.length);
  const rotateWeeks = cellW < 36;
  const labelEvery = cellW < 14 ? Math.ceil(14 / cellW) : 1;
  // Cells grouped by shade (one SVG path each), quiet dashes and zebra stripes likewise.
  const zebra: Box[] = [];
  const cells = new Map<string, Box[]>();
  const quiet: Box[] = [];
  const axes: Box[] = [];
  const texts = scene.texts;

  for (let p = 0; p < panels; p++) {
    const x0 = 20 + p * (panelW + GAP);
    const part = p === 0 ? rows.slice(0, split) : rows.slice(split);
    const cx0 = x0 + labelW;
    const caption = d.topAndBottom
      ? p === 0
        ? 'Most conversations'
        : 'Fewest conversations'
      : panels === 2
        ? `Managers ${p === 0 ? 1 : split + 1}–${p === 0 ? split : rows.length}`
        : '';
    if (caption) texts.push({ x: x0, y: TOP - 42, content: caption, opts: { size: 12, weight: 'bold', fill: PALETTE.ink } });
    weeks.forEach((w, i) => {
      if ((weeks.length - 1 - i) % labelEvery !== 0) return;
      const x = cx0 + cellW * (i + 0.5);
      texts.push(
        rotateWeeks
          ? { x: x + 3, y: TOP - 5, content: weekLabel(w, d.locale), opts: { size: 9, rotate: -50, fill: PALETTE.muted } }
          : { x, y: TOP - 6, content: weekLabel(w, d.locale), opts: { size: 10, anchor: 'middle', fill: PALETTE.muted } },
      );
    });
    texts.push({
      x: cx0 + cellW * weeks.length + TOTAL_W - 2,
      y: TOP - 6,
      content: 'Total',
      opts: { size: 10, anchor: 'end', fill: PALETTE.muted },
    });
    part.forEach((r, j) => {
      const y = TOP + j * ROW_H;
      if (j % 2 === 1) zebra.push({ x: x0, y, w: labelW - 4, h: ROW_H });
      texts.push({
        x: x0 + 2,
        y: y + ROW_H - 3.5,
        content: chartLabel(r.label, labelW - 8, 10.5, r.fallback),
        opts: { size: 10.5, fill: PALETTE.ink },
      });
      let total = 0;
      weeks.forEach((_, i) => {
        const c = r.counts[i] ?? 0;
        total += Math.max(0, c);
        const x = cx0 + i * cellW;
        const shade = heatShade(c, d.target);
        const fill = shade ?? PALETTE.quiet;
        const group = cells.get(fill) ?? [];
        cells.set(fill, group);
        group.push({ x: x + 0.5, y: y + 0.5, w: cellW - 1, h: ROW_H - 1 });
        if (!shade) quiet.push(quietDash(x + cellW / 2, y + ROW_H / 2));
        else if (textWidth(compact(c), 9) <= cellW - 3)
          texts.push({
            x: x + cellW / 2,
            y: y + ROW_H - 3.5,
            content: compact(c),
            opts: { size: 9, anchor: 'middle', fill: shade === HEAT[3] || shade === HEAT[4] ? '#ffffff' : PALETTE.ink },
          });
      });
      const t = compact(total);
      // A total wider than its column (millions) is set smaller rather than over the cells.
      texts.push({
        x: cx0 + cellW * weeks.length + TOTAL_W - 2,
        y: y + ROW_H - 3.5,
        content: t,
        opts: { size: Math.min(10, (10 * (TOTAL_W - 3)) / textWidth(t, 10, 'bold')), anchor: 'end', weight: 'bold' },
      });
    });
    axes.push({ x: cx0, y: TOP + part.length * ROW_H + 1.5, w: cellW * weeks.length, h: 1 });
    texts.push({
      x: cx0 + (cellW * weeks.length) / 2,
      y: TOP + part.length * ROW_H + 16,
      content: 'Week starting (Monday)',
      opts: { size: 10, anchor: 'middle', fill: PALETTE.muted },
    });
  }
  scene.rects.push({ fill: '#FAFAFA', boxes: zebra });
  for (const [fill, boxes] of cells) scene.rects.push({ fill, boxes });
  scene.rects.push({ fill: QUIET_MARK, boxes: quiet }, { fill: PALETTE.ink, boxes: axes });
  if (d.topAndBottom)
    texts.push({
      x: 20,
      y: height - 8,
      content: `${d.managerCount - rows.length} managers in between are not drawn: /trends team lists them.`,
      opts: { size: 11, fill: PALETTE.muted },
    });
  return { title, filename, alt, scene };
}

/** The heat map as SVG (what tests read; raster.ts draws the same scene to PNG without it). */
export function heatMapSvg(d: HeatMapInput): ChartSvg {
  const { title, filename, alt, scene } = heatMapScene(d);
  return { title, filename, alt, svg: svgDocument(scene.width, scene.height, sceneBody(scene)) };
}

type Box = RectGroup['boxes'][number];

/**
 * A quiet cell's mark: a short dark dash (7 × 2 px) on light grey, so "no conversation" reads
 * without colour. (A hatch pattern read as well but cost resvg ~10× the render time and doubled the PNG.)
 */
const quietDash = (cx: number, cy: number): Box => ({ x: cx - 3.5, y: cy - 1, w: 7, h: 2 });

const QUIET_MARK = '#8C8C8C';

function legend(scene: Scene, target: number): void {
  const t = Math.max(1, target);
  let x = WIDTH - 360;
  const y = 24;
  const swatch = (fill: string | null) => {
    // A 1-device-pixel grey frame, then the swatch inside it.
    scene.rects.push({ fill: '#999999', boxes: [{ x, y: y - 10, w: 16, h: 12 }] });
    scene.rects.push({ fill: fill ?? PALETTE.quiet, boxes: [{ x: x + 0.5, y: y - 9.5, w: 15, h: 11 }] });
    if (!fill) scene.rects.push({ fill: QUIET_MARK, boxes: [quietDash(x + 8, y - 4)] });
    x += 17;
  };
  const label = (s: string) => {
    scene.texts.push({ x: x + 4, y, content: s, opts: { size: 11 } });
    x += 18 + textWidth(s, 11);
  };
  swatch(null);
  label('0 (quiet)');
  if (t > 1) {
    swatch(HEAT[0]);
    swatch(HEAT[1]);
    label(t > 2 ? `1–${t - 1}` : '1');
  }
  swatch(HEAT[3]);
  label(`${t}+ (target)`);
  swatch(HEAT[4]);
  label(`${2 * t}+`);
}
