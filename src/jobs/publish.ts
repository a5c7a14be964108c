import { plural } from '../blocks/common.js';
import type { AppContext } from '../context.js';
import { reportHeldFailures } from '../lib/held-failures.js';
import { publishWindow } from '../services/schedule.js';
import { describeUnclaimed, runClaimed } from './claimed.js';
import type { JobOptions } from './index.js';
import { type JobReport, newReport } from './report.js';
import { listServedTeams } from './teams.js';

/**
 * Daily at FLAG_PUBLISH_HOUR team time (PRODUCT.md "Published daily, not live"): re-reads the
 * member list and re-cuts the crowds (so they follow the workspace as people join and leave), then
 * makes everything recorded for today visible at once. Once per team per local day, across
 * restarts, processes and manual runs (the job claims), unless forced. A member-list failure is
 * reported and does not hold the publish back: the crowds stay as they were.
 */
export async function runPublish(ctx: AppContext, now: number, opts: JobOptions = {}): Promise<JobReport> {
  const report = newReport('publish');
  const teams = [...new Set([...(await listServedTeams(ctx)), ...(await ctx.repos.tactics.listTeamIds())])].sort();
  const { signal } = opts;
  let left = 0;
  let teamsLeft = 0;
  for (const teamId of teams) {
    const tz = (await ctx.services.settings.forTeam(teamId)).timezone;
    const hour = ctx.config.flagPublishHour;
    const window = publishWindow(now, tz, hour);
    if (!window.due && !opts.force) {
      report.notes.push(`${teamId}: not due until ${String(hour).padStart(2, '0')}:00 ${tz}`);
      continue;
    }
    // Told to stop (SIGTERM): the publish in progress was finished; the teams after it are left for the next run.
    if (signal?.aborted) {
      teamsLeft += 1;
      continue;
    }
    const key = { job: 'publish', scope: teamId, period: window.period };
    let crowdsNote = '';
    const outcome = await runClaimed(ctx, key, now, opts, async () => {
      try {
        const crowds = await ctx.services.tactics.refreshPopulation(teamId);
        crowdsNote = !crowds
          ? 'the reps group is unknown to Slack; crowds unchanged'
          : crowds.eligible === 0
            ? 'no eligible people listed by Slack'
            : `${plural(crowds.eligible, 'eligible person', 'eligible people')} in ${plural(crowds.crowds, 'crowd', 'crowds')}`;
      } catch (err) {
        ctx.logger.warn({ err, teamId }, 'could not read the member list before publishing; crowds unchanged');
        crowdsNote = 'member list unavailable; crowds unchanged';
      }
      const published = await ctx.services.tactics.publish(teamId, window.period);
      if (published.reports === 0 && published.reasons === 0) return 'nothing new to publish';
      return `${plural(published.reports, 'flag or me-too', 'flags and me-toos')}, ${plural(published.reasons, 'reason', 'reasons')}`;
    });
    if (outcome.status === 'stopped') {
      left += 1;
      continue;
    }
    // Failures on the flag surfaces, held since they happened, are logged now: by the publish of their day.
    reportHeldFailures(ctx.logger, teamId, ctx.heldFailures.take(teamId, window.period), `before the publish of ${window.period}`);
    const what = `tactic flags through ${window.period} (${teamId})`;
    if (outcome.status === 'done') report.posted.push(`${what}: ${outcome.detail}; ${crowdsNote}`);
    else if (outcome.status === 'not_claimed')
      report.notes.push(`${what}: ${await describeUnclaimed(ctx, key, 'already published today')}`);
    else report.failed.push(`${what}: ${outcome.detail}`);
  }
  if (signal?.aborted) report.stopped = { left, teamsLeft };
  return report;
}
