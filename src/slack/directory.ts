import type { SlackUserInfo, UserDirectory } from '../services/ports.js';
import type { SlackClient } from './client.js';

/** users.info over the Web API; "user_not_found" becomes null, other failures throw. */
export function createSlackDirectory(client: SlackClient): UserDirectory {
  return {
    async fetchUser(_teamId: string, userId: string): Promise<SlackUserInfo | null> {
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
