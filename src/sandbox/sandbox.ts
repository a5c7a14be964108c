/**
 * `npm run sandbox`: the real app (same config, context, listeners, services, jobs and signed
 * request path as `npm start`) against the built-in Slack simulator, plus a small web page on
 * loopback where you act as someone in a demo team. Never talks to Slack.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { type BoltApp, createApp } from '../app.js';
import { type Config, loadConfig } from '../config.js';
import { type AppContext, createContext } from '../context.js';
import { connectStorage } from '../db/connect.js';
import { sqliteInstallFiles } from '../db/open.js';
import { type Scheduler, startScheduler } from '../jobs/scheduler.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import { createSlackClient } from '../slack/client.js';
import { CLOCK_MOVES, type ClockMove, clockTarget, dueStops } from './clock.js';
import {
  ADMIN_ID,
  CHANNELS,
  DIGEST_CHANNEL,
  LEADERBOARD_CHANNEL,
  PEOPLE,
  personById,
  TEAM_ID,
  TEAM_TIMEZONE,
  USERGROUPS,
  usernameOf,
} from './demo-team.js';
import { FileStore, isPicture } from './files.js';
import { lockDataFolder } from './lock.js';
import { demoDirectory, escapeMentions } from './mentions.js';
import { renderPage, renderPane } from './page.js';
import { SlackRequests } from './requests.js';
import { seedDemo } from './seed.js';
import { SlackSimulator } from './slack-simulator.js';
import { Workspace } from './workspace.js';

export interface SandboxOptions {
  /** Folder for sandbox.db, the workspace file and the uploaded files; one sandbox at a time (sandbox.lock). Default ./data. */
  dataDir?: string;
  /** Page port on 127.0.0.1. Default SANDBOX_PORT (3333). */
  port?: number;
  reset?: boolean;
  logger: Logger;
  /** Environment to read SANDBOX_PORT / LOG_LEVEL from. */
  env?: Record<string, string | undefined>;
}

export interface Sandbox {
  url: string;
  ctx: AppContext;
  workspace: Workspace;
  /** The Slack simulator the app talks to (tests slow it down or read its calls). */
  simulator: SlackSimulator;
  close(): Promise<void>;
}

/** Ids as Slack makes them, a letter and ten capitals or digits ('F08ABCDEF12'): random, so none comes back after a restart. */
const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const randomId = (prefix: string): string => prefix + Array.from({ length: 10 }, () => ID_CHARS[randomInt(ID_CHARS.length)]).join('');

/** Sandbox time: the wall clock plus an offset the clock control moves (kept across restarts). */
class SandboxClock implements Clock {
  constructor(private readonly ws: () => Workspace) {}
  now(): number {
    return Date.now() + this.ws().clockOffsetMs;
  }
}

/** Starts simulator, app and page. */
export async function startSandbox(o: SandboxOptions): Promise<Sandbox> {
  const dataDir = o.dataDir ?? './data';
  const dbPath = join(dataDir, 'sandbox.db');
  const wsPath = join(dataDir, 'sandbox-workspace.json');
  const filesDir = join(dataDir, 'sandbox-files');

  const simulator = new SlackSimulator({ teamId: TEAM_ID, defaultTz: TEAM_TIMEZONE, keepCalls: 500, newId: randomId });
  await simulator.listen();
  // Display names as people usually set them (what charts and mentions show), usernames as Slack makes them.
  for (const p of PEOPLE) simulator.setUser(p.id, { name: usernameOf(p), realName: p.name, displayName: p.name, tz: TEAM_TIMEZONE });
  for (const g of USERGROUPS) simulator.setUsergroup(g.id, g.members, { handle: g.handle, name: g.name });

  const secret = randomBytes(16).toString('hex');
  const env = o.env ?? {};
  const config: Config = loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-sandbox',
    SLACK_SIGNING_SECRET: secret,
    SLACK_API_URL: simulator.apiUrl,
    DATABASE_PATH: dbPath,
    LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
    ADMIN_USER_IDS: ADMIN_ID,
    LEADERBOARD_CHANNEL: LEADERBOARD_CHANNEL.id,
    DIGEST_CHANNEL: DIGEST_CHANNEL.id,
    TEAM_TIMEZONE,
    ANONYMITY_KEY: 'sandbox-anonymity-key-not-secret',
    ANONYMITY_MIN_REPORTS: '2',
    ANONYMITY_CROWD: '1',
    SANDBOX_PORT: env.SANDBOX_PORT,
    PORT: '0',
  });

  // The page's port first: a second sandbox (or a --reset beside a running one) stops here, before a file is touched.
  let actor: Actor | undefined;
  const page = createServer((req, res) => {
    const refused = foreignRequest(req, (page.address() as AddressInfo).port);
    if (refused) {
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`Refused: ${refused}. The sandbox answers only its own page.`);
      return;
    }
    if (!actor) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '1' });
      res.end('The sandbox is still starting; reload in a moment.');
      return;
    }
    handlePage(req, res, actor, files).catch((err: unknown) => {
      o.logger.error({ err }, 'sandbox page error');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(String(err instanceof Error ? err.message : err));
    });
  });
  const port = o.port ?? config.sandboxPort;
  await new Promise<void>((resolve, reject) => {
    page.once('error', reject);
    page.listen(port, '127.0.0.1', () => resolve());
  }).catch(async (err: unknown) => {
    await simulator.close();
    throw err;
  });
  const url = `http://127.0.0.1:${(page.address() as AddressInfo).port}`;
  // Then the data folder: a sandbox on another port using the same folder stops here, before a file is touched.
  mkdirSync(dataDir, { recursive: true });
  let unlock: () => void;
  try {
    unlock = lockDataFolder(dataDir, url);
  } catch (err) {
    await new Promise((resolve) => page.close(resolve));
    await simulator.close();
    throw err;
  }
  if (o.reset) {
    for (const f of [...sqliteInstallFiles(dbPath), wsPath]) rmSync(f, { force: true });
    rmSync(filesDir, { recursive: true, force: true });
  }
  mkdirSync(dirname(dbPath), { recursive: true });
  const files = new FileStore(filesDir, (id) => simulator.uploadBytes.get(id));

  let workspace = new Workspace(wsPath, () => Date.now());
  const clock = new SandboxClock(() => workspace);
  workspace = new Workspace(wsPath, () => clock.now());
  // Slack's time is sandbox time: a DM's ts and the app's claims agree, so a read-back finds the DM.
  simulator.clock = () => clock.now();
  // What the bot posted before a restart is still in "Slack": a nudge left in doubt is read back, not resent.
  simulator.restoreMessages(workspace.messages.filter((m) => m.author === 'UBOT' && m.onlyFor === undefined));
  // The file store first: a chart's message is shown with the alt text its upload carried.
  workspace.describeFile = (id) => files.get(id);
  simulator.observe((call) => {
    files.apply(call);
    workspace.apply(call);
  });

  // A start-up that fails after this point leaves nothing listening or open: what was started is undone, last first.
  const undo: Array<() => Promise<unknown>> = [
    async () => unlock(),
    () => simulator.close(),
    () =>
      new Promise((resolve) => {
        page.close(resolve);
        page.closeAllConnections();
      }),
  ];
  const { storage, ctx, app, scheduler, ready } = await startApp().catch(async (err: unknown) => {
    // Say what is wrong (InstallFilesError says which file to restore or move) with nothing left behind.
    for (const step of undo.reverse()) await step().catch(() => undefined);
    throw err;
  });

  async function startApp() {
    const { storage, applied } = await connectStorage(config);
    undo.push(() => storage.close());
    const fresh = applied.length > 0;
    // The app logs at LOG_LEVEL (warn by default here): weeks of seeded job runs are not news.
    const appLogger = o.logger.child({}, { level: config.logLevel });
    const ctx = createContext({ config, storage, logger: appLogger, clock, slack: createSlackClient(config, appLogger) });
    const app: BoltApp = createApp(ctx, { botId: 'BBOT', botUserId: 'UBOT' });
    // Every request's whole handling, past its ack (a look-up, then a reply through response_url), is
    // awaited by Actor.settle before the page shows the result, as Slack shows that reply at once.
    const handlers = new Set<Promise<void>>();
    const processEvent = app.processEvent.bind(app);
    app.processEvent = (event) => {
      const running = processEvent(event);
      handlers.add(running);
      void running.then(
        () => handlers.delete(running),
        () => handlers.delete(running),
      );
      return running;
    };
    await app.init();
    const appServer = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
    undo.push(() => app.stop());
    const appUrl = `http://127.0.0.1:${(appServer.address() as AddressInfo).port}`;
    const requests = new SlackRequests(appUrl, secret, TEAM_ID);
    // The real heartbeat (node-cron, every 5 minutes) runs too; the clock control ticks it at once.
    const scheduler: Scheduler = startScheduler(ctx, { enabled: true });
    undo.push(() => scheduler.stop());
    const ready = new Actor(ctx, workspace, simulator, requests, scheduler, handlers);
    if (fresh) {
      o.logger.info('seeding the demo team (8 weeks of history)…');
      await seedDemo(ready, workspace);
    }
    return { storage, ctx, app, scheduler, ready };
  }
  actor = ready;

  return {
    url,
    ctx,
    workspace,
    simulator,
    async close() {
      await new Promise<void>((resolve) => {
        page.close(() => resolve());
        page.closeAllConnections();
      });
      await scheduler.stop();
      await app.stop();
      await ctx.background.drain();
      workspace.save();
      await storage.close();
      await simulator.close();
      unlock();
    },
  };
}

/** Does what a person does in Slack, through the app's real signed request path. */
export class Actor {
  constructor(
    readonly ctx: AppContext,
    readonly workspace: Workspace,
    readonly simulator: SlackSimulator,
    private readonly requests: SlackRequests,
    private readonly scheduler: Scheduler,
    private readonly handlers: ReadonlySet<Promise<void>> = new Set(),
  ) {}

  private readonly directory = demoDirectory();

  private responseUrl(target: { user: string; channel: string; messageTs?: string }): string {
    const key = randomBytes(6).toString('hex');
    this.workspace.expectResponses(key, target);
    return this.simulator.responseUrl(key);
  }

  /**
   * Types a slash command in a channel or DM; the acknowledgement shows as Slack shows it. Mentions
   * typed by name (`@Ben Carter`, `#sales-leaderboard`, `@sales-reps`) are sent escaped, as Slack's
   * composer sends what was picked from its autocomplete.
   */
  async command(user: string, channel: string, typed: string, o: { showAck?: boolean } = {}): Promise<void> {
    const line = escapeMentions(typed.trim(), this.directory);
    const [command, ...rest] = line.split(/\s+/);
    const text = line.trim().slice(command.length).trim();
    const person = personById(user);
    const ch = CHANNELS.find((c) => c.id === channel);
    const answer = await this.requests.command({
      command,
      text: rest.length ? text : '',
      userId: user,
      userName: person?.name ?? user,
      channelId: channel,
      channelName: ch?.name ?? 'directmessage',
      responseUrl: this.responseUrl({ user, channel }),
      triggerId: this.workspace.trigger(user),
    });
    if (o.showAck !== false) this.showAck(answer, user, channel, line);
    await this.settle();
  }

  private showAck(answer: { status: number; body: unknown }, user: string, channel: string, line: string): void {
    const body = answer.body;
    if (answer.status !== 200) {
      this.workspace.post({
        channel,
        author: 'UBOT',
        onlyFor: user,
        text: `Slackbot: ${line.split(' ')[0]} failed with the error "dispatch_failed" (HTTP ${answer.status})`,
      });
      return;
    }
    if (typeof body === 'string' && body) {
      this.workspace.post({ channel, author: 'UBOT', onlyFor: user, text: body });
      return;
    }
    if (typeof body !== 'object' || body === null) return;
    const b = body as { text?: string; blocks?: unknown[]; response_type?: string };
    if (b.text === undefined && b.blocks === undefined) return;
    const inChannel = b.response_type === 'in_channel';
    if (inChannel) this.workspace.post({ channel, author: user, text: line });
    this.workspace.post({ channel, author: 'UBOT', text: b.text ?? '', blocks: b.blocks, onlyFor: inChannel ? undefined : user });
  }

  /** Clicks a button on a message, the Home tab or a modal. */
  async click(
    user: string,
    a: { actionId: string; blockId: string; value: string; surface: string; channel: string; ts: string; viewId: string; text: string },
  ): Promise<void> {
    const action = {
      type: 'button',
      action_id: a.actionId,
      block_id: a.blockId,
      value: a.value,
      text: { type: 'plain_text', text: a.text },
    };
    const person = personById(user);
    const base = { userId: user, userName: person?.name ?? user, triggerId: this.workspace.trigger(user), action };
    if (a.surface === 'message') {
      const msg = this.workspace.messages.find((m) => m.ts === a.ts);
      await this.requests.blockActions({
        ...base,
        channelId: a.channel,
        messageTs: a.ts,
        ephemeral: msg?.onlyFor !== undefined,
        responseUrl: this.responseUrl({ user, channel: a.channel, messageTs: a.ts }),
      });
    } else if (a.surface === 'home') {
      const view = this.workspace.homes.get(user);
      await this.requests.blockActions({ ...base, view: { id: `VHOME${user}`, type: 'home', state: { values: {} }, ...(view ?? {}) } });
    } else {
      const open = this.workspace.topModal(user);
      if (open) await this.requests.blockActions({ ...base, view: { ...open.view, state: { values: {} } } });
    }
    await this.settle();
  }

  /** Submits the user's top modal with the values typed in the page. */
  async submit(user: string, values: Record<string, Record<string, unknown>>): Promise<void> {
    const open = this.workspace.topModal(user);
    if (!open) return;
    const person = personById(user);
    const answer = await this.requests.viewSubmission({
      userId: user,
      userName: person?.name ?? user,
      triggerId: this.workspace.trigger(user),
      view: { ...open.view, state: { values } },
    });
    const body = (typeof answer.body === 'object' && answer.body !== null ? answer.body : {}) as {
      response_action?: string;
      errors?: Record<string, string>;
      view?: Record<string, unknown>;
    };
    if (answer.status !== 200) {
      open.errors = { _: `We had some trouble connecting (HTTP ${answer.status}). Try again?` };
    } else if (body.response_action === 'errors') {
      open.errors = body.errors ?? {};
      open.view = { ...open.view, ...remember(open.view, values) };
    } else if (body.response_action === 'update' && body.view) {
      open.view = { ...body.view, id: open.id };
      open.errors = undefined;
    } else if (body.response_action === 'push' && body.view) {
      this.workspace.modals.get(user)?.push({ id: `VPUSH${Date.now()}`, view: body.view });
    } else if (body.response_action === 'clear') {
      this.workspace.closeModal(user, true);
    } else {
      this.workspace.closeModal(user);
    }
    this.workspace.changed();
    await this.settle();
  }

  closeModal(user: string): void {
    this.workspace.closeModal(user);
  }

  /** Opens the Home tab (Slack sends app_home_opened). */
  async openHome(user: string): Promise<void> {
    await this.requests.homeOpened(user);
    await this.settle();
  }

  /**
   * Moves sandbox time to `ms`, running the scheduler at each instant on the way at which a job
   * becomes due (clock.ts dueStops) and then at `ms`, as its heartbeat would have while that time passed.
   */
  async moveClockTo(ms: number): Promise<void> {
    const settings = await this.ctx.services.settings.forTeam(TEAM_ID);
    const due = { zones: [settings.timezone, TEAM_TIMEZONE], nudgeHour: settings.nudgeHour, publishHour: this.ctx.config.flagPublishHour };
    for (const at of [...dueStops(this.ctx.clock.now(), ms, due), ms]) {
      this.workspace.clockOffsetMs = at - Date.now();
      this.workspace.changed();
      await this.scheduler.tick();
      await this.settle();
    }
  }

  /** Where a clock button moves sandbox time (clock.ts clockTarget), in the team's time zone. */
  async clockTarget(move: ClockMove): Promise<number> {
    const { timezone } = await this.ctx.services.settings.forTeam(TEAM_ID);
    return clockTarget(move, this.ctx.clock.now(), timezone, this.ctx.config.flagPublishHour);
  }

  /** Waits for the app's work on what was just sent (its listeners past the ack, after-ack jobs) to finish. */
  async settle(): Promise<void> {
    while (this.handlers.size > 0) await Promise.allSettled([...this.handlers]);
    await this.ctx.background.drain();
  }
}

/** Keeps what the user typed when a modal comes back with errors (Slack keeps the form as filled). */
function remember(view: Record<string, unknown>, values: Record<string, Record<string, unknown>>): Record<string, unknown> {
  const blocks = Array.isArray(view.blocks) ? (view.blocks as Array<Record<string, unknown>>) : [];
  return {
    blocks: blocks.map((b) => {
      const el = b.element as Record<string, unknown> | undefined;
      const state = values[String(b.block_id)]?.[String(el?.action_id)] as Record<string, unknown> | undefined;
      if (!el || !state) return b;
      if (el.type === 'plain_text_input') return { ...b, element: { ...el, initial_value: state.value ?? '' } };
      if (el.type === 'datepicker' && state.selected_date) return { ...b, element: { ...el, initial_date: state.selected_date } };
      if (el.type === 'static_select' && state.selected_option) return { ...b, element: { ...el, initial_option: state.selected_option } };
      return b;
    }),
  };
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

const s = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/**
 * Why a request to the page server is not its own page's, or null when it is. Any web page open in
 * the same browser can send requests to loopback: a form post (text/plain, no preflight) to
 * /do/command could run `/gemba admin forget` as the admin. So every request must name the sandbox's
 * own host (a DNS-rebound name is refused), and a request that changes anything must come from the
 * page's own origin (when the browser says) as JSON, which a cross-site form cannot send.
 * Example: Host 127.0.0.1:3333, Origin http://127.0.0.1:3333, application/json → null;
 * Origin https://example.com → 'a request from another site'.
 */
export function foreignRequest(req: IncomingMessage, port: number): string | null {
  const host = (req.headers.host ?? '').toLowerCase();
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return `host "${host.slice(0, 80)}" is not this sandbox`;
  if (req.method === 'GET' || req.method === 'HEAD') return null;
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${host}`) return 'a request from another site';
  if (req.headers['sec-fetch-site'] !== undefined && !['same-origin', 'none'].includes(String(req.headers['sec-fetch-site'])))
    return 'a request from another site';
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') return 'an action must be sent as application/json';
  return null;
}

async function handlePage(req: IncomingMessage, res: ServerResponse, actor: Actor, files: FileStore): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const send = (status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...headers });
    res.end(body);
  };
  const user = personById(url.searchParams.get('as') ?? '')?.id ?? PEOPLE[0].id;
  // Each person has their own DM with Gemba: a DM pane named for someone else is the viewer's own.
  const asked = url.searchParams.get('pane') ?? LEADERBOARD_CHANNEL.id;
  const pane = /^D/.test(asked) ? `D${user}` : asked;
  if (req.method === 'GET' && url.pathname === '/' && pane !== asked) {
    res.writeHead(303, { location: `/?as=${encodeURIComponent(user)}&pane=${encodeURIComponent(pane)}` });
    res.end();
    return;
  }
  // The clock shows the team's time, in which its buttons' hours are read: an admin may have changed the zone.
  const teamTz = async () => (await actor.ctx.services.settings.forTeam(TEAM_ID)).timezone;
  if (req.method === 'GET' && url.pathname === '/') {
    if (pane === 'home') await actor.openHome(user);
    return send(200, 'text/html; charset=utf-8', renderPage(actor, user, pane, await teamTz()));
  }
  if (req.method === 'GET' && url.pathname === '/pane')
    return send(200, 'text/html; charset=utf-8', renderPane(actor, user, pane, await teamTz()));
  if (req.method === 'GET' && url.pathname === '/version')
    return send(200, 'application/json', JSON.stringify({ version: actor.workspace.version }));
  if (req.method === 'GET' && url.pathname.startsWith('/files/')) {
    const id = decodeURIComponent(url.pathname.slice('/files/'.length));
    const file = files.get(id);
    const bytes = file && files.bytes(id);
    if (!file || !bytes) return send(404, 'text/plain; charset=utf-8', 'no such file');
    // Served as what it is; anything but a picture is a download, and nothing in a file may run here.
    const name = file.name.replace(/[^\w.-]/g, '_');
    return send(200, file.type, bytes, {
      'content-security-policy': "default-src 'none'; sandbox",
      ...(isPicture(file) ? {} : { 'content-disposition': `attachment; filename="${name}"` }),
    });
  }
  if (req.method === 'POST' && url.pathname.startsWith('/do/')) {
    const body = await readJson(req);
    const who = personById(s(body.user))?.id ?? user;
    switch (url.pathname.slice(4)) {
      case 'command':
        await actor.command(who, s(body.channel), s(body.text));
        break;
      case 'click':
        await actor.click(who, {
          actionId: s(body.actionId),
          blockId: s(body.blockId),
          value: s(body.value),
          surface: s(body.surface),
          channel: s(body.channel),
          ts: s(body.ts),
          viewId: s(body.viewId),
          text: s(body.text),
        });
        break;
      case 'submit':
        await actor.submit(who, (body.values ?? {}) as Record<string, Record<string, unknown>>);
        break;
      case 'close':
        actor.closeModal(who);
        break;
      case 'home':
        await actor.openHome(who);
        break;
      case 'clock': {
        const move = CLOCK_MOVES.find((m) => m === s(body.to));
        if (!move) return send(400, 'text/plain; charset=utf-8', `unknown clock move "${s(body.to).slice(0, 20)}"`);
        await actor.moveClockTo(await actor.clockTarget(move));
        break;
      }
      default:
        return send(404, 'text/plain', 'unknown action');
    }
    return send(200, 'application/json', JSON.stringify({ ok: true, version: actor.workspace.version }));
  }
  send(404, 'text/plain; charset=utf-8', 'not found');
}
