import type { AppContext } from '../context.js';
import { slackErrorOf } from '../lib/errors.js';
import type { SlackClient } from '../slack/client.js';
import type { JobReport } from './report.js';

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

/**
 * The workspace's own Web API client for a job, or null when the job must skip the workspace: Gemba is
 * not installed there (a note), or its installation could not be read (a failure, logged; say a row
 * stored under another TOKEN_ENCRYPTION_KEY, or the database refused the read). Either way the job
 * carries on with the other workspaces, and the next run tries this one again.
 */
export async function workspaceClient(ctx: AppContext, teamId: string, report: JobReport): Promise<SlackClient | null> {
  let slack: SlackClient | null;
  try {
    slack = await ctx.workspaces.clientFor(teamId);
  } catch (err) {
    // The message names the cause (a decryption failure, a refused query); it never carries the token it could not read.
    const why = err instanceof Error ? err.message : slackErrorOf(err);
    ctx.logger.error({ job: report.job, teamId, error: why }, "could not read the workspace's installation; skipped this run");
    report.failed.push(`${teamId}: could not read the workspace's installation (${why}); skipped, tried again next run`);
    return null;
  }
  if (!slack) report.notes.push(`${teamId}: Gemba is not installed there (uninstalled or revoked); skipped`);
  return slack;
}
