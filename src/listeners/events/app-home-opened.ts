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
    // The team snapshot depends on admin rights: a Slack admin's week-old look-up is renewed first (the event is acked).
    const rechecked = await roles.recheckStaleAdmin(teamId, event.user);
    await publishHome(ctx, client, teamId, event.user);
    // Keep managers' time zones fresh; nobody else gets a profile row.
    if (!rechecked && (await roles.isActiveManager(teamId, event.user))) {
      await profiles.refreshIfStale(teamId, event.user);
    }
  };
}
