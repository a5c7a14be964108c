import type { ContactRow } from '../db/repos/contacts.js';
import type { Repos } from '../db/repos/index.js';
import type { TeamSettingKey } from '../db/repos/teams.js';
import type { Storage } from '../db/storage.js';
import type { Clock } from '../lib/clock.js';
import { toCsv } from '../lib/csv.js';
import { present } from '../lib/errors.js';

/** Where a forgotten person's id stood in the audit trail. */
export const FORGOTTEN = 'forgotten-user';

export interface ForgetCounts {
  conversations: number;
  managerRecords: number;
  profiles: number;
  vpRecords: number;
  nudges: number;
  snoozes: number;
  jobClaims: number;
  auditEntriesAnonymised: number;
  /** VP rows whose "added by" was this person. */
  vpAddersAnonymised: number;
}

export const EXPORT_HEADER = [
  'id',
  'manager_user_id',
  'date',
  'week_start',
  'account',
  'buyer',
  'kind',
  'duration_min',
  'insight',
  'logged_at',
] as const;

/** Every conversation of a team, oldest first, read a page at a time. */
async function* teamContacts(repos: Repos, teamId: string): AsyncGenerator<ContactRow> {
  let after: { occurredOn: string; id: number } | null = null;
  for (;;) {
    const page = await repos.contacts.listTeamContactsPage(teamId, after, EXPORT_PAGE);
    yield* page;
    if (page.length < EXPORT_PAGE) return;
    const last = present(page[page.length - 1], 'the last row of a full page');
    after = { occurredOn: last.occurredOn, id: last.id };
  }
}

const EXPORT_PAGE = 1000;

/**
 * Administration: every change runs in one transaction with its audit entry, so the log of who
 * changed what can never disagree with the data.
 */
export function createAdminService(storage: Storage, clock: Clock) {
  const audit = (r: Repos, teamId: string, actorId: string, action: string, detail: unknown) =>
    r.audit.insertAuditEntry({ teamId, actorId, action, detail: JSON.stringify(detail), at: clock.now() });

  /** In one transaction: `change` each user (true when it changed something), then one audit entry `action`. */
  const changeEach = (
    teamId: string,
    actorId: string,
    action: string,
    userIds: string[],
    change: (tx: Repos, userId: string) => Promise<boolean>,
  ): Promise<{ changed: string[]; unchanged: string[] }> =>
    storage.transaction(async (tx) => {
      const changed: string[] = [];
      const unchanged: string[] = [];
      for (const u of userIds) {
        const did = await change(tx, u);
        (did ? changed : unchanged).push(u);
      }
      await audit(tx, teamId, actorId, action, { changed, unchanged });
      return { changed, unchanged };
    });

  return {
    /** Enrols or removes managers; returns who changed and who already was in that state. */
    changeManagers(
      teamId: string,
      actorId: string,
      op: 'add' | 'remove',
      userIds: string[],
    ): Promise<{ changed: string[]; unchanged: string[] }> {
      return changeEach(teamId, actorId, `managers.${op}`, userIds, (tx, u) =>
        op === 'add' ? tx.managers.enrollManager(teamId, u, clock.now()) : tx.managers.deactivateManager(teamId, u),
      );
    },

    /** Adds or removes VPs. */
    changeVps(
      teamId: string,
      actorId: string,
      op: 'add' | 'remove',
      userIds: string[],
    ): Promise<{ changed: string[]; unchanged: string[] }> {
      return changeEach(teamId, actorId, `vps.${op}`, userIds, (tx, u) =>
        op === 'add' ? tx.vps.insertVp(teamId, u, clock.now(), actorId) : tx.vps.deleteVp(teamId, u),
      );
    },

    /** Sets one team setting and logs it. */
    setTeamSetting(teamId: string, actorId: string, key: TeamSettingKey, value: string | number): Promise<void> {
      return storage.transaction(async (tx) => {
        await tx.teams.updateTeamSetting(teamId, key, value, clock.now());
        await audit(tx, teamId, actorId, `settings.${key}`, { value });
      });
    },

    /** Audits an admin change made elsewhere (e.g. the reps group, set through the tactic service). */
    async recordAudit(teamId: string, actorId: string, action: string, detail: object): Promise<void> {
      await audit(storage.repos, teamId, actorId, action, detail);
    },

    /** Deletes everything stored about a person and reports what went. */
    async forget(teamId: string, actorId: string, userId: string): Promise<ForgetCounts> {
      const forgotten = await storage.transaction(async (tx): Promise<ForgetCounts> => {
        // The manager row first. On PostgreSQL a /contact of the same person enrols them (an upsert of that row)
        // before it writes; deleted and locked here first, that /contact waits for this forget and then enrols
        // them again with its conversation. Deleted after the conversations, a /contact committing in between was
        // left without its manager row, or deadlocked with this transaction over the weekly counts.
        const managerRecords = await tx.managers.deleteManager(teamId, userId);
        const counts: ForgetCounts = {
          conversations: await tx.contacts.deleteContactsOf(teamId, userId),
          managerRecords,
          profiles: await tx.profiles.deleteProfile(teamId, userId),
          vpRecords: (await tx.vps.deleteVp(teamId, userId)) ? 1 : 0,
          nudges: await tx.nudges.deleteNudgesOf(teamId, userId),
          snoozes: await tx.snoozes.deleteSnoozesOf(teamId, userId),
          jobClaims: await tx.claims.deleteClaimsOfScope(`${teamId}:${userId}`),
          auditEntriesAnonymised: await tx.audit.anonymizeAuditEntries(teamId, userId, FORGOTTEN),
          vpAddersAnonymised: await tx.vps.anonymizeAddedBy(teamId, userId, FORGOTTEN),
        };
        // The audit entry says that someone was forgotten, never who (not even when admins forget themselves).
        await audit(tx, teamId, actorId === userId ? FORGOTTEN : actorId, 'forget', counts);
        return counts;
      });
      // Deleting is erasing: secure_delete zeroed the rows; the checkpoint drops the WAL's old copies.
      await storage.eraseCheckpoint();
      return forgotten;
    },

    /** The team's conversations as an RFC 4180, formula-safe CSV, and how many rows it has. */
    async exportCsv(teamId: string, actorId: string): Promise<{ csv: string; rows: number }> {
      const rows: Array<Array<string | number | null>> = [];
      for await (const c of teamContacts(storage.repos, teamId)) {
        rows.push([
          c.id,
          c.userId,
          c.occurredOn,
          c.weekStart,
          c.account,
          c.buyer,
          c.kind,
          c.durationMin,
          c.insight,
          new Date(c.createdAt).toISOString(),
        ]);
      }
      await audit(storage.repos, teamId, actorId, 'export', { rows: rows.length });
      return { csv: toCsv(EXPORT_HEADER, rows), rows: rows.length };
    },
  };
}

export type AdminService = ReturnType<typeof createAdminService>;
