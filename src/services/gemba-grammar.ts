import { firstChars, parseChannelMention, parseUsergroupMention, parseUserMention } from '../lib/slack-text.js';
import { isValidTimeZone } from '../lib/time.js';
import { MAX_SNOOZE_DAYS, MAX_SNOOZE_WEEKS } from './snoozes.js';

/** What `/gemba …` asks for. */
export type GembaRequest =
  | { kind: 'help' }
  | { kind: 'settings' }
  | { kind: 'snooze'; days: number }
  | { kind: 'snooze_off' }
  | { kind: 'digest_preview' }
  | { kind: 'admin_help' }
  | { kind: 'admin_members'; role: 'managers' | 'vps'; op: 'add' | 'remove'; userIds: string[] }
  | { kind: 'admin_managers_sync'; usergroupId: string }
  | { kind: 'admin_reps_sync'; usergroupId: string }
  | { kind: 'admin_channel'; which: 'leaderboard' | 'digest'; channelId: string }
  | { kind: 'admin_target'; target: number }
  | { kind: 'admin_nudge_after'; days: number }
  | { kind: 'admin_timezone'; timezone: string }
  | { kind: 'admin_export' }
  | { kind: 'admin_forget'; userId: string }
  | { kind: 'admin_tactics_hide'; tacticId: number }
  | { kind: 'error'; message: string; example: string };

const error = (message: string, example: string): GembaRequest => ({ kind: 'error', message, example });

/**
 * Parses `/gemba` text. Mentions arrive escaped (`<@U1|name>`, `<#C1|name>`, `<!subteam^S1|@x>`)
 * because the manifest sets should_escape. Examples:
 * `snooze 2w` → 14 days; `admin managers add <@U1> <@U2>`; `admin timezone Europe/Berlin`.
 */
export function parseGembaText(text: string): GembaRequest {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const [first = 'help', ...rest] = words;
  switch (first.toLowerCase()) {
    case 'help':
      return rest.length ? error(`\`/gemba help\` takes no more words.`, '/gemba help') : { kind: 'help' };
    case 'settings':
      return rest.length ? error('`/gemba settings` takes no more words.', '/gemba settings') : { kind: 'settings' };
    case 'snooze':
      return parseSnooze(rest);
    case 'digest':
      return rest.length === 1 && rest[0].toLowerCase() === 'preview'
        ? { kind: 'digest_preview' }
        : error('Did you mean `/gemba digest preview`?', '/gemba digest preview');
    case 'admin':
      return parseAdmin(rest);
    default:
      return error(
        `"${firstChars(first, 30)}" isn't a /gemba command. Try help, settings, snooze, digest preview or admin.`,
        '/gemba snooze 1w',
      );
  }
}

/** `<N>d`, `<N>w` or `off`; at most MAX_SNOOZE_DAYS. */
function parseSnooze(rest: string[]): GembaRequest {
  const example = '/gemba snooze 2w';
  if (rest.length !== 1) return error('Say how long to pause nudges: days (`5d`), weeks (`2w`) or `off`.', example);
  const arg = rest[0].toLowerCase();
  if (arg === 'off') return { kind: 'snooze_off' };
  const m = /^(\d+)(d|w)$/.exec(arg);
  if (!m) return error(`"${firstChars(rest[0], 20)}" isn't a duration. Use days like \`5d\`, weeks like \`2w\`, or \`off\`.`, example);
  // Any number of digits is a duration ("1000d" is too long, not "not a duration"); a huge one is echoed as typed.
  const days = Number(m[1]) * (m[2] === 'w' ? 7 : 1);
  if (days < 1 || days > MAX_SNOOZE_DAYS) {
    const asked = m[1].length <= 6 ? `${days} days` : `"${firstChars(rest[0], 20)}"`;
    return error(`Snooze must be from 1 day to ${MAX_SNOOZE_WEEKS} weeks (you asked for ${asked}).`, example);
  }
  return { kind: 'snooze', days };
}

function parseAdmin(rest: string[]): GembaRequest {
  const [sub = 'help', ...args] = rest;
  const lower = args.map((a) => a.toLowerCase());
  switch (sub.toLowerCase()) {
    case 'help':
      return args.length ? error('`/gemba admin help` takes no more words.', '/gemba admin help') : { kind: 'admin_help' };
    case 'managers':
    case 'vps': {
      const role = sub.toLowerCase() as 'managers' | 'vps';
      const example = `/gemba admin ${role} add @dana @lee`;
      if (role === 'managers' && lower[0] === 'sync') {
        const group = args.length === 2 ? parseUsergroupMention(args[1]) : null;
        return group
          ? { kind: 'admin_managers_sync', usergroupId: group }
          : error('Name one Slack user group, e.g. `@sales-managers`.', '/gemba admin managers sync @sales-managers');
      }
      if (lower[0] !== 'add' && lower[0] !== 'remove')
        return error(`Use \`add\` or \`remove\`${role === 'managers' ? ' or `sync`' : ''} after \`${role}\`.`, example);
      const mentions = args.slice(1);
      if (mentions.length === 0) return error('Mention at least one person.', example);
      const userIds = mentions.map(parseUserMention);
      const bad = mentions.find((_, i) => userIds[i] === null);
      if (bad) return error(`"${firstChars(bad, 30)}" isn't a person. Mention people with @.`, example);
      return { kind: 'admin_members', role, op: lower[0] as 'add' | 'remove', userIds: [...new Set(userIds as string[])] };
    }
    case 'reps': {
      // The user group whose members may flag: the population crowds are cut from (docs/anonymity.md).
      const group = lower[0] === 'sync' && args.length === 2 ? parseUsergroupMention(args[1]) : null;
      return group
        ? { kind: 'admin_reps_sync', usergroupId: group }
        : error('Use `sync` and name one Slack user group, e.g. `@sales-reps`.', '/gemba admin reps sync @sales-reps');
    }
    case 'channel': {
      const example = '/gemba admin channel leaderboard #sales-wins';
      if ((lower[0] !== 'leaderboard' && lower[0] !== 'digest') || args.length !== 2)
        return error('Say which post (`leaderboard` or `digest`) and mention one channel.', example);
      const channelId = parseChannelMention(args[1]);
      return channelId
        ? { kind: 'admin_channel', which: lower[0], channelId }
        : error(`"${firstChars(args[1], 30)}" isn't a channel. Mention it with #.`, example);
    }
    case 'target': {
      const n = args.length === 1 && /^\d+$/.test(args[0]) ? Number(args[0]) : NaN;
      return n >= 1 && n <= 100
        ? { kind: 'admin_target', target: n }
        : error('The weekly target must be a whole number from 1 to 100.', '/gemba admin target 3');
    }
    case 'nudge-after': {
      const m = args.length === 1 ? /^(\d+)d?$/.exec(lower[0]) : null;
      const n = m ? Number(m[1]) : NaN;
      return n >= 1 && n <= 90
        ? { kind: 'admin_nudge_after', days: n }
        : error('Give the days without a conversation before a nudge, from 1d to 90d.', '/gemba admin nudge-after 7d');
    }
    case 'timezone': {
      const example = '/gemba admin timezone Europe/Berlin';
      // Zone names have no spaces: more words is that problem, not "not an IANA name" (the first may be a good one).
      if (args.length > 1) return error(`Give one time zone name, with no spaces (you gave "${firstChars(args.join(' '), 40)}").`, example);
      const tz = args[0] ?? '';
      // Area/Location names (or UTC) only: Intl would also take abbreviations such as "EST".
      const named = isValidTimeZone(tz) && (tz.includes('/') || tz.toUpperCase() === 'UTC');
      // Intl accepts any letter case and old aliases; store its canonical name ("europe/berlin" → "Europe/Berlin").
      return named
        ? { kind: 'admin_timezone', timezone: new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone }
        : error(`"${firstChars(tz, 40)}" isn't an IANA time zone name.`, example);
    }
    case 'export':
      return args.length ? error('`export` takes no more words.', '/gemba admin export') : { kind: 'admin_export' };
    case 'forget': {
      const userId = args.length === 1 ? parseUserMention(args[0]) : null;
      return userId ? { kind: 'admin_forget', userId } : error('Mention exactly one person to forget.', '/gemba admin forget @dana');
    }
    case 'tactics': {
      const id = lower[0] === 'hide' && args.length === 2 && /^\d+$/.test(args[1]) ? Number(args[1]) : NaN;
      return Number.isSafeInteger(id) && id > 0
        ? { kind: 'admin_tactics_hide', tacticId: id }
        : error('Give the number of the tactic to hide, as shown in `/flag-tactic list`.', '/gemba admin tactics hide 12');
    }
    default:
      return error(`"${firstChars(sub, 30)}" isn't an admin command. See \`/gemba admin help\`.`, '/gemba admin target 3');
  }
}
