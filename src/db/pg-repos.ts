import type pg from 'pg';
import type { AuditEntry } from './repos/audit.js';
import type { ClaimKey, ClaimRow, ClaimStatus } from './repos/claims.js';
import { type OneLinerOutcome, type StoredZones, storedContact } from './repos/contact-log.js';
import type { ContactKind, ContactRow, NewContact, WeeklyCount } from './repos/contacts.js';
import type { Repos } from './repos/index.js';
import type { InstallationRow } from './repos/installations.js';
import type { ManagerRow } from './repos/managers.js';
import type { NudgeRow } from './repos/nudges.js';
import type { ProfileRow } from './repos/profiles.js';
import type { SnoozeRow } from './repos/snoozes.js';
import type { CrowdPopulation, TacticDecision, TacticReason, TacticReportKind, TacticRow } from './repos/tactics.js';
import type { TeamSettingKey, TeamSettingsRow } from './repos/teams.js';
import { TEAM_TABLES } from './repos/workspace-data.js';

/** A pool or one checked-out client (inside a transaction): both answer `query`. */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<pg.QueryResult>;
  /** A named statement: parsed and planned once per connection, then only bound and run. */
  query(config: pg.QueryConfig): Promise<pg.QueryResult>;
}

/**
 * The PostgreSQL repositories: the same functions, arguments and plain-data results as the SQLite
 * ones (src/db/repos/), so services cannot tell the engines apart. Parameterised queries only;
 * camelCase comes from quoted aliases; BIGINT and COUNT come back as numbers (type parsers in
 * src/db/postgres.ts).
 */
const ANON_TACTIC = `id, team_id AS "teamId", tactic_key AS "tacticKey", display_text AS "displayText", first_day AS "firstDay",
  created_week AS "createdWeek", hidden, hidden_week AS "hiddenWeek", decision, decided_week AS "decidedWeek"`;
/** A row of anon.tactics as pg returns it: id is BIGINT-safe text and hidden a 0/1 integer. */
type AnonTacticRecord = Omit<TacticRow, 'id' | 'hidden'> & { id: number | string; hidden: number };
const anonTactic = (r: AnonTacticRecord | undefined): TacticRow | undefined =>
  r ? { ...r, id: Number(r.id), hidden: r.hidden === 1 } : undefined;

/**
 * How often, at most, a process's one-liners prune expired replay claims (seen_requests): one one-liner in
 * that time sends ONE_LINER_PRUNING_SQL, every other one the hot ONE_LINER_SQL, which prunes nothing.
 * Why not prune in every one-liner: the statement is named, so each pooled connection plans it once. With the
 * prune in it, PostgreSQL either re-planned it on every /contact (the prune's generic estimate is far above
 * its real cost, so the planner kept choosing custom plans: +0.3 ms a /contact once the tables had statistics)
 * or, on a connection that planned it while seen_requests was large, kept a plan that scanned the whole table
 * (0.63 ms a /contact at 12,000 rows). docs/performance.md "The lean ack" has the figures.
 */
export const ONE_LINER_PRUNE_EVERY_SEC = 10;

/**
 * The /contact one-liner as ONE statement (contactLog.logOneLiner): data-modifying CTEs, each gated on
 * the one before (zones still as assumed → signature new → enrol and insert), then what the
 * confirmation shows. $1–$11 the conversation (contactValues), $12–$14 the claim (signature, expiry,
 * now; the signature null: nothing to claim), $15–$16 the assumed zones, $17–$19 the weeks and the
 * snoozes' end. With `prune`, expired claims are deleted too; without, the `pruned` CTE only names $14's
 * type (an unreferenced SELECT in a WITH is never run), so both take the same parameters.
 */
function oneLinerSql(prune: boolean): string {
  const pruned = prune
    ? 'DELETE FROM seen_requests WHERE $12::text IS NOT NULL AND expires_at < $14::bigint AND EXISTS (SELECT 1 FROM held)'
    : 'SELECT $14::bigint';
  return `WITH z AS (
     SELECT p.tz AS profile_tz, p.refreshed_at, t.timezone AS team_tz, t.weekly_target FROM (SELECT 1) one
     LEFT JOIN user_profiles p ON p.team_id = $1 AND p.user_id = $2 LEFT JOIN teams t ON t.team_id = $1
   ), held AS (
     SELECT 1 FROM z WHERE profile_tz IS NOT DISTINCT FROM $15::text AND team_tz IS NOT DISTINCT FROM $16::text
   ), pruned AS (
     ${pruned}
   ), claimed AS (
     INSERT INTO seen_requests (signature_sha256, expires_at) SELECT $12::text, $13::bigint FROM held WHERE $12::text IS NOT NULL
     ON CONFLICT DO NOTHING RETURNING 1
   ), go AS (
     SELECT 1 FROM held WHERE $12::text IS NULL OR EXISTS (SELECT 1 FROM claimed)
   ), enrolled AS (
     INSERT INTO managers (team_id, user_id, enrolled_at, active) SELECT $1::text, $2::text, $11::bigint, 1 FROM go
     ON CONFLICT (team_id, user_id) DO UPDATE SET active = 1 WHERE managers.active = 0 RETURNING 1
   ), inserted AS (
     INSERT INTO contacts (team_id, user_id, account, account_key, buyer, kind, duration_min, occurred_on, week_start, insight, created_at, updated_at)
     SELECT $1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::integer, $8::text, $9::text, $10::text, $11::bigint, $11::bigint FROM go
     RETURNING id
   )
   SELECT z.profile_tz AS "profileTz", z.team_tz AS "teamTz", z.weekly_target AS "weeklyTarget", z.refreshed_at AS "refreshedAt",
     EXISTS (SELECT 1 FROM held) AS held, (SELECT id FROM inserted) AS id, EXISTS (SELECT 1 FROM enrolled) AS enrolled,
     (SELECT json_agg(json_build_object('weekStart', week_start, 'count', contacts) ORDER BY week_start) FROM contact_weeks
       WHERE team_id = $1 AND user_id = $2 AND week_start >= $17 AND week_start <= $18) AS weekly,
     (SELECT json_agg(json_build_object('startsOn', starts_on, 'endsOn', ends_on)) FROM snoozes
       WHERE team_id = $1 AND user_id = $2 AND ends_on >= $17 AND starts_on <= $19) AS snoozes
   FROM z`;
}

/** The hot one-liner statement, sent named (planned once per connection). */
export const ONE_LINER_SQL = oneLinerSql(false);
/** The same, pruning expired claims: sent unnamed (planned with its values) once per ONE_LINER_PRUNE_EVERY_SEC. */
export const ONE_LINER_PRUNING_SQL = oneLinerSql(true);

/** Tables stored differently on PostgreSQL: team_weeks is a view of team_week_stripes' sums there (migration 0016). */
export const PG_TABLE_OF: Partial<Record<string, string>> = { team_weeks: 'team_week_stripes' };

export function createPgRepos(q: Queryable): Repos {
  /** When this process's one-liners last pruned expired replay claims (epoch seconds); see ONE_LINER_PRUNE_EVERY_SEC. */
  let lastOneLinerPruneSec = Number.NEGATIVE_INFINITY;
  const all = async <T>(sql: string, values: unknown[] = []): Promise<T[]> => (await q.query(sql, values)).rows as T[];
  const get = async <T>(sql: string, values: unknown[] = []): Promise<T | undefined> =>
    (await q.query(sql, values)).rows[0] as T | undefined;
  const run = async (sql: string, values: unknown[] = []): Promise<number> => (await q.query(sql, values)).rowCount ?? 0;
  const pluck = async <T>(sql: string, values: unknown[] = []): Promise<T[]> =>
    (await q.query(sql, values)).rows.map((r: Record<string, unknown>) => Object.values(r)[0] as T);

  /** Moves a claim between 'claimed' and 'posting' only while it is still the one taken at `claimedAt` (the fence). */
  const setFencedStatus = async (key: ClaimKey, status: 'claimed' | 'posting', claimedAt: number): Promise<boolean> =>
    (await run(
      `UPDATE job_claims SET status = $4 WHERE job = $1 AND scope = $2 AND period = $3 AND status IN ('claimed', 'posting')
         AND claimed_at = $5`,
      [key.job, key.scope, key.period, status, claimedAt],
    )) === 1;

  const CONTACT = `id, team_id AS "teamId", user_id AS "userId", account, buyer, kind, duration_min AS "durationMin",
    occurred_on AS "occurredOn", week_start AS "weekStart", insight, created_at AS "createdAt", updated_at AS "updatedAt"`;
  const MANAGER = 'team_id AS "teamId", user_id AS "userId", enrolled_at AS "enrolledAt", active';
  type RawManager = Omit<ManagerRow, 'active'> & { active: number };
  const toManager = (r: RawManager): ManagerRow => ({ ...r, active: r.active === 1 });
  const manager = (r: RawManager | undefined): ManagerRow | undefined => (r ? toManager(r) : undefined);
  const NUDGE = 'id, team_id AS "teamId", user_id AS "userId", sent_at AS "sentAt", local_date AS "localDate", channel, ts, answered';
  const SNOOZE =
    'id, team_id AS "teamId", user_id AS "userId", starts_on AS "startsOn", ends_on AS "endsOn", reason, created_at AS "createdAt"';
  const INSTALL = `install_key AS "installKey", team_id AS "teamId", enterprise_id AS "enterpriseId",
    is_enterprise_install AS "isEnterpriseInstall", secret, installed_at AS "installedAt", updated_at AS "updatedAt",
    uninstalled_at AS "uninstalledAt"`;
  type RawInstall = Omit<InstallationRow, 'isEnterpriseInstall'> & { isEnterpriseInstall: number };
  const toInstall = (r: RawInstall): InstallationRow => ({ ...r, isEnterpriseInstall: r.isEnterpriseInstall === 1 });
  const install = (r: RawInstall | undefined): InstallationRow | undefined => (r ? toInstall(r) : undefined);
  const SETTING_COLUMN: Record<TeamSettingKey, string> = {
    weeklyTarget: 'weekly_target',
    nudgeAfterDays: 'nudge_after_days',
    timezone: 'timezone',
    leaderboardChannel: 'leaderboard_channel',
    digestChannel: 'digest_channel',
  };
  const contactValues = (c: NewContact) => [
    c.teamId,
    c.userId,
    c.account,
    c.accountKey,
    c.buyer,
    c.kind,
    c.durationMin,
    c.occurredOn,
    c.weekStart,
    c.insight,
    c.now,
  ];

  return {
    contacts: {
      async insertContact(c) {
        const [r] = await all<{ id: number }>(
          `INSERT INTO contacts (team_id, user_id, account, account_key, buyer, kind, duration_min, occurred_on, week_start, insight, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id`,
          contactValues(c),
        );
        // An INSERT … RETURNING that did not throw returned its row.
        if (!r) throw new Error('INSERT INTO contacts returned no id');
        return r.id;
      },
      async updateContact(c) {
        return (
          (await run(
            `UPDATE contacts SET account = $3, account_key = $4, buyer = $5, kind = $6, duration_min = $7, occurred_on = $8,
               week_start = $9, insight = $10, updated_at = $11 WHERE team_id = $1 AND user_id = $2 AND id = $12`,
            [...contactValues(c), c.id],
          )) === 1
        );
      },
      findContact: (teamId, id) => get<ContactRow>(`SELECT ${CONTACT} FROM contacts WHERE id = $1 AND team_id = $2`, [id, teamId]),
      async deleteContact(teamId, userId, id) {
        return (await run('DELETE FROM contacts WHERE id = $1 AND team_id = $2 AND user_id = $3', [id, teamId, userId])) === 1;
      },
      listRecentContacts: (teamId, userId, limit) =>
        all<ContactRow>(`SELECT ${CONTACT} FROM contacts WHERE team_id = $1 AND user_id = $2 ORDER BY occurred_on DESC, id DESC LIMIT $3`, [
          teamId,
          userId,
          limit,
        ]),
      listWeeklyCounts: (teamId, userId, from, to) =>
        all<WeeklyCount>(
          `SELECT week_start AS "weekStart", contacts AS count FROM contact_weeks
           WHERE team_id = $1 AND user_id = $2 AND week_start >= $3 AND week_start <= $4 ORDER BY week_start`,
          [teamId, userId, from, to],
        ),
      countByKind: (teamId, userId, from, to) =>
        all<{ kind: ContactKind; count: number }>(
          `SELECT kind, COUNT(*) AS count FROM contacts WHERE team_id = $1 AND user_id = $2 AND occurred_on >= $3 AND occurred_on <= $4 GROUP BY kind`,
          [teamId, userId, from, to],
        ),
      async countDistinctAccounts(teamId, userId, from, to) {
        const [n] = await pluck<number>(
          'SELECT COUNT(DISTINCT account_key) FROM contacts WHERE team_id = $1 AND user_id = $2 AND occurred_on >= $3 AND occurred_on <= $4',
          [teamId, userId, from, to],
        );
        return n ?? 0;
      },
      listTeamWeeklyCounts: (teamId, from, to) =>
        all<{ userId: string; weekStart: string; count: number }>(
          `SELECT user_id AS "userId", week_start AS "weekStart", contacts AS count FROM contact_weeks
           WHERE team_id = $1 AND week_start >= $2 AND week_start <= $3`,
          [teamId, from, to],
        ),
      listWeeklyCountsOf: (teamId, userIds, from, to) =>
        all<{ userId: string; weekStart: string; count: number }>(
          `SELECT user_id AS "userId", week_start AS "weekStart", contacts AS count FROM contact_weeks
           WHERE team_id = $1 AND user_id = ANY($2::text[]) AND week_start >= $3 AND week_start <= $4`,
          [teamId, [...userIds], from, to],
        ),
      listTeamWeekTotals: (teamId, from, to) =>
        all<{ weekStart: string; total: number; managers: number }>(
          `SELECT t.week_start AS "weekStart", t.contacts - COALESCE(i.contacts, 0) AS total, t.managers - COALESCE(i.managers, 0) AS managers
           FROM team_weeks t LEFT JOIN (
             SELECT w.week_start, SUM(w.contacts) AS contacts, COUNT(*) AS managers FROM managers m
             JOIN contact_weeks w ON w.team_id = m.team_id AND w.user_id = m.user_id AND w.week_start >= $2 AND w.week_start <= $3
             WHERE m.team_id = $1 AND m.active = 0 GROUP BY w.week_start
           ) i ON i.week_start = t.week_start
           WHERE t.team_id = $1 AND t.week_start >= $2 AND t.week_start <= $3`,
          [teamId, from, to],
        ),
      async listTeamLeaders(teamId, week, limit) {
        const top = await all<{ userId: string; latest: number }>(
          `SELECT w.user_id AS "userId", w.contacts AS latest FROM contact_weeks w
           JOIN managers m ON m.team_id = w.team_id AND m.user_id = w.user_id AND m.active = 1
           WHERE w.team_id = $1 AND w.week_start = $2 ORDER BY w.contacts DESC, w.user_id LIMIT $3`,
          [teamId, week, limit],
        );
        if (top.length >= limit) return top;
        const rest = await pluck<string>(
          `SELECT user_id FROM managers WHERE team_id = $1 AND active = 1 AND NOT (user_id = ANY($2::text[])) ORDER BY user_id LIMIT $3`,
          [teamId, top.map((t) => t.userId), limit - top.length],
        );
        return [...top, ...rest.map((userId) => ({ userId, latest: 0 }))];
      },
      async listWeekAccountCounts(teamId, week) {
        const rows = await all<{ userId: string; accounts: number }>(
          `SELECT user_id AS "userId", COUNT(DISTINCT account_key) AS accounts FROM contacts WHERE team_id = $1 AND week_start = $2 GROUP BY user_id`,
          [teamId, week],
        );
        return new Map(rows.map((r) => [r.userId, r.accounts]));
      },
      async countTeamWeekAccounts(teamId, week) {
        const [n] = await pluck<number>('SELECT COUNT(DISTINCT account_key) FROM contacts WHERE team_id = $1 AND week_start = $2', [
          teamId,
          week,
        ]);
        return n ?? 0;
      },
      async listLastContactDates(teamId) {
        const rows = await all<{ userId: string; lastOn: string }>(
          `SELECT m.user_id AS "userId", l.last_on AS "lastOn" FROM managers m
           CROSS JOIN LATERAL (SELECT MAX(c.occurred_on) AS last_on FROM contacts c WHERE c.team_id = m.team_id AND c.user_id = m.user_id) l
           WHERE m.team_id = $1 AND l.last_on IS NOT NULL`,
          [teamId],
        );
        return new Map(rows.map((r) => [r.userId, r.lastOn]));
      },
      listDormantAccounts: (teamId, userId, before, limit) =>
        // The latest spelling of each account: the account of its newest conversation.
        all<{ account: string; lastOn: string }>(
          `SELECT account, "lastOn" FROM (
             SELECT DISTINCT ON (account_key) account, occurred_on AS "lastOn" FROM contacts
             WHERE team_id = $1 AND user_id = $2 ORDER BY account_key, occurred_on DESC, id DESC
           ) a WHERE "lastOn" < $3 ORDER BY "lastOn" DESC LIMIT $4`,
          [teamId, userId, before, limit],
        ),
      async listDormantAccountsOf(teamId, wanted, limit) {
        // One statement for every manager: each one's accounts as listDormantAccounts finds them.
        const rows = await all<{ userId: string; account: string; lastOn: string }>(
          `SELECT w.user_id AS "userId", d.account, d."lastOn" FROM unnest($2::text[], $3::text[]) AS w(user_id, before)
           CROSS JOIN LATERAL (
             SELECT account, "lastOn" FROM (
               SELECT DISTINCT ON (account_key) account, occurred_on AS "lastOn" FROM contacts
               WHERE team_id = $1 AND user_id = w.user_id ORDER BY account_key, occurred_on DESC, id DESC
             ) a WHERE "lastOn" < w.before ORDER BY "lastOn" DESC LIMIT $4
           ) d ORDER BY w.user_id, d."lastOn" DESC`,
          [teamId, wanted.map((w) => w.userId), wanted.map((w) => w.before), limit],
        );
        const out = new Map<string, Array<{ account: string; lastOn: string }>>();
        for (const r of rows) {
          const list = out.get(r.userId) ?? [];
          list.push({ account: r.account, lastOn: r.lastOn });
          out.set(r.userId, list);
        }
        return out;
      },
      async listUsersActiveSince(teamId, since) {
        return new Set(
          await pluck<string>(
            `SELECT m.user_id FROM managers m WHERE m.team_id = $1
             AND EXISTS (SELECT 1 FROM contacts c WHERE c.team_id = m.team_id AND c.user_id = m.user_id AND c.occurred_on >= $2)`,
            [teamId, since],
          ),
        );
      },
      listRecentInsights: (teamId, since, limit) =>
        all<ContactRow>(
          `SELECT ${CONTACT} FROM contacts WHERE team_id = $1 AND occurred_on >= $2 AND insight IS NOT NULL ORDER BY occurred_on DESC, id DESC LIMIT $3`,
          [teamId, since, limit],
        ),
      async hasLoggedAfter(teamId, userId, after) {
        return (
          (await run('SELECT 1 FROM contacts WHERE team_id = $1 AND user_id = $2 AND created_at > $3 LIMIT 1', [teamId, userId, after])) > 0
        );
      },
      deleteContactsOf: (teamId, userId) => run('DELETE FROM contacts WHERE team_id = $1 AND user_id = $2', [teamId, userId]),
      listTeamContactsPage: (teamId, after, limit) =>
        all<ContactRow>(
          `SELECT ${CONTACT} FROM contacts WHERE team_id = $1 AND (occurred_on, id) > ($2, $3) ORDER BY occurred_on, id LIMIT $4`,
          [teamId, after?.occurredOn ?? '', after?.id ?? 0, limit],
        ),
      async findLastContactDates(teamId, userIds) {
        const rows = await all<{ userId: string; lastOn: string }>(
          `SELECT u.user_id AS "userId", l.last_on AS "lastOn" FROM unnest($2::text[]) AS u(user_id)
           CROSS JOIN LATERAL (SELECT MAX(c.occurred_on) AS last_on FROM contacts c WHERE c.team_id = $1 AND c.user_id = u.user_id) l
           WHERE l.last_on IS NOT NULL`,
          [teamId, [...userIds]],
        );
        return new Map(rows.map((r) => [r.userId, r.lastOn]));
      },
      async findLastContactDate(teamId, userId) {
        const [d] = await pluck<string | null>('SELECT MAX(occurred_on) FROM contacts WHERE team_id = $1 AND user_id = $2', [
          teamId,
          userId,
        ]);
        return d ?? null;
      },
    },

    managers: {
      async enrollManager(teamId, userId, now) {
        return (
          (await run(
            `INSERT INTO managers (team_id, user_id, enrolled_at, active) VALUES ($1, $2, $3, 1)
             ON CONFLICT (team_id, user_id) DO UPDATE SET active = 1 WHERE managers.active = 0`,
            [teamId, userId, now],
          )) > 0
        );
      },
      findManager: async (teamId, userId) =>
        manager(await get(`SELECT ${MANAGER} FROM managers WHERE team_id = $1 AND user_id = $2`, [teamId, userId])),
      listActiveManagers: async (teamId) =>
        (
          await all<Omit<ManagerRow, 'active'> & { active: number }>(
            `SELECT ${MANAGER} FROM managers WHERE team_id = $1 AND active = 1 ORDER BY user_id`,
            [teamId],
          )
        ).map(toManager),
      async countActiveManagers(teamId) {
        const [n] = await pluck<number>('SELECT COUNT(*) FROM managers WHERE team_id = $1 AND active = 1', [teamId]);
        return n ?? 0;
      },
      async deactivateManager(teamId, userId) {
        return (await run('UPDATE managers SET active = 0 WHERE team_id = $1 AND user_id = $2 AND active = 1', [teamId, userId])) > 0;
      },
      deleteManager: (teamId, userId) => run('DELETE FROM managers WHERE team_id = $1 AND user_id = $2', [teamId, userId]),
      listTeamsWithManagers: () => pluck<string>('SELECT DISTINCT team_id FROM managers WHERE active = 1'),
    },

    profiles: {
      async upsertProfile(p) {
        await run(
          `INSERT INTO user_profiles (team_id, user_id, tz, is_admin, is_owner, display_name, refreshed_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (team_id, user_id) DO UPDATE SET tz = excluded.tz, is_admin = excluded.is_admin, is_owner = excluded.is_owner,
             display_name = excluded.display_name, refreshed_at = excluded.refreshed_at`,
          [p.teamId, p.userId, p.tz, p.isAdmin ? 1 : 0, p.isOwner ? 1 : 0, p.displayName, p.refreshedAt],
        );
      },
      async findProfile(teamId, userId) {
        const r = await get<Omit<ProfileRow, 'isAdmin' | 'isOwner'> & { isAdmin: number; isOwner: number }>(
          `SELECT team_id AS "teamId", user_id AS "userId", tz, is_admin AS "isAdmin", is_owner AS "isOwner", display_name AS "displayName",
             refreshed_at AS "refreshedAt" FROM user_profiles WHERE team_id = $1 AND user_id = $2`,
          [teamId, userId],
        );
        return r ? { ...r, isAdmin: r.isAdmin === 1, isOwner: r.isOwner === 1 } : undefined;
      },
      async listTimezones(teamId) {
        const rows = await all<{ userId: string; tz: string }>(
          'SELECT user_id AS "userId", tz FROM user_profiles WHERE team_id = $1 AND tz IS NOT NULL',
          [teamId],
        );
        return new Map(rows.map((r) => [r.userId, r.tz]));
      },
      listAdminUserIds: (teamId) =>
        pluck<string>('SELECT user_id FROM user_profiles WHERE team_id = $1 AND (is_admin = 1 OR is_owner = 1) ORDER BY user_id', [teamId]),
      deleteProfile: (teamId, userId) => run('DELETE FROM user_profiles WHERE team_id = $1 AND user_id = $2', [teamId, userId]),
    },

    teams: {
      findTeamSettings: (teamId) =>
        get<TeamSettingsRow>(
          `SELECT team_id AS "teamId", weekly_target AS "weeklyTarget", nudge_after_days AS "nudgeAfterDays", timezone,
             leaderboard_channel AS "leaderboardChannel", digest_channel AS "digestChannel" FROM teams WHERE team_id = $1`,
          [teamId],
        ),
      async updateTeamSetting(teamId, key, value, now) {
        // One statement: creates the row if needed and sets the column (the column name comes from a fixed table).
        await run(
          `INSERT INTO teams (team_id, ${SETTING_COLUMN[key]}, created_at, updated_at) VALUES ($1, $2, $3, $3)
           ON CONFLICT (team_id) DO UPDATE SET ${SETTING_COLUMN[key]} = excluded.${SETTING_COLUMN[key]}, updated_at = excluded.updated_at`,
          [teamId, value, now],
        );
      },
      listTeamIds: () => pluck<string>('SELECT team_id FROM teams'),
    },

    audit: {
      async anonymizeAuditEntries(teamId, userId, placeholder) {
        return run(
          `UPDATE audit_log SET actor_id = CASE WHEN actor_id = $2 THEN $3 ELSE actor_id END,
             detail = replace(detail, '"' || $2 || '"', '"' || $3 || '"')
           WHERE team_id = $1 AND (actor_id = $2 OR strpos(detail, '"' || $2 || '"') > 0)`,
          [teamId, userId, placeholder],
        );
      },
      async insertAuditEntry(e) {
        await run('INSERT INTO audit_log (team_id, actor_id, action, detail, at) VALUES ($1, $2, $3, $4, $5)', [
          e.teamId,
          e.actorId,
          e.action,
          e.detail,
          e.at,
        ]);
      },
      listRecentAuditEntries: (teamId, limit) =>
        all<AuditEntry>(
          `SELECT team_id AS "teamId", actor_id AS "actorId", action, detail, at FROM audit_log WHERE team_id = $1 ORDER BY at DESC, id DESC LIMIT $2`,
          [teamId, limit],
        ),
    },

    vps: {
      async insertVp(teamId, userId, now, addedBy) {
        return (
          (await run('INSERT INTO vps (team_id, user_id, added_at, added_by) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [
            teamId,
            userId,
            now,
            addedBy,
          ])) > 0
        );
      },
      async deleteVp(teamId, userId) {
        return (await run('DELETE FROM vps WHERE team_id = $1 AND user_id = $2', [teamId, userId])) > 0;
      },
      async isVp(teamId, userId) {
        return (await run('SELECT 1 FROM vps WHERE team_id = $1 AND user_id = $2', [teamId, userId])) > 0;
      },
      anonymizeAddedBy: (teamId, userId, placeholder) =>
        run('UPDATE vps SET added_by = $1 WHERE team_id = $2 AND added_by = $3', [placeholder, teamId, userId]),
      listVps: (teamId) => pluck<string>('SELECT user_id FROM vps WHERE team_id = $1 ORDER BY user_id', [teamId]),
    },

    claims: {
      // One atomic statement: of two instances racing for a period, exactly one sees a row changed.
      async claimPeriod(key, now, opts) {
        return (
          (await run(
            `INSERT INTO job_claims (job, scope, period, status, claimed_at, attempts) VALUES ($1, $2, $3, 'claimed', $4, 1)
             ON CONFLICT (job, scope, period) DO UPDATE SET status = 'claimed', claimed_at = $4, finished_at = NULL,
               retry_at = NULL, attempts = job_claims.attempts + 1, detail = NULL
             WHERE $5 OR (job_claims.status = 'failed' AND (job_claims.retry_at IS NULL OR job_claims.retry_at <= $4))
                OR (job_claims.status = 'claimed' AND job_claims.claimed_at <= $4::bigint - $6::bigint)`,
            [key.job, key.scope, key.period, now, opts.force === true, opts.staleAfterMs],
          )) === 1
        );
      },
      async finishClaim(
        key: ClaimKey,
        status: Exclude<ClaimStatus, 'claimed' | 'posting'>,
        now: number,
        detail: string | null,
        retryAt: number | null = null,
      ) {
        await run(
          'UPDATE job_claims SET status = $4, finished_at = $5, detail = $6, retry_at = $7 WHERE job = $1 AND scope = $2 AND period = $3',
          [key.job, key.scope, key.period, status, now, detail, retryAt],
        );
      },
      // Fenced by claimed_at, as on SQLite (repos/claims.ts): a claim taken over since changes nothing.
      markPosting: (key, claimedAt) => setFencedStatus(key, 'posting', claimedAt),
      markClaimed: (key, claimedAt) => setFencedStatus(key, 'claimed', claimedAt),
      // Fenced the same way: of two runs settling one stale 'posting' claim, the second waits for the
      // first's row lock, then finds the row changed and updates nothing.
      async finishPostingClaim(key, claimedAt, now, detail) {
        return (
          (await run(
            `UPDATE job_claims SET status = 'done', finished_at = $5, detail = $6
             WHERE job = $1 AND scope = $2 AND period = $3 AND status = 'posting' AND claimed_at = $4`,
            [key.job, key.scope, key.period, claimedAt, now, detail],
          )) === 1
        );
      },
      async takeOverPostingClaim(key, claimedAt, now) {
        return (
          (await run(
            `UPDATE job_claims SET status = 'claimed', claimed_at = $5, finished_at = NULL, retry_at = NULL,
               attempts = job_claims.attempts + 1, detail = NULL
             WHERE job = $1 AND scope = $2 AND period = $3 AND status = 'posting' AND claimed_at = $4`,
            [key.job, key.scope, key.period, claimedAt, now],
          )) === 1
        );
      },
      async releaseClaim(key, claimedAt, now, detail) {
        return (
          (await run(
            `UPDATE job_claims SET status = 'failed', finished_at = $5, detail = $6, retry_at = NULL
             WHERE job = $1 AND scope = $2 AND period = $3 AND status = 'claimed' AND claimed_at = $4`,
            [key.job, key.scope, key.period, claimedAt, now, detail],
          )) === 1
        );
      },
      deleteClaimsOfScope: (scope) => run('DELETE FROM job_claims WHERE scope = $1', [scope]),
      findClaim: (key) =>
        get<ClaimRow>(
          `SELECT job, scope, period, status, claimed_at AS "claimedAt", finished_at AS "finishedAt", retry_at AS "retryAt", attempts, detail
           FROM job_claims WHERE job = $1 AND scope = $2 AND period = $3`,
          [key.job, key.scope, key.period],
        ),
    },

    nudges: {
      async insertNudge(n) {
        await run('INSERT INTO nudges (team_id, user_id, sent_at, local_date, channel, ts) VALUES ($1, $2, $3, $4, $5, $6)', [
          n.teamId,
          n.userId,
          n.sentAt,
          n.localDate,
          n.channel,
          n.ts,
        ]);
      },
      async listLastNudgeTimes(teamId, since, until) {
        const rows = await all<{ userId: string; sentAt: number; localDate: string }>(
          'SELECT user_id AS "userId", MAX(sent_at) AS "sentAt", MAX(local_date) AS "localDate" FROM nudges WHERE team_id = $1 AND sent_at >= $2 AND sent_at <= $3 GROUP BY user_id',
          [teamId, since, until],
        );
        return new Map(rows.map((r) => [r.userId, { sentAt: r.sentAt, localDate: r.localDate }]));
      },
      listRecentNudges: (teamId, userId, limit) =>
        all<NudgeRow>(`SELECT ${NUDGE} FROM nudges WHERE team_id = $1 AND user_id = $2 ORDER BY sent_at DESC, id DESC LIMIT $3`, [
          teamId,
          userId,
          limit,
        ]),
      async markLatestAnswered(teamId, userId, answer) {
        await run(
          `UPDATE nudges SET answered = $1 WHERE id = (SELECT id FROM nudges WHERE team_id = $2 AND user_id = $3 ORDER BY sent_at DESC, id DESC LIMIT 1)`,
          [answer, teamId, userId],
        );
      },
      async countNudgesOn(teamId, userId, localDate) {
        const [n] = await pluck<number>('SELECT COUNT(*) FROM nudges WHERE team_id = $1 AND user_id = $2 AND local_date = $3', [
          teamId,
          userId,
          localDate,
        ]);
        return n ?? 0;
      },
      listUsersWithUnansweredNudges: (teamId, since, n) =>
        pluck<string>(
          'SELECT user_id FROM nudges WHERE team_id = $1 AND sent_at >= $2 AND answered IS NULL GROUP BY user_id HAVING COUNT(*) >= $3',
          [teamId, since, n],
        ),
      deleteNudgesOf: (teamId, userId) => run('DELETE FROM nudges WHERE team_id = $1 AND user_id = $2', [teamId, userId]),
    },

    snoozes: {
      // A transaction-scoped advisory lock (released at COMMIT or ROLLBACK, nothing stored), in the two-key space,
      // apart from the one-key migration lock: two snoozes of one person at once (/gemba snooze and a nudge's
      // button, two instances) each ended the running snooze, saw no other, and both inserted theirs.
      async lockSnoozesOf(teamId, userId) {
        await q.query("SELECT pg_advisory_xact_lock(hashtext('gemba.snoozes'), hashtext($1 || ':' || $2))", [teamId, userId]);
      },
      async insertSnooze(s) {
        await run('INSERT INTO snoozes (team_id, user_id, starts_on, ends_on, reason, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [
          s.teamId,
          s.userId,
          s.startsOn,
          s.endsOn,
          s.reason,
          s.createdAt,
        ]);
      },
      findActiveSnooze: (teamId, userId, date) =>
        get<SnoozeRow>(
          `SELECT ${SNOOZE} FROM snoozes WHERE team_id = $1 AND user_id = $2 AND starts_on <= $3 AND ends_on >= $3 ORDER BY ends_on DESC LIMIT 1`,
          [teamId, userId, date],
        ),
      listActiveSnoozes: (teamId, date) =>
        all<SnoozeRow>(`SELECT ${SNOOZE} FROM snoozes WHERE team_id = $1 AND starts_on <= $2 AND ends_on >= $2`, [teamId, date]),
      listSnoozesBetween: (teamId, userId, from, to) =>
        all<SnoozeRow>(`SELECT ${SNOOZE} FROM snoozes WHERE team_id = $1 AND user_id = $2 AND ends_on >= $3 AND starts_on <= $4`, [
          teamId,
          userId,
          from,
          to,
        ]),
      listTeamSnoozesBetween: (teamId, from, to) =>
        all<SnoozeRow>(`SELECT ${SNOOZE} FROM snoozes WHERE team_id = $1 AND ends_on >= $2 AND starts_on <= $3`, [teamId, from, to]),
      async endSnoozes(teamId, userId, today, yesterday) {
        // One statement (two changes): running snoozes end yesterday, future ones go.
        const r = await get<{ ended: number; dropped: number }>(
          `WITH ended AS (
             UPDATE snoozes SET ends_on = $3 WHERE team_id = $1 AND user_id = $2 AND starts_on <= $3 AND ends_on >= $4 RETURNING 1
           ), dropped AS (
             DELETE FROM snoozes WHERE team_id = $1 AND user_id = $2 AND starts_on > $3 RETURNING 1
           ) SELECT (SELECT COUNT(*) FROM ended) AS ended, (SELECT COUNT(*) FROM dropped) AS dropped`,
          [teamId, userId, yesterday, today],
        );
        return (r?.ended ?? 0) + (r?.dropped ?? 0);
      },
      deleteSnoozesOf: (teamId, userId) => run('DELETE FROM snoozes WHERE team_id = $1 AND user_id = $2', [teamId, userId]),
    },

    tactics: {
      // The anonymous store (schema anon, migrations/postgres/0012); docs/anonymity.md "On PostgreSQL".
      async insertTactic(t, randomId) {
        for (;;) {
          const id = randomId();
          // No conflict target: a taken id, or the same tactic flagged by another rep whose transaction committed
          // (or was still running) after this one looked it up. SQLite runs one write at a time; here both reps'
          // transactions can find no such tactic and insert it, and the second used to fail on the unique key.
          const n = await run(
            `INSERT INTO anon.tactics (id, team_id, tactic_key, display_text, first_day, created_week) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT DO NOTHING`,
            [id, t.teamId, t.tacticKey, t.displayText, t.firstDay, t.createdWeek],
          );
          if (n > 0) return id;
          // The other rep's tactic, just made and so not yet published: join it, keeping the alphabetically first
          // wording as a flag of an existing unpublished tactic does (services/tactics.ts).
          const [joined] = await pluck<number | string>(
            `UPDATE anon.tactics SET display_text = LEAST(display_text, $3) WHERE team_id = $1 AND tactic_key = $2 RETURNING id`,
            [t.teamId, t.tacticKey, t.displayText],
          );
          if (joined !== undefined) return Number(joined);
        }
      },
      findTactic: async (teamId, id) =>
        anonTactic(await get<AnonTacticRecord>(`SELECT ${ANON_TACTIC} FROM anon.tactics WHERE team_id = $1 AND id = $2`, [teamId, id])),
      findTacticByKey: async (teamId, key, hiddenKey) =>
        anonTactic(
          await get<AnonTacticRecord>(
            `SELECT ${ANON_TACTIC} FROM anon.tactics WHERE team_id = $1 AND tactic_key IN ($2, $3) ORDER BY hidden DESC LIMIT 1`,
            [teamId, key, hiddenKey],
          ),
        ),
      listVisibleTactics: async (teamId, throughDay) =>
        (
          await all<AnonTacticRecord>(
            `SELECT ${ANON_TACTIC} FROM anon.tactics WHERE team_id = $1 AND hidden = 0 AND first_day <= $2 ORDER BY id`,
            [teamId, throughDay],
          )
        ).map((r) => anonTactic(r) as TacticRow),
      async updateDisplayTextIfEarlier(id, text) {
        await run('UPDATE anon.tactics SET display_text = $1 WHERE id = $2 AND display_text > $1', [text, id]);
      },
      async insertReport(tacticId, code, kind: TacticReportKind, day) {
        return (
          (await run(
            'INSERT INTO anon.tactic_reports (tactic_id, crowd_code, kind, publish_day) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
            [tacticId, code, kind, day],
          )) > 0
        );
      },
      listReportCodes: (tacticId, day) =>
        pluck<string>('SELECT crowd_code FROM anon.tactic_reports WHERE tactic_id = $1 AND publish_day <= $2', [tacticId, day]),
      listTeamReports: (teamId) =>
        all<{ tacticId: number; code: string; kind: TacticReportKind; day: string }>(
          `SELECT r.tactic_id AS "tacticId", r.crowd_code AS code, r.kind, r.publish_day AS day
           FROM anon.tactic_reports r JOIN anon.tactics t ON t.id = r.tactic_id WHERE t.team_id = $1`,
          [teamId],
        ),
      async deleteReport(tacticId, code) {
        await run('DELETE FROM anon.tactic_reports WHERE tactic_id = $1 AND crowd_code = $2', [tacticId, code]);
      },
      async insertReason(id, tacticId, why, instead, day) {
        const same = await pluck<number>(
          'SELECT 1 FROM anon.tactic_reasons WHERE tactic_id = $1 AND why IS NOT DISTINCT FROM $2 AND instead IS NOT DISTINCT FROM $3 AND publish_day = $4',
          [tacticId, why, instead, day],
        );
        if (same.length > 0) return false;
        await run('INSERT INTO anon.tactic_reasons (id, tactic_id, why, instead, publish_day) VALUES ($1, $2, $3, $4, $5)', [
          id,
          tacticId,
          why,
          instead,
          day,
        ]);
        return true;
      },
      listReasons: (tacticId, day, limit) =>
        all<TacticReason>('SELECT why, instead FROM anon.tactic_reasons WHERE tactic_id = $1 AND publish_day <= $2 ORDER BY id LIMIT $3', [
          tacticId,
          day,
          limit,
        ]),
      async countQuota(teamId, week, code) {
        const [n] = await pluck<number>('SELECT flags FROM anon.flag_quota WHERE team_id = $1 AND week = $2 AND crowd_code = $3', [
          teamId,
          week,
          code,
        ]);
        return n ?? 0;
      },
      async incrementQuota(teamId, week, code, by = 1) {
        await run(
          `INSERT INTO anon.flag_quota (team_id, week, crowd_code, flags) VALUES ($1, $2, $3, $4)
           ON CONFLICT (team_id, week, crowd_code) DO UPDATE SET flags = anon.flag_quota.flags + excluded.flags`,
          [teamId, week, code, by],
        );
      },
      listTeamQuota: (teamId) =>
        all<{ week: string; code: string; flags: number }>(
          'SELECT week, crowd_code AS code, flags FROM anon.flag_quota WHERE team_id = $1',
          [teamId],
        ),
      async deleteQuota(teamId, week, code) {
        await run('DELETE FROM anon.flag_quota WHERE team_id = $1 AND week = $2 AND crowd_code = $3', [teamId, week, code]);
      },
      deleteQuotaBefore: (teamId, week) => run('DELETE FROM anon.flag_quota WHERE team_id = $1 AND week < $2', [teamId, week]),
      async updateDecision(teamId, id, decision: TacticDecision, week) {
        return (
          (await run('UPDATE anon.tactics SET decision = $1, decided_week = $2 WHERE team_id = $3 AND id = $4', [
            decision,
            week,
            teamId,
            id,
          ])) > 0
        );
      },
      async hideAndErase(teamId, id, week, erased) {
        const n = await run(
          `UPDATE anon.tactics SET hidden = 1, hidden_week = $1, display_text = $4, tactic_key = $5
           WHERE team_id = $2 AND id = $3 AND hidden = 0`,
          [week, teamId, id, erased.displayText, erased.tacticKey],
        );
        if (n === 0) return false;
        await run('DELETE FROM anon.tactic_reports WHERE tactic_id = $1', [id]);
        await run('DELETE FROM anon.tactic_reasons WHERE tactic_id = $1', [id]);
        return true;
      },
      async findPopulation(teamId) {
        const p = await get<Omit<CrowdPopulation, 'leaves'>>(
          `SELECT source, group_id AS "groupId", eligible, crowd_size AS "crowdSize", computed_on AS "computedOn"
           FROM anon.crowd_populations WHERE team_id = $1`,
          [teamId],
        );
        if (!p) return undefined;
        const leaves = await all<{ code: string; members: number }>(
          'SELECT code, members FROM anon.crowd_codes WHERE team_id = $1 ORDER BY code',
          [teamId],
        );
        return { ...p, leaves };
      },
      async replacePopulation(teamId, p) {
        await run(
          `INSERT INTO anon.crowd_populations (team_id, source, group_id, eligible, crowd_size, computed_on) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (team_id) DO UPDATE SET source = excluded.source, group_id = excluded.group_id, eligible = excluded.eligible,
             crowd_size = excluded.crowd_size, computed_on = excluded.computed_on`,
          [teamId, p.source, p.groupId, p.eligible, p.crowdSize, p.computedOn],
        );
        await run('DELETE FROM anon.crowd_codes WHERE team_id = $1', [teamId]);
        for (const l of p.leaves)
          await run('INSERT INTO anon.crowd_codes (team_id, code, members) VALUES ($1, $2, $3)', [teamId, l.code, l.members]);
      },
      async findPublishedThrough(teamId) {
        const [d] = await pluck<string>('SELECT published_through FROM anon.tactic_publications WHERE team_id = $1', [teamId]);
        return d ?? null;
      },
      async updatePublishedThrough(teamId, day) {
        // Every row version carries the id of the transaction that wrote it (the system column xmin),
        // readable by anyone who can SELECT. Rewriting the team's anonymous rows here gives them all
        // this publish's xmin, so their order among each other and among timestamped writes in other
        // tables is gone once published; VACUUM then drops the old versions (PostgresStorage.eraseCheckpoint).
        await run('UPDATE anon.tactics SET first_day = first_day WHERE team_id = $1', [teamId]);
        await run(
          'UPDATE anon.tactic_reports r SET publish_day = r.publish_day FROM anon.tactics t WHERE t.id = r.tactic_id AND t.team_id = $1',
          [teamId],
        );
        await run(
          'UPDATE anon.tactic_reasons r SET publish_day = r.publish_day FROM anon.tactics t WHERE t.id = r.tactic_id AND t.team_id = $1',
          [teamId],
        );
        await run('UPDATE anon.flag_quota SET flags = flags WHERE team_id = $1', [teamId]);
        await run(
          `INSERT INTO anon.tactic_publications (team_id, published_through) VALUES ($1, $2)
           ON CONFLICT (team_id) DO UPDATE SET published_through = GREATEST(anon.tactic_publications.published_through, excluded.published_through)`,
          [teamId, day],
        );
      },
      async countPending(teamId, through) {
        const r = await get<{ reports: string; reasons: string }>(
          `SELECT (SELECT COUNT(*) FROM anon.tactic_reports r JOIN anon.tactics t ON t.id = r.tactic_id WHERE t.team_id = $1 AND r.publish_day > $2) AS reports,
                  (SELECT COUNT(*) FROM anon.tactic_reasons r JOIN anon.tactics t ON t.id = r.tactic_id WHERE t.team_id = $1 AND r.publish_day > $2) AS reasons`,
          [teamId, through],
        );
        return { reports: Number(r?.reports ?? 0), reasons: Number(r?.reasons ?? 0) };
      },
      listTeamIds: () => pluck<string>('SELECT team_id FROM anon.tactics UNION SELECT team_id FROM anon.crowd_populations'),
    },

    seenRequests: {
      // One statement: expired rows go and the signature is recorded; true when it was new.
      async claimSignature(signatureSha256, expiresAtSec, nowSec) {
        const r = await get<{ n: number }>(
          `WITH pruned AS (DELETE FROM seen_requests WHERE expires_at < $3),
             inserted AS (INSERT INTO seen_requests (signature_sha256, expires_at) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1)
           SELECT COUNT(*) AS n FROM inserted`,
          [signatureSha256, expiresAtSec, nowSec],
        );
        return (r?.n ?? 0) === 1;
      },
    },

    contactLog: {
      async findZones(teamId, userId) {
        const r = await get<StoredZones>(
          `SELECT p.tz AS "profileTz", t.timezone AS "teamTz" FROM (SELECT 1) one
           LEFT JOIN user_profiles p ON p.team_id = $1 AND p.user_id = $2 LEFT JOIN teams t ON t.team_id = $1`,
          [teamId, userId],
        );
        return { profileTz: r?.profileTz ?? null, teamTz: r?.teamTz ?? null };
      },
      // ONE statement (ONE_LINER_SQL, now and then ONE_LINER_PRUNING_SQL), so the ack waits on one round trip, its own
      // transaction. All its parts see one snapshot, so the weekly counts it reads do not include the new row: it is
      // added below.
      async logOneLiner(w) {
        const c = w.contact;
        const nowSec = w.claim?.nowSec;
        const prune = nowSec !== undefined && nowSec - lastOneLinerPruneSec >= ONE_LINER_PRUNE_EVERY_SEC;
        if (prune) lastOneLinerPruneSec = nowSec;
        const r = (
          await q.query({
            // Named: the server parses and plans the hot statement once per connection, not on every /contact.
            ...(prune ? { text: ONE_LINER_PRUNING_SQL } : { name: 'contact-log-one-liner', text: ONE_LINER_SQL }),
            values: [
              ...contactValues(c),
              w.claim?.signatureSha256 ?? null,
              w.claim?.expiresAtSec ?? null,
              w.claim?.nowSec ?? 0,
              w.assumed.profileTz,
              w.assumed.teamTz,
              w.fromWeek,
              w.toWeek,
              w.snoozesTo,
            ],
          })
        ).rows[0] as
          | {
              profileTz: string | null;
              teamTz: string | null;
              weeklyTarget: number | null;
              refreshedAt: number | null;
              held: boolean;
              id: number | null;
              enrolled: boolean;
              weekly: WeeklyCount[] | null;
              snoozes: Array<{ startsOn: string; endsOn: string }> | null;
            }
          | undefined;
        if (!r) throw new Error('the one-liner statement returned no row');
        if (!r.held) return { status: 'moved', zones: { profileTz: r.profileTz, teamTz: r.teamTz } } satisfies OneLinerOutcome;
        if (r.id === null) return { status: 'replay' };
        const weekly = r.weekly ?? [];
        if (c.weekStart >= w.fromWeek && c.weekStart <= w.toWeek) {
          const week = weekly.find((x) => x.weekStart === c.weekStart);
          if (week) week.count += 1;
          else weekly.push({ weekStart: c.weekStart, count: 1 });
          weekly.sort((a, b) => (a.weekStart < b.weekStart ? -1 : a.weekStart > b.weekStart ? 1 : 0));
        }
        return {
          status: 'logged',
          contact: storedContact(c, r.id),
          enrolled: r.enrolled,
          weekly,
          snoozes: r.snoozes ?? [],
          weeklyTarget: r.weeklyTarget,
          profileRefreshedAt: r.refreshedAt,
        };
      },
    },

    installations: {
      async upsertInstallation(row, now) {
        await run(
          `INSERT INTO installations (install_key, team_id, enterprise_id, is_enterprise_install, secret, installed_at, updated_at, uninstalled_at)
           VALUES ($1, $2, $3, $4, $5, $6, $6, NULL)
           ON CONFLICT (install_key) DO UPDATE SET team_id = excluded.team_id, enterprise_id = excluded.enterprise_id,
             is_enterprise_install = excluded.is_enterprise_install, secret = excluded.secret, updated_at = excluded.updated_at, uninstalled_at = NULL`,
          [row.installKey, row.teamId, row.enterpriseId, row.isEnterpriseInstall ? 1 : 0, row.secret, now],
        );
      },
      findActiveInstallation: async (key) =>
        install(await get(`SELECT ${INSTALL} FROM installations WHERE install_key = $1 AND uninstalled_at IS NULL`, [key])),
      findInstallation: async (key) => install(await get(`SELECT ${INSTALL} FROM installations WHERE install_key = $1`, [key])),
      async markUninstalled(key, now) {
        return (
          (await run('UPDATE installations SET uninstalled_at = $1, updated_at = $1 WHERE install_key = $2 AND uninstalled_at IS NULL', [
            now,
            key,
          ])) > 0
        );
      },
      listUninstalledBefore: async (cutoff) =>
        (
          await all<RawInstall>(
            `SELECT ${INSTALL} FROM installations WHERE uninstalled_at IS NOT NULL AND uninstalled_at <= $1 ORDER BY install_key`,
            [cutoff],
          )
        ).map(toInstall),
      listActiveInstallations: async () =>
        (await all<RawInstall>(`SELECT ${INSTALL} FROM installations WHERE uninstalled_at IS NULL ORDER BY install_key`)).map(toInstall),
      async deleteInstallation(key) {
        await run('DELETE FROM installations WHERE install_key = $1', [key]);
      },
      async recordWorkspace(teamId, enterpriseId, now) {
        await run(
          `INSERT INTO workspaces (team_id, enterprise_id, seen_at) VALUES ($1, $2, $3)
           ON CONFLICT (team_id) DO UPDATE SET enterprise_id = excluded.enterprise_id, seen_at = excluded.seen_at`,
          [teamId, enterpriseId, now],
        );
      },
      async findWorkspaceEnterprise(teamId) {
        const r = await get<{ e: string | null }>('SELECT enterprise_id AS e FROM workspaces WHERE team_id = $1', [teamId]);
        return r ? r.e : undefined;
      },
      listWorkspacesOfEnterprise: (enterpriseId) =>
        pluck<string>('SELECT team_id FROM workspaces WHERE enterprise_id = $1 ORDER BY team_id', [enterpriseId]),
      async insertOAuthState(state, now) {
        await run('INSERT INTO oauth_states (state, created_at) VALUES ($1, $2)', [state, now]);
      },
      async consumeOAuthState(state, notBefore) {
        return (await run('DELETE FROM oauth_states WHERE state = $1 AND created_at >= $2', [state, notBefore])) > 0;
      },
      pruneOAuthStates: (before) => run('DELETE FROM oauth_states WHERE created_at < $1', [before]),
    },

    workspaceData: {
      async eraseWorkspace(teamId) {
        // One statement, so all of it goes or none: a DELETE per table as data-modifying CTEs. team_weeks is a
        // view on PostgreSQL (migration 0016): its rows are deleted from team_week_stripes.
        const parts = TEAM_TABLES.map((t, i) => `d${i} AS (DELETE FROM ${PG_TABLE_OF[t] ?? t} WHERE team_id = $1 RETURNING 1)`);
        const counts = TEAM_TABLES.map((t, i) => `(SELECT COUNT(*) FROM d${i}) AS "${t}"`);
        const r = await get<Record<string, number>>(
          `WITH ${parts.join(', ')}, dc AS (DELETE FROM job_claims WHERE scope = $1 OR scope LIKE $1 || ':%' RETURNING 1)
           SELECT ${counts.join(', ')}, (SELECT COUNT(*) FROM dc) AS job_claims`,
          [teamId],
        );
        return { ...r };
      },
    },
  };
}
