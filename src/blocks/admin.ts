import { channelLink, mention } from '../lib/slack-text.js';
import type { ForgetCounts } from '../services/admin.js';
import type { CrowdStatus } from '../services/tactics.js';
import { type Message, notice, plural } from './common.js';
import { cannotShowText } from './tactics.js';

/** Mentions named in one confirmation; a big user-group sync would otherwise pass Slack's 3,000 characters and get a mention cut in half. */
export const MAX_NAMED = 50;
const people = (ids: string[]) =>
  ids.length > MAX_NAMED
    ? `${ids.slice(0, MAX_NAMED).map(mention).join(', ')} and ${ids.length - MAX_NAMED} more`
    : ids.map(mention).join(', ');

/** Result of managers/vps add/remove. */
export function membersChanged(role: 'managers' | 'vps', op: 'add' | 'remove', r: { changed: string[]; unchanged: string[] }): Message {
  const noun = role === 'managers' ? 'manager' : 'VP';
  const verb = op === 'add' ? 'Added' : 'Removed';
  const parts: string[] = [];
  if (r.changed.length) parts.push(`:white_check_mark: ${verb} ${plural(r.changed.length, noun)}: ${people(r.changed)}.`);
  const one = r.unchanged.length === 1;
  const state = one ? `a ${noun}` : `${noun}s`;
  if (r.unchanged.length)
    parts.push(`${people(r.unchanged)} ${one ? 'was' : 'were'} ${op === 'add' ? 'already' : 'not'} ${state}, so nothing changed for them.`);
  return notice(parts.join(' '));
}

/** Result of a user-group sync. */
export function managersSynced(added: string[], already: number, groupId: string): Message {
  const group = `<!subteam^${groupId}>`;
  if (added.length === 0)
    return notice(
      already
        ? `:white_check_mark: Synced ${group}: everyone was already a manager.`
        : `Synced ${group}: the group has no members, so nothing changed.`,
    );
  const head = `:white_check_mark: Synced ${group}: added ${plural(added.length, 'manager')} (${people(added)}).`;
  return notice(`${head} ${already ? `${plural(already, 'member')} already ${already === 1 ? 'was one' : 'were'}.` : ''}`.trim());
}

/** Result of `/gemba admin reps sync`: the new population and what it means for showing flags. */
export function repsSynced(groupId: string, c: CrowdStatus): Message {
  const head = `:white_check_mark: Reps are now the members of <!subteam^${groupId}>: ${plural(c.eligible, 'eligible person', 'eligible people')} in ${plural(c.crowds, 'crowd')} of at least ${c.crowdSize}. Flags and *Me too* answers count by crowd from now on.`;
  const warning = cannotShowText(c);
  return notice(warning ? `${head}\n${warning}` : head);
}

/** Result of a setting change. */
export function settingChanged(what: string, value: string): Message {
  return notice(`:white_check_mark: ${what} is now ${value}. See everything with \`/gemba settings\`.`);
}

export const channelValue = (id: string) => channelLink(id);

/** Result of forget. */
export function forgotten(userId: string, c: ForgetCounts): Message {
  const total = c.conversations + c.managerRecords + c.profiles + c.vpRecords + c.nudges + c.snoozes + c.jobClaims;
  return notice(
    `:wastebasket: Forgot ${mention(userId)}: deleted ${plural(c.conversations, 'conversation')}, ${plural(c.nudges, 'nudge')}, ${plural(c.snoozes, 'snooze')}, ` +
      `${c.managerRecords + c.vpRecords} role ${c.managerRecords + c.vpRecords === 1 ? 'record' : 'records'}, ${plural(c.profiles, 'cached profile')} and ${plural(c.jobClaims, 'schedule record')} (${plural(total, 'row')})` +
      `${c.auditEntriesAnonymised ? `, and removed their id from ${plural(c.auditEntriesAnonymised, 'audit entry', 'audit entries')}` : ''}` +
      `${c.vpAddersAnonymised ? `${c.auditEntriesAnonymised ? ' and' : ', and removed their id from'} ${plural(c.vpAddersAnonymised, 'VP record')} they created` : ''}.`,
  );
}

export const ADMIN_ONLY =
  ":lock: That is for Gemba admins (ADMIN_USER_IDS, or the workspace's Slack admins and owners). Nothing was changed.";
