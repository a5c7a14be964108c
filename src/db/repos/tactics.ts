import type { Db } from '../open.js';

export type TacticDecision = 'retire' | 'keep' | 'pilot';
export type TacticReportKind = 'flag' | 'me_too';

/** A stored tactic (counts are the service's: they depend on what is published). */
export interface TacticRow {
  id: number;
  teamId: string;
  tacticKey: string;
  displayText: string;
  firstDay: string;
  createdWeek: string;
  hidden: boolean;
  hiddenWeek: string | null;
  decision: TacticDecision | null;
  decidedWeek: string | null;
}

/** A reason given with a flag; it carries no link to whoever gave it. */
export interface TacticReason {
  why: string | null;
  instead: string | null;
}

/** The eligible population and its crowds, as last computed from the member list. */
export interface CrowdPopulation {
  source: 'members' | 'group';
  groupId: string | null;
  eligible: number;
  crowdSize: number;
  computedOn: string;
  leaves: Array<{ code: string; members: number }>;
}

const COLUMNS = `id, team_id AS teamId, tactic_key AS tacticKey, display_text AS displayText, first_day AS firstDay,
  created_week AS createdWeek, hidden, hidden_week AS hiddenWeek, decision, decided_week AS decidedWeek`;

type RawTactic = Omit<TacticRow, 'hidden'> & { hidden: number };
const toRow = (r: RawTactic | undefined): TacticRow | undefined => (r ? { ...r, hidden: r.hidden === 1 } : undefined);

/**
 * Repository for the anonymous store (schema `anon`, migration 0012): tactics, their crowd reports
 * and reasons, the weekly allowance per crowd, the crowds themselves and the publish state. It only
 * ever sees crowd codes, never user ids: computing codes is the tactic service's job.
 */
export function createTacticsRepo(db: Db) {
  const insertTacticStmt = db.prepare(`INSERT INTO anon.tactics (id, team_id, tactic_key, display_text, first_day, created_week)
    VALUES (@id, @teamId, @tacticKey, @displayText, @firstDay, @createdWeek)`);
  const idTaken = db.prepare('SELECT 1 FROM anon.tactics WHERE id = ?').pluck();
  const byId = db.prepare(`SELECT ${COLUMNS} FROM anon.tactics WHERE team_id = ? AND id = ?`);
  const byKey = db.prepare(`SELECT ${COLUMNS} FROM anon.tactics WHERE team_id = ? AND tactic_key IN (?, ?) ORDER BY hidden DESC LIMIT 1`);
  const visible = db.prepare(`SELECT ${COLUMNS} FROM anon.tactics WHERE team_id = ? AND hidden = 0 AND first_day <= ? ORDER BY id`);
  const setText = db.prepare('UPDATE anon.tactics SET display_text = ? WHERE id = ? AND display_text > ?');
  const insertReport = db.prepare(`INSERT INTO anon.tactic_reports (tactic_id, crowd_code, kind, publish_day)
    VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`);
  const codes = db.prepare('SELECT crowd_code FROM anon.tactic_reports WHERE tactic_id = ? AND publish_day <= ?').pluck();
  const teamReports = db.prepare(`SELECT r.tactic_id AS tacticId, r.crowd_code AS code, r.kind, r.publish_day AS day
    FROM anon.tactic_reports r JOIN anon.tactics t ON t.id = r.tactic_id WHERE t.team_id = ?`);
  const deleteReport = db.prepare('DELETE FROM anon.tactic_reports WHERE tactic_id = ? AND crowd_code = ?');
  const deleteReports = db.prepare('DELETE FROM anon.tactic_reports WHERE tactic_id = ?');
  const insertReason = db.prepare('INSERT INTO anon.tactic_reasons (id, tactic_id, why, instead, publish_day) VALUES (?, ?, ?, ?, ?)');
  const sameReason = db
    .prepare('SELECT 1 FROM anon.tactic_reasons WHERE tactic_id = ? AND why IS ? AND instead IS ? AND publish_day = ?')
    .pluck();
  // Ordered by the random id: a sample in no meaningful order (never "latest first").
  const reasons = db.prepare('SELECT why, instead FROM anon.tactic_reasons WHERE tactic_id = ? AND publish_day <= ? ORDER BY id LIMIT ?');
  const deleteReasons = db.prepare('DELETE FROM anon.tactic_reasons WHERE tactic_id = ?');
  const quota = db.prepare('SELECT flags FROM anon.flag_quota WHERE team_id = ? AND week = ? AND crowd_code = ?').pluck();
  const bumpQuota = db.prepare(`INSERT INTO anon.flag_quota (team_id, week, crowd_code, flags) VALUES (?, ?, ?, ?)
    ON CONFLICT (team_id, week, crowd_code) DO UPDATE SET flags = flags + excluded.flags`);
  const teamQuota = db.prepare('SELECT week, crowd_code AS code, flags FROM anon.flag_quota WHERE team_id = ?');
  const deleteQuota = db.prepare('DELETE FROM anon.flag_quota WHERE team_id = ? AND week = ? AND crowd_code = ?');
  const pruneQuota = db.prepare('DELETE FROM anon.flag_quota WHERE team_id = ? AND week < ?');
  const setDecision = db.prepare('UPDATE anon.tactics SET decision = ?, decided_week = ? WHERE team_id = ? AND id = ?');
  const setHidden = db.prepare(
    'UPDATE anon.tactics SET hidden = 1, hidden_week = ?, display_text = ?, tactic_key = ? WHERE team_id = ? AND id = ? AND hidden = 0',
  );
  const population = db.prepare(`SELECT source, group_id AS groupId, eligible, crowd_size AS crowdSize, computed_on AS computedOn
    FROM anon.crowd_populations WHERE team_id = ?`);
  const leaves = db.prepare('SELECT code, members FROM anon.crowd_codes WHERE team_id = ? ORDER BY code');
  const upsertPopulation = db.prepare(`INSERT INTO anon.crowd_populations (team_id, source, group_id, eligible, crowd_size, computed_on)
    VALUES (@teamId, @source, @groupId, @eligible, @crowdSize, @computedOn)
    ON CONFLICT (team_id) DO UPDATE SET source = excluded.source, group_id = excluded.group_id, eligible = excluded.eligible,
      crowd_size = excluded.crowd_size, computed_on = excluded.computed_on`);
  const deleteLeaves = db.prepare('DELETE FROM anon.crowd_codes WHERE team_id = ?');
  const insertLeaf = db.prepare('INSERT INTO anon.crowd_codes (team_id, code, members) VALUES (?, ?, ?)');
  const published = db.prepare('SELECT published_through FROM anon.tactic_publications WHERE team_id = ?').pluck();
  const publish = db.prepare(`INSERT INTO anon.tactic_publications (team_id, published_through) VALUES (?, ?)
    ON CONFLICT (team_id) DO UPDATE SET published_through = max(published_through, excluded.published_through)`);
  const pending = db.prepare(`SELECT
      (SELECT COUNT(*) FROM anon.tactic_reports r JOIN anon.tactics t ON t.id = r.tactic_id WHERE t.team_id = @teamId AND r.publish_day > @through) AS reports,
      (SELECT COUNT(*) FROM anon.tactic_reasons r JOIN anon.tactics t ON t.id = r.tactic_id WHERE t.team_id = @teamId AND r.publish_day > @through) AS reasons`);
  const teams = db.prepare('SELECT team_id FROM anon.tactics UNION SELECT team_id FROM anon.crowd_populations').pluck();

  return {
    /** Creates a tactic under a random id (retried on the rare collision) and returns the id. */
    insertTactic(
      t: { teamId: string; tacticKey: string; displayText: string; firstDay: string; createdWeek: string },
      randomId: () => number,
    ): number {
      let id = randomId();
      while (idTaken.get(id) === 1) id = randomId();
      insertTacticStmt.run({ ...t, id });
      return id;
    },
    /** A tactic by id (hidden and unpublished ones included). */
    findTactic(teamId: string, id: number): TacticRow | undefined {
      return toRow(byId.get(teamId, id) as RawTactic | undefined);
    },
    /**
     * A tactic by its normalised key or the digest a hidden one keeps instead (hidden first), in ONE statement:
     * two lookups could straddle a hide committing between them and miss both (hidden and unpublished included).
     */
    findTacticByKey(teamId: string, tacticKey: string, hiddenKey: string): TacticRow | undefined {
      return toRow(byKey.get(teamId, tacticKey, hiddenKey) as RawTactic | undefined);
    },
    /** The team's tactics published by `throughDay` and not hidden. */
    listVisibleTactics(teamId: string, throughDay: string): TacticRow[] {
      return (visible.all(teamId, throughDay) as RawTactic[]).map((r) => toRow(r) as TacticRow);
    },
    /** Keeps the alphabetically first wording of a tactic not yet published (so arrival order cannot show). */
    updateDisplayTextIfEarlier(id: number, text: string): void {
      setText.run(text, id, text);
    },
    /** Counts a crowd behind a tactic; false when that crowd code was already there. */
    insertReport(tacticId: number, code: string, kind: TacticReportKind, publishDay: string): boolean {
      return insertReport.run(tacticId, code, kind, publishDay).changes > 0;
    },
    /** Crowd codes behind a tactic that are published by `throughDay`. */
    listReportCodes(tacticId: number, throughDay: string): string[] {
      return codes.all(tacticId, throughDay) as string[];
    },
    /** Every report of a team (for re-coding after the crowds change). */
    listTeamReports(teamId: string): Array<{ tacticId: number; code: string; kind: TacticReportKind; day: string }> {
      return teamReports.all(teamId) as Array<{ tacticId: number; code: string; kind: TacticReportKind; day: string }>;
    },
    /** Removes one report (re-coding). */
    deleteReport(tacticId: number, code: string): void {
      deleteReport.run(tacticId, code);
    },
    /** Stores a reason under a random id, unless the same words were already given for that tactic that day. */
    insertReason(id: string, tacticId: number, why: string | null, instead: string | null, publishDay: string): boolean {
      if (sameReason.get(tacticId, why, instead, publishDay) === 1) return false;
      insertReason.run(id, tacticId, why, instead, publishDay);
      return true;
    },
    /** Up to `limit` published reasons given for a tactic. */
    listReasons(tacticId: number, throughDay: string, limit: number): TacticReason[] {
      return reasons.all(tacticId, throughDay, limit) as TacticReason[];
    },
    /** Flags made this week by a crowd. */
    countQuota(teamId: string, week: string, code: string): number {
      return (quota.get(teamId, week, code) as number | undefined) ?? 0;
    },
    /** Adds flags to a crowd's week. */
    incrementQuota(teamId: string, week: string, code: string, by = 1): void {
      bumpQuota.run(teamId, week, code, by);
    },
    /** Every allowance row of a team (for re-coding). */
    listTeamQuota(teamId: string): Array<{ week: string; code: string; flags: number }> {
      return teamQuota.all(teamId) as Array<{ week: string; code: string; flags: number }>;
    },
    /** Removes one allowance row (re-coding). */
    deleteQuota(teamId: string, week: string, code: string): void {
      deleteQuota.run(teamId, week, code);
    },
    /** Erases allowance rows of weeks before `week` ('YYYY-Www' sorts chronologically). */
    deleteQuotaBefore(teamId: string, week: string): number {
      return pruneQuota.run(teamId, week).changes;
    },
    /** Records leadership's decision; false when the tactic does not exist. */
    updateDecision(teamId: string, id: number, decision: TacticDecision, week: string): boolean {
      return setDecision.run(decision, week, teamId, id).changes > 0;
    },
    /**
     * Hides a tactic and erases everything said about it: its wording (replaced by `erased.displayText`), its
     * normalised key (replaced by `erased.tacticKey`, a digest that still refuses the same wording), reports and
     * reasons; false when already hidden.
     */
    hideAndErase(teamId: string, id: number, week: string, erased: { displayText: string; tacticKey: string }): boolean {
      if (setHidden.run(week, erased.displayText, erased.tacticKey, teamId, id).changes === 0) return false;
      deleteReports.run(id);
      deleteReasons.run(id);
      return true;
    },
    /** The team's population and crowds, if computed. */
    findPopulation(teamId: string): CrowdPopulation | undefined {
      const p = population.get(teamId) as Omit<CrowdPopulation, 'leaves'> | undefined;
      return p ? { ...p, leaves: leaves.all(teamId) as CrowdPopulation['leaves'] } : undefined;
    },
    /** Replaces the team's population and crowds. */
    replacePopulation(teamId: string, p: CrowdPopulation): void {
      upsertPopulation.run({
        teamId,
        source: p.source,
        groupId: p.groupId,
        eligible: p.eligible,
        crowdSize: p.crowdSize,
        computedOn: p.computedOn,
      });
      deleteLeaves.run(teamId);
      for (const l of p.leaves) insertLeaf.run(teamId, l.code, l.members);
    },
    /** The last publish day of a team, or null before the first publish. */
    findPublishedThrough(teamId: string): string | null {
      return (published.get(teamId) as string | undefined) ?? null;
    },
    /** Publishes everything dated `day` or earlier (never moves backwards). */
    updatePublishedThrough(teamId: string, day: string): void {
      publish.run(teamId, day);
    },
    /** Reports and reasons waiting for a later publish. */
    countPending(teamId: string, through: string): { reports: number; reasons: number } {
      return pending.get({ teamId, through }) as { reports: number; reasons: number };
    },
    /** Teams with anything in the anonymous store. */
    listTeamIds(): string[] {
      return teams.all() as string[];
    },
  };
}
