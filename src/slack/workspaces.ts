import { webApi } from '@slack/bolt';
import type { Config } from '../config.js';
import type { InstallationsRepo } from '../db/repos/installations.js';
import type { Logger } from '../lib/logger.js';
import { type SlackClient, slackClientOptions } from './client.js';
import { NotInstalledError, type OAuth } from './oauth.js';

/**
 * The Web API client for work outside a request (jobs, after-ack look-ups), per workspace. Each
 * installation gets its own client, so its token is only ever used for its own workspace and Slack's
 * rate limits are queued per workspace.
 */
export interface WorkspaceClients {
  /** The workspace's client, or null when Gemba is not installed there (never, uninstalled, revoked). */
  clientFor(teamId: string): Promise<SlackClient | null>;
  /** Slack said the workspace's tokens are gone (app_uninstalled, tokens_revoked): never use them again. */
  stopUsing(teamId: string | undefined): void;
}

/** Single-workspace mode: the one bot token serves every workspace id it is asked about. */
export function singleWorkspaceClients(client: SlackClient): WorkspaceClients {
  // Once Slack revokes the one token, nothing uses it again until an operator sets a new one and restarts.
  let revoked = false;
  return {
    clientFor: async () => (revoked ? null : client),
    stopUsing() {
      revoked = true;
    },
  };
}

/**
 * Distribution mode: the workspace's installation (its own, or its org's for an org-wide install),
 * through @slack/oauth's authorize, which refreshes a rotating token that is about to expire.
 */
export function installedWorkspaceClients(deps: {
  oauth: OAuth;
  repo: InstallationsRepo;
  config: Config;
  logger: Logger;
}): WorkspaceClients {
  const { oauth, repo, config, logger } = deps;
  const cache = new Map<string, { token: string; client: SlackClient }>();
  return {
    async clientFor(teamId) {
      const enterpriseId = (await repo.findWorkspaceEnterprise(teamId)) ?? undefined;
      let token: string | undefined;
      try {
        token = (await oauth.installer.authorize({ teamId, enterpriseId, isEnterpriseInstall: false })).botToken;
      } catch (err) {
        const original = (err as { original?: unknown }).original;
        if (original instanceof NotInstalledError) {
          cache.delete(teamId);
          return null;
        }
        throw err;
      }
      if (!token) return null;
      const cached = cache.get(teamId);
      if (cached?.token === token) return cached.client;
      // Same policy as the single-workspace background client (slack/client.ts): 429s come back to the job.
      const client = new webApi.WebClient(token, { ...slackClientOptions(config, logger), rejectRateLimitedCalls: true, teamId });
      cache.set(teamId, { token, client });
      logger.debug({ teamId }, 'web api client for workspace');
      return client;
    },
    stopUsing(teamId) {
      // The store no longer hands out an uninstalled installation's token; drop cached clients too.
      if (teamId) cache.delete(teamId);
      else cache.clear();
    },
  };
}
