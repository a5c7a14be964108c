import { channelLink, mention } from '../lib/slack-text.js';
import type { Role } from '../services/roles.js';
import type { TeamSettings } from '../services/settings.js';
import { context, type Message, section, shortDate } from './common.js';

/** `/gemba help`: what everyone can do, plus the admin commands for admins. */
export function gembaHelp(role: Role): Message {
  const lines = [
    '*`/gemba` — your settings*',
    '`/gemba settings` — the current configuration',
    '`/gemba snooze 5d` · `/gemba snooze 2w` · `/gemba snooze off` — pause nudges (vacation), up to 8 weeks; snoozed weeks freeze your streak',
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
  ];
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

/** Confirmation of `/gemba snooze`. */
export function snoozeConfirmation(endsOn: string | null): Message {
  const text = endsOn
    ? `:zzz: Nudges paused through *${shortDate(endsOn)}*. Weeks you spend snoozed freeze your streak instead of breaking it. \`/gemba snooze off\` resumes them.`
    : ':bell: Nudges are back on.';
  return { response_type: 'ephemeral', text, blocks: [section(text)] };
}
