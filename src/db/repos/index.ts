import type { Db } from '../open.js';
import { createAuditRepo } from './audit.js';
import { createClaimsRepo } from './claims.js';
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

/** Every repository, built once per database (each prepares its statements up front). */
export function createRepos(db: Db) {
  return {
    contacts: createContactsRepo(db),
    managers: createManagersRepo(db),
    profiles: createProfilesRepo(db),
    teams: createTeamsRepo(db),
    audit: createAuditRepo(db),
    vps: createVpsRepo(db),
    claims: createClaimsRepo(db),
    nudges: createNudgesRepo(db),
    snoozes: createSnoozesRepo(db),
    tactics: createTacticsRepo(db),
    seenRequests: createSeenRequestsRepo(db),
    installations: createInstallationsRepo(db),
    workspaceData: createWorkspaceDataRepo(db),
  };
}

export type Repos = ReturnType<typeof createRepos>;
