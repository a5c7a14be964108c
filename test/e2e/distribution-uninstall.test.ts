/**
 * Uninstall in distribution mode: app_uninstalled / tokens_revoked stop every use of the tokens at
 * once (jobs skip the workspace, no API call with a revoked token, no errors piling up); the
 * workspace's data is erased after UNINSTALL_RETENTION_DAYS by the scheduler, and reinstalling
 * within the window keeps the history. Event envelopes are written after the shapes in
 * slackapi/bolt-python tests/scenario_tests/test_events_token_revocations.py (org-level
 * `app_uninstalled` / `tokens_revoked` with only `enterprise_id`) and Slack's Events API envelope
 * for a workspace (`team_id`, `authorizations`).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JOBS } from '../../src/jobs/index.js';
import { DEFAULT_NOW, type Harness, harnessPerTest } from '../kit/harness.js';
import { installWorkspace } from '../kit/install.js';
import { API_APP_ID, VERIFICATION_TOKEN } from '../kit/payloads.js';
import { teamIdsInDatabase } from './support.js';

const harness = harnessPerTest();
const DAY = 86_400_000;

const ACME = { team: { id: 'T0ACME', name: 'Acme Sales' }, botToken: 'xoxb-acme-secret-token' };
const GLOBEX = { team: { id: 'T0GLOBEX', name: 'Globex' }, botToken: 'xoxb-globex-secret-token' };
const GRID = { team: null, enterprise: { id: 'E0GRID', name: 'Initech Group' }, isEnterpriseInstall: true, botToken: 'xoxb-grid-token' };

const env = { LEADERBOARD_CHANNEL: 'C0LEADERS', DIGEST_CHANNEL: 'C0DIGEST' };

/** A workspace's app_uninstalled event as Slack sends it. */
function workspaceEvent(teamId: string, event: object) {
  return {
    body: JSON.stringify({
      token: VERIFICATION_TOKEN,
      team_id: teamId,
      api_app_id: API_APP_ID,
      event,
      type: 'event_callback',
      event_id: `Ev${teamId}${Math.random().toString(36).slice(2, 8)}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ enterprise_id: null, team_id: teamId, user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
    }),
    contentType: 'application/json' as const,
  };
}

/** An org-level event (bolt-python's fixture shape: only enterprise_id, no team, no authorizations). */
function orgEvent(enterpriseId: string, event: object) {
  return {
    body: JSON.stringify({
      token: VERIFICATION_TOKEN,
      enterprise_id: enterpriseId,
      api_app_id: API_APP_ID,
      event,
      type: 'event_callback',
      event_id: `Ev${enterpriseId}${Math.random().toString(36).slice(2, 8)}`,
      event_time: 1606805974,
    }),
    contentType: 'application/json' as const,
  };
}

/** Two workspaces with a manager and a conversation each, over signed requests. */
async function twoWorkspaces(h: Harness): Promise<void> {
  assert.equal((await installWorkspace(h, ACME)).status, 200);
  assert.equal((await installWorkspace(h, GLOBEX)).status, 200);
  for (const teamId of ['T0ACME', 'T0GLOBEX']) {
    const r = await h.command('/contact', `Deal of ${teamId} on 2026-11-20`, { teamId, userId: 'U0001' });
    assert.equal(r.status, 200);
  }
  await h.settle();
}

/** Runs every job, forced (all due now, once-per-period ignored). */
async function runAllJobs(h: Harness, now = h.clock.now()) {
  const reports = [];
  for (const run of Object.values(JOBS)) reports.push(await run(h.ctx, now, { force: true }));
  return reports;
}

const errorLines = (h: Harness) => h.logs.filter((l) => Number(l.level) >= 50);

describe('distribution: uninstall stops every use of the tokens at once', () => {
  it('after app_uninstalled, jobs make no API call with the revoked token and log no errors, while the other workspace is served', async () => {
    const h = await harness({ distribution: true, env });
    await twoWorkspaces(h);
    const r = await h.send(workspaceEvent('T0ACME', { type: 'app_uninstalled' }));
    assert.equal(r.status, 200);
    await h.settle();
    h.fake.revokeToken(ACME.botToken); // Slack revokes it as it sends the event
    assert.notEqual(await h.value("SELECT uninstalled_at FROM installations WHERE install_key = 'T:T0ACME'"), null);
    h.fake.reset();

    const reports = await runAllJobs(h);
    await runAllJobs(h, h.clock.now() + 3_600_000); // and again: nothing piles up
    assert.deepEqual(
      h.fake.calls.filter((c) => c.token === ACME.botToken).map((c) => c.method),
      [],
      'no API call with the revoked token',
    );
    assert.equal(h.fake.calls.filter((c) => c.response?.error === 'token_revoked').length, 0, 'nothing even tried the revoked token');
    const globexPosts = h.fake.callsTo('chat.postMessage').filter((c) => c.token === GLOBEX.botToken);
    assert.ok(
      globexPosts.some((c) => c.args.channel === 'C0LEADERS'),
      "Globex's leaderboard still goes out, with its own token",
    );
    const notes = reports.flatMap((x) => x.notes).join('\n');
    assert.match(notes, /T0ACME: Gemba is not installed there/);
    assert.deepEqual(
      reports.flatMap((x) => x.failed),
      [],
    );
    assert.deepEqual(errorLines(h), [], 'no error logged');
    // A request from the uninstalled workspace finds no installation: nothing stored, nothing sent.
    const before = await h.value('SELECT COUNT(*) FROM contacts');
    await h.command('/contact', 'After uninstall', { teamId: 'T0ACME' });
    assert.equal(await h.value('SELECT COUNT(*) FROM contacts'), before);
  });

  it('tokens_revoked (bot token) stops the workspace the same way', async () => {
    const h = await harness({ distribution: true, env });
    await twoWorkspaces(h);
    await h.send(workspaceEvent('T0GLOBEX', { type: 'tokens_revoked', tokens: { oauth: [], bot: ['UBOT'] } }));
    await h.settle();
    h.fake.revokeToken(GLOBEX.botToken);
    h.fake.reset();
    await runAllJobs(h);
    assert.equal(h.fake.calls.filter((c) => c.token === GLOBEX.botToken).length, 0);
    assert.ok(h.fake.calls.some((c) => c.token === ACME.botToken));
    assert.deepEqual(errorLines(h), []);
  });

  it('tokens_revoked for user tokens only leaves the installation in use', async () => {
    const h = await harness({ distribution: true, env });
    await twoWorkspaces(h);
    await h.send(workspaceEvent('T0ACME', { type: 'tokens_revoked', tokens: { oauth: ['U0001'], bot: [] } }));
    await h.settle();
    assert.equal(await h.value("SELECT uninstalled_at FROM installations WHERE install_key = 'T:T0ACME'"), null);
  });
});

describe('distribution: data retention after uninstall', () => {
  it('keeps the data through the window (reinstalling keeps the history), then erases every row of the workspace', async () => {
    const h = await harness({ distribution: true, env: { ...env, UNINSTALL_RETENTION_DAYS: '30' } });
    await twoWorkspaces(h);
    await runAllJobs(h); // claims, nudges, posts: rows of both workspaces
    await h.send(workspaceEvent('T0ACME', { type: 'app_uninstalled' }));
    await h.settle();
    const uninstalledAt = h.clock.now();

    // Day 29: still kept.
    await JOBS.retention(h.ctx, uninstalledAt + 29 * DAY);
    assert.ok((await teamIdsInDatabase(h)).includes('T0ACME'));
    // Reinstalled within the window: the history is still there.
    await installWorkspace(h, ACME);
    const list = await h.command('/contact', 'list', { teamId: 'T0ACME', userId: 'U0001' });
    assert.match(list.text, /Deal of T0ACME/);
    await JOBS.retention(h.ctx, uninstalledAt + 60 * DAY);
    assert.ok((await teamIdsInDatabase(h)).includes('T0ACME'), 'a reinstalled workspace is not erased');

    // Uninstalled again, and the window passes: nothing of Acme is left.
    await h.send(workspaceEvent('T0ACME', { type: 'app_uninstalled' }));
    await h.settle();
    const report = await JOBS.retention(h.ctx, h.clock.now() + 31 * DAY);
    assert.deepEqual(report.posted, ['erased T:T0ACME: workspace data of T0ACME']);
    assert.equal((await teamIdsInDatabase(h)).includes('T0ACME'), false, 'no row with team_id T0ACME in any table');
    assert.equal(await h.value("SELECT COUNT(*) FROM installations WHERE install_key = 'T:T0ACME'"), 0);
    assert.equal(
      await h.value("SELECT COUNT(*) FROM job_claims WHERE scope = 'T0ACME' OR scope LIKE 'T0ACME:%'"),
      0,
      'no job claim of the workspace',
    );
    assert.ok((await teamIdsInDatabase(h)).includes('T0GLOBEX'), "the other workspace's data is untouched");
    assert.match((await h.command('/contact', 'list', { teamId: 'T0GLOBEX', userId: 'U0001' })).text, /Deal of T0GLOBEX/);
  });

  it('UNINSTALL_RETENTION_DAYS=0 erases at once', async () => {
    const h = await harness({ distribution: true, env: { ...env, UNINSTALL_RETENTION_DAYS: '0' } });
    await twoWorkspaces(h);
    await h.send(workspaceEvent('T0ACME', { type: 'app_uninstalled' }));
    await h.settle();
    assert.equal((await teamIdsInDatabase(h)).includes('T0ACME'), false);
    assert.equal(await h.value('SELECT COUNT(*) FROM installations'), 1);
  });

  it('an org-wide uninstall (enterprise_id only) stops the org and erases all its workspaces after the window', async () => {
    const h = await harness({ distribution: true, env: { ...env, UNINSTALL_RETENTION_DAYS: '1' } });
    await installWorkspace(h, GRID);
    await installWorkspace(h, GLOBEX);
    for (const teamId of ['T0GRIDA', 'T0GRIDB']) {
      await h.command('/contact', `Deal of ${teamId}`, { teamId, userId: 'W0001', enterpriseId: 'E0GRID', isEnterpriseInstall: true });
    }
    await h.command('/contact', 'Deal of Globex', { teamId: 'T0GLOBEX' });
    await h.settle();
    assert.deepEqual(await teamIdsInDatabase(h), ['T0GLOBEX', 'T0GRIDA', 'T0GRIDB']);

    await h.send(orgEvent('E0GRID', { type: 'app_uninstalled' }));
    await h.settle();
    h.fake.revokeToken(GRID.botToken);
    h.fake.reset();
    await runAllJobs(h);
    assert.equal(h.fake.calls.filter((c) => c.token === GRID.botToken).length, 0, 'no call with the org token');
    assert.ok((await teamIdsInDatabase(h)).includes('T0GRIDA'), 'kept during the window');

    await JOBS.retention(h.ctx, h.clock.now() + 2 * DAY);
    assert.deepEqual(await teamIdsInDatabase(h), ['T0GLOBEX']);
    assert.equal(await h.value("SELECT COUNT(*) FROM installations WHERE enterprise_id = 'E0GRID'"), 0);
  });

  it('an org-level tokens_revoked (bolt-python fixture shape) stops the org install', async () => {
    const h = await harness({ distribution: true, env });
    await installWorkspace(h, GRID);
    await h.send(orgEvent('E0GRID', { type: 'tokens_revoked', tokens: { oauth: ['W111'], bot: ['W222'] } }));
    await h.settle();
    assert.notEqual(await h.value("SELECT uninstalled_at FROM installations WHERE install_key = 'E:E0GRID'"), null);
    assert.equal(await h.ctx.workspaces.clientFor('T0GRIDA'), null);
  });
});

describe('single-workspace mode: uninstall', () => {
  it('stops using the bot token at once: jobs send nothing and log why once', async () => {
    const h = await harness({ env, now: DEFAULT_NOW });
    await h.command('/contact', 'Acme on 2026-11-20', { userId: 'U0001' });
    await h.settle();
    await h.send(workspaceEvent('T0001', { type: 'app_uninstalled' }));
    await h.settle();
    h.fake.reset();
    await runAllJobs(h);
    assert.equal(h.fake.calls.length, 0, 'no API call at all');
    assert.equal(h.logs.filter((l) => /Slack revoked the bot token/.test(String(l.msg))).length, 1);
  });
});
