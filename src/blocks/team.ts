import { mention } from '../lib/slack-text.js';
import type { TeamTrend } from '../services/team.js';
import { sparkline } from '../services/trends.js';
import { context, plural, section, shortDate, type Block, type Message } from './common.js';

const pct = (x: number) => `${Math.round(x * 100)}%`;
/** Lines per section, keeping each well under Slack's 3,000-character section limit. */
const LINES_PER_SECTION = 40;
/** At most this many managers are listed; the rest are counted (the export has everyone). */
export const MAX_LISTED_MANAGERS = 200;

/** Team totals and coverage per week, the shared top of `/trends team` and the digest. */
export function teamTrendSummary(t: TeamTrend): Block[] {
  const latest = t.weeks[t.weeks.length - 1];
  const totals = t.weeks.map((w) => w.total);
  return [
    section(
      `*Team conversations, last ${plural(t.weeks.length, 'week')}*\n\`${sparkline(totals)}\`  ${totals.join(' · ')}\n` +
        `*Coverage* (managers with at least one conversation): ${t.weeks.map((w) => pct(w.coverage)).join(' · ')}`,
    ),
    context(
      `Week of ${shortDate(latest.weekStart)}: *${latest.total}* conversations · ${latest.managersWithOne} of ${plural(t.managerCount, 'manager')} (${pct(latest.coverage)}) · ${plural(t.accountsTouched, 'account')} touched · target ${t.target} each`,
    ),
  ];
}

/** The per-manager table: sparkline, total and the latest week, several sections if needed. */
export function managerTable(t: TeamTrend): Block[] {
  if (t.managers.length === 0) return [context('No managers yet: they join when they log a conversation, or an admin adds them.')];
  const lines = t.managers.slice(0, MAX_LISTED_MANAGERS).map((m) => `${mention(m.userId)}  \`${sparkline(m.counts)}\`  ${m.total} total · ${m.latest} in the latest week${m.latest >= t.target ? ' :white_check_mark:' : ''}`);
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i += LINES_PER_SECTION) blocks.push(section(lines.slice(i, i + LINES_PER_SECTION).join('\n')));
  if (t.managers.length > MAX_LISTED_MANAGERS) blocks.push(context(`…and ${t.managers.length - MAX_LISTED_MANAGERS} more managers. \`/gemba admin export\` has everyone.`));
  return blocks;
}

/** `/trends team [weeks]`. */
export function teamTrendMessage(t: TeamTrend): Message {
  const latest = t.weeks[t.weeks.length - 1];
  return {
    response_type: 'ephemeral',
    text: `Team trend: ${latest.total} conversations this week, coverage ${pct(latest.coverage)}.`,
    blocks: [...teamTrendSummary(t), ...managerTable(t)].slice(0, 50),
  };
}

/** The Home tab's team snapshot for VPs and admins. */
export function teamSnapshot(t: TeamTrend, quietCount: number): Block[] {
  const latest = t.weeks[t.weeks.length - 1];
  return [
    section(`*Team this week*\n${latest.total} conversations · ${latest.managersWithOne} of ${plural(t.managerCount, 'manager')} (${pct(latest.coverage)}) · \`${sparkline(t.weeks.map((w) => w.total))}\``),
    context(`${plural(quietCount, 'manager')} quiet for 14+ days · \`/trends team\` for the full table · \`/gemba digest preview\``),
  ];
}
