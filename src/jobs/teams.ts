import type { AppContext } from '../context.js';

/** Teams scheduled work serves: every team with managers or with settings. */
export async function listServedTeams(ctx: AppContext): Promise<string[]> {
  const [withManagers, withSettings] = await Promise.all([ctx.repos.managers.listTeamsWithManagers(), ctx.repos.teams.listTeamIds()]);
  return [...new Set([...withManagers, ...withSettings])].sort();
}

/** Runs `fn` over `items` with at most `limit` running at once (DMs fan out; Slack's client queues the rest). */
export async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
