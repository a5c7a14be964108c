import { escapeText } from '../lib/slack-text.js';
import type { DueNudge } from '../services/nudges.js';
import type { SnoozeReason } from '../services/snoozes.js';
import { REASON_LABEL } from '../services/snoozes.js';
import { actions, button, context, type Message, plural, section, shortDate } from './common.js';
import { ActionId } from './ids.js';

/** Which nudge button gives which snooze reason. */
export const REASON_OF_ACTION: Record<string, SnoozeReason> = {
  [ActionId.nudgeSnooze]: 'snooze',
  [ActionId.nudgeReasonPto]: 'pto',
  [ActionId.nudgeReasonTravelling]: 'travelling',
  [ActionId.nudgeReasonPipelineReset]: 'pipeline_reset',
};

/** "Acme, Initech and Globex". */
export function listJoin(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The friendly DM a quiet manager gets. */
export function nudgeMessage(n: DueNudge): Message {
  const since = n.hasLoggedBefore ? 'your last logged buyer conversation' : 'you joined Gemba, and no buyer conversation is logged yet';
  const opener = `:wave: It's been ${plural(n.daysQuiet, 'day')} since ${since}.`;
  const blocks = [section(opener)];
  if (n.dormantAccounts.length) {
    const names = listJoin(n.dormantAccounts.map((a) => `*${escapeText(a)}*`));
    blocks.push(section(`*A next step:* ${names} ${n.dormantAccounts.length === 1 ? "hasn't" : "haven't"} heard from you in 30+ days.`));
  }
  blocks.push(
    section(`*Try this:* ${n.prompt}`),
    actions([
      button('Log a conversation', ActionId.nudgeLogContact, undefined, { style: 'primary' }),
      button('Snooze a week', ActionId.nudgeSnooze, 'snooze'),
    ]),
    context('Not the right week? Tell us why and we will pause nudges for a week:'),
    actions([
      button('On PTO', ActionId.nudgeReasonPto, 'pto'),
      button('Travelling', ActionId.nudgeReasonTravelling, 'travelling'),
      button('Pipeline reset', ActionId.nudgeReasonPipelineReset, 'pipeline_reset'),
    ]),
  );
  return { text: `${opener} ${n.prompt}`, blocks };
}

/** What replaces a nudge once the manager snoozed from it. */
export function nudgeSnoozed(reason: SnoozeReason, endsOn: string): Message {
  const why = reason === 'snooze' ? '' : ` (${REASON_LABEL[reason]})`;
  const text = `:zzz: Got it${why}. Nudges are paused through ${shortDate(endsOn)}, and your streak is frozen meanwhile. \`/gemba snooze off\` resumes them.`;
  return { replace_original: true, text, blocks: [section(text)] };
}
