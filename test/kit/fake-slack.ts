/**
 * The tests' fake Slack Web API: the sandbox's Slack simulator (src/sandbox/slack-simulator.ts),
 * typed loosely so tests can reach into recorded calls (`call.args.view.blocks[0]`).
 *
 * - `POST /api/<method>`: Web API calls (form-urlencoded, JSON or multipart), recorded in `calls`.
 * - `POST /upload/<file_id>`: the upload step of filesUploadV2; bytes land in `uploads`.
 * - `POST /response/<key>`: response_url posts, recorded as method `response_url`.
 *
 * Every message and view it receives is checked with the Block Kit validator;
 * failures go to `invalid` and are answered the way Slack would reject them.
 *
 * Messages posted with chat.postMessage are kept per channel (a user id posts to that user's DM,
 * `D<user id>`, the id conversations.open returns) and conversations.history reads them back, with
 * their metadata when asked for it.
 *
 * Point clients at it with `new WebClient(token, { slackApiUrl: fake.apiUrl })`
 * or Bolt's `clientOptions: { slackApiUrl: fake.apiUrl }`.
 */

import {
  type InvalidSurface,
  type SimulatedInstallGrant,
  type SimulatedTokenOwner,
  type SimulatedUserProps,
  type FailSpec as SimulatorFailSpec,
  SlackSimulator,
  type SlackSimulatorOptions,
} from '../../src/sandbox/slack-simulator.js';

export type { InvalidSurface };
export type FakeUserProps = SimulatedUserProps;
export type FakeInstallGrant = SimulatedInstallGrant;
export type FakeTokenOwner = SimulatedTokenOwner;

export interface RecordedCall {
  method: string;
  args: Record<string, any>;
  status: number;
  response: any;
  /** Bearer token from the Authorization header, if any. */
  token?: string;
  /** Date.now() when the answer was sent. */
  at: number;
}

export interface FailSpec extends Omit<SimulatorFailSpec, 'when'> {
  /** Only calls whose args match fail. */
  when?: (args: Record<string, any>) => boolean;
}

export interface FakeSlack {
  /** `http://127.0.0.1:PORT/api/`, for `slackApiUrl`. */
  readonly apiUrl: string;
  /** `http://127.0.0.1:PORT`. */
  readonly baseUrl: string;
  readonly calls: RecordedCall[];
  readonly invalid: InvalidSurface[];
  /** Uploaded file contents by file id (filesUploadV2). */
  readonly uploads: Map<string, { filename: string; content: string }>;
  /** The same uploads as bytes (binary files such as PNG charts). */
  readonly uploadBytes: Map<string, Buffer>;
  /** Number of 429 answers sent (rateLimit and failNext retryAfter). */
  readonly rateLimited: number;
  /** Delay added before each answer, in ms. */
  delayMs: number;
  /** Timezone of users that were not configured with setUser. Default 'America/New_York'. */
  defaultTz: string;
  /** team_id used in answers. Default 'T0001'. */
  teamId: string;
  /** What apps.connections.open answers (Socket Mode, see fake-socket-mode.ts); unset, it refuses. */
  socketModeUrl: string | undefined;

  callsTo(method: string): RecordedCall[];
  /** Resolves with the first matching call, already recorded or still to come. */
  waitFor(method: string, predicate?: (c: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  /**
   * Slack's clock in ms (default Date.now): posted messages get their ts from it, and
   * conversations.history filters on those. The harness points it at its app clock.
   */
  clock: () => number;
  /** Clears calls, invalid, uploads, injected failures, rate limits, the 429 count and delayMs. Keeps users, usergroups and posted messages. */
  reset(): void;

  setUser(id: string, p: Partial<FakeUserProps>): void;
  /** Make users.info answer `user_not_found` for this id. */
  removeUser(id: string): void;
  setUsergroup(id: string, users: string[]): void;

  failNext(method: string, f: FailSpec): void;
  rateLimit(method: string, opts: { perSecond: number; retryAfter: number } | null): void;

  /** The app's OAuth credentials oauth.v2.access checks. Default `111.222` / `fake-client-secret`. */
  oauthClient: { clientId: string; clientSecret: string };
  /** Makes oauth.v2.access accept `code` once, answering for `grant`; its tokens then belong to that workspace. */
  grantInstall(code: string, grant: FakeInstallGrant): void;
  /** Registers a bot token's workspace (auth.test answers for it). */
  setTokenOwner(token: string, owner: FakeTokenOwner): void;
  /** Revokes a token: every call with it then answers `token_revoked`. */
  revokeToken(token: string): void;
  /** The workspace a token belongs to, if registered. */
  tokenOwner(token: string | undefined): FakeTokenOwner | undefined;

  /** `${baseUrl}/response/<key>`; posts there are recorded as method `response_url` with `args._key`. */
  responseUrl(key?: string): string;
  close(): Promise<void>;
}

export type StartFakeSlackOptions = SlackSimulatorOptions;

export async function startFakeSlack(opts: StartFakeSlackOptions = {}): Promise<FakeSlack> {
  const fake = new SlackSimulator(opts);
  await fake.listen();
  return fake;
}
