import type { SlackMember, SlackUserInfo, UserDirectory } from '../services/ports.js';
import type { WorkspaceClients } from './workspaces.js';

/** Page size for users.list (Slack recommends at most 200). */
export const USERS_LIST_PAGE = 200;

/**
 * users.info, users.list and usergroups.users.list over the Web API, with the workspace's own
 * installation; "not found" becomes null, other failures throw (so does a workspace Gemba is no
 * longer installed in).
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

    async listMembers(teamId: string): Promise<SlackMember[]> {
      const client = await workspaces.clientFor(teamId);
      if (!client) throw new Error(`Gemba is not installed in workspace ${teamId}`);
      const members: SlackMember[] = [];
      let cursor: string | undefined;
      do {
        const res = await client.users.list({ limit: USERS_LIST_PAGE, ...(cursor ? { cursor } : {}) });
        for (const u of res.members ?? []) {
          if (!u.id || u.deleted || u.is_bot || u.is_app_user || u.id === 'USLACKBOT') continue;
          members.push({
            id: u.id,
            tz: u.tz ?? null,
            isAdmin: Boolean(u.is_admin),
            isOwner: Boolean(u.is_owner || u.is_primary_owner),
            displayName: u.profile?.display_name || u.real_name || u.name || null,
          });
        }
        cursor = res.response_metadata?.next_cursor || undefined;
      } while (cursor);
      return members;
    },

    async listGroupMembers(teamId: string, groupId: string): Promise<string[] | null> {
      const client = await workspaces.clientFor(teamId);
      if (!client) throw new Error(`Gemba is not installed in workspace ${teamId}`);
      try {
        const res = await client.usergroups.users.list({ usergroup: groupId });
        return res.users ?? [];
      } catch (err) {
        if ((err as { data?: { error?: string } }).data?.error === 'no_such_subteam') return null;
        throw err;
      }
    },
  };
}
