import type { Db } from '../open.js';

export type TacticDecision = 'retire' | 'keep' | 'pilot';
export type TacticReportKind = 'flag' | 'me_too';

/** A stored tactic with the number of distinct reps behind it (flag or "me too"). */
export interface TacticRow {
  id: number;
  teamId: string;
  tacticKey: string;
  displayText: string;
  createdWeek: string;
  hidden: boolean;
  hiddenWeek: string | null;
  decision: TacticDecision | null;
  decidedWeek: string | null;
  reporters: number;
}

/** A reason given with a flag; it carries no link to whoever gave it. */
export interface TacticReason {
  why: string | null;
  instead: string | null;
  week: string;
}

const COLUMNS = `t.id, t.team_id AS teamId, t.tactic_key AS tacticKey, t.display_text AS displayText,
  t.created_week AS createdWeek, t.hidden, t.hidden_week AS hiddenWeek, t.decision, t.decided_week AS decidedWeek,
  (SELECT COUNT(*) FROM tactic_reports r WHERE r.tactic_id = t.id) AS reporters`;

// SQLite stores booleans as 0/1.
const toRow = (r: unknown): TacticRow | undefined => {
  const row = r as (Omit<TacticRow, 'hidden'> & { hidden: number }) | undefined;
  return row ? { ...row, hidden: row.hidden === 1 } : undefined;
};

/**
 * Repository for `tactics`, `tactic_reports`, `tactic_reasons` and `tactic_flag_quota`. It only
 * ever sees hashes, never user ids: hashing is the tactic service's job.
 */
export function createTacticsRepo(db: Db) {
  const insertTacticStmt = db.prepare(`INSERT INTO tactics (team_id, tactic_key, display_text, created_week)
    VALUES (@teamId, @tacticKey, @displayText, @week)`);
  const byId = db.prepare(`SELECT ${COLUMNS} FROM tactics t WHERE t.team_id = ? AND t.id = ?`);
  const byKey = db.prepare(`SELECT ${COLUMNS} FROM tactics t WHERE t.team_id = ? AND t.tactic_key = ?`);
  const visible = db.prepare(`SELECT ${COLUMNS} FROM tactics t WHERE t.team_id = ? AND t.hidden = 0
    ORDER BY reporters DESC, t.id ASC`);
  const insertReport = db.prepare(`INSERT INTO tactic_reports (tactic_id, reporter_hash, kind, week)
    VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`);
  const hasReport = db.prepare('SELECT 1 FROM tactic_reports WHERE tactic_id = ? AND reporter_hash = ?').pluck();
  const insertReason = db.prepare('INSERT INTO tactic_reasons (id, tactic_id, why, instead, week) VALUES (?, ?, ?, ?, ?)');
  // Ordered by the random id: a sample in no meaningful order (never "latest first").
  const reasons = db.prepare('SELECT why, instead, week FROM tactic_reasons WHERE tactic_id = ? ORDER BY id LIMIT ?');
  const quota = db.prepare('SELECT flags FROM tactic_flag_quota WHERE week = ? AND reporter_hash = ?').pluck();
  const bumpQuota = db.prepare(`INSERT INTO tactic_flag_quota (week, reporter_hash, flags) VALUES (?, ?, 1)
    ON CONFLICT (week, reporter_hash) DO UPDATE SET flags = flags + 1`);
  const pruneQuota = db.prepare('DELETE FROM tactic_flag_quota WHERE week < ?');
  const setDecision = db.prepare('UPDATE tactics SET decision = ?, decided_week = ? WHERE team_id = ? AND id = ?');
  const setHidden = db.prepare('UPDATE tactics SET hidden = 1, hidden_week = ? WHERE team_id = ? AND id = ? AND hidden = 0');

  return {
    /** Creates a tactic and returns its id. */
    insertTactic(t: { teamId: string; tacticKey: string; displayText: string; week: string }): number {
      return Number(insertTacticStmt.run(t).lastInsertRowid);
    },
    /** A tactic by id (hidden ones included). */
    findTactic(teamId: string, id: number): TacticRow | undefined {
      return toRow(byId.get(teamId, id));
    },
    /** A tactic by normalised key (hidden ones included). */
    findTacticByKey(teamId: string, tacticKey: string): TacticRow | undefined {
      return toRow(byKey.get(teamId, tacticKey));
    },
    /** The team's visible tactics, most-supported first. */
    listVisibleTactics(teamId: string): TacticRow[] {
      return visible.all(teamId).flatMap((r) => toRow(r) ?? []);
    },
    /** Counts a rep (by hash) behind a tactic; false when that hash was already counted. */
    insertReport(tacticId: number, reporterHash: string, kind: TacticReportKind, week: string): boolean {
      return insertReport.run(tacticId, reporterHash, kind, week).changes > 0;
    },
    /** True when the hash is already counted behind the tactic. */
    hasReport(tacticId: number, reporterHash: string): boolean {
      return hasReport.get(tacticId, reporterHash) === 1;
    },
    /** Stores a reason under a random id. */
    insertReason(id: string, tacticId: number, why: string | null, instead: string | null, week: string): void {
      insertReason.run(id, tacticId, why, instead, week);
    },
    /** Up to `limit` reasons given for a tactic. */
    listReasons(tacticId: number, limit: number): TacticReason[] {
      return reasons.all(tacticId, limit) as TacticReason[];
    },
    /** Flags made this week under a quota hash. */
    countQuota(week: string, reporterHash: string): number {
      return (quota.get(week, reporterHash) as number | undefined) ?? 0;
    },
    /** Adds one flag to a quota hash's week. */
    incrementQuota(week: string, reporterHash: string): void {
      bumpQuota.run(week, reporterHash);
    },
    /** Forgets quota rows of weeks before `week` ('YYYY-Www' sorts chronologically). */
    deleteQuotaBefore(week: string): void {
      pruneQuota.run(week);
    },
    /** Records leadership's decision; false when the tactic does not exist. */
    updateDecision(teamId: string, id: number, decision: TacticDecision, week: string): boolean {
      return setDecision.run(decision, week, teamId, id).changes > 0;
    },
    /** Hides a tactic; false when it does not exist or was hidden already. */
    updateHidden(teamId: string, id: number, week: string): boolean {
      return setHidden.run(week, teamId, id).changes > 0;
    },
  };
}
