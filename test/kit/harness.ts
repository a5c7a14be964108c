/**
 * Runs the real Gemba app for end-to-end tests: Bolt's HTTP receiver on a loopback port with
 * signature checks on, a fresh database built by the real migrations (SQLite, or PostgreSQL with
 * TEST_ENGINE=postgres: test/kit/engine.ts), an injected clock,
 * a captured log, and every Web API call going to the fake Slack server.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach } from 'node:test';
import { type BoltApp, createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { type AppContext, createContext } from '../../src/context.js';
import { connectStorage } from '../../src/db/connect.js';
import type { Db } from '../../src/db/open.js';
import { openSqliteStorage, SqliteStorage } from '../../src/db/sqlite.js';
import { FixedClock } from '../../src/lib/clock.js';
import { createLogger } from '../../src/lib/logger.js';
import { createSlackClient } from '../../src/slack/client.js';
import { databaseUrlFor, type Inspector, inspectorFor } from './engine.js';
import { type FakeSlack, startFakeSlack } from './fake-slack.js';
import {
  appHomeOpened,
  type BlockActionsParams,
  blockActions,
  type SlackPayload,
  type SlashCommandParams,
  slashCommand,
  type ViewSubmissionParams,
  viewSubmission,
} from './payloads.js';
import { type PostSignedResult, postSigned } from './sign.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const TEST_ANONYMITY_KEY = 'test-anonymity-key-0123456789abcdef';

export interface HarnessOptions {
  /** The instant the app believes it is (ISO string or epoch ms). Default Thu 2026-11-26 15:00 UTC. */
  now?: string | number;
  /** Extra environment variables (they override the harness defaults). */
  env?: Record<string, string>;
  /** Reuse a fake Slack (e.g. shared by two app processes); the harness then does not close it. */
  fake?: FakeSlack;
  /** Reuse a database file (e.g. a restart); default a fresh temp file. */
  databasePath?: string;
  /** Hold HTTP responses until listeners finish (default true: deterministic assertions). */
  processBeforeResponse?: boolean;
  /** Distribution mode: no bot token, OAuth installs (DISTRIBUTION_ENV), workspaces install via test/kit/install.ts. */
  distribution?: boolean;
}

/** Distribution mode's variables, matching the fake Slack's default OAuth client. */
export const DISTRIBUTION_ENV = {
  SLACK_CLIENT_ID: '111.222',
  SLACK_CLIENT_SECRET: 'fake-client-secret',
  SLACK_STATE_SECRET: 'test-state-secret-0123456789',
  TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
};

/**
 * The harness is also an engine-neutral inspector of the app's rows (`await h.rows(sql, params)`,
 * `h.count('contacts')`, see test/kit/engine.ts), on SQLite or, with TEST_ENGINE=postgres, PostgreSQL.
 */
export interface Harness extends Inspector {
  url: string;
  fake: FakeSlack;
  ctx: AppContext;
  /** The SQLite handle, only for tests of what exists on SQLite alone (file bytes, WAL, pragmas); throws on PostgreSQL. */
  db: Db;
  app: BoltApp;
  clock: FixedClock;
  /** The store's key: the SQLite file, or on PostgreSQL the path its test database is keyed by (test/kit/engine.ts). */
  databasePath: string;
  /** Every log line the app wrote, parsed. */
  logs: Array<Record<string, unknown>>;
  /** The raw log text. */
  logText(): string;
  send(payload: SlackPayload, opts?: { timestampSec?: number; signature?: string }): Promise<PostSignedResult>;
  command(command: string, text: string, p?: Partial<SlashCommandParams>): Promise<PostSignedResult>;
  action(p: BlockActionsParams): Promise<PostSignedResult>;
  submit(p: ViewSubmissionParams): Promise<PostSignedResult>;
  homeOpened(userId: string, teamId?: string): Promise<PostSignedResult>;
  /** Waits for after-ack work (follow-up messages, look-ups) to finish. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_NOW = '2026-11-26T15:00:00Z';

/** Starts the app against a fake Slack. */
export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const fake = opts.fake ?? (await startFakeSlack({ defaultTz: 'UTC' }));
  const dir = opts.databasePath ? undefined : mkdtempSync(join(tmpdir(), 'gemba-test-'));
  const databasePath = opts.databasePath ?? join(dir!, 'gemba.db');
  // On the PostgreSQL pass every store is a database of the run's server, one per path (a restart finds it again).
  const databaseUrl = opts.env?.DATABASE_URL ?? (await databaseUrlFor(databasePath));
  const config = loadConfig({
    ...(opts.distribution ? DISTRIBUTION_ENV : { SLACK_BOT_TOKEN: 'xoxb-test-token' }),
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    DATABASE_PATH: databasePath,
    LOG_LEVEL: 'info',
    SCHEDULER_ENABLED: 'false',
    ANONYMITY_KEY: TEST_ANONYMITY_KEY,
    PORT: '0',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...opts.env,
  });
  let raw = '';
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      const s = chunk.toString();
      raw += s;
      for (const line of s.split('\n').filter(Boolean)) {
        try {
          logs.push(JSON.parse(line));
        } catch {
          logs.push({ msg: line });
        }
      }
      cb();
    },
  });
  const logger = createLogger(config.logLevel, sink);
  // DATABASE_URL runs the app on PostgreSQL (h.db is then unavailable: inspect with h.rows, h.count…).
  const { storage } = config.databaseUrl ? await connectStorage(config, logger) : openSqliteStorage(databasePath);
  const db =
    storage instanceof SqliteStorage
      ? storage.db
      : (new Proxy(
          {},
          {
            get() {
              throw new Error('h.db is the SQLite handle; this harness runs on PostgreSQL');
            },
          },
        ) as Db);
  const clock = new FixedClock(typeof opts.now === 'number' ? opts.now : Date.parse(opts.now ?? DEFAULT_NOW));
  // Slack's clock agrees with the app's, as NTP keeps them in production: a message's ts is app time.
  if (!opts.fake) fake.clock = () => clock.now();
  const ctx = createContext({ config, storage, logger, clock, slack: createSlackClient(config, logger) });
  const identity = opts.distribution ? {} : { botId: 'BBOT', botUserId: 'UBOT' };
  const app = createApp(ctx, { processBeforeResponse: opts.processBeforeResponse ?? true, ...identity });
  await app.init();
  const server = (await app.start(0)) as Server;
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const send = (payload: SlackPayload, o: { timestampSec?: number; signature?: string } = {}) =>
    postSigned(url, { secret: SIGNING_SECRET, body: payload.body, contentType: payload.contentType, ...o });

  return {
    ...inspectorFor(storage),
    url,
    fake,
    ctx,
    db,
    app,
    clock,
    databasePath,
    logs,
    logText: () => raw,
    send,
    command: (command, text, p = {}) => send(slashCommand({ command, text, responseUrl: fake.responseUrl(), ...p })),
    action: (p) => send(blockActions({ responseUrl: fake.responseUrl(), ...p })),
    submit: (p) => send(viewSubmission(p)),
    homeOpened: (userId, teamId) => send(appHomeOpened(userId, teamId)),
    settle: () => ctx.background.drain(),
    async close() {
      await app.stop().catch(() => undefined);
      await ctx.background.drain();
      await storage.close();
      if (!opts.fake) await fake.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * For a test file: `const harness = harnessPerTest()` gives `harness(opts)`, which starts the app
 * and closes it after the test, once it has checked that every Slack surface the fake received
 * passed the Block Kit validator. `harness.track(x)` closes anything else (a second fake, a temp
 * folder) after the test too.
 */
export function harnessPerTest() {
  const open: Array<{ close(): Promise<unknown> }> = [];
  const started: Harness[] = [];
  afterEach(async () => {
    const closing = open.splice(0).reverse();
    const harnesses = started.splice(0);
    try {
      for (const h of harnesses) assert.deepEqual(h.fake.invalid, [], 'every Slack surface must be valid Block Kit');
    } finally {
      for (const x of closing) await x.close();
    }
  });
  const harness = async (opts: HarnessOptions = {}): Promise<Harness> => {
    const h = await startHarness(opts);
    open.push(h);
    started.push(h);
    return h;
  };
  return Object.assign(harness, {
    track(x: { close(): Promise<unknown> }): void {
      open.push(x);
    },
  });
}

/**
 * For a harness shared by a describe block: waits for after-ack work, checks that every Slack
 * surface the fake received passed the Block Kit validator, then closes (even if the check failed).
 */
export async function checkAndClose(h: Harness): Promise<void> {
  try {
    await h.settle();
    assert.deepEqual(h.fake.invalid, [], 'every Slack surface must be valid Block Kit');
  } finally {
    await h.close();
  }
}
