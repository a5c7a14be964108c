import type { Config } from './config.js';
import type { Repos } from './db/repos/index.js';
import type { Storage } from './db/storage.js';
import { BackgroundTasks } from './lib/background.js';
import type { Clock } from './lib/clock.js';
import { HeldFailures } from './lib/held-failures.js';
import type { Logger } from './lib/logger.js';
import { createAdminService } from './services/admin.js';
import { createContactService } from './services/contacts.js';
import { createDigestService } from './services/digest.js';
import { createInstallationService } from './services/installations.js';
import { createLeaderboardService } from './services/leaderboard.js';
import { createNudgeService } from './services/nudges.js';
import type { UserDirectory } from './services/ports.js';
import { createProfileService } from './services/profiles.js';
import { createRoleService } from './services/roles.js';
import { createSettingsService } from './services/settings.js';
import { createSnoozeService } from './services/snoozes.js';
import { createTacticService } from './services/tactics.js';
import { createTeamService } from './services/team.js';
import { createTrendService } from './services/trends.js';
import type { SlackClient } from './slack/client.js';
import { createSlackDirectory } from './slack/directory.js';
import { createOAuth, type OAuth } from './slack/oauth.js';
import { installedWorkspaceClients, singleWorkspaceClients, type WorkspaceClients } from './slack/workspaces.js';

/** Everything a listener, job or CLI needs, built once by the composition root and passed down. */
export interface AppContext {
  config: Config;
  /** The database: `storage.transaction(async (tx) => …)` for atomic work. */
  storage: Storage;
  /** Shorthand for `storage.repos`. */
  repos: Repos;
  services: Services;
  logger: Logger;
  clock: Clock;
  /** Single-workspace mode's Web API client (token-less in distribution mode: use `workspaces`). */
  slack: SlackClient;
  /** The Web API client of each workspace, for work outside a request (jobs, after-ack look-ups). */
  workspaces: WorkspaceClients;
  /** Distribution mode's installation store, state store and installer; null with a single bot token. */
  oauth: OAuth | null;
  /** After-ack work, drained on shutdown. */
  background: BackgroundTasks;
  /** Failures on the anonymous surfaces, logged at the publish of their day rather than when they happen. */
  heldFailures: HeldFailures;
}

export type Services = ReturnType<typeof createServices>;

function createServices(
  config: Config,
  storage: Storage,
  repos: Repos,
  clock: Clock,
  logger: Logger,
  directory: UserDirectory,
  held: HeldFailures,
) {
  const settings = createSettingsService(config, repos);
  const profiles = createProfileService({ repos, clock, settings, directory, logger, adminUserIds: config.adminUserIds });
  const team = createTeamService(repos);
  const tactics = createTacticService({ storage, clock, settings, directory, config, logger, held });
  return {
    settings,
    profiles,
    roles: createRoleService(config, repos, profiles),
    contacts: createContactService(storage, { weeklyTarget: config.weeklyTarget, timezone: config.teamTimezone }),
    trends: createTrendService(repos),
    snoozes: createSnoozeService(storage),
    nudges: createNudgeService(repos, settings, profiles),
    leaderboard: createLeaderboardService(repos),
    admin: createAdminService(storage, clock),
    team,
    digest: createDigestService({ repos, team, settings, tactics, minReports: config.anonymityMinReports }),
    installations: createInstallationService(storage, clock, config.uninstallRetentionDays),
    tactics,
  };
}

/** Builds the context from already-opened collaborators (the database must be migrated). */
export function createContext(deps: { config: Config; storage: Storage; logger: Logger; clock: Clock; slack: SlackClient }): AppContext {
  const repos = deps.storage.repos;
  const dist = deps.config.distribution;
  const oauth = dist ? createOAuth(deps.config, dist, repos.installations, deps.clock, deps.logger) : null;
  const workspaces = oauth
    ? installedWorkspaceClients({ oauth, repo: repos.installations, config: deps.config, logger: deps.logger, clock: deps.clock })
    : singleWorkspaceClients(deps.slack);
  const directory = createSlackDirectory(workspaces);
  const held = new HeldFailures();
  return {
    ...deps,
    repos,
    workspaces,
    oauth,
    background: new BackgroundTasks(),
    heldFailures: held,
    services: createServices(deps.config, deps.storage, repos, deps.clock, deps.logger, directory, held),
  };
}
