import { INPUT_ACTION, TacticField } from '../../blocks/ids.js';
import { flagDoneView, flagLimitText, LEADERSHIP_CANNOT_FLAG_PLAIN, NOT_IN_REPS_GROUP_PLAIN } from '../../blocks/tactics.js';
import type { AppContext } from '../../context.js';
import type { TacticField as Field, FlagResult } from '../../services/tactics.js';
import type { ViewArgs } from '../types.js';
import { workspaceOf } from '../workspace.js';

type StateValues = ViewArgs['view']['state']['values'];

const BLOCK_OF: Record<Field, string> = { tactic: TacticField.tactic, why: TacticField.why, instead: TacticField.instead };

/** A field's text; a value that is not a string (a forged payload) reads as empty. */
const read = (values: StateValues, block: string): string | null => {
  const v: unknown = values[block]?.[INPUT_ACTION]?.value;
  return typeof v === 'string' ? v : null;
};

/** Inline errors for a refused flag, keyed by input block. Nothing was stored. */
function refusalErrors(result: Extract<FlagResult, { ok: false }>): Record<string, string> {
  switch (result.reason) {
    case 'invalid':
      return { [BLOCK_OF[result.problem.field]]: result.problem.message };
    case 'rate_limited':
      return {
        [TacticField.tactic]: `${flagLimitText(result.scope, result.limit)} You can still say Me too in /flag-tactic list.`,
      };
    case 'not_in_group':
      return { [TacticField.tactic]: NOT_IN_REPS_GROUP_PLAIN };
    case 'hidden':
      return { [TacticField.tactic]: 'An admin has hidden that tactic, so it cannot be flagged again. Nothing was stored.' };
  }
}

/**
 * Submission of the flag modal: validate inline, store anonymously, and answer by replacing the
 * form with a confirmation only the rep sees. No message is posted, so nothing appears anywhere
 * at the moment of flagging.
 */
export function flagTacticModalSubmit(ctx: AppContext) {
  return async ({ ack, body, view, context }: ViewArgs): Promise<void> => {
    const teamId = workspaceOf(context);
    const values = view.state.values;
    const leadership = () => ctx.services.roles.isLeadership(teamId, body.user.id);
    const refused = () => ack({ response_action: 'errors', errors: { [TacticField.tactic]: LEADERSHIP_CANNOT_FLAG_PLAIN } });
    if (await leadership()) return refused();
    // The member list read once per workspace also names its Slack admins and owners: ask again after it.
    await ctx.services.tactics.ensurePopulation(teamId);
    if (await leadership()) return refused();
    const result = await ctx.services.tactics.flagTactic(teamId, body.user.id, {
      tactic: read(values, TacticField.tactic),
      why: read(values, TacticField.why),
      instead: read(values, TacticField.instead),
    });
    if (!result.ok) return ack({ response_action: 'errors', errors: refusalErrors(result) });
    await ack({ response_action: 'update', view: flagDoneView(result, ctx.config.anonymityMinReports) });
  };
}
