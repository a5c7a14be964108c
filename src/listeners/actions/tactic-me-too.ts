import { LEADERSHIP_CANNOT_FLAG, meTooNote, NOT_IN_REPS_GROUP, tacticList } from '../../blocks/tactics.js';
import type { AppContext } from '../../context.js';
import { ErrorCode, GembaError } from '../../lib/errors.js';
import { answerButton } from '../errors.js';
import type { ActionArgs } from '../types.js';
import { workspaceOf } from '../workspace.js';

const NO_SUCH_TACTIC = 'That tactic is no longer open: an admin hid it, or it does not exist.';

/**
 * **Me too** in `/flag-tactic list`: counts the rep's crowd once behind the tactic (by crowd code only)
 * and redraws their ephemeral list. No user id is stored or logged, and nothing is posted.
 */
export function tacticMeTooAction(ctx: AppContext) {
  return async (args: ActionArgs): Promise<void> => {
    const { body, action, ack, context } = args;
    const teamId = workspaceOf(context);
    const userId = body.user.id;
    const tacticId = Number(action.value);
    if (await ctx.services.roles.isLeadership(teamId, userId)) {
      await ack();
      throw new GembaError(ErrorCode.Forbidden, LEADERSHIP_CANNOT_FLAG);
    }
    // Gemba's buttons carry a tactic number; anything else (a forged value) is refused before the member list is read.
    if (!Number.isSafeInteger(tacticId) || tacticId <= 0) {
      await ack();
      throw new GembaError(ErrorCode.UserInput, NO_SUCH_TACTIC, { example: '/flag-tactic list' });
    }
    await ctx.services.tactics.ensurePopulation(teamId);
    const result = await ctx.services.tactics.meToo(teamId, userId, tacticId);
    await ack();
    if (!result.ok && result.reason === 'not_in_group') throw new GembaError(ErrorCode.Forbidden, NOT_IN_REPS_GROUP);
    if (!result.ok) {
      throw new GembaError(ErrorCode.UserInput, NO_SUCH_TACTIC, { example: '/flag-tactic list' });
    }
    const minReports = ctx.config.anonymityMinReports;
    await answerButton(
      args,
      tacticList(await ctx.services.tactics.listTactics(teamId), {
        minReports,
        crowdSize: ctx.config.anonymityCrowd,
        note: meTooNote(result),
      }),
    );
  };
}
