/**
 * A Slack Web API simulator on loopback: the Web API methods Gemba uses, answered the way Slack
 * answers them (slack-platform.md §5, §6, §10). `npm run sandbox` runs the app against it, and the
 * tests' fake Slack (test/kit/fake-slack.ts) is this class.
 *
 * - `POST /api/<method>`: Web API calls (form-urlencoded, JSON or multipart), recorded in `calls`.
 * - `POST /upload/<file_id>`: the upload step of filesUploadV2; bytes land in `uploads`.
 * - `POST /response/<key>`: response_url posts, recorded as method `response_url`.
 *
 * Every message and view it receives is checked with the Block Kit validator; failures go to
 * `invalid` and are answered the way Slack would reject them.
 */

import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One Home view id per user, stable like Slack's, and (like Slack's) not containing the user id. */
const homeViewId = (userId: string): string => `VH${createHash('sha256').update(userId).digest('hex').slice(0, 10).toUpperCase()}`;

import { validateMessage, validateView } from './block-kit.js';

/** Decoded arguments of one Web API call (JSON-looking fields already parsed). */
export type SlackArgs = Record<string, unknown>;

export interface RecordedCall {
  method: string;
  args: SlackArgs;
  status: number;
  response: unknown;
  /** Bearer token from the Authorization header, if any. */
  token?: string;
  /** Date.now() when the answer was sent. */
  at: number;
}

export interface SimulatedUserProps {
  tz: string;
  isAdmin: boolean;
  isOwner: boolean;
  isBot: boolean;
  name: string;
  realName: string;
  /** The profile's display name; the username (`name`) when not set, as for a person who never chose one. */
  displayName: string;
  email: string;
  teamId: string;
  deleted: boolean;
}

export interface FailSpec {
  /** Answer HTTP 200 `{ ok: false, error }`. */
  error?: string;
  /** Answer with this HTTP status, e.g. 500 (or 404 for response_url). */
  status?: number;
  /** Answer 429 with `Retry-After: <seconds>`. */
  retryAfter?: number;
  /** How many matching calls fail. Default 1. */
  times?: number;
  /** Only calls whose args match fail. */
  when?: (args: SlackArgs) => boolean;
}

export interface InvalidSurface {
  method: string;
  errors: string[];
  /** The message or view that failed validation. */
  surface: unknown;
}

export interface SlackSimulatorOptions {
  /** Time zone of users not configured with setUser. Default 'America/New_York'. */
  defaultTz?: string;
  /** team_id used in answers. Default 'T0001'. */
  teamId?: string;
  /** Keep at most this many recorded calls (oldest dropped). Default: all (tests). */
  keepCalls?: number;
  /** Slack's clock, in ms: message ts values are taken from it. Default Date.now. */
  clock?: () => number;
  /**
   * Makes the ids of files, views and scheduled messages (`F…`, `V…`, `Q…`). Default a counter
   * (F00000001, F00000002, …), which starts again with each simulator; the sandbox, whose files
   * outlive a restart, passes random ids so an id never comes back.
   */
  newId?: (prefix: string) => string;
}

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

interface Waiter {
  method: string;
  predicate?: (c: RecordedCall) => boolean;
  resolve: (c: RecordedCall) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

type MethodHandler = (args: SlackArgs) => Answer;

/** Fields that are free text: never JSON-decode them even if they look like JSON. */
const TEXT_FIELDS = new Set(['text', 'markdown_text', 'initial_comment', 'title', 'alt_text', 'content']);
const MESSAGE_METHODS = new Set(['chat.postMessage', 'chat.postEphemeral', 'chat.update', 'chat.scheduleMessage']);
const VIEW_METHODS = new Set(['views.open', 'views.push', 'views.update', 'views.publish']);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

function decodeJsonish(args: SlackArgs): SlackArgs {
  for (const [k, v] of Object.entries(args)) {
    if (typeof v === 'string' && !TEXT_FIELDS.has(k) && /^\s*[[{]/.test(v)) {
      try {
        args[k] = JSON.parse(v);
      } catch {
        // not JSON after all: keep the string
      }
    }
  }
  return args;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

interface ParsedBody {
  args: SlackArgs;
  /** Files found in a multipart body. */
  files: Array<{ field: string; filename: string; content: string; bytes: Buffer }>;
}

async function parseBody(contentType: string, raw: Buffer): Promise<ParsedBody> {
  const type = contentType.split(';')[0].trim().toLowerCase();
  const args: SlackArgs = {};
  const files: ParsedBody['files'] = [];
  const text = raw.toString('utf8');
  if (type === 'multipart/form-data') {
    const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') args[field] = value;
      else {
        const bytes = Buffer.from(await value.arrayBuffer());
        files.push({ field, filename: value.name, content: bytes.toString('utf8'), bytes });
        args[field] = { filename: value.name, size: value.size };
      }
    }
  } else if (type === 'application/json') {
    if (text.trim().length > 0) {
      const parsed: unknown = JSON.parse(text);
      if (isRecord(parsed)) Object.assign(args, parsed);
      else args._body = parsed;
    }
  } else if (type === 'application/x-www-form-urlencoded' || type === '') {
    for (const [k, v] of new URLSearchParams(text)) args[k] = v;
  } else {
    args._raw = text;
  }
  return { args: decodeJsonish(args), files };
}

/** `tz_label` and `tz_offset` (seconds east of UTC, at the current date) for an IANA zone. */
/** Slack's cursors are opaque; the simulator's encode an offset into the list (`offset:N`, base64). */
function offsetCursor(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64');
}

/** The offset a cursor from offsetCursor names: 0 without one, null when it is not one of ours. */
function cursorOffset(cursor: unknown): number | null {
  if (!cursor) return 0;
  const n = Number(
    Buffer.from(String(cursor), 'base64')
      .toString('utf8')
      .replace(/^offset:/, ''),
  );
  return Number.isInteger(n) && n >= 0 ? n : null;
}

function tzInfo(tz: string): { label: string; offset: number } {
  try {
    const now = new Date();
    const part = (style: 'long' | 'longOffset'): string =>
      new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: style }).formatToParts(now).find((p) => p.type === 'timeZoneName')
        ?.value ?? '';
    const m = /GMT([+-])(\d{2}):(\d{2})/.exec(part('longOffset'));
    const offset = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60) : 0;
    return { label: part('long'), offset };
  } catch {
    return { label: tz, offset: 0 };
  }
}

/** A workspace (or org) behind a bot token: auth.test and every call made with the token answer for it. */
export interface SimulatedTokenOwner {
  teamId: string | null;
  enterpriseId?: string | null;
  botUserId?: string;
  botId?: string;
}

/** What oauth.v2.access answers for an authorization code (one use). */
export interface SimulatedInstallGrant {
  team: { id: string; name: string } | null;
  enterprise?: { id: string; name: string } | null;
  isEnterpriseInstall?: boolean;
  botToken: string;
  botUserId?: string;
  /** Token rotation: a refresh token and the access token's lifetime in seconds. */
  refreshToken?: string;
  expiresIn?: number;
  installerUserId?: string;
}

const GRANTED_SCOPES = 'commands,chat:write,im:write,im:history,users:read,usergroups:read,files:write';
/** conversations.history's page size: Slack's default and its most. */
const HISTORY_DEFAULT_LIMIT = 100;
const HISTORY_MAX_LIMIT = 999;

/** The simulator. `listen()` binds it to a loopback port; `close()` stops it. */
export class SlackSimulator {
  /** `http://127.0.0.1:PORT/api/`, for `slackApiUrl`. */
  apiUrl = '';
  /** `http://127.0.0.1:PORT`. */
  baseUrl = '';
  readonly calls: RecordedCall[] = [];
  readonly invalid: InvalidSurface[] = [];
  /** Uploaded file contents by file id (filesUploadV2), as text. */
  readonly uploads = new Map<string, { filename: string; content: string }>();
  /** The same uploads as bytes, so binary files (PNG charts) stay intact. */
  readonly uploadBytes = new Map<string, Buffer>();
  /** Number of 429 answers sent (rateLimit and failNext retryAfter). */
  rateLimited = 0;
  /** Delay added before each answer, in ms. */
  delayMs = 0;
  defaultTz: string;
  teamId: string;
  /**
   * The WebSocket address `apps.connections.open` hands out (Socket Mode). Unset, it refuses the app
   * token as Slack does one without `connections:write`.
   */
  socketModeUrl: string | undefined;
  /**
   * Slack's clock, in ms (default Date.now): a message's ts is its time on this clock, as on Slack, so
   * conversations.history's `oldest` means what it does there. Point it at the app's injected clock
   * when the app's "now" is not the wall clock.
   */
  clock: () => number;

  /** The app's OAuth credentials oauth.v2.access checks. */
  oauthClient = { clientId: '111.222', clientSecret: 'fake-client-secret' };

  private readonly server: Server;
  private readonly keepCalls: number;
  private readonly grants = new Map<string, SimulatedInstallGrant>();
  private readonly owners = new Map<string, SimulatedTokenOwner>();
  private readonly refreshTokens = new Map<string, { grant: SimulatedInstallGrant; generation: number }>();
  private readonly revoked = new Set<string>();
  private readonly users = new Map<string, Partial<SimulatedUserProps>>();
  private readonly removedUsers = new Set<string>();
  private readonly usergroups = new Map<string, { users: string[]; handle: string; name: string }>();
  private readonly observers = new Set<(call: RecordedCall) => void>();
  private failures: Array<FailSpec & { method: string; left: number }> = [];
  private readonly limits = new Map<string, { perSecond: number; retryAfter: number; accepted: number[] }>();
  private readonly pendingUploads = new Map<string, { filename: string; length: number }>();
  private waiters: Waiter[] = [];
  /** Messages posted to each channel (DMs under their D… id), oldest first: what conversations.history reads. */
  private readonly history = new Map<string, Array<Record<string, unknown>>>();
  /** The last ts handed out, in microseconds: every ts is unique and later than the one before. */
  private lastTsMicros = 0;
  private idCounter = 0;
  private readonly newId: ((prefix: string) => string) | undefined;

  constructor(opts: SlackSimulatorOptions = {}) {
    this.defaultTz = opts.defaultTz ?? 'America/New_York';
    this.teamId = opts.teamId ?? 'T0001';
    this.keepCalls = opts.keepCalls ?? Number.POSITIVE_INFINITY;
    this.clock = opts.clock ?? Date.now;
    this.newId = opts.newId;
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: false, error: 'fake_slack_internal_error', detail: String(e) }));
      });
    });
  }

  /** Binds to 127.0.0.1 (an ephemeral port unless one is given). */
  async listen(port = 0): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    const { port: bound } = this.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${bound}`;
    this.apiUrl = `${this.baseUrl}/api/`;
  }

  // --------------------------------------------------------------- public API

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Resolves with the first matching call, already recorded or still to come. */
  waitFor(method: string, predicate?: (c: RecordedCall) => boolean, timeoutMs = 2000): Promise<RecordedCall> {
    const found = this.calls.find((c) => c.method === method && (predicate === undefined || predicate(c)));
    if (found) return Promise.resolve(found);
    return new Promise<RecordedCall>((resolve, reject) => {
      const waiter: Waiter = {
        method,
        predicate,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          reject(new Error(this.describeTimeout(method, predicate !== undefined, timeoutMs)));
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  /**
   * Puts messages the bot posted before a restart back where conversations.history finds them (the
   * sandbox keeps its timelines in a file; this simulator's memory starts empty). Later ts values
   * stay after theirs.
   */
  restoreMessages(messages: Array<{ channel: string; ts: string; text: string; blocks?: unknown[]; metadata?: unknown }>): void {
    for (const m of messages) {
      this.remember(m.channel, this.messageObject({ text: m.text, blocks: m.blocks, metadata: m.metadata }, m.ts));
      const [sec, micro = '0'] = m.ts.split('.');
      this.lastTsMicros = Math.max(this.lastTsMicros, Number(sec) * 1_000_000 + Number(micro.padEnd(6, '0').slice(0, 6)));
    }
  }

  /** Calls `fn` with every answered call (the sandbox's workspace state is built this way). Returns an unsubscribe. */
  observe(fn: (call: RecordedCall) => void): () => void {
    this.observers.add(fn);
    return () => this.observers.delete(fn);
  }

  /**
   * Clears calls, invalid, uploads, injected failures, rate limits, the 429 count and delayMs. Keeps
   * users, usergroups and the messages posted (Slack's own state: conversations.history still finds them).
   */
  reset(): void {
    this.calls.length = 0;
    this.invalid.length = 0;
    this.uploads.clear();
    this.uploadBytes.clear();
    this.pendingUploads.clear();
    this.failures = [];
    this.limits.clear();
    this.rateLimited = 0;
    this.delayMs = 0;
  }

  setUser(id: string, p: Partial<SimulatedUserProps>): void {
    this.removedUsers.delete(id);
    this.users.set(id, { ...(this.users.get(id) ?? {}), ...p });
  }

  /** Make users.info answer `user_not_found` for this id. */
  removeUser(id: string): void {
    this.users.delete(id);
    this.removedUsers.add(id);
  }

  /** A user group and its members; `handle` (what people type after @) defaults to the id in lower case. */
  setUsergroup(id: string, users: string[], about: { handle?: string; name?: string } = {}): void {
    this.usergroups.set(id, { users: [...users], handle: about.handle ?? id.toLowerCase(), name: about.name ?? id });
  }

  failNext(method: string, f: FailSpec): void {
    this.failures.push({ ...f, method, left: f.times ?? 1 });
  }

  rateLimit(method: string, opts: { perSecond: number; retryAfter: number } | null): void {
    if (opts === null) this.limits.delete(method);
    else this.limits.set(method, { ...opts, accepted: [] });
  }

  /** Makes oauth.v2.access accept `code` once, answering for `grant`; its tokens then belong to that workspace. */
  grantInstall(code: string, grant: SimulatedInstallGrant): void {
    this.grants.set(code, grant);
  }

  /** Registers a bot token's workspace (auth.test answers for it). */
  setTokenOwner(token: string, owner: SimulatedTokenOwner): void {
    this.revoked.delete(token);
    this.owners.set(token, owner);
  }

  /** Revokes a token: every call with it then answers `token_revoked`. */
  revokeToken(token: string): void {
    this.revoked.add(token);
  }

  /** The workspace a token belongs to, if registered. */
  tokenOwner(token: string | undefined): SimulatedTokenOwner | undefined {
    return token === undefined ? undefined : this.owners.get(token);
  }

  /** `${baseUrl}/response/<key>`; posts there are recorded as method `response_url` with `args._key`. */
  responseUrl(key: string = randomBytes(6).toString('hex')): string {
    return `${this.baseUrl}/response/${encodeURIComponent(key)}`;
  }

  async close(): Promise<void> {
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.reject(new Error(`fake Slack closed while waiting for ${w.method}`));
    }
    this.waiters = [];
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // --------------------------------------------------------------- request handling

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const raw = await readBody(req);
    const contentType = req.headers['content-type'] ?? '';
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length) : undefined;
    const parsed = await parseBody(contentType, raw);
    for (const [k, v] of url.searchParams) parsed.args[k] ??= v;

    let method: string;
    let route: () => Answer;
    const [, kind, id = ''] = url.pathname.split('/');
    if (req.method === 'POST' && kind === 'api' && id !== '') {
      method = decodeURIComponent(id);
      route = () => (token !== undefined && this.revoked.has(token) ? this.fail('token_revoked') : this.api(method, parsed.args, token));
    } else if (req.method === 'POST' && kind === 'upload') {
      method = 'upload';
      parsed.args._fileId = decodeURIComponent(id);
      route = () => this.upload(decodeURIComponent(id), parsed, raw, contentType);
    } else if (req.method === 'POST' && kind === 'response') {
      method = 'response_url';
      const payload = isRecord(parsed.args.payload) ? parsed.args.payload : parsed.args;
      parsed.args = { ...payload, _key: decodeURIComponent(id) };
      route = () => this.responseUrlPost(parsed.args);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }

    const answer = this.injected(method, parsed.args) ?? route();
    if (this.delayMs > 0) await sleep(this.delayMs);
    const body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    const type = typeof answer.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8';
    res.writeHead(answer.status, { 'content-type': type, ...(answer.headers ?? {}) });
    res.end(body);
    this.record({ method, args: parsed.args, status: answer.status, response: answer.body, token, at: Date.now() });
  }

  private record(call: RecordedCall): void {
    this.calls.push(call);
    if (this.calls.length > this.keepCalls) this.calls.splice(0, this.calls.length - this.keepCalls);
    for (const w of [...this.waiters]) {
      if (w.method === call.method && (w.predicate === undefined || w.predicate(call))) {
        clearTimeout(w.timer);
        this.waiters = this.waiters.filter((x) => x !== w);
        w.resolve(call);
      }
    }
    for (const fn of this.observers) fn(call);
  }

  private describeTimeout(method: string, hadPredicate: boolean, timeoutMs: number): string {
    const counts = new Map<string, number>();
    for (const c of this.calls) counts.set(c.method, (counts.get(c.method) ?? 0) + 1);
    const seen = [...counts].map(([m, n]) => `${m} x${n}`).join(', ') || 'none';
    const what = hadPredicate ? `a matching ${method} call` : `a ${method} call`;
    return `fake Slack: timed out after ${timeoutMs}ms waiting for ${what}; methods seen: ${seen}`;
  }

  /** Rate limits and failNext, checked before the normal answer. */
  private injected(method: string, args: SlackArgs): Answer | undefined {
    const limit = this.limits.get(method);
    if (limit) {
      const now = Date.now();
      limit.accepted = limit.accepted.filter((t) => now - t < 1000);
      if (limit.accepted.length >= limit.perSecond) return this.tooMany(limit.retryAfter);
      limit.accepted.push(now);
    }
    const f = this.failures.find((x) => x.method === method && x.left > 0 && (x.when === undefined || x.when(args)));
    if (!f) return undefined;
    f.left -= 1;
    this.failures = this.failures.filter((x) => x.left > 0);
    if (f.retryAfter !== undefined) return this.tooMany(f.retryAfter);
    if (f.status !== undefined) {
      if (f.status === 429) this.rateLimited += 1;
      return { status: f.status, body: { ok: false, error: f.error ?? `http_${f.status}` } };
    }
    return { status: 200, body: { ok: false, error: f.error ?? 'fake_error' } };
  }

  private tooMany(retryAfter: number): Answer {
    this.rateLimited += 1;
    return { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': String(retryAfter) } };
  }

  // --------------------------------------------------------------- Web API methods

  /** A ts as Slack makes them: seconds and microseconds on Slack's clock, unique and increasing. */
  private nextTs(): string {
    this.lastTsMicros = Math.max(Math.floor(this.clock() * 1000), this.lastTsMicros + 100);
    return `${Math.floor(this.lastTsMicros / 1_000_000)}.${String(this.lastTsMicros % 1_000_000).padStart(6, '0')}`;
  }

  private nextId(prefix: string): string {
    if (this.newId) return this.newId(prefix);
    this.idCounter += 1;
    return `${prefix}${String(this.idCounter).padStart(8, '0')}`;
  }

  private ok(body: Record<string, unknown> = {}): Answer {
    return { status: 200, body: { ok: true, ...body } };
  }

  private fail(error: string, extra: Record<string, unknown> = {}): Answer {
    return { status: 200, body: { ok: false, error, ...extra } };
  }

  private invalidSurface(method: string, errors: string[], surface: unknown, error: string): Answer {
    this.invalid.push({ method, errors, surface });
    return this.fail(error, { errors, response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) } });
  }

  /** A DM channel id for a user id, the same one conversations.open returns. */
  private dmFor(channel: string): string {
    return /^[UW]/.test(channel) ? `D${channel}` : channel;
  }

  private messageObject(args: SlackArgs, ts: string): Record<string, unknown> {
    return {
      type: 'message',
      subtype: 'bot_message',
      text: args.text ?? '',
      user: 'UBOT',
      bot_id: 'BBOT',
      app_id: 'A0001',
      team: this.teamId,
      ts,
      ...(args.blocks !== undefined ? { blocks: args.blocks } : {}),
      ...(args.thread_ts !== undefined ? { thread_ts: args.thread_ts } : {}),
      ...(isRecord(args.metadata) ? { metadata: args.metadata } : {}),
    };
  }

  /** Keeps a posted message where conversations.history finds it. */
  private remember(channel: string, message: Record<string, unknown>): void {
    const list = this.history.get(channel) ?? [];
    list.push(message);
    this.history.set(channel, list);
  }

  /**
   * conversations.history: the channel's messages newest first, after `oldest` (or from it with
   * `inclusive`) and before `latest`, `limit` a page with a cursor; `metadata` only with
   * `include_all_metadata`, as Slack leaves it out otherwise.
   */
  private conversationHistory(a: SlackArgs): Answer {
    const channel = str(a.channel);
    if (channel === '') return this.fail('channel_not_found');
    const truthy = (v: unknown) => v === true || v === 'true' || v === '1' || v === 1;
    const oldest = a.oldest !== undefined ? Number(a.oldest) : 0;
    const latest = a.latest !== undefined ? Number(a.latest) : Number.POSITIVE_INFINITY;
    const inclusive = truthy(a.inclusive);
    const matching = [...(this.history.get(channel) ?? [])]
      .filter((m) => {
        const ts = Number(m.ts);
        return (inclusive ? ts >= oldest : ts > oldest) && (inclusive ? ts <= latest : ts < latest);
      })
      .reverse();
    const limit = Math.min(HISTORY_MAX_LIMIT, Math.max(1, Number(a.limit ?? HISTORY_DEFAULT_LIMIT) || HISTORY_DEFAULT_LIMIT));
    const start = cursorOffset(a.cursor);
    if (start === null) return this.fail('invalid_cursor');
    const withMetadata = truthy(a.include_all_metadata);
    const page = matching.slice(start, start + limit).map((m) => {
      if (withMetadata) return { ...m };
      const { metadata: _left, ...rest } = m;
      return rest;
    });
    const hasMore = start + limit < matching.length;
    return this.ok({
      messages: page,
      has_more: hasMore,
      pin_count: 0,
      response_metadata: { next_cursor: hasMore ? offsetCursor(start + limit) : '' },
    });
  }

  private api(method: string, args: SlackArgs, token?: string): Answer {
    const owner = method === 'auth.test' ? this.tokenOwner(token) : undefined;
    if (owner) return this.authTest(owner);
    if (method === 'oauth.v2.access') return this.oauthAccess(args);
    if (MESSAGE_METHODS.has(method)) {
      const errors = validateMessage(args);
      if (errors.length > 0) return this.invalidSurface(method, errors, { text: args.text, blocks: args.blocks }, 'invalid_blocks');
    }
    if (VIEW_METHODS.has(method)) {
      if (args.view === undefined)
        return this.fail('invalid_arguments', { response_metadata: { messages: ['[ERROR] missing required field: view'] } });
      const errors = validateView(args.view);
      if (errors.length > 0) return this.invalidSurface(method, errors, args.view, 'invalid_arguments');
    }
    const handler = this.methods[method];
    return handler ? handler(args) : this.ok();
  }

  private readonly methods: Record<string, MethodHandler> = {
    'auth.test': () =>
      this.ok({
        url: 'https://test.slack.com/',
        team: 'Test',
        user: 'gemba',
        team_id: this.teamId,
        user_id: 'UBOT',
        bot_id: 'BBOT',
        is_enterprise_install: false,
      }),

    'apps.connections.open': () => (this.socketModeUrl ? this.ok({ url: this.socketModeUrl }) : this.fail('not_allowed_token_type')),
    'chat.postMessage': (a) => {
      if (!a.channel) return this.fail('channel_not_found');
      const ts = this.nextTs();
      const channel = this.dmFor(str(a.channel));
      const message = this.messageObject(a, ts);
      // Delivered from here on, answered or not (a client killed while waiting still posted it).
      this.remember(channel, message);
      return this.ok({ channel, ts, message });
    },
    'chat.postEphemeral': (a) => {
      if (!a.channel) return this.fail('channel_not_found');
      if (!a.user) return this.fail('user_not_in_channel');
      return this.ok({ message_ts: this.nextTs() });
    },
    'chat.update': (a) => {
      if (!a.channel) return this.fail('channel_not_found');
      if (!a.ts) return this.fail('message_not_found');
      const message = this.messageObject(a, str(a.ts));
      const list = this.history.get(this.dmFor(str(a.channel)));
      const at = list?.findIndex((m) => m.ts === a.ts) ?? -1;
      // An edit keeps the message's metadata unless it brings new metadata, as on Slack.
      if (list && at >= 0) list[at] = { ...list[at], ...message };
      return this.ok({ channel: a.channel, ts: a.ts, text: a.text ?? '', message });
    },
    'chat.delete': (a) => {
      if (!a.channel) return this.fail('channel_not_found');
      if (!a.ts) return this.fail('message_not_found');
      const list = this.history.get(this.dmFor(str(a.channel)));
      if (list)
        this.history.set(
          this.dmFor(str(a.channel)),
          list.filter((m) => m.ts !== a.ts),
        );
      return this.ok({ channel: a.channel, ts: a.ts });
    },
    'chat.scheduleMessage': (a) => {
      if (!a.channel) return this.fail('channel_not_found');
      const postAt = Number(a.post_at);
      if (!Number.isFinite(postAt) || postAt * 1000 < Date.now()) return this.fail('time_in_past');
      return this.ok({
        channel: this.dmFor(str(a.channel)),
        scheduled_message_id: this.nextId('Q'),
        post_at: postAt,
        message: this.messageObject(a, this.nextTs()),
      });
    },

    'conversations.open': (a) => {
      if (a.channel) return this.ok({ channel: { id: a.channel } });
      const users = str(a.users)
        .split(',')
        .map((u) => u.trim())
        .filter(Boolean);
      if (users.length === 0) return this.fail('users_list_not_supplied');
      const id = users.length === 1 ? `D${users[0]}` : `G${users.sort().join('')}`;
      return this.ok({ no_op: true, already_open: true, channel: { id } });
    },
    'conversations.history': (a) => this.conversationHistory(a),
    'conversations.info': (a) => {
      const id = str(a.channel);
      if (id === '') return this.fail('channel_not_found');
      return this.ok({
        channel: {
          id,
          name: id.startsWith('D') ? undefined : `channel-${id.toLowerCase()}`,
          is_channel: id.startsWith('C'),
          is_group: id.startsWith('G'),
          is_im: id.startsWith('D'),
          is_private: !id.startsWith('C'),
          is_archived: false,
          is_member: true,
          ...(id.startsWith('D') ? { user: id.slice(1) } : {}),
        },
      });
    },

    'views.open': (a) => (a.trigger_id || a.interactivity_pointer ? this.viewAnswer(a.view) : this.fail('invalid_arguments')),
    'views.push': (a) => (a.trigger_id || a.interactivity_pointer ? this.viewAnswer(a.view) : this.fail('invalid_arguments')),
    'views.update': (a) =>
      a.view_id || a.external_id ? this.viewAnswer(a.view, a.view_id ? str(a.view_id) : undefined) : this.fail('invalid_arguments'),
    'views.publish': (a) => (a.user_id ? this.viewAnswer(a.view, homeViewId(str(a.user_id))) : this.fail('invalid_arguments')),

    'users.info': (a) => {
      const user = this.userObject(str(a.user));
      return user ? this.ok({ user }) : this.fail('user_not_found');
    },
    // Every user set with setUser (plus the bot and Slackbot, as Slack lists them), in pages of
    // `limit` (default 100, at most 1000) with an opaque `cursor`, like Slack's.
    'users.list': (a) => {
      const ids = [...new Set(['USLACKBOT', 'UBOT', ...this.users.keys()])].filter((id) => !this.removedUsers.has(id)).sort();
      const limit = Math.min(1000, Math.max(1, Number(a.limit ?? 100) || 100));
      const start = cursorOffset(a.cursor);
      if (start === null) return this.fail('invalid_cursor');
      const page = ids.slice(start, start + limit).map((id) => {
        const user = this.userObject(id) as Record<string, unknown>;
        return id === 'USLACKBOT' ? { ...user, is_bot: false, name: 'slackbot' } : user;
      });
      const next = start + limit < ids.length ? offsetCursor(start + limit) : '';
      return this.ok({ members: page, cache_ts: 1_700_000_000, response_metadata: { next_cursor: next } });
    },
    'usergroups.users.list': (a) => {
      const group = this.usergroups.get(str(a.usergroup));
      return group ? this.ok({ users: [...group.users] }) : this.fail('no_such_subteam');
    },
    'usergroups.list': () =>
      this.ok({
        usergroups: [...this.usergroups].map(([id, g]) => ({
          id,
          team_id: this.teamId,
          handle: g.handle,
          name: g.name,
          users: [...g.users],
          user_count: g.users.length,
        })),
      }),

    'files.getUploadURLExternal': (a) => {
      if (!a.filename) return this.fail('invalid_arguments');
      const fileId = this.nextId('F');
      this.pendingUploads.set(fileId, { filename: str(a.filename), length: Number(a.length ?? 0) });
      return this.ok({ upload_url: `${this.baseUrl}/upload/${fileId}`, file_id: fileId });
    },
    'files.completeUploadExternal': (a) => {
      const files = (Array.isArray(a.files) ? a.files : []).filter(isRecord);
      if (files.length === 0) return this.fail('invalid_arguments');
      const missing = files.find((f) => !this.uploads.has(str(f.id)));
      if (missing) return this.fail('file_not_found');
      return this.ok({
        files: files.map((f) => {
          const id = str(f.id);
          const up = this.uploads.get(id);
          const filename = up?.filename ?? id;
          return { id, title: f.title ?? filename, name: filename, size: this.uploadBytes.get(id)?.length ?? 0 };
        }),
      });
    },
  };

  /** auth.test for a registered token's workspace or org. */
  private authTest(owner: SimulatedTokenOwner): Answer {
    return this.ok({
      url: `https://${(owner.teamId ?? owner.enterpriseId ?? 'org').toLowerCase()}.slack.com/`,
      team: owner.teamId ?? 'Org',
      user: 'gemba',
      team_id: owner.teamId ?? undefined,
      enterprise_id: owner.enterpriseId ?? undefined,
      user_id: owner.botUserId ?? 'UBOT',
      bot_id: owner.botId ?? 'BBOT',
      is_enterprise_install: owner.teamId === null,
    });
  }

  /** oauth.v2.access: exchanges a granted code once (or a refresh token), after checking the app's credentials. */
  private oauthAccess(args: SlackArgs): Answer {
    if (args.client_id !== this.oauthClient.clientId) return this.fail('invalid_client_id');
    if (args.client_secret !== this.oauthClient.clientSecret) return this.fail('bad_client_secret');
    const answer = (grant: SimulatedInstallGrant, extra: Record<string, unknown>) =>
      this.ok({
        app_id: 'A0001',
        scope: GRANTED_SCOPES,
        token_type: 'bot',
        access_token: grant.botToken,
        bot_user_id: grant.botUserId ?? 'UBOT',
        team: grant.team,
        enterprise: grant.enterprise ?? null,
        is_enterprise_install: Boolean(grant.isEnterpriseInstall),
        ...extra,
      });
    if (args.grant_type === 'refresh_token') {
      const given = String(args.refresh_token ?? '');
      const found = this.refreshTokens.get(given);
      if (!found) return this.fail('invalid_refresh_token');
      const generation = found.generation + 1;
      const grant = { ...found.grant, botToken: `${found.grant.botToken}-r${generation}`, refreshToken: `${given}-r${generation}` };
      this.refreshTokens.delete(given);
      this.refreshTokens.set(grant.refreshToken, { grant: found.grant, generation });
      this.registerGrant(grant);
      // A refreshed token lives Slack's usual 12 hours.
      return answer(grant, { refresh_token: grant.refreshToken, expires_in: 43200 });
    }
    const code = String(args.code ?? '');
    const grant = this.grants.get(code);
    if (!grant) return this.fail('invalid_code');
    this.grants.delete(code);
    this.registerGrant(grant);
    if (grant.refreshToken) this.refreshTokens.set(grant.refreshToken, { grant, generation: 0 });
    return answer(grant, {
      authed_user: { id: grant.installerUserId ?? 'U0INSTALLER' },
      ...(grant.refreshToken ? { refresh_token: grant.refreshToken, expires_in: grant.expiresIn ?? 43200 } : {}),
    });
  }

  private registerGrant(grant: SimulatedInstallGrant): void {
    this.setTokenOwner(grant.botToken, {
      teamId: grant.isEnterpriseInstall ? null : (grant.team?.id ?? null),
      enterpriseId: grant.enterprise?.id ?? null,
      botUserId: grant.botUserId ?? 'UBOT',
      botId: 'BBOT',
    });
  }

  private viewAnswer(view: unknown, id: string = this.nextId('V')): Answer {
    return this.ok({
      view: {
        id,
        team_id: this.teamId,
        state: { values: {} },
        hash: `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`,
        private_metadata: '',
        callback_id: '',
        ...(isRecord(view) ? view : {}),
        root_view_id: id,
        previous_view_id: null,
        app_id: 'A0001',
        bot_id: 'BBOT',
      },
    });
  }

  private userObject(id: string): Record<string, unknown> | undefined {
    const set = this.users.get(id);
    if (this.removedUsers.has(id) || (set === undefined && !/^[UW]/.test(id))) return undefined;
    const p = set ?? {};
    const tz = p.tz ?? this.defaultTz;
    const { label, offset } = tzInfo(tz);
    const name = p.name ?? (id === 'UBOT' ? 'gemba' : `user_${id.toLowerCase()}`);
    const realName = p.realName ?? name;
    return {
      id,
      team_id: p.teamId ?? this.teamId,
      name,
      deleted: p.deleted ?? false,
      real_name: realName,
      tz,
      tz_label: label,
      tz_offset: offset,
      is_admin: p.isAdmin ?? false,
      is_owner: p.isOwner ?? false,
      is_primary_owner: false,
      is_restricted: false,
      is_ultra_restricted: false,
      is_bot: p.isBot ?? id === 'UBOT',
      is_app_user: false,
      updated: 1_700_000_000,
      profile: {
        real_name: realName,
        display_name: p.displayName ?? name,
        ...(p.email !== undefined ? { email: p.email } : {}),
        team: p.teamId ?? this.teamId,
      },
    };
  }

  // --------------------------------------------------------------- uploads and response_url

  private upload(fileId: string, parsed: ParsedBody, raw: Buffer, contentType: string): Answer {
    const pending = this.pendingUploads.get(fileId);
    if (!pending) return { status: 404, body: 'unknown upload url' };
    const file = parsed.files[0];
    const bytes = file ? file.bytes : contentType.startsWith('multipart/') ? Buffer.alloc(0) : raw;
    this.pendingUploads.delete(fileId);
    this.uploads.set(fileId, { filename: pending.filename, content: bytes.toString('utf8') });
    this.uploadBytes.set(fileId, bytes);
    parsed.args._filename = pending.filename;
    return { status: 200, body: `OK - ${bytes.length}` };
  }

  private responseUrlPost(body: SlackArgs): Answer {
    const { _key, ...message } = body;
    const keys = Object.keys(message);
    const onlyDelete = message.delete_original === true && message.text === undefined && message.blocks === undefined;
    if (!onlyDelete && keys.length > 0 && (message.text !== undefined || message.blocks !== undefined)) {
      const errors = validateMessage(message);
      if (errors.length > 0) this.invalid.push({ method: 'response_url', errors, surface: message });
    }
    return { status: 200, body: 'ok' };
  }
}
