/**
 * `npm start` in distribution mode for real: the composition root in a child process with the OAuth
 * variables and no bot token serves the Add to Slack page, completes an install against the fake
 * Slack, serves the installed workspace, and stops cleanly on SIGTERM.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type AppChild, spawnApp, waitHealthy } from '../kit/app-process.js';
import { databaseEnv } from '../kit/engine.js';
import { type FakeSlack, startFakeSlack } from '../kit/fake-slack.js';
import { DISTRIBUTION_ENV } from '../kit/harness.js';
import { freePort } from '../kit/net.js';
import { slashCommand } from '../kit/payloads.js';
import { postSigned } from '../kit/sign.js';

const SECRET = 'start-dist-signing-secret';

describe('npm start (src/main.ts) in distribution mode', { timeout: 60_000 }, () => {
  let fake: FakeSlack;
  let dir: string;
  let app: AppChild;
  let url: string;
  let env: Record<string, string>;

  before(async () => {
    fake = await startFakeSlack({ defaultTz: 'UTC' });
    dir = mkdtempSync(join(tmpdir(), 'gemba-start-dist-'));
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(
        (e): e is [string, string] => e[1] !== undefined && !/^(SLACK_|PORT$|DATABASE_|TOKEN_|UNINSTALL_)/.test(e[0]),
      ),
    );
    env = {
      ...inherited,
      ...DISTRIBUTION_ENV,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fake.apiUrl,
      ...(await databaseEnv(join(dir, 'gemba.db'))),
      SCHEDULER_ENABLED: 'false',
    };
    app = spawnApp({ env, cwd: dir, port: await freePort() });
    url = app.url;
    await waitHealthy(app);
  });

  after(async () => {
    if (app.proc.exitCode === null) app.proc.kill('SIGKILL');
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
    app.proc.kill('SIGTERM');
    assert.equal(await app.exited, 0, app.output());
  });

  it('refuses to start, in one line, when TOKEN_ENCRYPTION_KEY is not the key the installations were stored with', async () => {
    const other = spawnApp({
      env: { ...env, TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64') },
      cwd: dir,
      port: await freePort(),
    });
    assert.equal(await other.exited, 1, other.output());
    const lines = other
      .output()
      .split('\n')
      .filter((l) => l.startsWith('Gemba cannot start:'));
    assert.deepEqual(lines, [
      'Gemba cannot start: TOKEN_ENCRYPTION_KEY does not decrypt any of the 1 stored installation: it is not the key they were stored with (was it changed?). Set it back to that key, or every workspace must install Gemba again',
    ]);
  });
});
