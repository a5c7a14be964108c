import type { Db } from '../open.js';

/** The kinds of conversation a manager can log; the first is the default. The one definition (grammar and blocks read it). */
export const CONTACT_KINDS = ['call', 'video', 'meeting', 'visit', 'other'] as const;

export type ContactKind = (typeof CONTACT_KINDS)[number];

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
  // Weekly questions read contact_weeks (kept by triggers, migration 0006): one row per manager-week.
  const weekly = db.prepare(`SELECT week_start AS weekStart, contacts AS count FROM contact_weeks
    WHERE team_id = ? AND user_id = ? AND week_start >= ? AND week_start <= ? ORDER BY week_start`);
  const kinds = db.prepare(`SELECT kind, COUNT(*) AS count FROM contacts
    WHERE team_id = ? AND user_id = ? AND occurred_on >= ? AND occurred_on <= ? GROUP BY kind`);
  const distinctAccounts = db
    .prepare(`SELECT COUNT(DISTINCT account_key) FROM contacts
    WHERE team_id = ? AND user_id = ? AND occurred_on >= ? AND occurred_on <= ?`)
    .pluck();
  const delAll = db.prepare('DELETE FROM contacts WHERE team_id = ? AND user_id = ?');
  const pageOfTeam = db.prepare(`SELECT ${COLUMNS} FROM contacts WHERE team_id = @teamId
    AND (occurred_on > @occurredOn OR (occurred_on = @occurredOn AND id > @id)) ORDER BY occurred_on, id LIMIT @limit`);
  const weekAccounts = db.prepare('SELECT COUNT(DISTINCT account_key) FROM contacts WHERE team_id = ? AND week_start = ?').pluck();
  const userWeekAccounts = db.prepare(`SELECT user_id AS userId, COUNT(DISTINCT account_key) AS accounts FROM contacts
    WHERE team_id = ? AND week_start = ? GROUP BY user_id`);
  // One index seek per manager (contacts_by_user_date) instead of a pass over every conversation.
  const activeSince = db
    .prepare(`SELECT m.user_id FROM managers m WHERE m.team_id = @teamId
    AND EXISTS (SELECT 1 FROM contacts c WHERE c.team_id = m.team_id AND c.user_id = m.user_id AND c.occurred_on >= @since)`)
    .pluck();
  const insights = db.prepare(`SELECT ${COLUMNS} FROM contacts WHERE team_id = ? AND occurred_on >= ? AND insight IS NOT NULL
    ORDER BY occurred_on DESC, id DESC LIMIT ?`);
  const loggedAfter = db.prepare('SELECT 1 FROM contacts WHERE team_id = ? AND user_id = ? AND created_at > ? LIMIT 1').pluck();
  const lastOn = db.prepare('SELECT MAX(occurred_on) FROM contacts WHERE team_id = ? AND user_id = ?').pluck();
  const teamWeekly = db.prepare(`SELECT user_id AS userId, week_start AS weekStart, contacts AS count FROM contact_weeks
    WHERE team_id = ? AND week_start >= ? AND week_start <= ?`);
  // CROSS JOIN pins the order (each listed person, then their weeks through the primary key);
  // left to itself the planner may scan every manager's weeks through the leaders index instead.
  const weeklyOf = db.prepare(`SELECT w.user_id AS userId, w.week_start AS weekStart, w.contacts AS count
    FROM json_each(@userIds) j CROSS JOIN contact_weeks w ON w.team_id = @teamId AND w.user_id = j.value
    WHERE w.week_start >= @from AND w.week_start <= @to`);
  // team_weeks counts everyone who logged; deactivated managers (few, partial index) are taken out.
  const teamTotals = db.prepare(`SELECT t.week_start AS weekStart, t.contacts - COALESCE(i.contacts, 0) AS total,
    t.managers - COALESCE(i.managers, 0) AS managers
    FROM team_weeks t LEFT JOIN (
      SELECT w.week_start, SUM(w.contacts) AS contacts, COUNT(*) AS managers FROM managers m
      JOIN contact_weeks w ON w.team_id = m.team_id AND w.user_id = m.user_id AND w.week_start >= @from AND w.week_start <= @to
      WHERE m.team_id = @teamId AND m.active = 0 GROUP BY w.week_start
    ) i ON i.week_start = t.week_start
    WHERE t.team_id = @teamId AND t.week_start >= @from AND t.week_start <= @to`);
  // The week's leaders straight from that week's aggregate rows (a few thousand at most), not a
  // ranking of every manager: the team table stays fast however large the team (docs/performance.md).
  const weekLeaders = db.prepare(`SELECT w.user_id AS userId, w.contacts AS latest FROM contact_weeks w
    JOIN managers m ON m.team_id = w.team_id AND m.user_id = w.user_id AND m.active = 1
    WHERE w.team_id = @teamId AND w.week_start = @week ORDER BY w.contacts DESC, w.user_id LIMIT @limit`);
  const quietFill = db
    .prepare(`SELECT user_id FROM managers WHERE team_id = @teamId AND active = 1
    AND user_id NOT IN (SELECT value FROM json_each(@exclude)) ORDER BY user_id LIMIT @limit`)
    .pluck();
  // One index seek per manager (MAX over contacts_by_user_date) instead of grouping every conversation.
  const lastAll = db.prepare(`SELECT userId, lastOn FROM (SELECT m.user_id AS userId,
      (SELECT MAX(c.occurred_on) FROM contacts c WHERE c.team_id = m.team_id AND c.user_id = m.user_id) AS lastOn
    FROM managers m WHERE m.team_id = ?) WHERE lastOn IS NOT NULL`);
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
    /** Per manager and week: conversations, for weeks in [fromWeek, toWeek] (only manager-weeks that have any). */
    listTeamWeeklyCounts(teamId: string, fromWeek: string, toWeek: string): Array<{ userId: string; weekStart: string; count: number }> {
      return teamWeekly.all(teamId, fromWeek, toWeek) as Array<{ userId: string; weekStart: string; count: number }>;
    },
    /** Per manager of `userIds` and week: conversations, for weeks in [fromWeek, toWeek] (only weeks that have any). */
    listWeeklyCountsOf(
      teamId: string,
      userIds: readonly string[],
      fromWeek: string,
      toWeek: string,
    ): Array<{ userId: string; weekStart: string; count: number }> {
      return weeklyOf.all({ teamId, userIds: JSON.stringify(userIds), from: fromWeek, to: toWeek }) as Array<{
        userId: string;
        weekStart: string;
        count: number;
      }>;
    },
    /** Per week in [fromWeek, toWeek] that has any: active managers' conversations and how many of them had one. */
    listTeamWeekTotals(teamId: string, fromWeek: string, toWeek: string): Array<{ weekStart: string; total: number; managers: number }> {
      return teamTotals.all({ teamId, from: fromWeek, to: toWeek }) as Array<{ weekStart: string; total: number; managers: number }>;
    },
    /**
     * Up to `limit` active managers for the team table: those with conversations in `week`, most
     * first (ties by user id), then, if there is room, managers with none that week by user id.
     */
    listTeamLeaders(teamId: string, week: string, limit: number): Array<{ userId: string; latest: number }> {
      const top = weekLeaders.all({ teamId, week, limit }) as Array<{ userId: string; latest: number }>;
      if (top.length >= limit) return top;
      const rest = quietFill.all({ teamId, exclude: JSON.stringify(top.map((t) => t.userId)), limit: limit - top.length }) as string[];
      return [...top, ...rest.map((userId) => ({ userId, latest: 0 }))];
    },
    /** Distinct accounts each manager talked to in the week starting `week`. */
    listWeekAccountCounts(teamId: string, week: string): Map<string, number> {
      return new Map(
        (userWeekAccounts.all(teamId, week) as Array<{ userId: string; accounts: number }>).map((r) => [r.userId, r.accounts]),
      );
    },
    /** Distinct accounts the whole team talked to in the week starting `week`. */
    countTeamWeekAccounts(teamId: string, week: string): number {
      return weekAccounts.get(teamId, week) as number;
    },
    /** Each manager's latest conversation date (managers who logged none are absent). */
    listLastContactDates(teamId: string): Map<string, string> {
      return new Map((lastAll.all(teamId) as Array<{ userId: string; lastOn: string }>).map((r) => [r.userId, r.lastOn]));
    },
    /** Accounts the manager talked to before but not since `before`, most recently silent first. */
    listDormantAccounts(teamId: string, userId: string, before: string, limit: number): Array<{ account: string; lastOn: string }> {
      return dormant.all(teamId, userId, before, limit) as Array<{ account: string; lastOn: string }>;
    },
    /**
     * listDormantAccounts for several managers at once, each with their own `before` (one round
     * trip on PostgreSQL; here the same statement per manager). Managers with none are absent.
     */
    listDormantAccountsOf(
      teamId: string,
      wanted: ReadonlyArray<{ userId: string; before: string }>,
      limit: number,
    ): Map<string, Array<{ account: string; lastOn: string }>> {
      const out = new Map<string, Array<{ account: string; lastOn: string }>>();
      for (const w of wanted) {
        const rows = dormant.all(teamId, w.userId, w.before, limit) as Array<{ account: string; lastOn: string }>;
        if (rows.length) out.set(w.userId, rows);
      }
      return out;
    },
    /** Managers (active or not) with at least one conversation on or after `since`. */
    listUsersActiveSince(teamId: string, since: string): Set<string> {
      return new Set(activeSince.all({ teamId, since }) as string[]);
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
    /**
     * A page of a team's conversations, oldest first, after the (occurredOn, id) of the previous
     * page's last row (null: from the start). Export reads page by page, holding no cursor open.
     */
    listTeamContactsPage(teamId: string, after: { occurredOn: string; id: number } | null, limit: number): ContactRow[] {
      return pageOfTeam.all({ teamId, occurredOn: after?.occurredOn ?? '', id: after?.id ?? 0, limit }) as ContactRow[];
    },
    /** The local date of the manager's latest conversation, or null. */
    findLastContactDate(teamId: string, userId: string): string | null {
      return (lastOn.get(teamId, userId) as string | null) ?? null;
    },
    /** The latest conversation date of each listed manager (those who logged none are absent); one round trip on PostgreSQL. */
    findLastContactDates(teamId: string, userIds: readonly string[]): Map<string, string> {
      const out = new Map<string, string>();
      for (const u of userIds) {
        const d = lastOn.get(teamId, u) as string | null;
        if (d) out.set(u, d);
      }
      return out;
    },
  };
}
