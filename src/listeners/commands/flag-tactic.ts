import { errorMessage, type Message, notice } from '../../blocks/common.js';
import {
  flagConfirmation,
  flagLimitText,
  flagTacticHelp,
  flagTacticModal,
  LEADERSHIP_CANNOT_FLAG,
  NOT_IN_REPS_GROUP_PLAIN,
  tacticList,
} from '../../blocks/tactics.js';
import type { AppContext } from '../../context.js';
import { FLAG_EXAMPLE, type FlagResult, parseFlagText } from '../../services/tactics.js';
import type { CommandArgs } from '../types.js';
import { workspaceOf } from '../workspace.js';

/** The ephemeral answer to a refused flag: what was wrong and a correct example. Nothing was stored. */
export function flagRefusal(result: Extract<FlagResult, { ok: false }>): Message {
  switch (result.reason) {
    case 'invalid':
      return errorMessage(result.problem.message, FLAG_EXAMPLE);
    case 'rate_limited':
      return errorMessage(
        `${flagLimitText(result.scope, result.limit)} The allowance starts again on Monday; meanwhile you can still say *Me too* on tactics others flagged.`,
        '/flag-tactic list',
      );
    case 'not_in_group':
      return errorMessage(NOT_IN_REPS_GROUP_PLAIN, '/flag-tactic list');
    case 'hidden':
      return errorMessage('An admin has hidden that tactic, so it cannot be flagged again. Nothing was stored.', '/flag-tactic list');
  }
}

/**
 * `/flag-tactic`: no text opens the modal; `help`, `list`; anything else is `<tactic>[: <why>]`.
 * Anonymous by construction: the user id goes only into the tactic service (which keeps the crowd
 * code it falls in); it is never logged, no profile is looked up or cached, and the reply is the
 * ephemeral ack, worded the same whatever was stored.
 */
export function flagTacticCommand(ctx: AppContext) {
  return async ({ command, ack, client, context }: CommandArgs): Promise<void> => {
    const teamId = workspaceOf(context);
    const userId = command.user_id;
    const text = command.text.trim();
    const sub = text.toLowerCase();
    const minReports = ctx.config.anonymityMinReports;
    const tactics = ctx.services.tactics;

    const crowdSize = ctx.config.anonymityCrowd;
    if (sub === 'help') return ack(flagTacticHelp(minReports, crowdSize));
    const leadership = sub !== 'help' && (await ctx.services.roles.isLeadership(teamId, userId));
    if (sub === 'list') {
      const viewer = leadership ? 'leadership' : 'rep';
      return ack(tacticList(await tactics.listTactics(teamId), { minReports, crowdSize, viewer }));
    }
    if (leadership) return ack(notice(LEADERSHIP_CANNOT_FLAG));
    if (await tactics.outsideRepsGroup(teamId, userId)) return ack(errorMessage(NOT_IN_REPS_GROUP_PLAIN, '/flag-tactic list'));
    if (text === '') {
      await ack();
      // No private_metadata: the modal does not even remember where it was opened.
      await client.views.open({ trigger_id: command.trigger_id, view: flagTacticModal(minReports, crowdSize) });
      return;
    }

    const parsed = parseFlagText(text);
    if (!parsed.ok) return ack(flagRefusal({ ok: false, reason: 'invalid', problem: parsed.problem }));
    // The first flag of a workspace reads the member list once to cut it into crowds. That read is also
    // what names the workspace's Slack admins and owners: ask again, so one never cached cannot flag.
    await tactics.ensurePopulation(teamId);
    if (await ctx.services.roles.isLeadership(teamId, userId)) return ack(notice(LEADERSHIP_CANNOT_FLAG));
    const result = await tactics.flagTactic(teamId, userId, parsed.input);
    if (!result.ok) return ack(flagRefusal(result));
    await ack(flagConfirmation(result, minReports));
  };
}
