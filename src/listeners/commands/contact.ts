import { errorMessage } from '../../blocks/common.js';
import { CONTACT_EXAMPLE, contactConfirmation, contactHelp, contactList, contactModal } from '../../blocks/contact.js';
import type { AppContext } from '../../context.js';
import { unescapeSlack } from '../../lib/slack-text.js';
import { parseContactText } from '../../services/contact-grammar.js';
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
    const today = await profiles.todayOf(teamId, userId);

    if (sub === 'help') return ack(contactHelp());
    if (sub === 'list') return ack(contactList(await ctx.services.contacts.listRecent(teamId, userId, 10), today));
    if (text === '') {
      await ack();
      // trigger_id lives 3 seconds: open the modal right after the ack, before anything slow.
      await client.views.open({
        trigger_id: command.trigger_id,
        view: contactModal({ today, meta: { channelId: command.channel_id } }),
      });
      afterAck(ctx, 'profile refresh', () => profiles.refreshIfStale(teamId, userId));
      return;
    }

    const parsed = parseContactText(unescapeSlack(text), today);
    if (!parsed.ok) return ack(errorMessage(parsed.error.message, parsed.error.example || CONTACT_EXAMPLE));

    const now = ctx.clock.now();
    const { contact, enrolled } = await ctx.services.contacts.logContact(teamId, userId, parsed.draft, now);
    const target = (await ctx.services.settings.forTeam(teamId)).weeklyTarget;
    const { thisWeek, streak } = await ctx.services.trends.weekAndStreak(teamId, userId, { today, target });
    // The row is committed above; only now is Slack told it worked.
    await ack(contactConfirmation(contact, { today, thisWeek, target, streak, enrolled }));
    afterAck(ctx, 'profile refresh', () => profiles.refreshIfStale(teamId, userId));
  };
}
