import { errorMessage, type Message, notice } from '../../blocks/common.js';
import type { AppContext } from '../../context.js';

/** `/gemba admin tactics hide <id>`: hides an abusive flag; the hiding is logged with who did it. */
export async function hideTacticMessage(ctx: AppContext, teamId: string, actorId: string, tacticId: number): Promise<Message> {
  const result = await ctx.services.tactics.hideTactic(teamId, tacticId, actorId);
  if (!result.ok && result.reason === 'not_found')
    return errorMessage(`There is no tactic number ${tacticId}. See the numbers in \`/flag-tactic list\`.`, '/gemba admin tactics hide 12');
  if (!result.ok) return notice(`Tactic ${tacticId} was already hidden.`);
  return notice(`:see_no_evil: Tactic ${tacticId} is hidden: it no longer appears in \`/flag-tactic list\` or the digest.`);
}
