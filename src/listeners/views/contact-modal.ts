import { type ContactModalMeta, contactConfirmation } from '../../blocks/contact.js';
import { ContactField, INPUT_ACTION } from '../../blocks/ids.js';
import type { AppContext } from '../../context.js';
import { firstChars, stripControlChars } from '../../lib/slack-text.js';
import { CONTACT_LIMITS, contactDraftProblems, parseDurationToken } from '../../services/contact-grammar.js';
import type { ContactInput, ContactRow } from '../../services/contacts.js';
import { afterAck } from '../after-ack.js';
import { publishHome } from '../home.js';
import type { ViewArgs } from '../types.js';
import { workspaceOf } from '../workspace.js';

type StateValues = ViewArgs['view']['state']['values'];

/** Which input block an error of the shared contact rules belongs to. */
const FIELD_OF_ERROR: Record<string, string> = {
  account_missing: ContactField.account,
  account_too_long: ContactField.account,
  buyer_missing: ContactField.buyer,
  buyer_too_long: ContactField.buyer,
  kind_unknown: ContactField.kind,
  duration_invalid: ContactField.duration,
  date_invalid: ContactField.date,
  date_future: ContactField.date,
  date_too_old: ContactField.date,
  insight_too_long: ContactField.insight,
};

const text = (values: StateValues, block: string): string | null => {
  // A value that is not a string is no text (Slack sends strings; a forged payload may not): read as empty.
  const raw: unknown = values[block]?.[INPUT_ACTION]?.value;
  const v = stripControlChars(typeof raw === 'string' ? raw : '')
    .replace(/\s+/g, (ws) => (ws.includes('\n') ? ws : ' '))
    .trim();
  return v ? v : null;
};

/**
 * Reads the modal's fields into a contact, or every field's error at once, as Slack shows them inline.
 * `keptDate` is the date of the conversation being edited: kept as it is, it stays acceptable once it is
 * more than 30 days back (the limit stops backdating, and an edit that keeps the day backdates nothing),
 * so a typo in an old conversation can still be fixed. Any other date meets the usual limits.
 */
export function readContactForm(
  values: StateValues,
  today: string,
  keptDate?: string,
): { ok: true; input: ContactInput } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const durationText = text(values, ContactField.duration);
  let durationMin: number | null = null;
  if (durationText !== null) {
    const bare = /^\d+$/.test(durationText) ? `${durationText}m` : durationText;
    durationMin = parseDurationToken(bare);
    if (durationMin === null)
      errors[ContactField.duration] =
        `"${firstChars(durationText, 20)}" isn't a duration I understand. Use minutes like 30m or hours like 1h (up to ${CONTACT_LIMITS.durationMax} minutes).`;
  }
  const draft = {
    account: (text(values, ContactField.account) ?? '').replace(/\s+/g, ' '),
    buyer: text(values, ContactField.buyer)?.replace(/\s+/g, ' ') ?? null,
    kind: values[ContactField.kind]?.[INPUT_ACTION]?.selected_option?.value ?? 'call',
    durationMin,
    occurredOn: values[ContactField.date]?.[INPUT_ACTION]?.selected_date ?? today,
    insight: text(values, ContactField.insight),
  };
  for (const problem of contactDraftProblems(draft, today)) {
    if (problem.code === 'date_too_old' && draft.occurredOn === keptDate) continue;
    const field = FIELD_OF_ERROR[problem.code] ?? ContactField.account;
    errors[field] ??= problem.message;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, input: draft as ContactInput };
}

function readMeta(raw: string | undefined): ContactModalMeta {
  try {
    const m = JSON.parse(raw || '{}');
    return {
      contactId: Number.isSafeInteger(m.contactId) ? m.contactId : undefined,
      channelId: typeof m.channelId === 'string' ? m.channelId : undefined,
    };
  } catch {
    return {};
  }
}

/** Submission of the log/edit modal: validate inline, store, close, then confirm. */
export function contactModalSubmit(ctx: AppContext) {
  return async ({ ack, body, view, client, context }: ViewArgs): Promise<void> => {
    const teamId = workspaceOf(context);
    const userId = body.user.id;
    const today = await ctx.services.profiles.todayOf(teamId, userId);
    const meta = readMeta(view.private_metadata);
    // Editing: the conversation's own date, read only when it is the submitter's (editContact checks again).
    const own = meta.contactId === undefined ? null : await ctx.services.contacts.findOwnContact(teamId, userId, meta.contactId);
    const form = readContactForm(view.state.values, today, own?.ok ? own.contact.occurredOn : undefined);
    if (!form.ok) return ack({ response_action: 'errors', errors: form.errors });

    const now = ctx.clock.now();
    let stored: ContactRow;
    let enrolled = false;
    if (meta.contactId !== undefined) {
      const result = await ctx.services.contacts.editContact(teamId, userId, meta.contactId, form.input, now);
      if (!result.ok) {
        const why =
          result.reason === 'not_found'
            ? 'This conversation was deleted after you opened the form, so there is nothing to save.'
            : 'You can only edit your own conversations.';
        return ack({ response_action: 'errors', errors: { [ContactField.account]: why } });
      }
      stored = result.contact;
    } else {
      ({ contact: stored, enrolled } = await ctx.services.contacts.logContact(teamId, userId, form.input, now));
    }
    await ack();

    const target = (await ctx.services.settings.forTeam(teamId)).weeklyTarget;
    const { thisWeek, streak } = await ctx.services.trends.weekAndStreak(teamId, userId, { today, target });
    const message = contactConfirmation(stored, { today, thisWeek, target, streak, enrolled, edited: meta.contactId !== undefined });
    afterAck(ctx, 'contact confirmation', async () => {
      // Confirm where the manager started (ephemeral in the channel); the app DM is the fallback
      // when the bot cannot post there or the form came from the Home tab.
      let confirmed = false;
      if (meta.channelId) {
        try {
          await client.chat.postEphemeral({ channel: meta.channelId, user: userId, text: message.text, blocks: message.blocks });
          confirmed = true;
        } catch (err) {
          ctx.logger.info({ err: (err as Error).message }, 'ephemeral confirmation failed; sending it by DM');
        }
      }
      if (!confirmed) await client.chat.postMessage({ channel: userId, text: message.text, blocks: message.blocks });
      await publishHome(ctx, client, teamId, userId);
      await ctx.services.profiles.refreshIfStale(teamId, userId);
    });
  };
}
