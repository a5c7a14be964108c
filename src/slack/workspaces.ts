import { webApi } from '@slack/bolt';
import type { Config } from '../config.js';
import type { InstallationsRepo } from '../db/repos/installations.js';
import type { Clock } from '../lib/clock.js';
import { slackErrorOf } from '../lib/errors.js';
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
  clock: Clock;
}): WorkspaceClients {
  const { oauth, repo, config, logger, clock } = deps;
  const cache = new Map<string, { token: string; client: SlackClient }>();

  /**
   * Slack answered `token_revoked`: the workspace's token is dead although no app_uninstalled or
   * tokens_revoked event reached Gemba (it was down, or the delivery failed). Same outcome as the
   * event: the installation that served the workspace is marked uninstalled (a reinstall brings it
   * back; its data is erased after UNINSTALL_RETENTION_DAYS), and the token is never used again.
   */
  async function tokenRevoked(teamId: string, token: string): Promise<void> {
    if (cache.get(teamId)?.token === token) cache.delete(teamId);
    // Only while that token is still the one stored: a reinstall since the call began brought a new token,
    // and the new installation must not be marked uninstalled for the old token's answer.
    if ((await storedToken(teamId)) !== token) return;
    const enterpriseId = await repo.findWorkspaceEnterprise(teamId);
    const own = `T:${teamId}`;
    const key = (await repo.findActiveInstallation(own)) ? own : enterpriseId ? `E:${enterpriseId}` : null;
    if (key && (await repo.markUninstalled(key, clock.now())))
      logger.warn({ teamId, installKey: key }, 'Slack says the workspace token was revoked: installation marked uninstalled');
  }

  /** A client that, once Slack calls its token revoked, makes no further call with it (DMs of the same fan-out included). */
  function clientWith(teamId: string, token: string): SlackClient {
    let revoked: unknown;
    class WorkspaceClient extends webApi.WebClient {
      override async apiCall(method: string, options?: Record<string, unknown>) {
        if (revoked) throw revoked;
        try {
          return await super.apiCall(method, options);
        } catch (err) {
          if (!revoked && slackErrorOf(err) === 'token_revoked') {
            revoked = err;
            await tokenRevoked(teamId, token);
          }
          throw err;
        }
      }
    }
    // Same policy as the single-workspace background client (slack/client.ts): 429s come back to the job.
    return new WorkspaceClient(token, { ...slackClientOptions(config, logger), rejectRateLimitedCalls: true, teamId });
  }

  /** The workspace's bot token as installed now (its own installation or its org's); undefined when not installed. */
  async function storedToken(teamId: string): Promise<string | undefined> {
    const enterpriseId = (await repo.findWorkspaceEnterprise(teamId)) ?? undefined;
    try {
      return (await oauth.installer.authorize({ teamId, enterpriseId, isEnterpriseInstall: false })).botToken;
    } catch (err) {
      if ((err as { original?: unknown }).original instanceof NotInstalledError) return undefined;
      throw err;
    }
  }

  return {
    async clientFor(teamId) {
      const token = await storedToken(teamId);
      if (!token) {
        cache.delete(teamId);
        return null;
      }
      const cached = cache.get(teamId);
      if (cached?.token === token) return cached.client;
      const client = clientWith(teamId, token);
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
