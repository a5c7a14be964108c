import { altText, type ChartSvg, emptyNote, heading } from './chart.js';
import { HEIGHT, labelStep, PALETTE, WIDTH, weekLabel } from './style.js';
import { circle, compact, line, niceTicks, polyline, rect, svgDocument, text } from './svg.js';

export interface TeamTrendInput {
  /** Oldest first. `coverage` is the share (0–1) of managers with at least one conversation. */
  weeks: Array<{ weekStart: string; total: number; coverage: number }>;
  managerCount: number;
  /** Conversations per manager per week. */
  target: number;
  locale: string;
}

const PLOT = { left: 64, right: WIDTH - 70, top: 78, bottom: HEIGHT - 62 };

/**
 * The digest's team trend: weekly conversations as bars against the team target (managers ×
 * weekly target, dashed), with coverage (share of managers with one or more) on a 0–100 % right axis.
 */
export function teamTrendSvg(d: TeamTrendInput): ChartSvg {
  const teamTarget = Math.max(0, d.managerCount) * Math.max(0, d.target);
  const title = 'Team conversations per week';
  const last = d.weeks[d.weeks.length - 1];
  const filename = `gemba-team-trend-${last?.weekStart ?? 'empty'}.png`;
  const subtitle = `${d.managerCount} ${d.managerCount === 1 ? 'manager' : 'managers'} · target ${compact(teamTarget)} a week (${d.target} each)`;
  const body: string[] = [...heading(title, subtitle), ...legend()];
  const alt = altText(
    `${title}, ${d.weeks.length} ${d.weeks.length === 1 ? 'week' : 'weeks'}, against a team target of ${teamTarget} (${d.managerCount} managers × ${d.target}); conversations and coverage per week:`,
    d.weeks.map((w) => `${weekLabel(w.weekStart, d.locale)}: ${w.total}, ${pct(w.coverage)}`),
  );
  if (d.weeks.length === 0) {
    body.push(emptyNote(WIDTH / 2, HEIGHT / 2, 'No weeks to show yet'));
    return { title, filename, alt, svg: svgDocument(WIDTH, HEIGHT, body) };
  }

  const max = Math.max(teamTarget, ...d.weeks.map((w) => w.total));
  const { top, ticks } = niceTicks(max * 1.08, 5);
  const h = PLOT.bottom - PLOT.top;
  const y = (v: number) => PLOT.bottom - (Math.min(v, top) / top) * h;
  const yc = (c: number) => PLOT.bottom - Math.min(1, Math.max(0, c)) * h;
  const slot = (PLOT.right - PLOT.left) / d.weeks.length;
  const barW = Math.min(56, slot * 0.62);
  const cx = (i: number) => PLOT.left + slot * (i + 0.5);

  for (const t of ticks) {
    body.push(line(PLOT.left, y(t), PLOT.right, y(t), PALETTE.grid));
    body.push(text(PLOT.left - 8, y(t) + 4, compact(t), { size: 11, anchor: 'end', fill: PALETTE.muted }));
  }
  for (const c of [0, 0.25, 0.5, 0.75, 1]) body.push(text(PLOT.right + 8, yc(c) + 4, `${c * 100}%`, { size: 11, fill: PALETTE.muted }));
  body.push(text(18, (PLOT.top + PLOT.bottom) / 2, 'Conversations', { size: 12, anchor: 'middle', rotate: -90, fill: PALETTE.ink }));
  body.push(
    text(WIDTH - 14, (PLOT.top + PLOT.bottom) / 2, 'Coverage (managers with 1+)', {
      size: 12,
      anchor: 'middle',
      rotate: 90,
      fill: PALETTE.ink,
    }),
  );

  const labelEvery = labelStep(
    slot,
    d.weeks.map((w) => weekLabel(w.weekStart, d.locale)),
    11,
  );
  d.weeks.forEach((w, i) => {
    body.push(rect(cx(i) - barW / 2, y(w.total), barW, PLOT.bottom - y(w.total), PALETTE.blue));
    // At the foot of the bar when it is tall enough: the target and coverage lines cross bar tops,
    // never the base, so no number is drawn over. An empty week gets no "0": its coverage dot sits there.
    const inside = PLOT.bottom - y(w.total) >= 22;
    if (barW >= 18 && w.total > 0)
      body.push(
        text(cx(i), inside ? PLOT.bottom - 8 : y(w.total) - 5, compact(w.total), {
          size: 11,
          anchor: 'middle',
          weight: 'bold',
          fill: inside ? '#ffffff' : PALETTE.ink,
        }),
      );
    if ((d.weeks.length - 1 - i) % labelEvery === 0)
      body.push(text(cx(i), PLOT.bottom + 17, weekLabel(w.weekStart, d.locale), { size: 11, anchor: 'middle', fill: PALETTE.ink }));
  });
  body.push(line(PLOT.left, PLOT.bottom, PLOT.right, PLOT.bottom, PALETTE.ink));
  body.push(text((PLOT.left + PLOT.right) / 2, HEIGHT - 16, 'Week starting (Monday)', { size: 12, anchor: 'middle', fill: PALETTE.ink }));

  if (teamTarget > 0) {
    body.push(line(PLOT.left, y(teamTarget), PLOT.right, y(teamTarget), PALETTE.ink, 2, 'stroke-dasharray="7 5"'));
    body.push(rect(PLOT.left + 2, y(teamTarget) - 17, 78, 14, '#ffffff', 'fill-opacity="0.85"'));
    body.push(text(PLOT.left + 4, y(teamTarget) - 6, `target ${compact(teamTarget)}`, { size: 11, weight: 'bold', fill: PALETTE.ink }));
  }
  const points = d.weeks.map((w, i): [number, number] => [cx(i), yc(w.coverage)]);
  if (points.length > 1) body.push(polyline(points, PALETTE.orange, 2.5));
  for (const [px, py] of points) body.push(circle(px, py, 4, PALETTE.orange, `stroke="#ffffff" stroke-width="1.5"`));
  const [lx, ly] = points[points.length - 1];
  body.push(text(lx, ly - 9, pct(last.coverage), { size: 11, anchor: 'middle', weight: 'bold', fill: '#9A6A00' }));

  return { title, filename, alt, svg: svgDocument(WIDTH, HEIGHT, body) };
}

const pct = (c: number): string => `${Math.round(Math.min(1, Math.max(0, c)) * 100)}%`;

function legend(): string[] {
  const x = WIDTH - 420;
  const y = 30;
  return [
    rect(x, y - 10, 14, 12, PALETTE.blue),
    text(x + 20, y, 'Conversations', { size: 12 }),
    line(x + 130, y - 4, x + 160, y - 4, PALETTE.ink, 2, 'stroke-dasharray="7 5"'),
    text(x + 166, y, 'Team target', { size: 12 }),
    line(x + 262, y - 4, x + 292, y - 4, PALETTE.orange, 2.5),
    circle(x + 277, y - 4, 4, PALETTE.orange),
    text(x + 298, y, 'Coverage', { size: 12 }),
  ];
}
