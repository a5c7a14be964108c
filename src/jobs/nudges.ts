import { nudgeMessage } from '../blocks/nudge.js';
import type { AppContext } from '../context.js';
import { profileIsStale } from '../services/profiles.js';
import type { SlackClient } from '../slack/client.js';
import { classifySlackError } from '../slack/errors.js';
import { describeUnclaimed, MAX_RATE_LIMITED_ATTEMPTS, READ_BACK_CLOCK_ALLOWANCE_MS, type ReadBack, runClaimed } from './claimed.js';
import type { JobOptions } from './index.js';
import { RateGate, RunStopped } from './rate-gate.js';
import { type JobReport, newReport } from './report.js';
import { forEachLimited, listServedTeams, workspaceClient } from './teams.js';

/** DMs in flight at once; all of them wait together when Slack answers 429 (see RateGate). */
export const NUDGE_CONCURRENCY = 4;
/** The Slack message metadata type every nudge DM carries, so a run can find a DM a stopped run sent (readBackNudge). */
export const NUDGE_EVENT_TYPE = 'gemba_nudge';
/**
 * Messages a read-back asks for: Slack caps conversations.history at 15 per call for commercially
 * distributed apps outside the Marketplace, and a bot's DM holds few messages since one nudge anyway.
 */
export const READ_BACK_LIMIT = 15;
/** The audit trail's actor when the nudge job removes a manager Slack reports as deactivated. */
export const SLACK_DEACTIVATED = 'slack-deactivated';
/** Slack profiles looked up per team per run, so a first run over a big team does not queue thousands of users.info calls ahead of the nudges. */
export const PROFILE_REFRESH_BATCH = 50;

/**
 * Sends the nudges due at `now`: each manager at most once per local day (the claim), never
 * twice across restarts or processes. A closed DM is skipped; a Slack hiccup leaves the claim
 * for a later tick. `force` ignores the once-per-day claim and the 3-day cool-down. Once `signal` is
 * aborted, the DMs on their way to Slack finish, no other is claimed or sent (a Retry-After wait is cut
 * short), and the report says how many were left for the next run.
 */
export async function runNudges(ctx: AppContext, now: number, opts: JobOptions = {}): Promise<JobReport> {
  const report = newReport('nudges');
  const { signal } = opts;
  // Told to stop (SIGTERM): the DMs on their way finish, no new claim is taken, and what was due is left for the next run.
  let left = 0;
  let teamsLeft = 0;
  for (const teamId of await listServedTeams(ctx)) {
    if (signal?.aborted) {
      teamsLeft += 1;
      continue;
    }
    // The workspace's own installation; none (uninstalled, revoked) means nothing is sent there at all.
    const slack = await workspaceClient(ctx, teamId, report);
    if (!slack) continue;
    // Slack rate-limits each workspace on its own: one workspace's 429 does not hold the others back.
    const gate = new RateGate();
    const { waiting, deactivated } = await refreshStaleProfiles(ctx, teamId, now, gate, signal);
    if (deactivated.length > 0) {
      // Slack says they left: no more nudges, nor a place among the quiet in every digest, nor a zero on the board.
      const { changed } = await ctx.services.admin.changeManagers(teamId, SLACK_DEACTIVATED, 'remove', deactivated);
      if (changed.length > 0)
        report.notes.push(
          `${teamId}: ${changed.length === 1 ? '1 manager is deactivated in Slack and no longer a manager' : `${changed.length} managers are deactivated in Slack and no longer managers`} (an admin can add them back)`,
        );
    }
    if (waiting.size > 0)
      report.notes.push(
        `${teamId}: ${waiting.size} ${waiting.size === 1 ? 'manager waits' : 'managers wait'} for their time zone from Slack (not looked up yet, or Slack did not answer); not nudged until it is known`,
      );
    const due = (await ctx.services.nudges.selectDueNudges(teamId, now, { ignoreCooldown: opts.force })).filter(
      (n) => !waiting.has(n.userId),
    );
    await forEachLimited(due, NUDGE_CONCURRENCY, async (n) => {
      const key = { job: 'nudges', scope: `${teamId}:${n.userId}`, period: n.localDate };
      const message = nudgeMessage(n);
      const outcome = await runClaimed(
        ctx,
        key,
        now,
        { ...opts, gate, signal, verify: (claim) => readBackNudge(slack, n.userId, n.localDate, claim.claimedAt) },
        async () => {
          const res = await slack.chat.postMessage({
            channel: n.userId,
            text: message.text,
            blocks: message.blocks,
            // Only the day the nudge is for: what a read-back matches on (no user text, nothing about the manager).
            metadata: { event_type: NUDGE_EVENT_TYPE, event_payload: { period: n.localDate } },
          });
          return postedDetail(res.channel, res.ts);
        },
        async (tx, detail) => {
          const { channel, ts } = JSON.parse(detail) as PostedDm;
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
      if (outcome.status === 'stopped') {
        left += 1;
        return;
      }
      const who = `DM to ${n.userId} (${teamId}, ${n.localDate}, quiet ${n.daysQuiet}d)`;
      if (outcome.status === 'done' && outcome.readBack)
        report.notes.push(`${who}: sent by a run that stopped before recording it (found in the DM's history); recorded, not resent`);
      else if (outcome.status === 'done') report.posted.push(who);
      else if (outcome.status === 'skipped') report.skipped.push(`${who}: ${outcome.detail}`);
      else if (outcome.status === 'failed') report.failed.push(`${who}: ${outcome.detail}`);
      else if (outcome.status === 'not_claimed')
        report.notes.push(`${who}: ${await describeUnclaimed(ctx, key, 'already sent for this day', outcome.unverified)}`);
    });
  }
  if (signal?.aborted) report.stopped = { left, teamsLeft };
  return report;
}

/** Where a nudge DM landed, as the claim's detail records it (sent now, or found by a read-back). */
interface PostedDm {
  channel?: string;
  ts?: string;
}
const postedDetail = (channel: string | undefined, ts: string | undefined): string => JSON.stringify({ channel, ts } satisfies PostedDm);

/**
 * Was the nudge for `period` delivered to `userId`? Reads the bot's DM with them (conversations.open,
 * then conversations.history with metadata, which needs `im:history`) from shortly before the claim was
 * taken, looking for a bot message carrying this nudge's metadata. Throws when Slack answers with an
 * error (runClaimed counts that as unknown); unknown, too, when more messages than one page hold came
 * after the claim, so a DM not seen is never taken for one not sent.
 * Example: claimed at 09:00:00.000 UTC → oldest = 08:55:00 (READ_BACK_CLOCK_ALLOWANCE_MS before).
 */
export async function readBackNudge(slack: SlackClient, userId: string, period: string, claimedAt: number): Promise<ReadBack> {
  const open = await slack.conversations.open({ users: userId });
  const channel = open.channel?.id;
  if (!channel) return { status: 'unknown', error: 'no_dm_channel' };
  const history = await slack.conversations.history({
    channel,
    oldest: ((claimedAt - READ_BACK_CLOCK_ALLOWANCE_MS) / 1000).toFixed(6),
    include_all_metadata: true,
    limit: READ_BACK_LIMIT,
  });
  const nudge = history.messages?.find(
    (m) =>
      m.bot_id !== undefined &&
      m.metadata?.event_type === NUDGE_EVENT_TYPE &&
      (m.metadata.event_payload as Record<string, unknown> | undefined)?.period === period,
  );
  if (nudge?.ts) return { status: 'delivered', detail: postedDetail(channel, nudge.ts) };
  if (history.has_more) return { status: 'unknown', error: 'history_has_more' };
  return { status: 'not_delivered' };
}

/**
 * A manager's time zone comes from Slack and is refreshed at least weekly (PRODUCT.md). Quiet
 * managers, the very people nudged, never use the app to trigger a refresh, so the job refreshes
 * stale profiles itself before deciding whose 09:00 it is: never looked up first, then the oldest,
 * through the run's `gate` (a 429 holds every call of the run back for Retry-After, then the look-up
 * is made again, MAX_RATE_LIMITED_ATTEMPTS times in all).
 * A failed look-up keeps the cached zone and is tried again next run. Returns the managers whose
 * zone Gemba has never learned and did not learn now (beyond the batch, or Slack did not answer:
 * 429s beyond the attempts, 5xx, network): nudging them in the team's zone could wake them at 01:00;
 * nothing is claimed for them, so a later tick, once their zone is known, still nudges them that day.
 * A lasting answer (user_not_found, missing_scope, a profile without tz) is PRODUCT.md's "unknown":
 * the team's zone, as for anyone Slack cannot place. Also returns those Slack says are deactivated
 * (`deleted`), whom the caller removes as managers.
 */
async function refreshStaleProfiles(
  ctx: AppContext,
  teamId: string,
  now: number,
  gate: RateGate,
  signal?: AbortSignal,
): Promise<{ waiting: Set<string>; deactivated: string[] }> {
  const { profiles } = ctx.services;
  const deactivated: string[] = [];
  const managers = await ctx.repos.managers.listActiveManagers(teamId);
  const known = new Map<string, number>();
  for (const m of managers) known.set(m.userId, (await profiles.cached(teamId, m.userId))?.refreshedAt ?? -Infinity);
  const stale = managers
    .map((m) => ({ userId: m.userId, refreshedAt: known.get(m.userId) ?? -Infinity }))
    .filter((p) => profileIsStale(p.refreshedAt, now))
    .sort((a, b) => a.refreshedAt - b.refreshedAt || a.userId.localeCompare(b.userId));
  const waiting = new Set(stale.filter((p) => p.refreshedAt === -Infinity).map((p) => p.userId));
  await forEachLimited(stale.slice(0, PROFILE_REFRESH_BATCH), NUDGE_CONCURRENCY, async (p) => {
    if (signal?.aborted) return;
    try {
      const found = await gate.call({ retries: MAX_RATE_LIMITED_ATTEMPTS - 1 }, () => profiles.lookUp(teamId, p.userId), signal);
      waiting.delete(p.userId);
      if (found?.deleted) deactivated.push(p.userId);
    } catch (err) {
      // Told to stop while waiting out a 429: not looked up, as if beyond the batch.
      if (err instanceof RunStopped) return;
      if (classifySlackError(err) !== 'retryable') waiting.delete(p.userId);
      // No user id in the log, as for every profile refresh.
      ctx.logger.warn({ err, teamId }, 'profile refresh failed; keeping the cached profile');
    }
  });
  return { waiting, deactivated: deactivated.sort() };
}
