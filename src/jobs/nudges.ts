import { nudgeMessage } from '../blocks/nudge.js';
import type { AppContext } from '../context.js';
import { PROFILE_MAX_AGE_MS } from '../services/profiles.js';
import { describeUnclaimed, runClaimed } from './claimed.js';
import { RateGate } from './rate-gate.js';
import { type JobReport, newReport } from './report.js';
import { forEachLimited, listServedTeams } from './teams.js';

/** DMs in flight at once; all of them wait together when Slack answers 429 (see RateGate). */
export const NUDGE_CONCURRENCY = 4;
/** Slack profiles looked up per team per run, so a first run over a big team does not queue thousands of users.info calls ahead of the nudges. */
export const PROFILE_REFRESH_BATCH = 50;

/**
 * Sends the nudges due at `now`: each manager at most once per local day (the claim), never
 * twice across restarts or processes. A closed DM is skipped; a Slack hiccup leaves the claim
 * for a later tick. `force` ignores the once-per-day claim and the 3-day cool-down.
 */
export async function runNudges(ctx: AppContext, now: number, opts: { force?: boolean } = {}): Promise<JobReport> {
  const report = newReport('nudges');
  for (const teamId of await listServedTeams(ctx)) {
    // The workspace's own installation; none (uninstalled, revoked) means nothing is sent there at all.
    const slack = await ctx.workspaces.clientFor(teamId);
    if (!slack) {
      report.notes.push(`${teamId}: Gemba is not installed there (uninstalled or revoked); skipped`);
      continue;
    }
    // Slack rate-limits each workspace on its own: one workspace's 429 does not hold the others back.
    const gate = new RateGate();
    await refreshStaleProfiles(ctx, teamId, now);
    const due = await ctx.services.nudges.selectDueNudges(teamId, now, { ignoreCooldown: opts.force });
    await forEachLimited(due, NUDGE_CONCURRENCY, async (n) => {
      const key = { job: 'nudges', scope: `${teamId}:${n.userId}`, period: n.localDate };
      const message = nudgeMessage(n);
      const outcome = await runClaimed(
        ctx,
        key,
        now,
        { ...opts, gate },
        async () => {
          const res = await slack.chat.postMessage({ channel: n.userId, text: message.text, blocks: message.blocks });
          return JSON.stringify({ channel: res.channel, ts: res.ts });
        },
        async (tx, detail) => {
          const { channel, ts } = JSON.parse(detail) as { channel?: string; ts?: string };
          await tx.nudges.insertNudge({
            teamId,
            userId: n.userId,
            sentAt: now,
            localDate: n.localDate,
            channel: channel ?? null,
            ts: ts ?? null,
          });
        },
      );
      const who = `DM to ${n.userId} (${teamId}, ${n.localDate}, quiet ${n.daysQuiet}d)`;
      if (outcome.status === 'done') report.posted.push(who);
      else if (outcome.status === 'skipped') report.skipped.push(`${who}: ${outcome.detail}`);
      else if (outcome.status === 'failed') report.failed.push(`${who}: ${outcome.detail}`);
      else report.notes.push(`${who}: ${await describeUnclaimed(ctx, key, 'already sent for this day')}`);
    });
  }
  return report;
}

/**
 * A manager's time zone comes from Slack and is refreshed at least weekly (PRODUCT.md). Quiet
 * managers, the very people nudged, never use the app to trigger a refresh, so the job refreshes
 * stale profiles itself before deciding whose 09:00 it is: never looked up first, then the oldest.
 * A failed look-up keeps the cached zone (or the team's) and is tried again next run.
 */
async function refreshStaleProfiles(ctx: AppContext, teamId: string, now: number): Promise<void> {
  const { profiles } = ctx.services;
  const managers = await ctx.repos.managers.listActiveManagers(teamId);
  const known = new Map<string, number>();
  for (const m of managers) known.set(m.userId, (await profiles.cached(teamId, m.userId))?.refreshedAt ?? -Infinity);
  const stale = managers
    .map((m) => ({ userId: m.userId, refreshedAt: known.get(m.userId) ?? -Infinity }))
    .filter((p) => now - p.refreshedAt > PROFILE_MAX_AGE_MS)
    .sort((a, b) => a.refreshedAt - b.refreshedAt || a.userId.localeCompare(b.userId))
    .slice(0, PROFILE_REFRESH_BATCH);
  await forEachLimited(stale, NUDGE_CONCURRENCY, async (p) => {
    await profiles.refresh(teamId, p.userId);
  });
}
