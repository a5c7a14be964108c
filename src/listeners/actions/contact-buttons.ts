import { contactList, contactModal, contactUndone } from '../../blocks/contact.js';
import type { AppContext } from '../../context.js';
import { ErrorCode, GembaError } from '../../lib/errors.js';
import type { ContactChangeResult } from '../../services/contacts.js';
import { afterAck } from '../after-ack.js';
import { answerButton } from '../errors.js';
import { publishHome } from '../home.js';
import type { ActionArgs } from '../types.js';
import { workspaceOf } from '../workspace.js';

/** The contact id a button carries, or null when the value was tampered with. */
function contactIdOf(args: ActionArgs): number | null {
  const id = Number(args.action.value);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/** Why a button could not act on a conversation, in words for the user. */
export function refusal(result: Extract<ContactChangeResult, { ok: false }>): string {
  return result.reason === 'not_found'
    ? 'That conversation is already gone: it was undone or deleted earlier.'
    : 'That conversation belongs to someone else, so you cannot change it.';
}

/** The refusal as the error the error path answers (beside the message, with an example). */
const refused = (result: Extract<ContactChangeResult, { ok: false }>) =>
  new GembaError(ErrorCode.UserInput, refusal(result), { example: '/contact list' });

/** The Home tab shows the week and the last five conversations: redraw it once one is gone. */
const refreshHome = (ctx: AppContext, args: ActionArgs, teamId: string): void =>
  afterAck(ctx, 'Home refresh', () => publishHome(ctx, args.client, teamId, args.body.user.id));

/** **Undo** on a confirmation: delete the conversation, replace the confirmation and redraw Home. */
export function contactUndoAction(ctx: AppContext) {
  return async (args: ActionArgs): Promise<void> => {
    const { body, ack, context } = args;
    const teamId = workspaceOf(context);
    const id = contactIdOf(args);
    const result: ContactChangeResult =
      id === null ? { ok: false, reason: 'not_found' } : await ctx.services.contacts.removeContact(teamId, body.user.id, id);
    await ack();
    if (!result.ok) throw refused(result);
    await answerButton(args, contactUndone(result.contact, await ctx.services.profiles.todayOf(teamId, body.user.id)));
    refreshHome(ctx, args, teamId);
  };
}

/** **Delete** in `/contact list`: delete the conversation, redraw the list and Home. */
export function contactDeleteAction(ctx: AppContext) {
  return async (args: ActionArgs): Promise<void> => {
    const { body, ack, context } = args;
    const teamId = workspaceOf(context);
    const userId = body.user.id;
    const id = contactIdOf(args);
    const result: ContactChangeResult =
      id === null ? { ok: false, reason: 'not_found' } : await ctx.services.contacts.removeContact(teamId, userId, id);
    await ack();
    if (!result.ok) throw refused(result);
    const today = await ctx.services.profiles.todayOf(teamId, userId);
    await answerButton(args, contactList(await ctx.services.contacts.listRecent(teamId, userId, 10), today));
    refreshHome(ctx, args, teamId);
  };
}

/** **Edit** on a confirmation: open the modal prefilled with the conversation. */
export function contactEditAction(ctx: AppContext) {
  return async (args: ActionArgs): Promise<void> => {
    const { body, ack, client, context } = args;
    const teamId = workspaceOf(context);
    const userId = body.user.id;
    const id = contactIdOf(args);
    const found: ContactChangeResult =
      id === null ? { ok: false, reason: 'not_found' } : await ctx.services.contacts.findOwnContact(teamId, userId, id);
    await ack();
    if (!found.ok) throw refused(found);
    const today = await ctx.services.profiles.todayOf(teamId, userId);
    const view = contactModal({ today, existing: found.contact, meta: { contactId: found.contact.id, channelId: body.channel?.id } });
    await client.views.open({ trigger_id: body.trigger_id, view });
  };
}

/** **Log a conversation** on the Home tab: open the empty modal. */
export function homeLogContactAction(ctx: AppContext) {
  return async ({ body, ack, client, context }: ActionArgs): Promise<void> => {
    const teamId = workspaceOf(context);
    await ack();
    const today = await ctx.services.profiles.todayOf(teamId, body.user.id);
    await client.views.open({ trigger_id: body.trigger_id, view: contactModal({ today, meta: {} }) });
  };
}
