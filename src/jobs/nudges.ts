import { nudgeMessage } from '../blocks/nudge.js';
import type { AppContext } from '../context.js';
import { runClaimed } from './claimed.js';
import { newReport, type JobReport } from './report.js';
import { forEachLimited, listServedTeams } from './teams.js';

/** DMs in flight at once; the Web API client queues behind Retry-After when Slack says slow down. */
export const NUDGE_CONCURRENCY = 4;

/**
 * Sends the nudges due at `now`: each manager at most once per local day (the claim), never
 * twice across restarts or processes. A closed DM is skipped; a Slack hiccup leaves the claim
 * for a later tick. `force` ignores the once-per-day claim and the 3-day cool-down.
 */
export async function runNudges(ctx: AppContext, now: number, opts: { force?: boolean } = {}): Promise<JobReport> {
  const report = newReport('nudges');
  for (const teamId of listServedTeams(ctx)) {
    const due = ctx.services.nudges.selectDueNudges(teamId, now, { ignoreCooldown: opts.force });
    await forEachLimited(due, NUDGE_CONCURRENCY, async (n) => {
      const key = { job: 'nudges', scope: `${teamId}:${n.userId}`, period: n.localDate };
      const message = nudgeMessage(n);
      const outcome = await runClaimed(
        ctx,
        key,
        now,
        opts,
        async () => {
          const res = await ctx.slack.chat.postMessage({ channel: n.userId, text: message.text, blocks: message.blocks });
          return JSON.stringify({ channel: res.channel, ts: res.ts });
        },
        (detail) => {
          const { channel, ts } = JSON.parse(detail) as { channel?: string; ts?: string };
          ctx.repos.nudges.insertNudge({ teamId, userId: n.userId, sentAt: now, localDate: n.localDate, channel: channel ?? null, ts: ts ?? null });
        },
      );
      const who = `DM to ${n.userId} (${teamId}, ${n.localDate}, quiet ${n.daysQuiet}d)`;
      if (outcome.status === 'done') report.posted.push(who);
      else if (outcome.status === 'skipped') report.skipped.push(`${who}: ${outcome.detail}`);
      else if (outcome.status === 'failed') report.failed.push(`${who}: ${outcome.detail}`);
      else report.notes.push(`${who}: already sent for this day`);
    });
  }
  return report;
}
