import { altLabel, altText, type ChartSvg, emptyNote, heading } from './chart.js';
import { HEIGHT, PALETTE, WIDTH, weekLabel } from './style.js';
import { chartLabel, compact, line, niceTicks, rect, svgDocument, text } from './svg.js';

export interface LeaderboardInput {
  weekStart: string;
  /** Ranked, best first. Entries at zero are dropped here too: people at zero are never named. */
  entries: Array<{ rank: number; label: string; count: number; fallback?: string }>;
  target: number;
  teamTotal: number;
  managerCount: number;
  locale: string;
}

const PLOT = { left: 230, right: WIDTH - 40, top: 74, bottom: HEIGHT - 54 };

/** The weekly leaderboard: last week's leaders as horizontal bars, the per-manager target dashed. */
export function leaderboardSvg(d: LeaderboardInput): ChartSvg {
  const entries = d.entries.filter((e) => e.count > 0).slice(0, 10);
  const week = weekLabel(d.weekStart, d.locale);
  const title = `Leaders, week of ${week}`;
  const filename = `gemba-leaderboard-${d.weekStart}.png`;
  const subtitle = `Team total ${compact(d.teamTotal)} · ${d.managerCount} ${d.managerCount === 1 ? 'manager' : 'managers'} · target ${d.target} a week each`;
  const body: string[] = [...heading(title, subtitle)];
  const alt = altText(
    `${title}: conversations per manager, target ${d.target} a week; team total ${d.teamTotal}.`,
    entries.map((e) => `${e.rank}. ${altLabel(e.label)} ${e.count}`),
  );
  if (entries.length === 0) {
    body.push(emptyNote(WIDTH / 2, HEIGHT / 2, 'No conversations were logged that week'));
    return { title, filename, alt, svg: svgDocument(WIDTH, HEIGHT, body) };
  }

  const max = Math.max(d.target, ...entries.map((e) => e.count));
  const { top, ticks } = niceTicks(max * 1.1, 5);
  const x = (v: number) => PLOT.left + (Math.min(v, top) / top) * (PLOT.right - PLOT.left);
  const slot = (PLOT.bottom - PLOT.top) / 10;
  const barH = slot * 0.66;

  for (const t of ticks) {
    body.push(line(x(t), PLOT.top - 4, x(t), PLOT.bottom, PALETTE.grid));
    body.push(text(x(t), PLOT.bottom + 16, compact(t), { size: 11, anchor: 'middle', fill: PALETTE.muted }));
  }
  entries.forEach((e, i) => {
    const yMid = PLOT.top + slot * (i + 0.5);
    body.push(text(20, yMid, `${e.rank}.`, { size: 12, weight: 'bold', middle: true, fill: PALETTE.muted }));
    body.push(text(48, yMid, chartLabel(e.label, PLOT.left - 60, 12.5, e.fallback), { size: 12.5, middle: true, fill: PALETTE.ink }));
    const w = x(e.count) - PLOT.left;
    body.push(rect(PLOT.left, yMid - barH / 2, w, barH, e.count >= d.target ? PALETTE.blue : PALETTE.sky));
    const inside = w > 34;
    body.push(
      text(inside ? x(e.count) - 6 : x(e.count) + 5, yMid, compact(e.count), {
        size: 12,
        weight: 'bold',
        anchor: inside ? 'end' : 'start',
        middle: true,
        fill: inside && e.count >= d.target ? '#ffffff' : PALETTE.ink,
      }),
    );
  });
  body.push(line(PLOT.left, PLOT.top - 4, PLOT.left, PLOT.bottom, PALETTE.ink));
  if (d.target > 0) {
    body.push(line(x(d.target), PLOT.top - 10, x(d.target), PLOT.bottom, PALETTE.vermillion, 2, 'stroke-dasharray="6 4"'));
    body.push(
      text(x(d.target), PLOT.top - 14, `target ${d.target}`, { size: 11, weight: 'bold', anchor: 'middle', fill: PALETTE.vermillion }),
    );
  }
  body.push(text((PLOT.left + PLOT.right) / 2, HEIGHT - 16, 'Conversations that week', { size: 12, anchor: 'middle' }));
  return { title, filename, alt, svg: svgDocument(WIDTH, HEIGHT, body) };
}
