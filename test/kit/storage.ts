/** A migrated database behind the Storage interface, for service and property tests, and seeding shared by tests. */
import type { OneLinerWrite } from '../../src/db/repos/contact-log.js';
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

/**
 * A `/contact` one-liner as the service hands it to `contactLog.logOneLiner`: a call with Acme (by default) on
 * Tue 2026-12-01, by U1 of T1, its signature claimed at `nowSec`, the zones assumed unset (as stored for a new person).
 */
export function oneLinerWrite(opts: {
  signature: string;
  nowSec: number;
  userId?: string;
  contact?: Partial<OneLinerWrite['contact']>;
}): OneLinerWrite {
  return {
    contact: {
      teamId: 'T1',
      userId: opts.userId ?? 'U1',
      account: 'Acme',
      accountKey: 'acme',
      buyer: null,
      kind: 'call',
      durationMin: null,
      occurredOn: '2026-12-01',
      weekStart: '2026-11-30',
      insight: null,
      now: opts.nowSec * 1000,
      ...opts.contact,
    },
    claim: { signatureSha256: opts.signature, expiresAtSec: opts.nowSec + 300, nowSec: opts.nowSec },
    assumed: { profileTz: null, teamTz: null },
    fromWeek: '2026-10-05',
    toWeek: '2026-11-30',
    snoozesTo: '2026-12-06',
  };
}
