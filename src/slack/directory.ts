import type { SlackUserInfo, UserDirectory } from '../services/ports.js';
import type { WorkspaceClients } from './workspaces.js';

/**
 * users.info over the Web API, with the workspace's own installation; "user_not_found" becomes
 * null, other failures throw (so does a workspace Gemba is no longer installed in).
 */
export function createSlackDirectory(workspaces: WorkspaceClients): UserDirectory {
  return {
    async fetchUser(teamId: string, userId: string): Promise<SlackUserInfo | null> {
      const client = await workspaces.clientFor(teamId);
      if (!client) throw new Error(`Gemba is not installed in workspace ${teamId}`);
      try {
        const res = await client.users.info({ user: userId });
        const u = res.user;
        if (!u) return null;
        return {
          tz: u.tz ?? null,
          isAdmin: Boolean(u.is_admin),
          isOwner: Boolean(u.is_owner || u.is_primary_owner),
          displayName: u.profile?.display_name || u.real_name || u.name || null,
          deleted: Boolean(u.deleted),
        };
      } catch (err) {
        if ((err as { data?: { error?: string } }).data?.error === 'user_not_found') return null;
        throw err;
      }
    },
  };
}
