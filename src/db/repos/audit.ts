import type { Db } from '../open.js';

export interface AuditEntry {
  teamId: string;
  actorId: string;
  action: string;
  detail: string | null;
  at: number;
}

/** Repository for `audit_log`: who changed what. */
export function createAuditRepo(db: Db) {
  const insert = db.prepare('INSERT INTO audit_log (team_id, actor_id, action, detail, at) VALUES (@teamId, @actorId, @action, @detail, @at)');
  const recent = db.prepare(`SELECT team_id AS teamId, actor_id AS actorId, action, detail, at FROM audit_log
    WHERE team_id = ? ORDER BY at DESC, id DESC LIMIT ?`);
  return {
    /** Appends an audit entry. */
    insertAuditEntry(e: AuditEntry): void {
      insert.run(e);
    },
    /** The team's latest audit entries, newest first. */
    listRecentAuditEntries(teamId: string, limit: number): AuditEntry[] {
      return recent.all(teamId, limit) as AuditEntry[];
    },
  };
}

export type AuditRepo = ReturnType<typeof createAuditRepo>;
