import { altText, type ChartSvg, emptyNote, heading } from './chart.js';
import { HEIGHT, labelStep, PALETTE, WIDTH, weekLabel } from './style.js';
import { compact, line, niceTicks, rect, svgDocument, text } from './svg.js';

export interface PersonalInput {
  /** Oldest first; the last is the current (unfinished) week. */
  weeks: Array<{ weekStart: string; count: number }>;
  target: number;
  /** Consecutive weeks at or above target (services/trends computeStreak). */
  streak: number;
  locale: string;
}

const PLOT = { left: 60, right: WIDTH - 30, top: 96, bottom: HEIGHT - 62 };

/**
 * The weeks a streak of `streak` covers, counting back from the latest: weeks at or above target
 * are in it; a short week is stepped over (the unfinished current week, or a snoozed week, which
 * computeStreak forgives) until `streak` weeks are found. Example: counts 3 0 4 1, target 3,
 * streak 2 → indexes 0 and 2.
 */
export function streakWeeks(counts: number[], target: number, streak: number): Set<number> {
  const out = new Set<number>();
  for (let i = counts.length - 1; i >= 0 && out.size < streak; i--) if (counts[i] >= target) out.add(i);
  return out;
}

/** `/trends` chart: the manager's weekly bars against target, the streak's weeks marked. */
export function personalSvg(d: PersonalInput): ChartSvg {
  const title = `Your buyer conversations, last ${d.weeks.length} ${d.weeks.length === 1 ? 'week' : 'weeks'}`;
  const last = d.weeks[d.weeks.length - 1];
  const filename = `gemba-trend-${last?.weekStart ?? 'empty'}.png`;
  const streakText = d.streak > 0 ? `streak ${d.streak} ${d.streak === 1 ? 'week' : 'weeks'} at or above target` : 'no streak yet';
  const body: string[] = [...heading(title, `Target ${d.target} a week · ${streakText}`), ...legend()];
  const alt = altText(
    `${title}, against a target of ${d.target} a week; ${streakText}. Conversations per week:`,
    d.weeks.map((w, i) => `${weekLabel(w.weekStart, d.locale)}: ${w.count}${i === d.weeks.length - 1 ? ' (this week so far)' : ''}`),
  );
  if (d.weeks.length === 0) {
    body.push(emptyNote(WIDTH / 2, HEIGHT / 2, 'No weeks to show yet'));
    return { title, filename, alt, svg: svgDocument(WIDTH, HEIGHT, body) };
  }

  const counts = d.weeks.map((w) => w.count);
  const inStreak = streakWeeks(counts, d.target, d.streak);
  const max = Math.max(d.target, ...counts);
  const { top, ticks } = niceTicks(max * 1.1, 5);
  const h = PLOT.bottom - PLOT.top;
  const y = (v: number) => PLOT.bottom - (Math.min(Math.max(v, 0), top) / top) * h;
  const slot = (PLOT.right - PLOT.left) / d.weeks.length;
  const barW = Math.min(60, slot * 0.64);
  const cx = (i: number) => PLOT.left + slot * (i + 0.5);

  for (const t of ticks) {
    body.push(line(PLOT.left, y(t), PLOT.right, y(t), PALETTE.grid));
    body.push(text(PLOT.left - 8, y(t) + 4, compact(t), { size: 11, anchor: 'end', fill: PALETTE.muted }));
  }
  body.push(text(18, (PLOT.top + PLOT.bottom) / 2, 'Conversations', { size: 12, anchor: 'middle', rotate: -90 }));
  const labelEvery = labelStep(
    slot,
    d.weeks.map((w) => `${weekLabel(w.weekStart, d.locale)}*`),
    11,
  );
  d.weeks.forEach((w, i) => {
    const current = i === d.weeks.length - 1;
    const fill = w.count >= d.target ? PALETTE.blue : PALETTE.sky;
    const x0 = cx(i) - barW / 2;
    body.push(
      current
        ? rect(
            x0 + 1,
            y(w.count),
            barW - 2,
            PLOT.bottom - y(w.count),
            fill,
            `fill-opacity="0.55" stroke="${fill}" stroke-width="2" stroke-dasharray="4 3"`,
          )
        : rect(x0, y(w.count), barW, PLOT.bottom - y(w.count), fill),
    );
    if (barW >= 14) body.push(text(cx(i), y(w.count) - 6, compact(w.count), { size: 11, anchor: 'middle', weight: 'bold' }));
    if (inStreak.has(i)) body.push(rect(x0, PLOT.bottom + 3, barW, 5, PALETTE.green));
    if ((d.weeks.length - 1 - i) % labelEvery === 0)
      body.push(
        text(cx(i), PLOT.bottom + 22, current ? `${weekLabel(w.weekStart, d.locale)}*` : weekLabel(w.weekStart, d.locale), {
          size: 11,
          anchor: 'middle',
        }),
      );
  });
  body.push(line(PLOT.left, PLOT.bottom, PLOT.right, PLOT.bottom, PALETTE.ink));
  if (d.target > 0) {
    body.push(line(PLOT.left, y(d.target), PLOT.right, y(d.target), PALETTE.vermillion, 2, 'stroke-dasharray="7 5"'));
    body.push(
      text(PLOT.right, y(d.target) - 6, `target ${d.target}`, { size: 11, weight: 'bold', anchor: 'end', fill: PALETTE.vermillion }),
    );
  }
  body.push(text((PLOT.left + PLOT.right) / 2, HEIGHT - 14, 'Week starting (Monday) · * this week so far', { size: 12, anchor: 'middle' }));
  return { title, filename, alt, svg: svgDocument(WIDTH, HEIGHT, body) };
}

function legend(): string[] {
  const x = 20;
  const y = 74;
  return [
    rect(x, y - 10, 14, 12, PALETTE.blue),
    text(x + 19, y, 'At target', { size: 12 }),
    rect(x + 92, y - 10, 14, 12, PALETTE.sky),
    text(x + 111, y, 'Below', { size: 12 }),
    line(x + 166, y - 4, x + 194, y - 4, PALETTE.vermillion, 2, 'stroke-dasharray="7 5"'),
    text(x + 199, y, 'Target', { size: 12 }),
    rect(x + 256, y - 7, 24, 5, PALETTE.green),
    text(x + 285, y, 'Weeks in streak', { size: 12 }),
  ];
}
