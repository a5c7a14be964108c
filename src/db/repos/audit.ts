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
  const insert = db.prepare(
    'INSERT INTO audit_log (team_id, actor_id, action, detail, at) VALUES (@teamId, @actorId, @action, @detail, @at)',
  );
  const recent = db.prepare(`SELECT team_id AS teamId, actor_id AS actorId, action, detail, at FROM audit_log
    WHERE team_id = ? ORDER BY at DESC, id DESC LIMIT ?`);
  // Details are JSON, where an id is always a whole quoted string: matching '"U1"' (not 'U1') keeps
  // forgetting U1 from rewriting U12 or U1ABC.
  const anonymize = db.prepare(`UPDATE audit_log SET actor_id = CASE WHEN actor_id = @userId THEN @placeholder ELSE actor_id END,
    detail = replace(detail, '"' || @userId || '"', '"' || @placeholder || '"')
    WHERE team_id = @teamId AND (actor_id = @userId OR instr(detail, '"' || @userId || '"') > 0)`);
  return {
    /** Replaces a forgotten person's id in the audit trail with a placeholder; returns rows touched. */
    anonymizeAuditEntries(teamId: string, userId: string, placeholder: string): number {
      return anonymize.run({ teamId, userId, placeholder }).changes;
    },
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
