import type { Db } from '../open.js';

export type ContactKind = 'call' | 'video' | 'meeting' | 'visit' | 'other';

/** A stored conversation, camelCase. */
export interface ContactRow {
  id: number;
  teamId: string;
  userId: string;
  account: string;
  buyer: string | null;
  kind: ContactKind;
  durationMin: number | null;
  occurredOn: string;
  weekStart: string;
  insight: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface NewContact {
  teamId: string;
  userId: string;
  account: string;
  accountKey: string;
  buyer: string | null;
  kind: ContactKind;
  durationMin: number | null;
  occurredOn: string;
  weekStart: string;
  insight: string | null;
  now: number;
}

export interface WeeklyCount {
  weekStart: string;
  count: number;
}

const COLUMNS = `id, team_id AS teamId, user_id AS userId, account, buyer, kind, duration_min AS durationMin,
  occurred_on AS occurredOn, week_start AS weekStart, insight, created_at AS createdAt, updated_at AS updatedAt`;

/** Repository for the `contacts` table. */
export function createContactsRepo(db: Db) {
  const insert = db.prepare(`INSERT INTO contacts
    (team_id, user_id, account, account_key, buyer, kind, duration_min, occurred_on, week_start, insight, created_at, updated_at)
    VALUES (@teamId, @userId, @account, @accountKey, @buyer, @kind, @durationMin, @occurredOn, @weekStart, @insight, @now, @now)`);
  const update = db.prepare(`UPDATE contacts SET account = @account, account_key = @accountKey, buyer = @buyer, kind = @kind,
    duration_min = @durationMin, occurred_on = @occurredOn, week_start = @weekStart, insight = @insight, updated_at = @now
    WHERE id = @id AND team_id = @teamId AND user_id = @userId`);
  const byId = db.prepare(`SELECT ${COLUMNS} FROM contacts WHERE id = ? AND team_id = ?`);
  const del = db.prepare('DELETE FROM contacts WHERE id = ? AND team_id = ? AND user_id = ?');
  const recent = db.prepare(`SELECT ${COLUMNS} FROM contacts WHERE team_id = ? AND user_id = ?
    ORDER BY occurred_on DESC, id DESC LIMIT ?`);
  const weekly = db.prepare(`SELECT week_start AS weekStart, COUNT(*) AS count FROM contacts
    WHERE team_id = ? AND user_id = ? AND week_start >= ? AND week_start <= ? GROUP BY week_start`);
  const kinds = db.prepare(`SELECT kind, COUNT(*) AS count FROM contacts
    WHERE team_id = ? AND user_id = ? AND occurred_on >= ? AND occurred_on <= ? GROUP BY kind`);
  const distinctAccounts = db.prepare(`SELECT COUNT(DISTINCT account_key) FROM contacts
    WHERE team_id = ? AND user_id = ? AND occurred_on >= ? AND occurred_on <= ?`).pluck();
  const delAll = db.prepare('DELETE FROM contacts WHERE team_id = ? AND user_id = ?');
  const allOfTeam = db.prepare(`SELECT ${COLUMNS} FROM contacts WHERE team_id = ? ORDER BY occurred_on, id`);
  const teamAccounts = db.prepare(`SELECT COUNT(DISTINCT account_key) FROM contacts
    WHERE team_id = ? AND occurred_on >= ? AND occurred_on <= ?`).pluck();
  const activeSince = db.prepare('SELECT DISTINCT user_id FROM contacts WHERE team_id = ? AND occurred_on >= ?').pluck();
  const insights = db.prepare(`SELECT ${COLUMNS} FROM contacts WHERE team_id = ? AND occurred_on >= ? AND insight IS NOT NULL
    ORDER BY occurred_on DESC, id DESC LIMIT ?`);
  const loggedAfter = db.prepare('SELECT 1 FROM contacts WHERE team_id = ? AND user_id = ? AND created_at > ? LIMIT 1').pluck();
  const lastOn = db.prepare('SELECT MAX(occurred_on) FROM contacts WHERE team_id = ? AND user_id = ?').pluck();
  const teamWeekly = db.prepare(`SELECT user_id AS userId, week_start AS weekStart, COUNT(*) AS count,
    COUNT(DISTINCT account_key) AS accounts FROM contacts
    WHERE team_id = ? AND week_start >= ? AND week_start <= ? GROUP BY user_id, week_start`);
  const lastAll = db.prepare('SELECT user_id AS userId, MAX(occurred_on) AS lastOn FROM contacts WHERE team_id = ? GROUP BY user_id');
  // SQLite takes the bare column (account) from the row holding MAX(occurred_on): the latest spelling.
  const dormant = db.prepare(`SELECT account, MAX(occurred_on) AS lastOn FROM contacts WHERE team_id = ? AND user_id = ?
    GROUP BY account_key HAVING lastOn < ? ORDER BY lastOn DESC LIMIT ?`);

  return {
    /** Inserts a conversation and returns its id. */
    insertContact(c: NewContact): number {
      return Number(insert.run(c).lastInsertRowid);
    },
    /** Rewrites a conversation owned by `userId`; false when it is gone or not theirs. */
    updateContact(c: NewContact & { id: number }): boolean {
      return update.run(c).changes === 1;
    },
    /** One conversation of a team by id, or undefined. */
    findContact(teamId: string, id: number): ContactRow | undefined {
      return byId.get(id, teamId) as ContactRow | undefined;
    },
    /** Deletes a conversation owned by `userId`; false when it is gone or not theirs. */
    deleteContact(teamId: string, userId: string, id: number): boolean {
      return del.run(id, teamId, userId).changes === 1;
    },
    /** The manager's most recent conversations, newest first. */
    listRecentContacts(teamId: string, userId: string, limit: number): ContactRow[] {
      return recent.all(teamId, userId, limit) as ContactRow[];
    },
    /** Conversation counts per week (only weeks that have any) between two Mondays, inclusive. */
    listWeeklyCounts(teamId: string, userId: string, fromWeek: string, toWeek: string): WeeklyCount[] {
      return weekly.all(teamId, userId, fromWeek, toWeek) as WeeklyCount[];
    },
    /** Conversation counts per kind between two local dates, inclusive. */
    countByKind(teamId: string, userId: string, from: string, to: string): Array<{ kind: ContactKind; count: number }> {
      return kinds.all(teamId, userId, from, to) as Array<{ kind: ContactKind; count: number }>;
    },
    /** Number of distinct accounts between two local dates, inclusive. */
    countDistinctAccounts(teamId: string, userId: string, from: string, to: string): number {
      return distinctAccounts.get(teamId, userId, from, to) as number;
    },
    /** Per manager and week: conversations and distinct accounts, for weeks in [fromWeek, toWeek]. */
    listTeamWeeklyCounts(teamId: string, fromWeek: string, toWeek: string): Array<{ userId: string; weekStart: string; count: number; accounts: number }> {
      return teamWeekly.all(teamId, fromWeek, toWeek) as Array<{ userId: string; weekStart: string; count: number; accounts: number }>;
    },
    /** Each manager's latest conversation date. */
    listLastContactDates(teamId: string): Map<string, string> {
      return new Map((lastAll.all(teamId) as Array<{ userId: string; lastOn: string }>).map((r) => [r.userId, r.lastOn]));
    },
    /** Accounts the manager talked to before but not since `before`, most recently silent first. */
    listDormantAccounts(teamId: string, userId: string, before: string, limit: number): Array<{ account: string; lastOn: string }> {
      return dormant.all(teamId, userId, before, limit) as Array<{ account: string; lastOn: string }>;
    },
    /** Distinct accounts the whole team talked to between two local dates, inclusive. */
    countTeamDistinctAccounts(teamId: string, from: string, to: string): number {
      return teamAccounts.get(teamId, from, to) as number;
    },
    /** Managers with at least one conversation on or after `since`. */
    listUsersActiveSince(teamId: string, since: string): Set<string> {
      return new Set(activeSince.all(teamId, since) as string[]);
    },
    /** The team's newest conversations that carry an insight, on or after `since`. */
    listRecentInsights(teamId: string, since: string, limit: number): ContactRow[] {
      return insights.all(teamId, since, limit) as ContactRow[];
    },
    /** True when the manager logged anything after the instant `after` (epoch ms). */
    hasLoggedAfter(teamId: string, userId: string, after: number): boolean {
      return loggedAfter.get(teamId, userId, after) === 1;
    },
    /** Deletes every conversation of a person; returns how many. */
    deleteContactsOf(teamId: string, userId: string): number {
      return delAll.run(teamId, userId).changes;
    },
    /** Every conversation of a team, oldest first (export). Iterates so memory stays flat. */
    iterateTeamContacts(teamId: string): IterableIterator<ContactRow> {
      return allOfTeam.iterate(teamId) as IterableIterator<ContactRow>;
    },
    /** The local date of the manager's latest conversation, or null. */
    findLastContactDate(teamId: string, userId: string): string | null {
      return (lastOn.get(teamId, userId) as string | null) ?? null;
    },
  };
}

export type ContactsRepo = ReturnType<typeof createContactsRepo>;
