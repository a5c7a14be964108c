/**
 * Distribution mode end to end: the Add to Slack page, the OAuth redirect through oauth.v2.access at
 * the fake Slack, the installation stored encrypted, every failure explained with nothing stored,
 * and requests from each installed workspace (and a Grid org) served with that installation's token.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { JOBS } from '../../src/jobs/index.js';
import { createTokenCipher } from '../../src/lib/token-cipher.js';
import { BOT_SCOPES } from '../../src/slack/scopes.js';
import { ON_POSTGRES } from '../kit/engine.js';
import { DISTRIBUTION_ENV, type Harness, harnessPerTest } from '../kit/harness.js';
import { installWorkspace, openInstallPage, redirectBack } from '../kit/install.js';
import { allText, assertSurfacesValid } from './support.js';

const harness = harnessPerTest();
const root = fileURLToPath(new URL('../../', import.meta.url));
const manifestScopes: string[] = parse(readFileSync(join(root, 'manifest.yml'), 'utf8')).oauth_config.scopes.bot;

const ACME = { team: { id: 'T0ACME', name: 'Acme Sales' }, botToken: 'xoxb-acme-secret-token' };
const GLOBEX = { team: { id: 'T0GLOBEX', name: 'Globex' }, botToken: 'xoxb-globex-secret-token' };
const GRID = {
  team: null,
  enterprise: { id: 'E0GRID', name: 'Initech Group' },
  isEnterpriseInstall: true,
  botToken: 'xoxb-grid-org-secret-token',
};

const installations = (h: Harness) =>
  h.rows('SELECT install_key, team_id, enterprise_id, is_enterprise_install, uninstalled_at FROM installations ORDER BY 1');

describe('distribution: the Add to Slack page', () => {
  it("links to Slack's authorize URL with the client id, exactly the manifest's bot scopes and a state, and sets the state cookie", async () => {
    const h = await harness({ distribution: true });
    const page = await openInstallPage(h);
    assert.equal(page.status, 200);
    assert.match(page.html, /Add Gemba to Slack/);
    assert.equal(`${page.authorizeUrl.origin}${page.authorizeUrl.pathname}`, 'https://slack.com/oauth/v2/authorize');
    assert.equal(page.authorizeUrl.searchParams.get('client_id'), DISTRIBUTION_ENV.SLACK_CLIENT_ID);
    const scopes = (page.authorizeUrl.searchParams.get('scope') ?? '').split(',');
    assert.deepEqual([...scopes].sort(), [...manifestScopes].sort(), "exactly the manifest's bot scopes");
    assert.deepEqual([...scopes].sort(), [...BOT_SCOPES].sort());
    const state = page.authorizeUrl.searchParams.get('state') ?? '';
    assert.ok(state.length > 20, 'a state');
    assert.equal(page.cookie, `slack-app-oauth-state=${state}`, 'the state is tied to this browser');
    // Two visits, two different states.
    const again = await openInstallPage(h);
    assert.notEqual(again.authorizeUrl.searchParams.get('state'), state);
  });

  it('GET /healthz still answers, and signed Slack requests still arrive at /slack/events', async () => {
    const h = await harness({ distribution: true });
    const res = await fetch(`${h.url}/healthz`);
    assert.equal(res.status, 200);
  });
});

describe('distribution: installing', () => {
  it('installs two workspaces and a Grid org, each with its own encrypted token, and serves each from its own installation', async () => {
    const h = await harness({ distribution: true, env: { LEADERBOARD_CHANNEL: 'C0LEADERS' } });
    const acme = await installWorkspace(h, ACME);
    assert.equal(acme.status, 200, acme.html);
    assert.match(acme.html, /Gemba is now installed in the workspace Acme Sales/);
    const globex = await installWorkspace(h, GLOBEX);
    assert.match(globex.html, /installed in the workspace Globex/);
    const grid = await installWorkspace(h, GRID);
    assert.equal(grid.status, 200, grid.html);
    assert.match(grid.html, /installed in your organisation Initech Group/);
    assert.deepEqual(await installations(h), [
      { install_key: 'E:E0GRID', team_id: null, enterprise_id: 'E0GRID', is_enterprise_install: 1, uninstalled_at: null },
      { install_key: 'T:T0ACME', team_id: 'T0ACME', enterprise_id: null, is_enterprise_install: 0, uninstalled_at: null },
      { install_key: 'T:T0GLOBEX', team_id: 'T0GLOBEX', enterprise_id: null, is_enterprise_install: 0, uninstalled_at: null },
    ]);
    // oauth.v2.access went to SLACK_API_URL (the fake) with the app's credentials.
    assert.equal(h.fake.callsTo('oauth.v2.access').length, 3);

    // Each workspace's commands work and use its own token; the org's workspaces share the org's.
    h.fake.reset();
    const cases = [
      { teamId: 'T0ACME', token: ACME.botToken, p: {} },
      { teamId: 'T0GLOBEX', token: GLOBEX.botToken, p: {} },
      { teamId: 'T0GRIDA', token: GRID.botToken, p: { enterpriseId: 'E0GRID', isEnterpriseInstall: true } },
      { teamId: 'T0GRIDB', token: GRID.botToken, p: { enterpriseId: 'E0GRID', isEnterpriseInstall: true } },
    ];
    for (const c of cases) {
      const r = await h.command('/contact', `Account of ${c.teamId}`, { teamId: c.teamId, userId: 'U0001', ...c.p });
      assert.equal(r.status, 200);
      assert.match(allText(r.json), new RegExp(`Logged: \\*Account of ${c.teamId}\\*`), `${c.teamId}: ${r.text}`);
      // The log's after-ack work (a profile look-up) may still be in flight; let it finish so the
      // only views.open after this point is the modal's.
      await h.settle();
      const opensBefore = h.fake.callsTo('views.open').length;
      const opened = await h.command('/contact', '', { teamId: c.teamId, userId: 'U0001', ...c.p });
      assert.equal(opened.status, 200);
      const opens = h.fake.callsTo('views.open');
      assert.equal(opens.length, opensBefore + 1, `${c.teamId}: one modal opened`);
      assert.equal(opens.at(-1)?.token, c.token, `${c.teamId} opens its modal with its own installation's token`);
    }
    await h.settle();
    // Settings and data stay per workspace, even inside one org.
    const rows = await h.rows('SELECT team_id, account FROM contacts ORDER BY team_id');
    assert.deepEqual(
      rows,
      cases.map((c) => ({ team_id: c.teamId, account: `Account of ${c.teamId}` })).sort((a, b) => a.team_id.localeCompare(b.team_id)),
    );
    for (const call of h.fake.calls) {
      const owner = h.fake.tokenOwner(call.token);
      assert.ok(owner, `${call.method} was made with a known installation token`);
    }

    // Scheduled work too: each workspace's post goes out with its installation's token, the org's
    // workspaces with the org's (found through the workspace → org link learned from their requests).
    h.fake.reset();
    await JOBS.leaderboard(h.ctx, h.clock.now(), { force: true });
    const posted = h.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0LEADERS');
    assert.deepEqual(posted.map((c) => c.token).sort(), cases.map((c) => c.token).sort());
    assertSurfacesValid(h);
  });

  it('keeps tokens unreadable without TOKEN_ENCRYPTION_KEY: not in any row or database file, and another key cannot decrypt them', async () => {
    const h = await harness({ distribution: true });
    await installWorkspace(h, ACME);
    await installWorkspace(h, GRID);
    for (const t of await h.tables()) {
      const rows = JSON.stringify(await h.rows(`SELECT * FROM ${t.name}`));
      for (const token of [ACME.botToken, GRID.botToken, 'xoxb-'])
        assert.equal(rows.includes(token), false, `${token} must not appear in ${t.name}`);
    }
    // The files themselves exist on SQLite only (PostgreSQL's files are the server's).
    if (!ON_POSTGRES) {
      h.db.pragma('wal_checkpoint(TRUNCATE)');
      for (const file of [h.databasePath, `${h.databasePath}-wal`]) {
        const bytes = await readFile(file).catch(() => Buffer.alloc(0));
        for (const token of [ACME.botToken, GRID.botToken, 'xoxb-']) {
          assert.equal(bytes.includes(Buffer.from(token)), false, `${token} must not appear in ${file}`);
        }
      }
    }
    const row = (await h.row("SELECT secret FROM installations WHERE install_key = 'T:T0ACME'")) as { secret: string };
    const right = createTokenCipher(Buffer.from(DISTRIBUTION_ENV.TOKEN_ENCRYPTION_KEY, 'base64'));
    assert.match(right.decrypt(row.secret, 'T:T0ACME'), /xoxb-acme-secret-token/);
    const wrong = createTokenCipher(Buffer.alloc(32, 9));
    assert.throws(() => wrong.decrypt(row.secret, 'T:T0ACME'));
    assert.throws(() => right.decrypt(row.secret, 'T:T0GLOBEX'), 'a ciphertext moved to another row does not decrypt');
  });

  it('refreshes a rotating token that is about to expire (oauth.v2.access grant_type=refresh_token) and stores the new one encrypted', async () => {
    const h = await harness({ distribution: true });
    await installWorkspace(h, { ...ACME, refreshToken: 'xoxe-acme-refresh', expiresIn: 60 });
    h.fake.reset();
    const r = await h.command('/contact', '', { teamId: 'T0ACME' });
    assert.equal(r.status, 200);
    const refresh = h.fake.callsTo('oauth.v2.access');
    assert.equal(refresh.length, 1, 'the expiring token was refreshed');
    assert.equal(refresh[0].args.grant_type, 'refresh_token');
    assert.equal(h.fake.callsTo('views.open')[0].token, `${ACME.botToken}-r1`, 'the new token is used at once');
    // Jobs' look-ups go through the same store and see the new token.
    const client = await h.ctx.workspaces.clientFor('T0ACME');
    assert.equal(client?.token, `${ACME.botToken}-r1`);
    const secret = ((await h.value("SELECT secret FROM installations WHERE install_key = 'T:T0ACME'")) as string) ?? '';
    assert.equal(secret.includes('xoxb-'), false);
  });
});

describe('distribution: credentials stay out of the log', () => {
  it('logs no token, refresh token, client secret or authorization code, even at debug', async () => {
    const h = await harness({ distribution: true, env: { LOG_LEVEL: 'debug' } });
    await installWorkspace(h, { ...ACME, refreshToken: 'xoxe-acme-refresh', expiresIn: 60 });
    await h.command('/contact', '', { teamId: 'T0ACME' });
    await h.settle();
    const text = h.logText();
    assert.ok(h.ctx.logger.isLevelEnabled('debug'), 'sanity: the app logs at debug');
    assert.match(text, /web api client for workspace/, "sanity: Gemba's own debug lines are written");
    for (const secret of [ACME.botToken, `${ACME.botToken}-r1`, 'xoxe-acme-refresh', DISTRIBUTION_ENV.SLACK_CLIENT_SECRET]) {
      assert.equal(text.includes(secret), false, `${secret} must not be logged`);
    }
    assert.doesNotMatch(text, /code-\d/, 'the authorization code is not logged');
  });
});

describe('distribution: failed installs are explained and store nothing', () => {
  it('refuses a forged state', async () => {
    const h = await harness({ distribution: true });
    const page = await openInstallPage(h);
    h.fake.grantInstall('code-forged', ACME);
    const forged = `${(page.authorizeUrl.searchParams.get('state') ?? '').split('.')[0]}.AAAA`;
    const r = await redirectBack(h, { code: 'code-forged', state: forged }, `slack-app-oauth-state=${forged}`);
    assert.equal(r.status, 400);
    assert.match(r.html, /Gemba was not installed/);
    assert.match(r.html, /install link has expired, was already used, or was opened in another browser\. Nothing was stored\./);
    assert.deepEqual(await installations(h), []);
    assert.equal(h.fake.callsTo('oauth.v2.access').length, 0, 'the code is never exchanged');
  });

  it('refuses a state from another browser (no matching cookie)', async () => {
    const h = await harness({ distribution: true });
    const page = await openInstallPage(h);
    h.fake.grantInstall('code-x', ACME);
    const r = await redirectBack(h, { code: 'code-x', state: page.authorizeUrl.searchParams.get('state') ?? '' });
    assert.equal(r.status, 400);
    assert.deepEqual(await installations(h), []);
  });

  it('refuses a replayed redirect (the state works once)', async () => {
    const h = await harness({ distribution: true });
    const page = await openInstallPage(h);
    const state = page.authorizeUrl.searchParams.get('state') ?? '';
    h.fake.grantInstall('code-1', ACME);
    const first = await redirectBack(h, { code: 'code-1', state }, page.cookie);
    assert.equal(first.status, 200);
    h.fake.grantInstall('code-2', { ...ACME, botToken: 'xoxb-attacker' });
    const replay = await redirectBack(h, { code: 'code-2', state }, page.cookie);
    assert.equal(replay.status, 400);
    assert.match(replay.html, /already used/);
    const client = await h.ctx.workspaces.clientFor('T0ACME');
    assert.equal(client?.token, ACME.botToken, 'the stored installation is the first one');
  });

  it('explains a cancelled install (error=access_denied)', async () => {
    const h = await harness({ distribution: true });
    const page = await openInstallPage(h);
    const r = await redirectBack(h, { error: 'access_denied', state: page.authorizeUrl.searchParams.get('state') ?? '' }, page.cookie);
    assert.equal(r.status, 403);
    assert.match(r.html, /installation was cancelled in Slack, so Gemba was not installed\. Nothing was stored\./);
    assert.deepEqual(await installations(h), []);
  });

  it('explains an error from Slack (oauth.v2.access answers invalid_code)', async () => {
    const h = await harness({ distribution: true });
    const page = await openInstallPage(h);
    const r = await redirectBack(h, { code: 'never-granted', state: page.authorizeUrl.searchParams.get('state') ?? '' }, page.cookie);
    assert.equal(r.status, 502);
    assert.match(r.html, /Slack refused to complete the installation \(invalid_code\)\. Nothing was stored\./);
    assert.equal(h.fake.callsTo('oauth.v2.access').length, 1);
    assert.deepEqual(await installations(h), []);
  });

  it('answers nothing for a workspace that never installed Gemba (no token to use)', async () => {
    const h = await harness({ distribution: true });
    await installWorkspace(h, ACME);
    h.fake.reset();
    const r = await h.command('/contact', 'Stranger Inc', { teamId: 'T0STRANGER' });
    assert.equal(r.status, 200);
    assert.equal(await h.value('SELECT COUNT(*) FROM contacts'), 0, 'nothing stored');
    await h.settle(); // nothing started after the ack either
    assert.deepEqual(
      h.fake.calls.map((c) => c.method),
      [],
      'no Web API call',
    );
  });
});
