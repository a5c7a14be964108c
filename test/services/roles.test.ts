/**
 * The role service: who is an admin (ADMIN_USER_IDS, cached Slack admins and owners), VP or
 * manager, and the one permission table every command asks.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { beforeEach, describe, it } from 'node:test';
import { loadConfig } from '../../src/config.js';
import type { Repos } from '../../src/db/repos/index.js';
import { FixedClock } from '../../src/lib/clock.js';
import { createLogger } from '../../src/lib/logger.js';
import type { SlackUserInfo } from '../../src/services/ports.js';
import { createProfileService, PROFILE_MAX_AGE_MS, type ProfileService } from '../../src/services/profiles.js';
import { createRoleService, PERMISSIONS, type Permission, type Role, type RoleService } from '../../src/services/roles.js';
import { createSettingsService } from '../../src/services/settings.js';
import { openTestStorage } from '../kit/storage.js';

const TEAM = 'T0001';
const NOW = Date.parse('2026-11-26T15:00:00Z');

interface Fixture {
  repos: Repos;
  clock: FixedClock;
  profiles: ProfileService;
  roles: RoleService;
  /** What users.info answers, by user id. */
  directory: Map<string, Partial<SlackUserInfo>>;
  lookups: string[];
}

function fixture(env: Record<string, string> = { ADMIN_USER_IDS: 'UENV1,UENV2' }): Fixture {
  const { repos } = openTestStorage();
  const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-t', SLACK_SIGNING_SECRET: 's', ANONYMITY_KEY: 'k'.repeat(32), ...env });
  const settings = createSettingsService(config, repos);
  const clock = new FixedClock(NOW);
  const directory = new Map<string, Partial<SlackUserInfo>>();
  const lookups: string[] = [];
  const logger = createLogger('error', new Writable({ write: (_c, _e, cb) => cb() }));
  const profiles = createProfileService({
    repos,
    clock,
    settings,
    logger,
    adminUserIds: config.adminUserIds,
    directory: {
      listMembers: async () => [],
      listGroupMembers: async () => null,
      async fetchUser(_teamId, userId) {
        lookups.push(userId);
        const u = directory.get(userId);
        return u ? { tz: 'UTC', isAdmin: false, isOwner: false, displayName: userId, deleted: false, ...u } : null;
      },
    },
  });
  return { repos, clock, profiles, roles: createRoleService(config, repos, profiles), directory, lookups };
}

const cacheProfile = async (f: Fixture, userId: string, p: { isAdmin?: boolean; isOwner?: boolean; refreshedAt?: number } = {}) =>
  await f.repos.profiles.upsertProfile({
    teamId: TEAM,
    userId,
    tz: 'UTC',
    isAdmin: p.isAdmin ?? false,
    isOwner: p.isOwner ?? false,
    displayName: null,
    refreshedAt: p.refreshedAt ?? NOW,
  });

describe('roles', () => {
  let f: Fixture;
  beforeEach(() => {
    f = fixture();
  });

  it('ADMIN_USER_IDS are admins without any profile or row', async () => {
    assert.equal(await f.roles.roleOf(TEAM, 'UENV1'), 'admin');
    assert.equal(await f.roles.roleOf(TEAM, 'UENV2'), 'admin');
    assert.equal(await f.roles.roleOf('T_OTHER', 'UENV1'), 'admin', 'env admins are admins of every team the app serves');
  });

  it('Slack admins and owners are admins once their users.info is cached', async () => {
    assert.equal(await f.roles.roleOf(TEAM, 'USLACKADMIN'), 'member', 'not known until looked up');
    await cacheProfile(f, 'USLACKADMIN', { isAdmin: true });
    await cacheProfile(f, 'UOWNER', { isOwner: true });
    await cacheProfile(f, 'UPLAIN');
    assert.equal(await f.roles.roleOf(TEAM, 'USLACKADMIN'), 'admin');
    assert.equal(await f.roles.roleOf(TEAM, 'UOWNER'), 'admin');
    assert.equal(await f.roles.roleOf(TEAM, 'UPLAIN'), 'member');
    assert.equal(await f.roles.roleOf('T_OTHER', 'USLACKADMIN'), 'member', 'a Slack admin of one workspace is not an admin of another');
  });

  it('VPs and managers come from the database; the strongest role wins', async () => {
    await f.repos.vps.insertVp(TEAM, 'UVP', NOW, 'UENV1');
    await f.repos.managers.enrollManager(TEAM, 'UMGR', NOW);
    await f.repos.managers.enrollManager(TEAM, 'UGONE', NOW);
    await f.repos.managers.deactivateManager(TEAM, 'UGONE');
    assert.equal(await f.roles.roleOf(TEAM, 'UVP'), 'vp');
    assert.equal(await f.roles.roleOf(TEAM, 'UMGR'), 'manager');
    assert.equal(await f.roles.roleOf(TEAM, 'UGONE'), 'member', 'a removed manager has no manager rights');
    assert.equal(await f.roles.roleOf(TEAM, 'UNOBODY'), 'member');
    // A VP who also manages is a VP; an admin who is also a VP is an admin.
    await f.repos.managers.enrollManager(TEAM, 'UVP', NOW);
    assert.equal(await f.roles.roleOf(TEAM, 'UVP'), 'vp');
    await f.repos.vps.insertVp(TEAM, 'UENV1', NOW, 'UENV2');
    assert.equal(await f.roles.roleOf(TEAM, 'UENV1'), 'admin');
    await cacheProfile(f, 'UVP', { isOwner: true });
    assert.equal(await f.roles.roleOf(TEAM, 'UVP'), 'admin');
  });

  it('the permission table: only admins administer; VPs and admins see the team; everyone sees their own', async () => {
    const expected: Record<Permission, Role[]> = {
      viewOwnTrends: ['admin', 'vp', 'manager', 'member'],
      viewTeamTrends: ['admin', 'vp'],
      viewOthersTrends: ['admin', 'vp'],
      previewDigest: ['admin', 'vp'],
      decideTactics: ['admin', 'vp'],
      administer: ['admin'],
    };
    assert.deepEqual(Object.keys(PERMISSIONS).sort(), Object.keys(expected).sort());
    // One real person per role, asked through can().
    await f.repos.vps.insertVp(TEAM, 'UVP', NOW, 'UENV1');
    await f.repos.managers.enrollManager(TEAM, 'UMGR', NOW);
    await cacheProfile(f, 'USLACKADMIN', { isAdmin: true });
    const people: Array<[string, Role]> = [
      ['UENV1', 'admin'],
      ['USLACKADMIN', 'admin'],
      ['UVP', 'vp'],
      ['UMGR', 'manager'],
      ['UREP', 'member'],
    ];
    for (const [user, role] of people) {
      assert.equal(await f.roles.roleOf(TEAM, user), role);
      for (const [permission, roles] of Object.entries(expected) as Array<[Permission, Role[]]>) {
        assert.equal(await f.roles.can(TEAM, user, permission), roles.includes(role), `${user} (${role}) ${permission}`);
      }
    }
  });

  it('listKnownAdmins: env admins plus cached Slack admins and owners, once each', async () => {
    await cacheProfile(f, 'USLACKADMIN', { isAdmin: true });
    await cacheProfile(f, 'UOWNER', { isOwner: true, isAdmin: true });
    await cacheProfile(f, 'UENV1', { isAdmin: true });
    await cacheProfile(f, 'UPLAIN');
    assert.deepEqual((await f.roles.listKnownAdmins(TEAM)).sort(), ['UENV1', 'UENV2', 'UOWNER', 'USLACKADMIN']);
    assert.deepEqual(await fixture({}).roles.listKnownAdmins(TEAM), []);
  });

  it('worthLookingUp: only for an admin-or-VP permission the person lacks, with no fresh profile', async () => {
    await f.repos.managers.enrollManager(TEAM, 'UMGR', NOW);
    await f.repos.vps.insertVp(TEAM, 'UVP', NOW, 'UENV1');
    // Nobody looked up yet: a Slack admin could be hiding behind any of these.
    assert.equal(await f.roles.worthLookingUp(TEAM, 'UNEW', 'administer'), true);
    assert.equal(await f.roles.worthLookingUp(TEAM, 'UMGR', 'viewTeamTrends'), true);
    assert.equal(await f.roles.worthLookingUp(TEAM, 'UVP', 'administer'), true);
    // Already allowed, or nothing to gain: no look-up.
    assert.equal(await f.roles.worthLookingUp(TEAM, 'UVP', 'viewTeamTrends'), false);
    assert.equal(await f.roles.worthLookingUp(TEAM, 'UENV1', 'administer'), false);
    assert.equal(await f.roles.worthLookingUp(TEAM, 'UNEW', 'viewOwnTrends'), false);
    // A fresh profile that says "not an admin" is trusted for a week…
    await cacheProfile(f, 'UMGR');
    assert.equal(await f.roles.worthLookingUp(TEAM, 'UMGR', 'administer'), false);
    // …and looked up again once stale.
    f.clock.advance(PROFILE_MAX_AGE_MS + 1);
    assert.equal(await f.roles.worthLookingUp(TEAM, 'UMGR', 'administer'), true);
  });

  it('a users.info refresh is what turns a Slack admin into an admin (and back)', async () => {
    f.directory.set('USLACKADMIN', { isAdmin: true });
    assert.equal(await f.roles.can(TEAM, 'USLACKADMIN', 'administer'), false, 'roleOf never calls Slack itself');
    assert.deepEqual(f.lookups, []);
    await f.profiles.refresh(TEAM, 'USLACKADMIN');
    assert.deepEqual(f.lookups, ['USLACKADMIN']);
    assert.equal(await f.roles.can(TEAM, 'USLACKADMIN', 'administer'), true);
    // Demoted in Slack: the next refresh takes the rights away.
    f.directory.set('USLACKADMIN', { isAdmin: false });
    await f.profiles.refresh(TEAM, 'USLACKADMIN');
    assert.equal(await f.roles.can(TEAM, 'USLACKADMIN', 'administer'), false);
  });
});
