import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { errorMessage, notice } from '../../blocks/common.js';
import { LEADERSHIP_CANNOT_FLAG, meTooNote, tacticList } from '../../blocks/tactics.js';
import type { AppContext } from '../../context.js';
import { workspaceOf } from '../workspace.js';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/**
 * **Me too** in `/flag-tactic list`: counts the rep once behind the tactic (by keyed hash only)
 * and redraws their ephemeral list. No user id is stored or logged, and nothing is posted.
 */
export function tacticMeTooAction(ctx: AppContext) {
  return async ({ body, action, ack, respond, context }: Args): Promise<void> => {
    const teamId = workspaceOf(context);
    const userId = body.user.id;
    const tacticId = Number(action.value);
    if (ctx.services.roles.isLeadership(teamId, userId)) {
      await ack();
      await respond({ ...notice(LEADERSHIP_CANNOT_FLAG), replace_original: false });
      return;
    }
    const result = ctx.services.tactics.meToo(teamId, userId, tacticId);
    await ack();
    if (!result.ok) {
      await respond({
        ...errorMessage('That tactic is no longer open: an admin hid it, or it does not exist.', '/flag-tactic list'),
        replace_original: false,
      });
      return;
    }
    const minReports = ctx.config.anonymityMinReports;
    await respond(
      tacticList(ctx.services.tactics.listTactics(teamId, userId), { minReports, note: meTooNote(result.tactic, result.status) }),
    );
  };
}
