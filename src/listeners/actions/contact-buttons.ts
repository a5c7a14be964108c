import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { errorMessage } from '../../blocks/common.js';
import { contactList, contactModal, contactUndone } from '../../blocks/contact.js';
import type { AppContext } from '../../context.js';
import type { ContactChangeResult } from '../../services/contacts.js';
import { workspaceOf } from '../workspace.js';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** The contact id a button carries, or null when the value was tampered with. */
function contactIdOf(args: Args): number | null {
  const id = Number(args.action.value);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/** Why a button could not act on a conversation, in words for the user. */
export function refusal(result: Extract<ContactChangeResult, { ok: false }>): string {
  return result.reason === 'not_found'
    ? 'That conversation is already gone: it was undone or deleted earlier.'
    : 'That conversation belongs to someone else, so you cannot change it.';
}

/** **Undo** on a confirmation: delete the conversation and replace the confirmation. */
export function contactUndoAction(ctx: AppContext) {
  return async (args: Args): Promise<void> => {
    const { body, ack, respond, context } = args;
    const teamId = workspaceOf(context);
    const id = contactIdOf(args);
    const result: ContactChangeResult =
      id === null ? { ok: false, reason: 'not_found' } : ctx.services.contacts.removeContact(teamId, body.user.id, id);
    await ack();
    if (!result.ok) {
      await respond({ ...errorMessage(refusal(result), '/contact list'), replace_original: false });
      return;
    }
    await respond(contactUndone(result.contact, ctx.services.profiles.todayOf(teamId, body.user.id)));
  };
}

/** **Delete** in `/contact list`: delete the conversation and redraw the list. */
export function contactDeleteAction(ctx: AppContext) {
  return async (args: Args): Promise<void> => {
    const { body, ack, respond, context } = args;
    const teamId = workspaceOf(context);
    const userId = body.user.id;
    const id = contactIdOf(args);
    const result: ContactChangeResult =
      id === null ? { ok: false, reason: 'not_found' } : ctx.services.contacts.removeContact(teamId, userId, id);
    await ack();
    if (!result.ok) {
      await respond({ ...errorMessage(refusal(result), '/contact list'), replace_original: false });
      return;
    }
    const today = ctx.services.profiles.todayOf(teamId, userId);
    await respond(contactList(ctx.services.contacts.listRecent(teamId, userId, 10), today));
  };
}

/** **Edit** on a confirmation: open the modal prefilled with the conversation. */
export function contactEditAction(ctx: AppContext) {
  return async (args: Args): Promise<void> => {
    const { body, ack, respond, client, context } = args;
    const teamId = workspaceOf(context);
    const userId = body.user.id;
    const id = contactIdOf(args);
    const found: ContactChangeResult =
      id === null ? { ok: false, reason: 'not_found' } : ctx.services.contacts.findOwnContact(teamId, userId, id);
    await ack();
    if (!found.ok) {
      await respond({ ...errorMessage(refusal(found), '/contact list'), replace_original: false });
      return;
    }
    const today = ctx.services.profiles.todayOf(teamId, userId);
    const view = contactModal({ today, existing: found.contact, meta: { contactId: found.contact.id, channelId: body.channel?.id } });
    await client.views.open({ trigger_id: body.trigger_id, view: view as any });
  };
}

/** **Log a conversation** on the Home tab: open the empty modal. */
export function homeLogContactAction(ctx: AppContext) {
  return async (args: Args): Promise<void> => {
    const { body, ack, client, context } = args;
    const teamId = workspaceOf(context);
    await ack();
    const today = ctx.services.profiles.todayOf(teamId, body.user.id);
    await client.views.open({ trigger_id: body.trigger_id, view: contactModal({ today, meta: {} }) as any });
  };
}
