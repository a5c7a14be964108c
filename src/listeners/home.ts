import { homeView } from '../blocks/home.js';
import { teamSnapshot } from '../blocks/team.js';
import type { AppContext } from '../context.js';
import type { SlackClient } from '../slack/client.js';

/** Builds and publishes a person's Home tab. */
export async function publishHome(ctx: AppContext, client: SlackClient, teamId: string, userId: string): Promise<void> {
  const { profiles, settings, trends, contacts } = ctx.services;
  const { roles, team, snoozes } = ctx.services;
  const [today, teamSettings, teamView] = await Promise.all([
    profiles.todayOf(teamId, userId),
    settings.forTeam(teamId),
    roles.can(teamId, userId, 'viewTeamTrends'),
  ]);
  const target = teamSettings.weeklyTarget;
  // VPs and admins also get a team snapshot; everyone else sees only their own numbers.
  // Quiet is counted exactly as the digest counts it (active managers only, new ones excepted).
  const extra = teamView
    ? teamSnapshot(
        // The snapshot shows totals only: no manager rows to read.
        await team.teamTrend(teamId, { lastDay: today, weeks: 8, target, listed: 0 }),
        (await ctx.services.digest.quietManagers(teamId, { today, now: ctx.clock.now(), timezone: teamSettings.timezone })).length,
      )
    : undefined;
  const [trend, recent, snooze] = await Promise.all([
    trends.personalTrend(teamId, userId, { today, weeks: 8, target }),
    contacts.listRecent(teamId, userId, 5),
    snoozes.activeSnooze(teamId, userId, today),
  ]);
  const view = homeView({ trend, recent, today, snoozedUntil: snooze?.endsOn ?? null, extra });
  await client.views.publish({ user_id: userId, view });
}
