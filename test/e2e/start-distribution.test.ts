/**
 * `npm start` in distribution mode for real: the composition root in a child process with the OAuth
 * variables and no bot token serves the Add to Slack page, completes an install against the fake
 * Slack, serves the installed workspace, and stops cleanly on SIGTERM.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { databaseEnv } from '../kit/engine.js';
import { type FakeSlack, startFakeSlack } from '../kit/fake-slack.js';
import { DISTRIBUTION_ENV } from '../kit/harness.js';
import { freePort } from '../kit/net.js';
import { slashCommand } from '../kit/payloads.js';
import { postSigned } from '../kit/sign.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const SECRET = 'start-dist-signing-secret';
const TSX = import.meta.resolve('tsx');

describe('npm start (src/main.ts) in distribution mode', { timeout: 60_000 }, () => {
  let fake: FakeSlack;
  let dir: string;
  let child: ChildProcess;
  let out = '';
  let url: string;

  before(async () => {
    fake = await startFakeSlack({ defaultTz: 'UTC' });
    dir = mkdtempSync(join(tmpdir(), 'gemba-start-dist-'));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !/^(SLACK_|PORT$|DATABASE_|TOKEN_|UNINSTALL_)/.test(k)),
    );
    child = spawn(process.execPath, ['--import', TSX, join(root, 'src/main.ts')], {
      cwd: dir,
      env: {
        ...inherited,
        ...DISTRIBUTION_ENV,
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: fake.apiUrl,
        PORT: String(port),
        ...(await databaseEnv(join(dir, 'gemba.db'))),
        SCHEDULER_ENABLED: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d) => (out += d));
    child.stderr?.on('data', (d) => (out += d));
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`app exited with ${child.exitCode}:\n${out}`);
      if ((await fetch(`${url}/healthz`).catch(() => null))?.ok) break;
      if (Date.now() > deadline) throw new Error(`app did not answer /healthz:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  after(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the Add to Slack page, completes an install and then serves that workspace', async () => {
    assert.equal(fake.callsTo('auth.test').length, 0, 'no bot token to check at start');
    const page = await fetch(`${url}/slack/install`);
    assert.equal(page.status, 200);
    const html = await page.text();
    const href = (/id="add-to-slack" href="([^"]+)"/.exec(html)?.[1] ?? '').replace(/&amp;/g, '&');
    const state = new URL(href).searchParams.get('state') ?? '';
    const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0];
    fake.grantInstall('start-code', { team: { id: 'T0START', name: 'Start Co' }, botToken: 'xoxb-start-dist' });
    const back = await fetch(`${url}/slack/oauth_redirect?code=start-code&state=${encodeURIComponent(state)}`, { headers: { cookie } });
    assert.equal(back.status, 200, await back.clone().text());
    assert.match(await back.text(), /Gemba is now installed in the workspace Start Co/);

    const p = slashCommand({ command: '/contact', text: 'Acme Corp', teamId: 'T0START', responseUrl: fake.responseUrl() });
    const r = await postSigned(url, { secret: SECRET, body: p.body, contentType: p.contentType });
    assert.equal(r.status, 200);
    assert.match(r.json.text, /Logged a conversation with Acme Corp/);
  });

  it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0, out);
  });
});
