import type { AppContext } from '../../context.js';
import { publishHome } from '../home.js';
import type { EventArgs } from '../types.js';
import { workspaceOf } from '../workspace.js';

/** Publishes the caller's dashboard every time they open the Home tab. */
export function appHomeOpened(ctx: AppContext) {
  return async ({ event, client, context }: EventArgs<'app_home_opened'>): Promise<void> => {
    if (event.tab !== 'home') return;
    const teamId = workspaceOf(context);
    const { profiles, roles } = ctx.services;
    // A Slack admin or owner known from an old look-up is looked up again first (the event is acked
    // already): their team snapshot depends on it, and Slack may have demoted them since.
    const cached = await profiles.cached(teamId, event.user);
    const staleAdmin = cached !== undefined && (cached.isAdmin || cached.isOwner) && !profiles.isCurrent(cached);
    if (staleAdmin) await profiles.refresh(teamId, event.user);
    await publishHome(ctx, client, teamId, event.user);
    // Keep managers' time zones fresh; nobody else gets a profile row.
    if (!staleAdmin && (await roles.isActiveManager(teamId, event.user))) {
      await profiles.refreshIfStale(teamId, event.user);
    }
  };
}
