import { escapeText } from '../lib/slack-text.js';
import { addDays } from '../lib/time.js';
import type { ContactKind } from '../services/contact-grammar.js';
import { CONTACT_LIMITS } from '../services/contact-grammar.js';
import type { ContactRow } from '../services/contacts.js';
import {
  actions,
  type Block,
  button,
  context,
  errorMessage,
  input,
  type Message,
  type ModalView,
  plain,
  plural,
  quote,
  section,
  shortDate,
} from './common.js';
import { ActionId, ContactField, ViewId } from './ids.js';

export const KIND_LABEL: Record<ContactKind, string> = {
  call: 'Call',
  video: 'Video',
  meeting: 'Meeting',
  visit: 'Visit',
  other: 'Other',
};

export const CONTACT_EXAMPLE = '/contact Acme Corp with Dana Lee (CFO) via video 30m yesterday: wants ROI proof';

/** "today", "yesterday" or "Wed 25 Nov", relative to the manager's local today. */
export function dayLabel(date: string, today: string): string {
  if (date === today) return `today (${shortDate(date)})`;
  if (date === addDays(today, -1)) return `yesterday (${shortDate(date)})`;
  return shortDate(date);
}

/** One conversation as a line of mrkdwn: account, buyer, kind, duration, day. User text escaped. */
export function contactSummary(c: ContactRow, today: string): string {
  const parts = [`*${escapeText(c.account)}*`];
  if (c.buyer) parts.push(`with ${escapeText(c.buyer)}`);
  parts.push(KIND_LABEL[c.kind].toLowerCase());
  if (c.durationMin) parts.push(formatDuration(c.durationMin));
  parts.push(dayLabel(c.occurredOn, today));
  return parts.join(' · ');
}

/** "45 min", "1 h", "1 h 30 min". */
export function formatDuration(min: number): string {
  const h = Math.floor(min / 60);
  const m = min % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/** The ephemeral confirmation after logging (or editing) a conversation, with Edit and Undo. */
export function contactConfirmation(
  c: ContactRow,
  p: { today: string; thisWeek: number; target: number; streak: number; enrolled: boolean; edited?: boolean },
): Message {
  const verb = p.edited ? 'Updated' : 'Logged';
  const weekLine =
    p.thisWeek >= p.target
      ? `This week: *${p.thisWeek} of ${p.target}* :tada: target reached`
      : `This week: *${p.thisWeek} of ${p.target}*`;
  const streakLine = `Streak: *${plural(p.streak, 'week')}* at target`;
  const blocks: Block[] = [section(`:white_check_mark: ${verb}: ${contactSummary(c, p.today)}`)];
  if (c.insight) blocks.push(section(quote(c.insight)));
  blocks.push(context(`${weekLine}  ·  ${streakLine}`));
  if (p.enrolled) blocks.push(context('Welcome to Gemba: you are now on the managers list, so this counts toward the weekly leaderboard.'));
  blocks.push(
    actions([button('Edit', ActionId.contactEdit, String(c.id)), button('Undo', ActionId.contactUndo, String(c.id), { style: 'danger' })]),
  );
  return {
    response_type: 'ephemeral',
    text: `${verb} a conversation with ${escapeText(c.account)}. This week: ${p.thisWeek} of ${p.target}.`,
    blocks,
  };
}

/** What replaces the confirmation once Undo removed the conversation. */
export function contactUndone(c: ContactRow, today: string): Message {
  const text = `:leftwards_arrow_with_hook: Removed: ${contactSummary(c, today)}`;
  return { response_type: 'ephemeral', replace_original: true, text, blocks: [section(text)] };
}

/** `/contact list`: the last conversations, each with a delete button. */
export function contactList(contacts: ContactRow[], today: string): Message {
  if (contacts.length === 0) {
    // replace_original: after the last Delete this replaces the list, so no stale Delete button stays behind.
    return {
      ...errorMessage("You haven't logged any conversations yet.", '/contact Acme Corp: wants ROI proof before renewal'),
      replace_original: true,
    };
  }
  const blocks: Block[] = [section(`*Your last ${plural(contacts.length, 'conversation')}*`)];
  for (const c of contacts) {
    const insight = c.insight ? `\n${quote(c.insight, 300)}` : '';
    blocks.push(
      section(
        `${contactSummary(c, today)}${insight}`,
        button('Delete', ActionId.contactDelete, String(c.id), {
          style: 'danger',
          confirm: {
            title: 'Delete this conversation?',
            text: 'It will no longer count toward your week.',
            confirm: 'Delete',
            deny: 'Keep',
          },
        }),
      ),
    );
  }
  blocks.push(context(`Log another with \`${escapeText('/contact <account>')}\` · \`/contact help\` for the full grammar`));
  return { response_type: 'ephemeral', replace_original: true, text: `Your last ${plural(contacts.length, 'conversation')}`, blocks };
}

/** `/contact help`. */
export function contactHelp(): Message {
  const text = [
    '*`/contact` — log a direct conversation with a buyer*',
    // Escaped: a bare <account> is a Slack control sequence, even inside backticks.
    `\`${escapeText('/contact <account> [with <buyer>] [via <kind>] [<N>m|<N>h] [on <date>|today|yesterday|<weekday>] [: <insight>]')}\``,
    `• *kind*: call (default), video, meeting, visit, other`,
    `• *date*: today (default), yesterday, a weekday (the most recent one, today included) or YYYY-MM-DD; up to ${CONTACT_LIMITS.maxDaysBack} days back, never in the future`,
    `• *duration*: 1–${CONTACT_LIMITS.durationMax} minutes, e.g. \`30m\` or \`1h\``,
    '• everything after the first `:` is the insight: what the buyer told you',
    '',
    '*Examples*',
    '`/contact Acme Corp`',
    '`/contact Acme Corp: wants ROI proof before renewal`',
    `\`${CONTACT_EXAMPLE}\``,
    '`/contact Initech on 2026-11-20`',
    '',
    '`/contact` alone opens a form · `/contact list` shows your last 10 with delete buttons',
  ].join('\n');
  return { response_type: 'ephemeral', text: 'How to use /contact', blocks: [section(text)] };
}

/** What the modal remembers between opening and submission. */
export interface ContactModalMeta {
  contactId?: number;
  channelId?: string;
}

/** The log/edit modal, prefilled from an existing conversation when editing. */
export function contactModal(p: { today: string; meta: ContactModalMeta; existing?: ContactRow }): ModalView {
  const e = p.existing;
  const kindOption = (k: ContactKind) => ({ text: plain(KIND_LABEL[k]), value: k });
  const kinds = (Object.keys(KIND_LABEL) as ContactKind[]).map(kindOption);
  const text = (v: string | null | undefined) => (v ? { initial_value: v } : {});
  return {
    type: 'modal',
    callback_id: ViewId.contactModal,
    private_metadata: JSON.stringify(p.meta),
    title: plain(e ? 'Edit conversation' : 'Log a conversation'),
    submit: plain(e ? 'Save' : 'Log it'),
    close: plain('Cancel'),
    blocks: [
      input(ContactField.account, 'Account', {
        type: 'plain_text_input',
        max_length: CONTACT_LIMITS.accountMax,
        placeholder: plain('Acme Corp'),
        ...text(e?.account),
      }),
      input(
        ContactField.buyer,
        'Buyer',
        { type: 'plain_text_input', max_length: CONTACT_LIMITS.buyerMax, placeholder: plain('Dana Lee (CFO)'), ...text(e?.buyer) },
        { optional: true },
      ),
      input(ContactField.kind, 'Kind', { type: 'static_select', options: kinds, initial_option: kindOption(e?.kind ?? 'call') }),
      input(
        ContactField.date,
        'Date',
        { type: 'datepicker', initial_date: e?.occurredOn ?? p.today },
        { hint: `Up to ${CONTACT_LIMITS.maxDaysBack} days back; not in the future.` },
      ),
      input(
        ContactField.duration,
        'Duration',
        { type: 'plain_text_input', max_length: 10, placeholder: plain('30m or 1h'), ...text(e?.durationMin ? `${e.durationMin}m` : null) },
        { optional: true, hint: `Minutes (30m) or hours (1h), up to ${CONTACT_LIMITS.durationMax} minutes.` },
      ),
      input(
        ContactField.insight,
        'What did the buyer tell you?',
        {
          type: 'plain_text_input',
          multiline: true,
          max_length: CONTACT_LIMITS.insightMax,
          placeholder: plain('Wants ROI proof before renewal'),
          ...text(e?.insight),
        },
        { optional: true },
      ),
    ],
  };
}
