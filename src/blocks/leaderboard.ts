import { escapeText, mention } from '../lib/slack-text.js';
import { IMPROVEMENT_BASELINE_WEEKS, type Leaderboard } from '../services/leaderboard.js';
import { type Block, context, header, type Message, plural, section, shortDate } from './common.js';

const MEDAL = [':first_place_medal:', ':second_place_medal:', ':third_place_medal:'];

/** "▲ 4 vs 10 the week before" style comparison. */
function versus(total: number, previous: number): string {
  if (total === previous) return `same as the week before (${previous})`;
  const arrow = total > previous ? ':arrow_up_small:' : ':arrow_down_small:';
  return `${arrow} ${Math.abs(total - previous)} vs ${previous} the week before`;
}

/**
 * What "most improved" is measured against: the manager's own weekly average over the weeks before
 * ("against their usual 0.5"), or, with nothing in those weeks, "up from none in the 4 weeks before".
 */
function usualText(baseline: number): string {
  if (baseline === 0) return `up from none in the ${IMPROVEMENT_BASELINE_WEEKS} weeks before`;
  return `against their usual ${Number.isInteger(baseline) ? baseline : baseline.toFixed(1)}`;
}

/**
 * The leaderboard post: top 10 by conversations (ties by distinct accounts), streaks, most
 * improved and the team total. It celebrates: people at zero are counted, never named.
 */
export function leaderboardMessage(lb: Leaderboard, p: { title: string; inProgress: boolean }): Message {
  const blocks: Block[] = [header(`${p.title}: week of ${shortDate(lb.weekStart)}`)];
  if (lb.entries.length === 0) {
    blocks.push(
      section(
        p.inProgress
          ? `No conversations logged yet this week. Be the first: \`${escapeText('/contact <account>')}\`.`
          : 'No conversations were logged that week.',
      ),
    );
  } else {
    const lines = lb.entries.map((e) => {
      const badge = MEDAL[e.rank - 1] ?? `${e.rank}.`;
      const streak = e.streak >= 2 ? `  :fire: ${e.streak}-week streak` : '';
      return `${badge} ${mention(e.userId)}: *${plural(e.count, 'conversation')}* with ${plural(e.accounts, 'account')}${streak}`;
    });
    const last = lb.entries[lb.entries.length - 1];
    // A tie cut by the size of the board is said, so nobody with the same score silently drops off.
    if (lb.tiedUnlisted > 0)
      lines.push(
        `…and ${plural(lb.tiedUnlisted, 'more manager')} tied with ${mention(last.userId)} at ${plural(last.count, 'conversation')} with ${plural(last.accounts, 'account')}`,
      );
    blocks.push(section(lines.join('\n')));
  }
  if (lb.mostImproved) {
    blocks.push(
      section(
        `:rocket: *Most improved:* ${mention(lb.mostImproved.userId)}, ${lb.mostImproved.count} this week ${usualText(lb.mostImproved.baseline)}`,
      ),
    );
  }
  const atZero = lb.zeroCount > 0 ? ` · ${plural(lb.zeroCount, 'manager')} still to log one${p.inProgress ? '' : ' that week'}` : '';
  blocks.push(
    context(
      `Team total: *${lb.teamTotal}* ${versus(lb.teamTotal, lb.previousTotal)} · ${plural(lb.managerCount, 'manager')}${atZero} · target ${lb.target} a week`,
    ),
  );
  const names = lb.entries.slice(0, 3).map((e) => mention(e.userId));
  const text = `${p.title}, week of ${shortDate(lb.weekStart)}: ${plural(lb.teamTotal, 'conversation')}${names.length ? `; leading: ${names.join(', ')}` : ''}.`;
  return { text, blocks };
}

/** `/leaderboard help`. */
export function leaderboardHelp(): Message {
  const text =
    "*`/leaderboard`* — this week so far · *`/leaderboard last`* — last week\nEvery Monday at 09:00 (team time) last week's board is posted to the leaderboard channel.";
  return { response_type: 'ephemeral', text: 'How to use /leaderboard', blocks: [section(text)] };
}
