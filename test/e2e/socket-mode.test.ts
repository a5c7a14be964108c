/**
 * `npm start` with SLACK_APP_TOKEN set: the composition root in a child process opens Slack's Socket Mode
 * connection (apps.connections.open with the app token, then the WebSocket) and serves commands,
 * buttons, modals and events over it as it does over HTTP: the ack of each envelope carries the reply,
 * nothing is stored from bad input, `GET /healthz` still answers on PORT, and SIGTERM stops it cleanly.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ActionId } from '../../src/blocks/ids.js';
import { type AppChild, spawnApp, waitHealthy } from '../kit/app-process.js';
import { databaseEnv, inspectStore } from '../kit/engine.js';
import { type FakeSlack, startFakeSlack } from '../kit/fake-slack.js';
import { type FakeSocketMode, socketPayload, startFakeSocketMode } from '../kit/fake-socket-mode.js';
import { freePort } from '../kit/net.js';
import { appHomeOpened, blockActions, slashCommand } from '../kit/payloads.js';

const MANAGER = 'USOCK1';
const APP_TOKEN = 'xapp-1-A0001-socket-test';

describe('npm start (src/main.ts) in Socket Mode', { timeout: 90_000 }, () => {
  let fake: FakeSlack;
  let socket: FakeSocketMode;
  let dir: string;
  let databasePath: string;
  let app: AppChild;

  const command = (cmd: string, text: string, userId = MANAGER) =>
    socket.send('slash_commands', socketPayload(slashCommand({ command: cmd, text, userId })));
  const contacts = (): Promise<Array<{ id: number; account: string }>> =>
    inspectStore(databasePath, (db) => db.rows('SELECT id, account FROM contacts WHERE user_id = ? ORDER BY id', [MANAGER]));

  before(async () => {
    fake = await startFakeSlack({ defaultTz: 'UTC' });
    socket = await startFakeSocketMode();
    fake.socketModeUrl = socket.url;
    dir = mkdtempSync(join(tmpdir(), 'gemba-socket-'));
    databasePath = join(dir, 'gemba.db');
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(
        (e): e is [string, string] => e[1] !== undefined && !/^(SLACK_|PORT$|DATABASE_|TOKEN_|UNINSTALL_)/.test(e[0]),
      ),
    );
    app = spawnApp({
      env: {
        ...inherited,
        SLACK_BOT_TOKEN: 'xoxb-socket-test',
        SLACK_APP_TOKEN: APP_TOKEN,
        SLACK_API_URL: fake.apiUrl,
        ...(await databaseEnv(databasePath)),
        SCHEDULER_ENABLED: 'false',
      },
      cwd: dir,
      port: await freePort(),
    });
    await waitHealthy(app);
    await socket.connected();
  });

  after(async () => {
    if (app.proc.exitCode === null) app.proc.kill('SIGKILL');
    await socket.close();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens the connection with the app token, and still answers GET /healthz on PORT', async () => {
    const opens = fake.callsTo('apps.connections.open');
    assert.equal(opens.length, 1);
    assert.equal(opens[0].token, APP_TOKEN, 'apps.connections.open is called with the xapp token, not the bot token');
    assert.equal(socket.connections, 1);
    const health = await fetch(`${app.url}/healthz`);
    assert.equal(health.status, 200);
    assert.equal(((await health.json()) as { status: string }).status, 'ok');
    assert.doesNotMatch(app.output(), /"level":"(error|fatal)"|\bERROR\b/i);
  });

  it('/contact one-liner: the ack carries the confirmation, and the conversation is stored', async () => {
    const ack = await command('/contact', 'Acme Corp with Dana Lee via video 30m: wants ROI proof');
    assert.equal(ack.payload.response_type, 'ephemeral');
    assert.match(ack.payload.text, /Logged a conversation with Acme Corp\. This week: 1 of 3\./);
    assert.deepEqual(
      (await contacts()).map((c) => c.account),
      ['Acme Corp'],
    );
  });

  it('bad input: the ack explains and shows an example, and nothing is stored', async () => {
    const ack = await command('/contact', 'Initech 900m');
    assert.equal(ack.payload.response_type, 'ephemeral');
    assert.match(ack.payload.text, /Try: `\/contact /);
    assert.equal((await contacts()).length, 1);
  });

  it('/contact with no text opens the modal with the envelope trigger and acks empty', async () => {
    const ack = await command('/contact', '');
    assert.deepEqual(ack.payload ?? {}, {});
    const opened = await fake.waitFor('views.open');
    assert.equal(typeof opened.args.trigger_id, 'string');
  });

  it('an Undo button over the socket removes the conversation', async () => {
    const [row] = await contacts();
    const ack = await socket.send(
      'interactive',
      socketPayload(
        blockActions({ actionId: ActionId.contactUndo, value: String(row.id), userId: MANAGER, responseUrl: fake.responseUrl('undo') }),
      ),
    );
    assert.equal(ack.envelope_id.length > 0, true);
    const reply = await fake.waitFor('response_url', (c) => c.args._key === 'undo');
    assert.match(JSON.stringify(reply.args), /Removed: \*Acme Corp\*/);
    assert.equal((await contacts()).length, 0);
  });

  it('an app_home_opened event over the socket publishes the Home tab', async () => {
    await socket.send('events_api', socketPayload(appHomeOpened(MANAGER)));
    const published = await fake.waitFor('views.publish', (c) => c.args.user_id === MANAGER);
    assert.equal(published.args.view.type, 'home');
  });

  it('SIGTERM stops the app with exit code 0', async () => {
    app.proc.kill('SIGTERM');
    assert.equal(await app.exited, 0, app.output());
    assert.match(app.output(), /stopped/);
  });
});
