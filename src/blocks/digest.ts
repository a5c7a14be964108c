import { escapeText, mention, truncate } from '../lib/slack-text.js';
import { type DigestData, IGNORED_NUDGES, QUIET_AFTER_DAYS } from '../services/digest.js';
import { REASON_LABEL } from '../services/snoozes.js';
import type { DigestTactics } from '../services/tactics.js';
import { type Block, context, divider, header, type Message, plural, quote, section, shortDate } from './common.js';
import { tacticDigestBlocks } from './tactics.js';
import { QUIET_RULE, teamTrendSummary } from './team.js';

/** Slack allows 50 blocks in a message; the digest keeps a margin for the closing line. */
const MAX_BLOCKS = 49;
const MAX_QUIET_LINES = 30;

/**
 * The VP digest: team trend, coverage, accounts, freshest insights, quiet managers, paused
 * managers with their reasons, and flagged tactics past the anonymity threshold. Every piece of
 * user text is escaped; long content is trimmed to Slack's limits instead of failing.
 */
export function digestMessage(d: DigestData, tactics: DigestTactics | null, opts: { preview?: boolean } = {}): Message {
  const blocks: Block[] = [
    header(`${opts.preview ? 'Preview: ' : ''}Gemba digest, week of ${shortDate(d.reportWeek)}`),
    ...teamTrendSummary(d.trend),
    divider(),
  ];

  blocks.push(section('*Freshest buyer insights*'));
  if (d.insights.length === 0) blocks.push(context(`No insights logged in the last ${QUIET_AFTER_DAYS} days.`));
  for (const c of d.insights) {
    blocks.push(
      section(
        `${quote(c.insight ?? '', 600)}\n— heard by ${mention(c.userId)} at *${escapeText(truncate(c.account, 120))}*, ${shortDate(c.occurredOn)}`,
      ),
    );
  }

  blocks.push(divider(), section(`*Gone quiet* (${QUIET_RULE})`));
  if (d.quiet.length === 0) blocks.push(context('Nobody. Every manager talked to a buyer in the last two weeks.'));
  else {
    const lines = d.quiet.slice(0, MAX_QUIET_LINES).map((q) => {
      const parts = [q.daysQuiet === null ? 'no conversation logged yet' : `${plural(q.daysQuiet, 'day')} without a conversation`];
      if (q.ignoredNudges) parts.push(`${IGNORED_NUDGES} nudges unanswered`);
      if (q.reason) parts.push(`said: ${REASON_LABEL[q.reason]}`);
      return `• ${mention(q.userId)}: ${parts.join(' · ')}`;
    });
    if (d.quiet.length > MAX_QUIET_LINES) lines.push(`…and ${d.quiet.length - MAX_QUIET_LINES} more`);
    blocks.push(section(lines.join('\n')));
  }
  if (d.snoozed.length) {
    const lines = d.snoozed
      .slice(0, MAX_QUIET_LINES)
      .map((s) => `• ${mention(s.userId)}: ${REASON_LABEL[s.reason]} through ${shortDate(s.endsOn)}`);
    if (d.snoozed.length > MAX_QUIET_LINES) lines.push(`…and ${d.snoozed.length - MAX_QUIET_LINES} more`);
    blocks.push(section(`*Paused nudges*\n${lines.join('\n')}`));
  }

  if (tactics)
    blocks.push(divider(), ...tacticDigestBlocks(tactics.shown, tactics.belowThresholdCount, { minReports: tactics.minReports }));

  const latest = d.trend.weeks[d.trend.weeks.length - 1];
  const trimmed = blocks.length > MAX_BLOCKS;
  const out = blocks.slice(0, MAX_BLOCKS - (trimmed ? 1 : 0));
  if (trimmed) out.push(context('_Trimmed to fit Slack: see `/trends team` and `/flag-tactic list` for the rest._'));
  return {
    text: `Gemba digest, week of ${shortDate(d.reportWeek)}: ${plural(latest.total, 'conversation')}, ${latest.managersWithOne} of ${plural(d.trend.managerCount, 'manager')}, ${d.quiet.length} quiet.`,
    blocks: out,
  };
}
