import { errorMessage, type Message, notice } from '../../blocks/common.js';
import { teamTableSize, teamTrendMessage } from '../../blocks/team.js';
import { personalTrendMessage, trendsHelp } from '../../blocks/trends.js';
import type { AppContext } from '../../context.js';
import { parseUserMention, truncate, unescapeSlack } from '../../lib/slack-text.js';
import type { Permission } from '../../services/roles.js';
import { DEFAULT_TREND_WEEKS, MAX_TREND_WEEKS } from '../../services/trends.js';
import type { CommandArgs } from '../types.js';
import { workspaceOf } from '../workspace.js';

/** How much of an unknown word a refusal quotes back (a pasted paragraph must not come back whole). */
export const ECHO_MAX = 30;
const echo = (s: string): string => truncate(s, ECHO_MAX);

/** A word written as a number: digits with an optional sign and decimals ("8", "-1", "2.5"). */
const LOOKS_NUMERIC = /^[+-]?\d+(?:[.,]\d+)?$/;

/** The parsed words of `/trends`. */
export type TrendsRequest =
  | { kind: 'help' }
  | { kind: 'self'; weeks: number }
  | { kind: 'team'; weeks: number }
  | { kind: 'user'; userId: string; weeks: number }
  | { kind: 'error'; message: string; example: string };

/** Parses `/trends [team|<@user>] [weeks]`. */
export function parseTrendsText(text: string): TrendsRequest {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length === 1 && words[0].toLowerCase() === 'help') return { kind: 'help' };
  let subject: { kind: 'self' } | { kind: 'team' } | { kind: 'user'; userId: string } = { kind: 'self' };
  // A number of any form ("-1", "2.5") is the weeks, refused by their rule below, not an unknown word.
  if (words.length > 0 && !LOOKS_NUMERIC.test(words[0])) {
    const first = words.shift() ?? '';
    const userId = parseUserMention(first);
    if (first.toLowerCase() === 'team') subject = { kind: 'team' };
    else if (userId) subject = { kind: 'user', userId };
    else
      return {
        kind: 'error',
        message: `I don't know "${echo(first)}". Use a number of weeks, \`team\`, or an @mention.`,
        example: '/trends 12',
      };
  }
  // The example keeps to what was asked: `/trends team 12` only when the team was, so nobody is offered a refusal.
  const example = subject.kind === 'team' ? '/trends team 12' : '/trends 12';
  let weeks = DEFAULT_TREND_WEEKS;
  if (words.length > 0) {
    const w = words.shift() ?? '';
    if (!/^\d+$/.test(w) || Number(w) < 1 || Number(w) > MAX_TREND_WEEKS) {
      return { kind: 'error', message: `Weeks must be a whole number from 1 to ${MAX_TREND_WEEKS} (you gave "${echo(w)}").`, example };
    }
    weeks = Number(w);
  }
  if (words.length > 0) {
    return { kind: 'error', message: `I didn't understand "${echo(words.join(' '))}".`, example };
  }
  return { ...subject, weeks };
}

/** `/trends`: the caller's habit; the team and other managers for VPs and admins. */
export function trendsCommand(ctx: AppContext) {
  return async ({ command, ack, respond, context }: CommandArgs): Promise<void> => {
    const teamId = workspaceOf(context);
    const userId = command.user_id;
    const { roles, profiles, settings, trends, team } = ctx.services;
    const req = parseTrendsText(command.text);
    if (req.kind === 'help') return ack(trendsHelp());
    // The message may echo what the user typed, Slack markup included: show it literally, never as a live mention.
    if (req.kind === 'error') return ack(errorMessage(unescapeSlack(req.message), req.example));
    const target = (await settings.forTeam(teamId)).weeklyTarget;
    const subject = req.kind === 'user' ? req.userId : userId;
    const permission: Permission | null = req.kind === 'team' ? 'viewTeamTrends' : subject !== userId ? 'viewOthersTrends' : null;
    const answer = async (): Promise<Message> => {
      if (req.kind === 'team')
        return teamTrendMessage(
          await team.teamTrend(teamId, {
            lastDay: await profiles.todayOf(teamId, userId),
            weeks: req.weeks,
            target,
            listed: teamTableSize(req.weeks),
          }),
        );
      // Weeks are the subject's own (their time zone), whoever is asking.
      const today = await profiles.todayOf(teamId, subject);
      const trend = await trends.personalTrend(teamId, subject, { today, weeks: req.weeks, target });
      return personalTrendMessage(trend, subject === userId ? undefined : subject);
    };
    if (permission === null || (await roles.can(teamId, userId, permission))) return ack(await answer());
    if (!(await roles.worthLookingUp(teamId, userId, permission))) return ack(notice(REFUSAL));
    // Maybe a Slack admin or owner not looked up yet: the ack never waits on Slack, so answer via response_url.
    await ack();
    await profiles.refresh(teamId, userId);
    await respond((await roles.can(teamId, userId, permission)) ? await answer() : notice(REFUSAL));
  };
}

export const REFUSAL = ":lock: Team and other people's trends are for VPs and admins. You can see your own with `/trends`.";
