import type { AppContext } from '../../context.js';
import { publishHome } from '../home.js';
import type { EventArgs } from '../types.js';
import { workspaceOf } from '../workspace.js';

/** Publishes the caller's dashboard every time they open the Home tab. */
export function appHomeOpened(ctx: AppContext) {
  return async ({ event, client, context }: EventArgs<'app_home_opened'>): Promise<void> => {
    if (event.tab !== 'home') return;
    const teamId = workspaceOf(context);
    await publishHome(ctx, client, teamId, event.user);
    // Keep managers' time zones fresh; nobody else gets a profile row.
    if (await ctx.services.roles.isActiveManager(teamId, event.user)) {
      await ctx.services.profiles.refreshIfStale(teamId, event.user);
    }
  };
}
