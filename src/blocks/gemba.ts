import { channelLink, mention } from '../lib/slack-text.js';
import type { Role } from '../services/roles.js';
import type { TeamSettings } from '../services/settings.js';
import { MAX_SNOOZE_WEEKS } from '../services/snoozes.js';
import type { CrowdStatus } from '../services/tactics.js';
import { context, type Message, plural, section, shortDate } from './common.js';
import { cannotShowText } from './tactics.js';

/** `/gemba help`: what everyone can do, plus the admin commands for admins. */
export function gembaHelp(role: Role): Message {
  const lines = [
    '*`/gemba` — your settings*',
    '`/gemba settings` — the current configuration',
    `\`/gemba snooze 5d\` · \`/gemba snooze 2w\` · \`/gemba snooze off\` — pause nudges (vacation), up to ${MAX_SNOOZE_WEEKS} weeks; snoozed weeks freeze your streak`,
  ];
  if (role === 'vp' || role === 'admin') lines.push('`/gemba digest preview` — the VP digest as it would be posted now');
  if (role === 'admin') lines.push('`/gemba admin help` — managers, VPs, channels, target, timezone, export, forget');
  lines.push('', 'Also: `/contact` to log a buyer conversation · `/trends` · `/leaderboard` · `/flag-tactic` (anonymous)');
  return { response_type: 'ephemeral', text: 'How to use /gemba', blocks: [section(lines.join('\n'))] };
}

/** `/gemba admin help`. */
export function gembaAdminHelp(): Message {
  const text = [
    '*`/gemba admin` — administration* (admins only)',
    '`/gemba admin managers add|remove @user [@user …]` · `/gemba admin managers sync @user-group`',
    '`/gemba admin reps sync @user-group` — who may flag tactics: the people anonymous flags hide among (default: every active member)',
    '`/gemba admin vps add|remove @user [@user …]`',
    '`/gemba admin channel leaderboard|digest #channel`',
    '`/gemba admin target 3` — weekly conversations per manager',
    '`/gemba admin nudge-after 7d` — days without a conversation before a nudge',
    '`/gemba admin timezone Europe/Berlin` — the team time zone for channel posts',
    '`/gemba admin export` — CSV of all conversations, sent to your DM',
    '`/gemba admin forget @user` — delete everything stored about a person',
    '`/gemba admin tactics hide 12` — hide an abusive tactic flag',
  ].join('\n');
  return { response_type: 'ephemeral', text: 'Gemba administration', blocks: [section(text)] };
}

/** VPs named in `/gemba settings`; the rest are counted so the section stays within Slack's limit. */
const MAX_NAMED_VPS = 30;

/** "a, b, c and 12 more". */
function listSome(items: string[], max: number): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** `/gemba settings`: the team configuration and the caller's own status. */
export function settingsMessage(p: {
  settings: TeamSettings;
  role: Role;
  timezone: string;
  snoozedUntil: string | null;
  managers: number;
  vps: string[];
  flags: { crowds: CrowdStatus; publishHour: number };
}): Message {
  const s = p.settings;
  const hour = `${String(s.nudgeHour).padStart(2, '0')}:00`;
  const lines = [
    '*Gemba settings*',
    `• Weekly target: *${s.weeklyTarget}* conversations per manager`,
    `• Nudge after: *${s.nudgeAfterDays} days* without a conversation, at ${hour} local time on working days`,
    `• Team time zone: *${s.timezone}* (leaderboard Mondays 09:00, digest Mondays 09:30)`,
    `• Leaderboard channel: ${s.leaderboardChannel ? channelLink(s.leaderboardChannel) : '_not set_'}`,
    `• Digest channel: ${s.digestChannel ? channelLink(s.digestChannel) : '_not set_'}`,
    `• Managers: *${p.managers}* · VPs: ${p.vps.length ? listSome(p.vps.map(mention), MAX_NAMED_VPS) : '_none yet_'}`,
    flagsLine(p.flags.crowds, p.flags.publishHour),
  ];
  const warning = cannotShowText(p.flags.crowds);
  if (warning) lines.push(warning);
  const you = [
    `*You:* ${p.role}`,
    `your time zone ${p.timezone}`,
    p.snoozedUntil ? `nudges snoozed through ${shortDate(p.snoozedUntil)}` : 'nudges on',
  ];
  return {
    response_type: 'ephemeral',
    text: `Gemba settings: target ${s.weeklyTarget}, nudge after ${s.nudgeAfterDays} days, team time zone ${s.timezone}.`,
    blocks: [section(lines.join('\n')), context(you.join(' · '))],
  };
}

/** The anonymity settings in one line: who may flag, the crowds, the threshold and the publish hour. */
function flagsLine(c: CrowdStatus, publishHour: number): string {
  const who =
    c.source === 'group' && c.groupId
      ? `members of <!subteam^${c.groupId}>`
      : c.source === 'members'
        ? 'every active member'
        : 'every active member (not read from Slack yet)';
  const counted =
    c.source === 'unknown' ? '' : `: ${plural(c.eligible, 'eligible person', 'eligible people')} in ${plural(c.crowds, 'crowd')}`;
  return `• Tactic flags: reps are ${who}${counted}, crowds of at least *${c.crowdSize}*; the digest shows a tactic at *${plural(c.minReports, 'crowd')}*; published daily at ${String(publishHour).padStart(2, '0')}:00 team time`;
}

/** Confirmation of `/gemba snooze`. */
export function snoozeConfirmation(endsOn: string | null): Message {
  const text = endsOn
    ? `:zzz: Nudges paused through *${shortDate(endsOn)}*. Weeks you spend snoozed freeze your streak instead of breaking it. \`/gemba snooze off\` resumes them.`
    : ':bell: Nudges are back on.';
  return { response_type: 'ephemeral', text, blocks: [section(text)] };
}
