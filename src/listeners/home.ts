import type { AppContext } from '../context.js';
import { homeView } from '../blocks/home.js';
import type { SlackClient } from '../slack/client.js';

/** Builds and publishes a person's Home tab. */
export async function publishHome(ctx: AppContext, client: SlackClient, teamId: string, userId: string): Promise<void> {
  const { profiles, settings, trends, contacts } = ctx.services;
  const today = profiles.todayOf(teamId, userId);
  const target = settings.forTeam(teamId).weeklyTarget;
  const view = homeView({
    trend: trends.personalTrend(teamId, userId, { today, weeks: 8, target }),
    recent: contacts.listRecent(teamId, userId, 5),
    today,
  });
  await client.views.publish({ user_id: userId, view: view as any });
}
