import type { Db } from '../open.js';

/**
 * Every table holding a workspace's data, by the column naming it. A table added later with a
 * team_id column must be listed here: the erase test fails until it is (test/e2e/distribution-uninstall.test.ts).
 * Tactic reports and reasons go with their tactic (ON DELETE CASCADE). The anonymous store's
 * tables live in the attached `anon` schema (migration 0012, docs/anonymity.md).
 */
export const TEAM_TABLES = [
  'anon.tactics',
  'anon.flag_quota',
  'anon.crowd_populations',
  'anon.crowd_codes',
  'anon.tactic_publications',
  'contacts',
  'contact_weeks',
  'team_weeks', // on PostgreSQL a view: its rows are deleted from team_week_stripes (pg-repos PG_TABLE_OF)
  'nudges',
  'snoozes',
  'managers',
  'vps',
  'user_profiles',
  'audit_log',
  'teams',
  'workspaces',
] as const;

/** Repository that erases everything a workspace left behind (uninstall retention). */
export function createWorkspaceDataRepo(db: Db) {
  const deletes = TEAM_TABLES.map((t) => [t, db.prepare(`DELETE FROM ${t} WHERE team_id = ?`)] as const);
  // Job claims are scoped by team (`T…`) or by team and person (`T…:U…`).
  const claims = db.prepare("DELETE FROM job_claims WHERE scope = ? OR scope LIKE ? || ':%'");
  return {
    /** Deletes every row of the workspace in one transaction; returns the rows removed per table. */
    async eraseWorkspace(teamId: string): Promise<Record<string, number>> {
      const counts = db
        .transaction(() => {
          const removed: Record<string, number> = {};
          for (const [table, stmt] of deletes) removed[table] = stmt.run(teamId).changes;
          removed.job_claims = claims.run(teamId, teamId).changes;
          return removed;
        })
        .immediate();
      return counts;
    },
  };
}

export type WorkspaceDataRepo = ReturnType<typeof createWorkspaceDataRepo>;
