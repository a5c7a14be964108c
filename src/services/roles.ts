import type { Config } from '../config.js';
import type { Repos } from '../db/repos/index.js';
import type { ProfileService } from './profiles.js';

export type Role = 'admin' | 'vp' | 'manager' | 'member';

/**
 * Everything a role may do, in one table. Every command asks `can()` rather than checking roles
 * itself, so the permission matrix lives here and is tested here.
 */
export const PERMISSIONS = {
  viewOwnTrends: ['admin', 'vp', 'manager', 'member'],
  viewTeamTrends: ['admin', 'vp'],
  viewOthersTrends: ['admin', 'vp'],
  previewDigest: ['admin', 'vp'],
  decideTactics: ['admin', 'vp'],
  administer: ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/** Decides who is an admin, VP or manager. */
export function createRoleService(config: Config, repos: Repos, profiles: ProfileService) {
  const service = {
    /**
     * The person's strongest role. Admin: listed in ADMIN_USER_IDS, or a Slack admin/owner per the
     * cached users.info (refreshed after the ack by whoever asks). Never calls Slack itself.
     */
    roleOf(teamId: string, userId: string): Role {
      if (config.adminUserIds.includes(userId)) return 'admin';
      const profile = profiles.cached(teamId, userId);
      if (profile && (profile.isAdmin || profile.isOwner)) return 'admin';
      if (repos.vps.isVp(teamId, userId)) return 'vp';
      if (repos.managers.findManager(teamId, userId)?.active) return 'manager';
      return 'member';
    },
    /** Admins we can name without asking Slack: ADMIN_USER_IDS plus cached Slack admins and owners. */
    listKnownAdmins(teamId: string): string[] {
      return [...new Set([...config.adminUserIds, ...repos.profiles.listAdminUserIds(teamId)])];
    },
    /** True when the person's role grants the permission. */
    can(teamId: string, userId: string, permission: Permission): boolean {
      return (PERMISSIONS[permission] as readonly Role[]).includes(service.roleOf(teamId, userId));
    },
    /**
     * True for VPs and admins, who may not flag tactics or say "me too" (PRODUCT.md "Leadership
     * decides, reps flag"). Never calls Slack, so flagging looks nobody up: Slack admins are known
     * from the cache, which the crowd population refresh fills from users.list (services/crowds).
     */
    isLeadership(teamId: string, userId: string): boolean {
      const role = service.roleOf(teamId, userId);
      return role === 'admin' || role === 'vp';
    },
    /**
     * True when a users.info look-up could change a refusal: admins hold the permission, this person
     * does not (yet), and their cached profile is missing or stale, e.g. a Slack admin who never
     * used Gemba. The caller acknowledges first, refreshes the profile, then asks `can` again.
     */
    worthLookingUp(teamId: string, userId: string, permission: Permission): boolean {
      return (
        (PERMISSIONS[permission] as readonly Role[]).includes('admin') &&
        !service.can(teamId, userId, permission) &&
        profiles.isStale(teamId, userId)
      );
    },
  };
  return service;
}

export type RoleService = ReturnType<typeof createRoleService>;
