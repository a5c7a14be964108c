import { mention } from '../lib/slack-text.js';
import { IGNORED_NUDGES, QUIET_AFTER_DAYS } from '../services/digest.js';
import type { TeamTrend } from '../services/team.js';
import { sparkline } from '../services/trends.js';
import { type Block, context, type Message, plural, SECTION_MAX, section, shortDate } from './common.js';

const pct = (x: number) => `${Math.round(x * 100)}%`;
/** The most managers the per-manager table lists; the rest are counted, not listed (the export has everyone). */
export const TEAM_TABLE_SIZE = 200;
/** Who counts as gone quiet, in the words of the digest and `/trends team` (the rule is in services/digest.ts). */
export const QUIET_RULE = `no conversation in ${QUIET_AFTER_DAYS} days, or ${IGNORED_NUDGES} nudges ignored`;

/**
 * Characters the per-manager table may use. Slack has been seen to refuse messages with more than
 * about 13,000 characters of block text (slack-platform.md §7), whatever the per-section limits.
 */
export const TEAM_TABLE_TEXT_BUDGET = 12_000;

/**
 * How many managers fit the table for a window of `weeks`: a line is a mention, a one-character-per-
 * week sparkline and two numbers, about 73 characters plus the weeks. The service reads this many.
 * Example: 8 weeks → 148 managers; 52 weeks → 96.
 */
export function teamTableSize(weeks: number): number {
  return Math.min(TEAM_TABLE_SIZE, Math.floor(TEAM_TABLE_TEXT_BUDGET / (73 + weeks)));
}

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
      `Week of ${shortDate(latest.weekStart)}: *${latest.total}* ${latest.total === 1 ? 'conversation' : 'conversations'} · ${latest.managersWithOne} of ${plural(t.managerCount, 'manager')} (${pct(latest.coverage)}) · ${plural(t.accountsTouched, 'account')} touched · target ${t.target} each`,
    ),
  ];
}

/** The per-manager table: sparkline, total and the latest week, several sections if needed. */
export function managerTable(t: TeamTrend): Block[] {
  if (t.managerCount === 0) return [context('No managers yet: they join when they log a conversation, or an admin adds them.')];
  const listed = t.managers.slice(0, TEAM_TABLE_SIZE);
  const lines = listed.map(
    (m) =>
      `${mention(m.userId)}  \`${sparkline(m.counts)}\`  ${m.total} total · ${m.latest} in the latest week${m.latest >= t.target ? ' :white_check_mark:' : ''}`,
  );
  // Packed by length, not by a fixed line count: a line is ~80 characters with real 11-character
  // ids and 8 weeks, ~125 with 52, so 40 lines could pass 3,000 and the cut would split a mention.
  const blocks: Block[] = [];
  let chunk = '';
  for (const line of lines) {
    if (chunk && chunk.length + 1 + line.length > SECTION_MAX) {
      blocks.push(section(chunk));
      chunk = '';
    }
    chunk = chunk ? `${chunk}\n${line}` : line;
  }
  if (chunk) blocks.push(section(chunk));
  // The service returns only the top of a big team; managerCount has everyone.
  if (t.managerCount > listed.length)
    blocks.push(context(`…and ${t.managerCount - listed.length} more managers. \`/gemba admin export\` has everyone.`));
  return blocks;
}

/** `/trends team [weeks]`. */
export function teamTrendMessage(t: TeamTrend): Message {
  const latest = t.weeks[t.weeks.length - 1];
  return {
    response_type: 'ephemeral',
    text: `Team trend: ${plural(latest.total, 'conversation')} this week, coverage ${pct(latest.coverage)}.`,
    blocks: [...teamTrendSummary(t), ...managerTable(t)].slice(0, 50),
  };
}

/** The Home tab's team snapshot for VPs and admins. */
export function teamSnapshot(t: TeamTrend, quietCount: number): Block[] {
  const latest = t.weeks[t.weeks.length - 1];
  return [
    section(
      `*Team this week*\n${plural(latest.total, 'conversation')} · ${latest.managersWithOne} of ${plural(t.managerCount, 'manager')} (${pct(latest.coverage)}) · \`${sparkline(t.weeks.map((w) => w.total))}\``,
    ),
    context(
      `${plural(quietCount, 'manager')} gone quiet (${QUIET_RULE}) · \`/trends team\` for the full table · \`/gemba digest preview\``,
    ),
  ];
}
