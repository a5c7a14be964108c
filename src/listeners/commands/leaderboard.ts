import { errorMessage } from '../../blocks/common.js';
import { leaderboardHelp, leaderboardMessage } from '../../blocks/leaderboard.js';
import type { AppContext } from '../../context.js';
import { firstChars, unescapeSlack } from '../../lib/slack-text.js';
import { WEEKLY_POSTS, weeklyWindow } from '../../services/schedule.js';
import type { CommandArgs } from '../types.js';
import { workspaceOf } from '../workspace.js';

/** `/leaderboard` (this week so far) and `/leaderboard last` (last week), in team time. */
export function leaderboardCommand(ctx: AppContext) {
  return async ({ command, ack, context }: CommandArgs): Promise<void> => {
    const teamId = workspaceOf(context);
    const arg = command.text.trim().toLowerCase();
    if (arg === 'help') return ack(leaderboardHelp());
    // What they typed, as typed (errorMessage escapes it, so it cannot carry a live `<!channel>`).
    const echo = firstChars(unescapeSlack(command.text.trim()), 30);
    if (arg !== '' && arg !== 'last')
      return ack(errorMessage(`"${echo}" isn't something /leaderboard knows. Use nothing (this week) or \`last\`.`, '/leaderboard last'));
    const settings = await ctx.services.settings.forTeam(teamId);
    const { weekStart, reportWeek } = weeklyWindow(
      ctx.clock.now(),
      settings.timezone,
      WEEKLY_POSTS.leaderboard.hour,
      WEEKLY_POSTS.leaderboard.minute,
    );
    const week = arg === 'last' ? reportWeek : weekStart;
    const board = await ctx.services.leaderboard.compute(teamId, week, settings.weeklyTarget, { complete: arg === 'last' });
    const message = leaderboardMessage(board, {
      title: arg === 'last' ? "Last week's leaderboard" : 'Leaderboard so far',
      inProgress: arg !== 'last',
    });
    await ack({ ...message, response_type: 'ephemeral' });
  };
}
