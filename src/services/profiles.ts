import type { Repos } from '../db/repos/index.js';
import type { ProfileRow } from '../db/repos/profiles.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import { isValidTimeZone, localDate } from '../lib/time.js';
import type { UserDirectory } from './ports.js';
import type { SettingsService } from './settings.js';

/** Slack profiles older than this are looked up again (PRODUCT.md: "refreshed at least weekly"). */
export const PROFILE_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * True when a profile refreshed at `refreshedAt` (null: never) is due for another look-up at `now`: older than
 * PROFILE_MAX_AGE_MS, or stamped after `now` (by a job CLI run with a later --now). Such a stamp says nothing about
 * the profile's age, and trusting it would put the weekly refresh off until the real clock caught up with it.
 * Example: refreshed by `--now 2027-06-01T09:00Z`; on 2026-12-14 the profile is looked up again, not in June 2027.
 */
export function profileIsStale(refreshedAt: number | null, now: number): boolean {
  return refreshedAt === null || now - refreshedAt > PROFILE_MAX_AGE_MS || refreshedAt > now;
}

/** A fresh users.info answer: the profile as cached, and whether Slack says the account is deactivated. */
export type LookedUpProfile = ProfileRow & { deleted: boolean };

interface Deps {
  repos: Repos;
  clock: Clock;
  settings: SettingsService;
  directory: UserDirectory;
  logger: Logger;
  /** ADMIN_USER_IDS: admins even without a Slack admin flag. */
  adminUserIds: readonly string[];
}

/**
 * People's time zones and Slack roles, from a cache of users.info. Reading never calls Slack, so
 * request handlers can use it before they acknowledge; refreshing is done after the ack.
 */
export function createProfileService({ repos, clock, settings, directory, logger, adminUserIds }: Deps) {
  /**
   * Only managers, VPs and admins are cached (PRODUCT.md "No trace of the rep"): looking up a rep who
   * tried a refused command, or opened Home, must leave no row behind.
   */
  const mayKeep = async (teamId: string, userId: string, info: { isAdmin: boolean; isOwner: boolean }): Promise<boolean> =>
    info.isAdmin ||
    info.isOwner ||
    adminUserIds.includes(userId) ||
    (await repos.vps.isVp(teamId, userId)) ||
    Boolean((await repos.managers.findManager(teamId, userId))?.active);

  const inflight = new Map<string, Promise<LookedUpProfile | null>>();

  /**
   * users.info for the person, cached when they are a manager, VP or admin (anyone else gets the answer
   * back, and no row); null when Slack does not know them. Concurrent look-ups of one person share a
   * single users.info call. Throws what the directory threw, so a caller can tell a passing failure
   * from a lasting one.
   */
  const lookUp = (teamId: string, userId: string): Promise<LookedUpProfile | null> => {
    const key = `${teamId}:${userId}`;
    const running = inflight.get(key);
    if (running) return running;
    const p = (async () => {
      try {
        const info = await directory.fetchUser(teamId, userId);
        if (!info) return null;
        const row: ProfileRow = {
          teamId,
          userId,
          tz: info.tz && isValidTimeZone(info.tz) ? info.tz : null,
          isAdmin: info.isAdmin,
          isOwner: info.isOwner,
          displayName: info.displayName,
          refreshedAt: clock.now(),
        };
        if (await mayKeep(teamId, userId, row)) await repos.profiles.upsertProfile(row);
        // No longer an admin in Slack (and not a manager or VP): the old row goes.
        else await repos.profiles.deleteProfile(teamId, userId);
        return { ...row, deleted: info.deleted };
      } finally {
        inflight.delete(key);
      }
    })();
    inflight.set(key, p);
    return p;
  };

  return {
    /** The person's IANA time zone from the cache, or the team's when unknown. */
    async timezoneOf(teamId: string, userId: string): Promise<string> {
      const tz = (await repos.profiles.findProfile(teamId, userId))?.tz;
      return tz && isValidTimeZone(tz) ? tz : (await settings.forTeam(teamId)).timezone;
    },

    /**
     * Everyone's time zone at once, for work over a whole team (nudges): one query instead of one
     * per person. The lookup falls back to the team's zone exactly as timezoneOf does.
     */
    async timezoneLookup(teamId: string): Promise<(userId: string) => string> {
      const fallback = (await settings.forTeam(teamId)).timezone;
      const cached = await repos.profiles.listTimezones(teamId);
      return (userId) => {
        const tz = cached.get(userId);
        return tz && isValidTimeZone(tz) ? tz : fallback;
      };
    },

    /** The person's local calendar date right now ('YYYY-MM-DD'). */
    async todayOf(teamId: string, userId: string): Promise<string> {
      return localDate(clock.now(), await this.timezoneOf(teamId, userId));
    },

    /** The cached profile, if any. */
    cached(teamId: string, userId: string): Promise<ProfileRow | undefined> {
      return repos.profiles.findProfile(teamId, userId);
    },

    /** True when a cached profile is recent enough to act on (not profileIsStale). */
    isCurrent(profile: Pick<ProfileRow, 'refreshedAt'>): boolean {
      return !profileIsStale(profile.refreshedAt, clock.now());
    },

    /** True when the cache has no entry or one older than a week. */
    async isStale(teamId: string, userId: string): Promise<boolean> {
      const p = await repos.profiles.findProfile(teamId, userId);
      return profileIsStale(p?.refreshedAt ?? null, clock.now());
    },

    lookUp,

    /** As lookUp, but a failure is logged and leaves the cache as it was (null is returned). */
    async refresh(teamId: string, userId: string): Promise<ProfileRow | null> {
      try {
        return await lookUp(teamId, userId);
      } catch (err) {
        // No user id in the log: the person may be a rep (PRODUCT.md "No trace of the rep").
        logger.warn({ err, teamId }, 'profile refresh failed; keeping the cached profile');
        return null;
      }
    },

    /** Refreshes only when the cached entry is missing or stale. */
    async refreshIfStale(teamId: string, userId: string): Promise<void> {
      if (await this.isStale(teamId, userId)) await this.refresh(teamId, userId);
    },
  };
}

export type ProfileService = ReturnType<typeof createProfileService>;
