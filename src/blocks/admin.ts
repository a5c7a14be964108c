import { channelLink, mention } from '../lib/slack-text.js';
import type { ForgetCounts } from '../services/admin.js';
import { notice, plural, type Message } from './common.js';

const people = (ids: string[]) => ids.map(mention).join(', ');

/** Result of managers/vps add/remove. */
export function membersChanged(role: 'managers' | 'vps', op: 'add' | 'remove', r: { changed: string[]; unchanged: string[] }): Message {
  const noun = role === 'managers' ? 'manager' : 'VP';
  const verb = op === 'add' ? 'Added' : 'Removed';
  const parts: string[] = [];
  if (r.changed.length) parts.push(`:white_check_mark: ${verb} ${plural(r.changed.length, noun)}: ${people(r.changed)}.`);
  if (r.unchanged.length) parts.push(`${people(r.unchanged)} ${r.unchanged.length === 1 ? 'was' : 'were'} ${op === 'add' ? `already ${noun}s` : `not ${noun}s`}, so nothing changed for them.`);
  return notice(parts.join(' '));
}

/** Result of a user-group sync. */
export function managersSynced(added: string[], already: number, groupId: string): Message {
  const head = added.length ? `:white_check_mark: Synced <!subteam^${groupId}>: added ${plural(added.length, 'manager')} (${people(added)}).` : `:white_check_mark: Synced <!subteam^${groupId}>: everyone was already a manager.`;
  return notice(`${head} ${already ? `${plural(already, 'member')} already were.` : ''}`.trim());
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
      `${c.managerRecords + c.vpRecords} role ${c.managerRecords + c.vpRecords === 1 ? 'record' : 'records'}, ${plural(c.profiles, 'cached profile')} and ${plural(c.jobClaims, 'schedule record')} (${total} rows)` +
      `${c.auditEntriesAnonymised ? `, and removed their id from ${plural(c.auditEntriesAnonymised, 'audit entry', 'audit entries')}` : ''}.`,
  );
}

export const ADMIN_ONLY = ':lock: That is for Gemba admins (ADMIN_USER_IDS, or the workspace\'s Slack admins and owners). Nothing was changed.';
