import { homeView } from '../blocks/home.js';
import { teamSnapshot } from '../blocks/team.js';
import type { AppContext } from '../context.js';
import type { SlackClient } from '../slack/client.js';

/** Builds and publishes a person's Home tab. */
export async function publishHome(ctx: AppContext, client: SlackClient, teamId: string, userId: string): Promise<void> {
  const { profiles, settings, trends, contacts } = ctx.services;
  const today = profiles.todayOf(teamId, userId);
  const target = settings.forTeam(teamId).weeklyTarget;
  const { roles, team, snoozes } = ctx.services;
  // VPs and admins also get a team snapshot; everyone else sees only their own numbers.
  // Quiet is counted exactly as the digest counts it (active managers only, new ones excepted).
  const extra = roles.can(teamId, userId, 'viewTeamTrends')
    ? teamSnapshot(
        team.teamTrend(teamId, { lastDay: today, weeks: 8, target }),
        ctx.services.digest.quietManagers(teamId, { today, now: ctx.clock.now(), timezone: settings.forTeam(teamId).timezone }).length,
      )
    : undefined;
  const view = homeView({
    trend: trends.personalTrend(teamId, userId, { today, weeks: 8, target }),
    recent: contacts.listRecent(teamId, userId, 5),
    today,
    snoozedUntil: snoozes.activeSnooze(teamId, userId, today)?.endsOn ?? null,
    extra,
  });
  await client.views.publish({ user_id: userId, view });
}
