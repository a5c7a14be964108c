import { errorMessage } from '../../blocks/common.js';
import { CONTACT_EXAMPLE, contactConfirmation, contactHelp, contactList, contactModal } from '../../blocks/contact.js';
import type { AppContext } from '../../context.js';
import { unescapeSlack } from '../../lib/slack-text.js';
import { deferredClaimOf, isOneLinerText } from '../../services/contacts.js';
import { afterAck } from '../after-ack.js';
import type { CommandArgs } from '../types.js';
import { workspaceOf } from '../workspace.js';

/** `/contact`: no text opens the modal; `help`, `list`; anything else is the one-liner. */
export function contactCommand(ctx: AppContext) {
  return async ({ command, ack, client, context }: CommandArgs): Promise<void> => {
    const teamId = workspaceOf(context);
    const userId = command.user_id;
    const text = command.text.trim();
    const sub = text.toLowerCase();
    const profiles = ctx.services.profiles;

    if (isOneLinerText(text)) {
      // One unit of work before the ack (docs/performance.md "The lean ack"): the replay claim the
      // request guard left here, the conversation, and what the confirmation shows.
      const r = await ctx.services.contacts.logOneLiner({
        teamId,
        userId,
        text: unescapeSlack(text),
        now: ctx.clock.now(),
        claim: deferredClaimOf(context.replayClaim),
      });
      // A replay is answered as the guard answers one: 200, empty, nothing done twice.
      if (r.status === 'replay') return ack();
      if (r.status === 'invalid') return ack(errorMessage(r.error.message, r.error.example || CONTACT_EXAMPLE));
      // The row is committed above; only now is Slack told it worked.
      await ack(contactConfirmation(r.contact, r));
      if (r.profileDue) afterAck(ctx, 'profile refresh', () => profiles.refresh(teamId, userId));
      return;
    }
    if (sub === 'help') return ack(contactHelp());
    const today = await profiles.todayOf(teamId, userId);
    if (sub === 'list') return ack(contactList(await ctx.services.contacts.listRecent(teamId, userId, 10), today));
    await ack();
    // trigger_id lives 3 seconds: open the modal right after the ack, before anything slow.
    await client.views.open({
      trigger_id: command.trigger_id,
      view: contactModal({ today, meta: { channelId: command.channel_id } }),
    });
    afterAck(ctx, 'profile refresh', () => profiles.refreshIfStale(teamId, userId));
  };
}
