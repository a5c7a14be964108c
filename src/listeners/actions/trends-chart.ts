import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { trendChartSent } from '../../blocks/trends.js';
import { personalChart } from '../../charts/index.js';
import type { AppContext } from '../../context.js';
import { DEFAULT_TREND_WEEKS, MAX_TREND_WEEKS } from '../../services/trends.js';
import { slackErrorCode } from '../../slack/errors.js';
import { uploadImages } from '../../slack/files.js';
import { workspaceOf } from '../workspace.js';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/**
 * **Show chart** under `/trends`: draws the clicker's own weekly bars and shares them in their DM
 * with Gemba (Slack cannot attach a file to an ephemeral message; a file shared in the DM renders
 * for them). Always the clicker's own trend, whatever the button carries: it holds only the weeks.
 */
export function trendsShowChartAction(ctx: AppContext) {
  return async ({ body, action, ack, respond, client, context }: Args): Promise<void> => {
    await ack(); // nothing is stored; drawing and uploading take longer than Slack's 3 seconds allow
    const teamId = workspaceOf(context);
    const userId = body.user.id;
    // The same 1–MAX_TREND_WEEKS weeks as `/trends [weeks]`.
    const weeks = Math.min(MAX_TREND_WEEKS, Math.max(1, Number.parseInt(action.value ?? '', 10) || DEFAULT_TREND_WEEKS));
    const target = (await ctx.services.settings.forTeam(teamId)).weeklyTarget;
    const trend = await ctx.services.trends.personalTrend(teamId, userId, {
      today: await ctx.services.profiles.todayOf(teamId, userId),
      weeks,
      target,
    });
    const chart = personalChart({ weeks: trend.weeks, target, streak: trend.streak, locale: ctx.config.teamLocale });
    try {
      const dm = await client.conversations.open({ users: userId });
      const channel = dm.channel?.id;
      if (!channel) throw new Error('conversations.open returned no channel');
      await uploadImages(client, {
        channel,
        comment: `Your buyer conversations, last ${weeks} weeks: ${trend.total} in total, ${trend.thisWeek} of ${target} this week, streak ${trend.streak}.`,
        images: [{ filename: chart.filename, title: chart.title, alt: chart.alt, bytes: chart.png }],
      });
    } catch (err) {
      const code = slackErrorCode(err);
      ctx.logger.warn({ teamId, error: code }, 'personal chart not shared');
      await respond(trendChartSent(false, code));
      return;
    }
    await respond(trendChartSent(true));
  };
}
