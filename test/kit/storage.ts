/** A migrated database behind the Storage interface, for service and property tests, and seeding shared by tests. */
import type { Repos } from '../../src/db/repos/index.js';
import { openSqliteStorage, type SqliteStorage } from '../../src/db/sqlite.js';

/** Opens (default: in memory) and migrates a SQLite database behind the Storage interface. */
export function openTestStorage(path = ':memory:'): SqliteStorage {
  return openSqliteStorage(path).storage;
}

/**
 * Enrols each of `users` as a manager at `at.enrolledAt`, with a cached UTC profile (display name: the
 * user id) refreshed at `at.refreshedAt`, so a fresh profile needs no users.info look-up.
 */
export async function enrollUtcManagers(
  repos: Pick<Repos, 'managers' | 'profiles'>,
  teamId: string,
  users: readonly string[],
  at: { enrolledAt: number; refreshedAt: number },
): Promise<void> {
  for (const u of users) {
    await repos.managers.enrollManager(teamId, u, at.enrolledAt);
    await repos.profiles.upsertProfile({
      teamId,
      userId: u,
      tz: 'UTC',
      isAdmin: false,
      isOwner: false,
      displayName: u,
      refreshedAt: at.refreshedAt,
    });
  }
}
