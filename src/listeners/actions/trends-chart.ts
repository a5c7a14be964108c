import { setTimeout as sleep } from 'node:timers/promises';
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Message } from '../../blocks/common.js';
import { personalChartComment, trendChartSent } from '../../blocks/trends.js';
import { personalChart } from '../../charts/index.js';
import type { AppContext } from '../../context.js';
import { DEFAULT_TREND_WEEKS, MAX_TREND_WEEKS } from '../../services/trends.js';
import { BACKGROUND_RETRY } from '../../slack/client.js';
import { rateLimitedFor, slackErrorCode } from '../../slack/errors.js';
import { uploadImages } from '../../slack/files.js';
import { workspaceOf } from '../workspace.js';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/**
 * How long a chart just sent answers a repeated click on the same button instead of a new upload: a
 * double click, or a second one while the first is still uploading, must not put two files in the DM.
 */
export const CHART_REPEAT_WINDOW_MS = 10_000;

/**
 * **Show chart** under `/trends`: draws the clicker's own weekly bars and shares them in their DM
 * with Gemba (Slack cannot attach a file to an ephemeral message; a file shared in the DM renders
 * for them). Always the clicker's own trend, whatever the button carries: it holds only the weeks.
 */
export function trendsShowChartAction(ctx: AppContext) {
  // Charts being sent, or sent within the window, by workspace, person and weeks; a failure is not
  // kept, so a second click retries it. In memory only: a user id is never stored or logged for this.
  const recent = new Map<string, { answer: Promise<Message>; until: number }>();
  return async ({ body, action, ack, respond, client, context }: Args): Promise<void> => {
    await ack(); // nothing is stored; drawing and uploading take longer than Slack's 3 seconds allow
    const teamId = workspaceOf(context);
    const userId = body.user.id;
    // The same 1–MAX_TREND_WEEKS weeks as `/trends [weeks]`.
    const weeks = Math.min(MAX_TREND_WEEKS, Math.max(1, Number.parseInt(action.value ?? '', 10) || DEFAULT_TREND_WEEKS));
    const now = ctx.clock.now();
    for (const [k, v] of recent) if (v.until <= now) recent.delete(k);
    const key = `${teamId}:${userId}:${weeks}`;
    let entry = recent.get(key);
    if (!entry) {
      const sent = { answer: sendChart(ctx, client, teamId, userId, weeks), until: Number.POSITIVE_INFINITY };
      recent.set(key, sent);
      sent.answer.then(
        (m) => {
          if (m === CHART_SENT) sent.until = ctx.clock.now() + CHART_REPEAT_WINDOW_MS;
          else recent.delete(key);
        },
        () => recent.delete(key),
      );
      entry = sent;
    }
    await respond(await entry.answer);
  };
}

const CHART_SENT = trendChartSent(true);

/** Draws the person's chart and shares it in their DM; the answer for the clicker (a Slack failure is answered, not thrown). */
async function sendChart(ctx: AppContext, client: Args['client'], teamId: string, userId: string, weeks: number): Promise<Message> {
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
    await uploadImages(
      client,
      {
        channel,
        comment: personalChartComment(trend),
        images: [{ filename: chart.filename, title: chart.title, alt: chart.alt, bytes: chart.png }],
      },
      retryUploadRateLimit,
    );
  } catch (err) {
    const code = slackErrorCode(err);
    ctx.logger.warn({ teamId, error: code }, 'personal chart not shared');
    return trendChartSent(false, code);
  }
  return CHART_SENT;
}

/** The longest Retry-After of the upload URL that a click waits out (the person is waiting for the answer). */
export const CHART_UPLOAD_MAX_WAIT_S = 30;

/**
 * A 429 from the upload URL waited out and the bytes sent again, as the Web API client already does for its
 * own calls (BACKGROUND_RETRY.retries times; the same classifier as the jobs' RateGate, `rateLimitedFor`);
 * anything else, or a longer wait, fails the chart as before.
 */
async function retryUploadRateLimit<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const wait = rateLimitedFor(err);
      if (wait === null || wait > CHART_UPLOAD_MAX_WAIT_S || attempt >= BACKGROUND_RETRY.retries) throw err;
      await sleep(wait * 1000);
    }
  }
}
