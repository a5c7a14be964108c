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
     * A Slack admin flag counts only while the cached profile is fresh (profileIsStale): someone Slack
     * has since demoted must not keep admin rights on a cache nobody refreshes (they are looked up
     * again, see worthLookingUp). `anyAge` trusts an old flag too: refusing a flag or a "me too" errs
     * on the side of leadership (isLeadership), since flagging never looks anyone up.
     */
    async roleOf(teamId: string, userId: string, opts: { anyAge?: boolean } = {}): Promise<Role> {
      if (config.adminUserIds.includes(userId)) return 'admin';
      const profile = await profiles.cached(teamId, userId);
      if (profile && (profile.isAdmin || profile.isOwner) && (opts.anyAge || profiles.isCurrent(profile))) return 'admin';
      if (await repos.vps.isVp(teamId, userId)) return 'vp';
      if ((await repos.managers.findManager(teamId, userId))?.active) return 'manager';
      return 'member';
    },
    /** True for a manager who is enrolled and active (only they get a cached profile). */
    async isActiveManager(teamId: string, userId: string): Promise<boolean> {
      return (await repos.managers.findManager(teamId, userId))?.active ?? false;
    },
    /** How many active managers, and which VPs, a team has (for `/gemba settings`). */
    async people(teamId: string): Promise<{ managers: number; vps: string[] }> {
      return { managers: await repos.managers.countActiveManagers(teamId), vps: await repos.vps.listVps(teamId) };
    },
    /** Admins we can name without asking Slack: ADMIN_USER_IDS plus cached Slack admins and owners. */
    async listKnownAdmins(teamId: string): Promise<string[]> {
      return [...new Set([...config.adminUserIds, ...(await repos.profiles.listAdminUserIds(teamId))])];
    },
    /** True when the person's role grants the permission. */
    async can(teamId: string, userId: string, permission: Permission): Promise<boolean> {
      return (PERMISSIONS[permission] as readonly Role[]).includes(await service.roleOf(teamId, userId));
    },
    /**
     * True for VPs and admins, who may not flag tactics or say "me too" (PRODUCT.md "Leadership
     * decides, reps flag"). Never calls Slack, so flagging looks nobody up: Slack admins are known
     * from the cache, which the crowd population refresh fills from users.list (services/crowds).
     */
    async isLeadership(teamId: string, userId: string): Promise<boolean> {
      const role = await service.roleOf(teamId, userId, { anyAge: true });
      return role === 'admin' || role === 'vp';
    },
    /**
     * Looks a Slack admin or owner up again when their cached look-up is older than a week, before
     * something that depends on it (Home's team snapshot, Retire / Keep / Pilot): Slack may have demoted
     * them, and roleOf no longer trusts the old flag. Nobody without such a cached profile is looked up
     * (reps open Home and press these buttons too). The one method here that calls Slack (users.info,
     * through the profile service); true when it did.
     */
    async recheckStaleAdmin(teamId: string, userId: string): Promise<boolean> {
      const cached = await profiles.cached(teamId, userId);
      if (!cached || !(cached.isAdmin || cached.isOwner) || profiles.isCurrent(cached)) return false;
      await profiles.refresh(teamId, userId);
      return true;
    },
    /**
     * True when a users.info look-up could change a refusal: admins hold the permission, this person
     * does not (yet), and their cached profile is missing or stale, e.g. a Slack admin who never
     * used Gemba. The caller acknowledges first, refreshes the profile, then asks `can` again.
     */
    async worthLookingUp(teamId: string, userId: string, permission: Permission): Promise<boolean> {
      return (
        (PERMISSIONS[permission] as readonly Role[]).includes('admin') &&
        !(await service.can(teamId, userId, permission)) &&
        (await profiles.isStale(teamId, userId))
      );
    },
  };
  return service;
}

export type RoleService = ReturnType<typeof createRoleService>;
