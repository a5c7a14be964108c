import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { errorMessage, notice } from '../../blocks/common.js';
import { decisionRecorded } from '../../blocks/tactics.js';
import type { AppContext } from '../../context.js';
import type { TacticDecision } from '../../services/tactics.js';
import { workspaceOf } from '../workspace.js';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/**
 * **Retire** / **Keep** / **Pilot an alternative** on a tactic in the digest: VPs and admins only.
 * The answer is ephemeral; the digest itself is left as posted (it is shared by the whole channel).
 */
function tacticDecisionAction(decision: TacticDecision) {
  return (ctx: AppContext) =>
    async ({ body, action, ack, respond, context }: Args): Promise<void> => {
      const teamId = workspaceOf(context);
      const userId = body.user.id;
      await ack();
      if (!ctx.services.roles.can(teamId, userId, 'decideTactics')) {
        await respond({
          ...notice(':lock: Only VPs and admins can decide on flagged tactics. Nothing was changed.'),
          replace_original: false,
        });
        return;
      }
      const minReports = ctx.config.anonymityMinReports;
      const result = ctx.services.tactics.decide(teamId, Number(action.value), decision, { actorId: userId, minReports });
      if (!result.ok) {
        const why =
          result.reason === 'not_found'
            ? 'That tactic is no longer open: an admin hid it, or it does not exist. Nothing was changed.'
            : `That tactic has not reached the anonymity threshold (${minReports} reps), so it cannot be decided on yet. Nothing was changed.`;
        await respond({ ...errorMessage(why, '/flag-tactic list'), replace_original: false });
        return;
      }
      await respond(decisionRecorded(result.tactic, result.changed));
    };
}

export const tacticRetireAction = tacticDecisionAction('retire');
export const tacticKeepAction = tacticDecisionAction('keep');
export const tacticPilotAction = tacticDecisionAction('pilot');
