import type { Db } from '../open.js';

/** One installation as stored: the encrypted installation plus what look-ups need in the clear. */
export interface InstallationRow {
  installKey: string;
  teamId: string | null;
  enterpriseId: string | null;
  isEnterpriseInstall: boolean;
  /** The encrypted installation (tokens included). */
  secret: string;
  installedAt: number;
  updatedAt: number;
  uninstalledAt: number | null;
}

const COLUMNS = `install_key AS installKey, team_id AS teamId, enterprise_id AS enterpriseId,
  is_enterprise_install AS isEnterpriseInstall, secret, installed_at AS installedAt, updated_at AS updatedAt,
  uninstalled_at AS uninstalledAt`;

type Raw = Omit<InstallationRow, 'isEnterpriseInstall'> & { isEnterpriseInstall: number };
const toRow = (r: Raw): InstallationRow => ({ ...r, isEnterpriseInstall: r.isEnterpriseInstall === 1 });
const fromRaw = (r: Raw | undefined): InstallationRow | undefined => (r ? toRow(r) : undefined);

/**
 * Repository for `installations`, `workspaces` and `oauth_states` (distribution mode). Asynchronous
 * like every repository the PostgreSQL port serves; the SQL is portable (upserts by ON CONFLICT).
 */
export function createInstallationsRepo(db: Db) {
  const upsert = db.prepare(`INSERT INTO installations
      (install_key, team_id, enterprise_id, is_enterprise_install, secret, installed_at, updated_at, uninstalled_at)
    VALUES (@installKey, @teamId, @enterpriseId, @isEnterpriseInstall, @secret, @now, @now, NULL)
    ON CONFLICT (install_key) DO UPDATE SET team_id = excluded.team_id, enterprise_id = excluded.enterprise_id,
      is_enterprise_install = excluded.is_enterprise_install, secret = excluded.secret, updated_at = excluded.updated_at,
      uninstalled_at = NULL`);
  const findActive = db.prepare(`SELECT ${COLUMNS} FROM installations WHERE install_key = ? AND uninstalled_at IS NULL`);
  const find = db.prepare(`SELECT ${COLUMNS} FROM installations WHERE install_key = ?`);
  const markGone = db.prepare(
    'UPDATE installations SET uninstalled_at = ?, updated_at = ? WHERE install_key = ? AND uninstalled_at IS NULL',
  );
  const listGone = db.prepare(
    `SELECT ${COLUMNS} FROM installations WHERE uninstalled_at IS NOT NULL AND uninstalled_at <= ? ORDER BY install_key`,
  );
  const listActive = db.prepare(`SELECT ${COLUMNS} FROM installations WHERE uninstalled_at IS NULL ORDER BY install_key`);
  const del = db.prepare('DELETE FROM installations WHERE install_key = ?');
  const seeWorkspace = db.prepare(`INSERT INTO workspaces (team_id, enterprise_id, seen_at) VALUES (?, ?, ?)
    ON CONFLICT (team_id) DO UPDATE SET enterprise_id = excluded.enterprise_id, seen_at = excluded.seen_at`);
  const enterpriseOf = db.prepare('SELECT enterprise_id FROM workspaces WHERE team_id = ?').pluck();
  const workspacesOf = db.prepare('SELECT team_id FROM workspaces WHERE enterprise_id = ? ORDER BY team_id').pluck();
  const insertState = db.prepare('INSERT INTO oauth_states (state, created_at) VALUES (?, ?)');
  const consumeState = db.prepare('DELETE FROM oauth_states WHERE state = ? AND created_at >= ?');
  const pruneStates = db.prepare('DELETE FROM oauth_states WHERE created_at < ?');

  return {
    /** Stores an installation (a reinstall replaces the tokens and cancels a pending uninstall). */
    async upsertInstallation(
      row: Pick<InstallationRow, 'installKey' | 'teamId' | 'enterpriseId' | 'isEnterpriseInstall' | 'secret'>,
      now: number,
    ): Promise<void> {
      upsert.run({ ...row, isEnterpriseInstall: row.isEnterpriseInstall ? 1 : 0, now });
    },
    /** The installation under this key unless it was uninstalled. */
    async findActiveInstallation(installKey: string): Promise<InstallationRow | undefined> {
      return fromRaw(findActive.get(installKey) as Raw | undefined);
    },
    /** The installation under this key, uninstalled or not. */
    async findInstallation(installKey: string): Promise<InstallationRow | undefined> {
      return fromRaw(find.get(installKey) as Raw | undefined);
    },
    /** Marks an installation uninstalled (its tokens are no longer used); true when it was active. */
    async markUninstalled(installKey: string, now: number): Promise<boolean> {
      return markGone.run(now, now, installKey).changes > 0;
    },
    /** Installations uninstalled at or before `cutoff`: their data is due for erasure. */
    async listUninstalledBefore(cutoff: number): Promise<InstallationRow[]> {
      return (listGone.all(cutoff) as Raw[]).map(toRow);
    },
    /** Every installation still in use. */
    async listActiveInstallations(): Promise<InstallationRow[]> {
      return (listActive.all() as Raw[]).map(toRow);
    },
    /** Deletes an installation row. */
    async deleteInstallation(installKey: string): Promise<void> {
      del.run(installKey);
    },
    /** Records which org (if any) a workspace belongs to. */
    async recordWorkspace(teamId: string, enterpriseId: string | null, now: number): Promise<void> {
      seeWorkspace.run(teamId, enterpriseId, now);
    },
    /** The org a workspace belongs to: a string, null (not in an org), or undefined (never seen). */
    async findWorkspaceEnterprise(teamId: string): Promise<string | null | undefined> {
      return enterpriseOf.get(teamId) as string | null | undefined;
    },
    /** The workspaces seen from an org. */
    async listWorkspacesOfEnterprise(enterpriseId: string): Promise<string[]> {
      return workspacesOf.all(enterpriseId) as string[];
    },
    /** Remembers an OAuth state handed out at `now`. */
    async insertOAuthState(state: string, now: number): Promise<void> {
      insertState.run(state, now);
    },
    /** Uses up a state created at or after `notBefore`; false when unknown, expired or already used. */
    async consumeOAuthState(state: string, notBefore: number): Promise<boolean> {
      return consumeState.run(state, notBefore).changes > 0;
    },
    /** Forgets states created before `before` (never completed). */
    async pruneOAuthStates(before: number): Promise<number> {
      return pruneStates.run(before).changes;
    },
  };
}

export type InstallationsRepo = ReturnType<typeof createInstallationsRepo>;
