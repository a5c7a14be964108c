import { decisionRecorded } from '../../blocks/tactics.js';
import type { AppContext } from '../../context.js';
import { ErrorCode, GembaError } from '../../lib/errors.js';
import type { TacticDecision } from '../../services/tactics.js';
import { answerButton } from '../errors.js';
import type { ActionArgs } from '../types.js';
import { workspaceOf } from '../workspace.js';

/**
 * **Retire** / **Keep** / **Pilot an alternative** on a tactic in the digest: VPs and admins only.
 * The answer is ephemeral; the digest itself is left as posted (it is shared by the whole channel).
 */
function tacticDecisionAction(decision: TacticDecision) {
  return (ctx: AppContext) =>
    async (args: ActionArgs): Promise<void> => {
      const { body, action, ack, context } = args;
      const teamId = workspaceOf(context);
      const userId = body.user.id;
      await ack();
      const { roles } = ctx.services;
      // A Slack admin keeps deciding after a week, a demoted one stops.
      await roles.recheckStaleAdmin(teamId, userId);
      if (!(await roles.can(teamId, userId, 'decideTactics'))) {
        throw new GembaError(ErrorCode.Forbidden, ':lock: Only VPs and admins can decide on flagged tactics. Nothing was changed.');
      }
      const minReports = ctx.config.anonymityMinReports;
      const result = await ctx.services.tactics.decide(teamId, Number(action.value), decision, { actorId: userId, minReports });
      if (!result.ok) {
        const why =
          result.reason === 'not_found'
            ? 'That tactic is no longer open: an admin hid it, or it does not exist. Nothing was changed.'
            : `That tactic has not reached the anonymity threshold (${minReports} reps), so it cannot be decided on yet. Nothing was changed.`;
        throw new GembaError(ErrorCode.UserInput, why, { example: '/flag-tactic list' });
      }
      await answerButton(args, decisionRecorded(result.tactic, result.changed));
    };
}

export const tacticRetireAction = tacticDecisionAction('retire');
export const tacticKeepAction = tacticDecisionAction('keep');
export const tacticPilotAction = tacticDecisionAction('pilot');
