import { mention } from '../lib/slack-text.js';
import type { ContactKind } from '../services/contact-grammar.js';
import { DEFAULT_TREND_WEEKS, MAX_TREND_WEEKS, type PersonalTrend, sparkline } from '../services/trends.js';
import { actions, type Block, button, context, type Message, plural, section, shortDate } from './common.js';
import { KIND_LABEL } from './contact.js';
import { ActionId } from './ids.js';

/** "call 3 · video 1", kinds with none left out. */
export function kindBreakdown(byKind: Record<ContactKind, number>): string {
  const parts = (Object.keys(KIND_LABEL) as ContactKind[])
    .filter((k) => byKind[k] > 0)
    .map((k) => `${KIND_LABEL[k].toLowerCase()} ${byKind[k]}`);
  return parts.length ? parts.join(' · ') : 'none yet';
}

/** The week-by-week numbers, oldest first: "2 Nov: 3 · 9 Nov: 1 · …". */
export function weekNumbers(trend: PersonalTrend): string {
  return trend.weeks.map((w) => `${shortDate(w.weekStart).slice(4)}: ${w.count}`).join(' · ');
}

/** The blocks shared by /trends and the Home tab. */
export function personalTrendBlocks(trend: PersonalTrend, title: string): Block[] {
  const target = trend.thisWeek >= trend.target ? ':tada: target reached' : `${trend.target - trend.thisWeek} to go`;
  return [
    section(`*${title}*\n\`${sparkline(trend.weeks.map((w) => w.count))}\`  ${trend.total} in ${plural(trend.weeks.length, 'week')}`),
    section(
      [
        `*This week:* ${trend.thisWeek} of ${trend.target} (${target})`,
        `*Streak:* ${plural(trend.streak, 'week')} at or above target`,
        `*Distinct accounts:* ${trend.distinctAccounts}`,
        `*By kind:* ${kindBreakdown(trend.byKind)}`,
      ].join('\n'),
    ),
    context(`Weeks start on Monday · ${weekNumbers(trend)}`),
  ];
}

/** `/trends [weeks]` for the caller. */
export function personalTrendMessage(trend: PersonalTrend, subjectId?: string): Message {
  const whose = subjectId ? `${mention(subjectId)}'s` : 'Your';
  const title = `${whose} buyer conversations, last ${plural(trend.weeks.length, 'week')}`;
  const blocks = personalTrendBlocks(trend, title);
  // Files cannot ride on an ephemeral message, so the manager's own chart goes to their DM on request.
  if (!subjectId) blocks.push(actions([button('Show chart', ActionId.trendsShowChart, String(trend.weeks.length))]));
  return {
    response_type: 'ephemeral',
    text: `${title}: ${trend.total} in total, ${trend.thisWeek} of ${trend.target} this week, streak ${trend.streak}.`,
    blocks,
  };
}

/** The line shared with the **Show chart** image in the DM (its numbers, as the `/trends` reply says them). */
export function personalChartComment(trend: PersonalTrend): string {
  return `Your buyer conversations, last ${plural(trend.weeks.length, 'week')}: ${trend.total} in total, ${trend.thisWeek} of ${trend.target} this week, streak ${trend.streak}.`;
}

/** The reply to **Show chart**: where the chart went, or why it did not. */
export function trendChartSent(ok: boolean, code?: string): Message {
  const text = ok
    ? ':bar_chart: Your chart is in your DM with Gemba.'
    : `:warning: I could not send your chart (\`${code ?? 'unknown_error'}\`). The numbers above are complete without it.`;
  return { response_type: 'ephemeral', replace_original: false, text, blocks: [section(text)] };
}

/** `/trends help`. */
export function trendsHelp(): Message {
  const text = [
    '*`/trends` — see your habit*',
    `\`/trends\` — your last ${DEFAULT_TREND_WEEKS} weeks · \`/trends 12\` — any number of weeks from 1 to ${MAX_TREND_WEEKS}`,
    '`/trends team [weeks]` — team totals and coverage (VPs and admins)',
    '`/trends @someone [weeks]` — one manager (VPs and admins, or yourself)',
  ].join('\n');
  return { response_type: 'ephemeral', text: 'How to use /trends', blocks: [section(text)] };
}
