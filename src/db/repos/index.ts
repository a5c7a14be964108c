import type { Db } from '../open.js';
import { createAuditRepo } from './audit.js';
import { createClaimsRepo } from './claims.js';
import { createContactLogRepo } from './contact-log.js';
import { createContactsRepo } from './contacts.js';
import { createInstallationsRepo } from './installations.js';
import { createManagersRepo } from './managers.js';
import { createNudgesRepo } from './nudges.js';
import { createProfilesRepo } from './profiles.js';
import { createSeenRequestsRepo } from './seen-requests.js';
import { createSnoozesRepo } from './snoozes.js';
import { createTacticsRepo } from './tactics.js';
import { createTeamsRepo } from './teams.js';
import { createVpsRepo } from './vps.js';
import { createWorkspaceDataRepo } from './workspace-data.js';

/** Every SQLite repository, built once per database (each prepares its statements up front). */
export function createSqliteRepos(db: Db) {
  const contacts = createContactsRepo(db);
  const managers = createManagersRepo(db);
  const seenRequests = createSeenRequestsRepo(db);
  const snoozes = createSnoozesRepo(db);
  return {
    contacts,
    managers,
    profiles: createProfilesRepo(db),
    teams: createTeamsRepo(db),
    audit: createAuditRepo(db),
    vps: createVpsRepo(db),
    claims: createClaimsRepo(db),
    nudges: createNudgesRepo(db),
    snoozes,
    tactics: createTacticsRepo(db),
    seenRequests,
    contactLog: createContactLogRepo(db, { contacts, managers, seenRequests, snoozes }),
    installations: createInstallationsRepo(db),
    workspaceData: createWorkspaceDataRepo(db),
  };
}

type SyncRepos = ReturnType<typeof createSqliteRepos>;

/** A repository whose every function returns a Promise of what the synchronous one returns. */
export type AsyncRepo<T> = { [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never };

/** The storage API every engine implements: repositories whose functions return Promises of plain data. */
export type Repos = { [K in keyof SyncRepos]: AsyncRepo<SyncRepos[K]> };

/** Waits while a transaction holds the connection (SQLite: one connection, see SqliteStorage). */
export interface ConnectionGate {
  busy(): boolean;
  wait(): Promise<void>;
}

/**
 * The asynchronous face of the synchronous repositories. With a gate, a call first waits for any
 * open transaction to end, then runs in the same tick it checked the gate, so nothing can begin
 * in between.
 */
export function toAsyncRepos(sync: SyncRepos, gate: ConnectionGate | null): Repos {
  const wrap = (fn: (...args: unknown[]) => unknown) =>
    gate
      ? async (...args: unknown[]) => {
          while (gate.busy()) await gate.wait();
          return fn(...args);
        }
      : async (...args: unknown[]) => fn(...args);
  return Object.fromEntries(
    Object.entries(sync).map(([name, repo]) => [
      name,
      Object.fromEntries(Object.entries(repo).map(([fname, fn]) => [fname, wrap(fn as (...args: unknown[]) => unknown)])),
    ]),
  ) as Repos;
}
