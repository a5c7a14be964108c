import { type Db, eraseCheckpoint } from '../db/open.js';
import type { Repos } from '../db/repos/index.js';
import type { TeamSettingKey } from '../db/repos/teams.js';
import type { Clock } from '../lib/clock.js';
import { toCsv } from '../lib/csv.js';

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

/**
 * Administration: every change runs in one transaction with its audit entry, so the log of who
 * changed what can never disagree with the data.
 */
export function createAdminService(db: Db, repos: Repos, clock: Clock) {
  const audit = (teamId: string, actorId: string, action: string, detail: unknown) =>
    repos.audit.insertAuditEntry({ teamId, actorId, action, detail: JSON.stringify(detail), at: clock.now() });

  return {
    /** Enrols or removes managers; returns who changed and who already was in that state. */
    changeManagers(teamId: string, actorId: string, op: 'add' | 'remove', userIds: string[]): { changed: string[]; unchanged: string[] } {
      return db
        .transaction(() => {
          const changed: string[] = [];
          const unchanged: string[] = [];
          for (const u of userIds) {
            const did = op === 'add' ? repos.managers.enrollManager(teamId, u, clock.now()) : repos.managers.deactivateManager(teamId, u);
            (did ? changed : unchanged).push(u);
          }
          audit(teamId, actorId, `managers.${op}`, { changed, unchanged });
          return { changed, unchanged };
        })
        .immediate();
    },

    /** Adds or removes VPs. */
    changeVps(teamId: string, actorId: string, op: 'add' | 'remove', userIds: string[]): { changed: string[]; unchanged: string[] } {
      return db
        .transaction(() => {
          const changed: string[] = [];
          const unchanged: string[] = [];
          for (const u of userIds) {
            const did = op === 'add' ? repos.vps.insertVp(teamId, u, clock.now(), actorId) : repos.vps.deleteVp(teamId, u);
            (did ? changed : unchanged).push(u);
          }
          audit(teamId, actorId, `vps.${op}`, { changed, unchanged });
          return { changed, unchanged };
        })
        .immediate();
    },

    /** Sets one team setting and logs it. */
    setTeamSetting(teamId: string, actorId: string, key: TeamSettingKey, value: string | number): void {
      db.transaction(() => {
        repos.teams.updateTeamSetting(teamId, key, value, clock.now());
        audit(teamId, actorId, `settings.${key}`, { value });
      }).immediate();
    },

    /** Deletes everything stored about a person and reports what went. */
    forget(teamId: string, actorId: string, userId: string): ForgetCounts {
      const counts = db
        .transaction((): ForgetCounts => {
          const counts: ForgetCounts = {
            conversations: repos.contacts.deleteContactsOf(teamId, userId),
            managerRecords: repos.managers.deleteManager(teamId, userId),
            profiles: repos.profiles.deleteProfile(teamId, userId),
            vpRecords: repos.vps.deleteVp(teamId, userId) ? 1 : 0,
            nudges: repos.nudges.deleteNudgesOf(teamId, userId),
            snoozes: repos.snoozes.deleteSnoozesOf(teamId, userId),
            jobClaims: repos.claims.deleteClaimsOfScope(`${teamId}:${userId}`),
            auditEntriesAnonymised: repos.audit.anonymizeAuditEntries(teamId, userId, FORGOTTEN),
            vpAddersAnonymised: repos.vps.anonymizeAddedBy(teamId, userId, FORGOTTEN),
          };
          // The audit entry says that someone was forgotten, never who (not even when admins forget themselves).
          audit(teamId, actorId === userId ? FORGOTTEN : actorId, 'forget', counts);
          return counts;
        })
        .immediate();
      // Deleting is erasing: secure_delete zeroed the rows; the checkpoint drops the WAL's old copies.
      eraseCheckpoint(db);
      return counts;
    },

    /** The team's conversations as an RFC 4180, formula-safe CSV, and how many rows it has. */
    exportCsv(teamId: string, actorId: string): { csv: string; rows: number } {
      const rows: Array<Array<string | number | null>> = [];
      for (const c of repos.contacts.iterateTeamContacts(teamId)) {
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
      audit(teamId, actorId, 'export', { rows: rows.length });
      return { csv: toCsv(EXPORT_HEADER, rows), rows: rows.length };
    },
  };
}

export type AdminService = ReturnType<typeof createAdminService>;
