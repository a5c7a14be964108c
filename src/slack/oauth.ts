import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  type Installation,
  type InstallationQuery,
  type InstallationStore,
  InstallProvider,
  type InstallURLOptions,
  InvalidStateError,
  type StateStore,
} from '@slack/oauth';
import type { Config, DistributionConfig } from '../config.js';
import type { InstallationsRepo } from '../db/repos/installations.js';
import type { Clock } from '../lib/clock.js';
import { type Logger, toBoltLogger } from '../lib/logger.js';
import { createTokenCipher, type TokenCipher } from '../lib/token-cipher.js';
import { slackClientOptions } from './client.js';
import { BOT_SCOPES } from './scopes.js';

/** How long an install link's state is good for (the state cookie lives as long). */
export const STATE_LIFETIME_SECONDS = 600;

/** Thrown by the store when no active installation serves a workspace (never installed, uninstalled, revoked). */
export class NotInstalledError extends Error {
  readonly code = 'gemba_not_installed';
  constructor(what: string) {
    super(`Gemba is not installed for ${what}`);
    this.name = 'NotInstalledError';
  }
}

/** The row key of an installation: the org for an org-wide install, else the workspace. */
export function installKeyOf(q: { teamId?: string | null; enterpriseId?: string | null; isEnterpriseInstall?: boolean }): string {
  if (q.isEnterpriseInstall && q.enterpriseId) return `E:${q.enterpriseId}`;
  if (q.teamId) return `T:${q.teamId}`;
  throw new Error('an installation needs a team id, or an enterprise id when org-wide');
}

/**
 * @slack/oauth's InstallationStore over Gemba's own database. The whole installation (bot token,
 * refresh token, expiry) is stored encrypted; `deleteInstallation` marks it uninstalled, so no
 * request or job uses its tokens again, and the retention job erases the data later.
 */
export function createInstallationStore(deps: { repo: InstallationsRepo; cipher: TokenCipher; clock: Clock }): InstallationStore {
  const { repo, cipher, clock } = deps;
  const read = async (key: string): Promise<Installation | undefined> => {
    const row = await repo.findActiveInstallation(key);
    return row ? (JSON.parse(cipher.decrypt(row.secret, key)) as Installation) : undefined;
  };
  return {
    async storeInstallation(installation) {
      const isEnterpriseInstall = Boolean(installation.isEnterpriseInstall);
      const teamId = installation.team?.id ?? null;
      const enterpriseId = installation.enterprise?.id ?? null;
      const installKey = installKeyOf({ teamId, enterpriseId, isEnterpriseInstall });
      const secret = cipher.encrypt(JSON.stringify(installation), installKey);
      const now = clock.now();
      await repo.upsertInstallation(
        { installKey, teamId: isEnterpriseInstall ? null : teamId, enterpriseId, isEnterpriseInstall, secret },
        now,
      );
      if (!isEnterpriseInstall && teamId) await repo.recordWorkspace(teamId, enterpriseId, now);
    },
    async fetchInstallation(query: InstallationQuery<boolean>) {
      if (query.isEnterpriseInstall) {
        const org = query.enterpriseId ? await read(installKeyOf({ ...query, isEnterpriseInstall: true })) : undefined;
        if (org) return org;
        throw new NotInstalledError(`org ${query.enterpriseId ?? '(none)'}`);
      }
      if (query.teamId) {
        const team = await read(`T:${query.teamId}`);
        if (team) return team;
      }
      // A workspace of an org-wide install: the org's installation serves it.
      const enterpriseId = query.enterpriseId ?? (query.teamId ? await repo.findWorkspaceEnterprise(query.teamId) : undefined);
      const org = enterpriseId ? await read(`E:${enterpriseId}`) : undefined;
      if (org) return org;
      throw new NotInstalledError(`workspace ${query.teamId ?? '(none)'}`);
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      await repo.markUninstalled(installKeyOf(query), clock.now());
    },
  };
}

/**
 * OAuth states that work once: signed with SLACK_STATE_SECRET (a forged state is refused without
 * a database look-up) and remembered until used, so a replayed redirect is refused too.
 */
export function createStateStore(deps: { repo: InstallationsRepo; secret: string }): StateStore {
  const { repo, secret } = deps;
  const sign = (nonce: string) => createHmac('sha256', secret).update(nonce).digest('base64url');
  return {
    async generateStateParam(_options: InstallURLOptions, now: Date) {
      const nonce = randomBytes(18).toString('base64url');
      await repo.pruneOAuthStates(now.getTime() - STATE_LIFETIME_SECONDS * 1000);
      await repo.insertOAuthState(nonce, now.getTime());
      return `${nonce}.${sign(nonce)}`;
    },
    async verifyStateParam(now: Date, state: string) {
      const [nonce = '', mac = ''] = state.split('.');
      const expected = Buffer.from(sign(nonce));
      const given = Buffer.from(mac);
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        throw new InvalidStateError('The state was not issued by Gemba');
      const fresh = await repo.consumeOAuthState(nonce, now.getTime() - STATE_LIFETIME_SECONDS * 1000);
      if (!fresh) throw new InvalidStateError('The state has expired or was already used');
      return { scopes: [...BOT_SCOPES] };
    },
  };
}

/**
 * Start-up check of TOKEN_ENCRYPTION_KEY against the stored installations: a message for the one
 * start-up line when there are active installations and the key opens none of them (it was changed,
 * or belongs to another deployment), else null. Example: 3 stored, 0 readable → the message.
 */
export async function checkTokenKey(repo: InstallationsRepo, key: Buffer): Promise<string | null> {
  const cipher = createTokenCipher(key);
  const active = await repo.listActiveInstallations();
  const readable = active.filter((row) => {
    try {
      cipher.decrypt(row.secret, row.installKey);
      return true;
    } catch {
      return false;
    }
  });
  if (active.length === 0 || readable.length > 0) return null;
  return `TOKEN_ENCRYPTION_KEY does not decrypt any of the ${active.length} stored ${active.length === 1 ? 'installation' : 'installations'}: it is not the key they were stored with (was it changed?). Set it back to that key, or every workspace must install Gemba again`;
}

/** Distribution mode's OAuth collaborators, built once by the context. */
export interface OAuth {
  config: DistributionConfig;
  installationStore: InstallationStore;
  stateStore: StateStore;
  /** For work outside a request (jobs): finds a workspace's token, refreshing a rotating one. */
  installer: InstallProvider;
}

/** Builds the installation store, the state store and a provider for background look-ups. */
export function createOAuth(config: Config, dist: DistributionConfig, repo: InstallationsRepo, clock: Clock, logger: Logger): OAuth {
  const installationStore = createInstallationStore({ repo, cipher: createTokenCipher(dist.tokenKey), clock });
  const stateStore = createStateStore({ repo, secret: dist.stateSecret });
  const installer = new InstallProvider({
    clientId: dist.clientId,
    clientSecret: dist.clientSecret,
    stateStore,
    installationStore,
    logger: toBoltLogger(logger),
    clientOptions: slackClientOptions(config, logger),
  });
  return { config: dist, installationStore, stateStore, installer };
}
