import { contactModal } from '../../blocks/contact.js';
import { ActionId } from '../../blocks/ids.js';
import { nudgeSnoozed, REASON_OF_ACTION } from '../../blocks/nudge.js';
import type { AppContext } from '../../context.js';
import { NUDGE_SNOOZE_DAYS } from '../../services/snoozes.js';
import { afterAck } from '../after-ack.js';
import { answerButton } from '../errors.js';
import { publishHome } from '../home.js';
import type { ActionArgs } from '../types.js';
import { workspaceOf } from '../workspace.js';

/**
 * **Snooze a week** and the reason buttons on a nudge: pause for a week, record the reason for the digest,
 * and redraw Home (it offers Resume while nudges are paused).
 */
export function nudgeSnoozeAction(ctx: AppContext) {
  return async (args: ActionArgs): Promise<void> => {
    const { body, action, ack, context } = args;
    const teamId = workspaceOf(context);
    const userId = body.user.id;
    const reason = REASON_OF_ACTION[action.action_id] ?? 'snooze';
    const today = await ctx.services.profiles.todayOf(teamId, userId);
    const { endsOn } = await ctx.services.snoozes.snooze(teamId, userId, {
      days: NUDGE_SNOOZE_DAYS,
      reason,
      today,
      now: ctx.clock.now(),
      fromNudge: true,
      atLeast: true,
    });
    await ack();
    await answerButton(args, nudgeSnoozed(reason, endsOn));
    afterAck(ctx, 'Home refresh', () => publishHome(ctx, args.client, teamId, userId));
  };
}

/** **Log a conversation** on a nudge: the same modal as `/contact`. */
export function nudgeLogContactAction(ctx: AppContext) {
  return async ({ body, ack, client, context }: ActionArgs): Promise<void> => {
    const teamId = workspaceOf(context);
    await ctx.services.nudges.markAnswered(teamId, body.user.id, 'log');
    await ack();
    const today = await ctx.services.profiles.todayOf(teamId, body.user.id);
    await client.views.open({ trigger_id: body.trigger_id, view: contactModal({ today, meta: {} }) });
  };
}

/** **Snooze a week** / **Resume nudges** on the Home tab. */
export function homeSnoozeAction(ctx: AppContext) {
  return async ({ body, action, ack, client, context }: ActionArgs): Promise<void> => {
    const teamId = workspaceOf(context);
    const userId = body.user.id;
    const today = await ctx.services.profiles.todayOf(teamId, userId);
    if (action.action_id === ActionId.homeSnooze) {
      // atLeast: a Home drawn before a longer `/gemba snooze` still offers this button; it must not cut that pause short.
      const p = { days: NUDGE_SNOOZE_DAYS, reason: 'snooze' as const, today, now: ctx.clock.now(), atLeast: true };
      await ctx.services.snoozes.snooze(teamId, userId, p);
    } else {
      await ctx.services.snoozes.unsnooze(teamId, userId, today);
    }
    await ack();
    await publishHome(ctx, client, teamId, userId);
  };
}
