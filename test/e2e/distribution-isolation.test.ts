/**
 * Isolation between workspaces in distribution mode: two workspaces whose people have the same user
 * ids and log the same account names, used side by side. Nothing one does can read, count, post or
 * export the other's data; jobs run per installation with that installation's token.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JOBS } from '../../src/jobs/index.js';
import { type Harness, harnessPerTest } from '../kit/harness.js';
import { installWorkspace } from '../kit/install.js';
import { allText, assertSurfacesValid } from './support.js';

const harness = harnessPerTest();

const A = { teamId: 'T0ALPHA', token: 'xoxb-alpha-token' };
const B = { teamId: 'T0BETA', token: 'xoxb-beta-token' };
const ADMIN = 'U0001';
const MANAGER = 'U0002';

const cmd = (h: Harness, ws: typeof A, command: string, text: string, userId = MANAGER) =>
  h.command(command, text, { teamId: ws.teamId, userId });

async function setUp(h: Harness): Promise<void> {
  for (const ws of [A, B]) {
    const r = await installWorkspace(h, { team: { id: ws.teamId, name: ws.teamId }, botToken: ws.token });
    assert.equal(r.status, 200, r.html);
  }
  // The same ids in both workspaces; U0001 is a Slack admin (users.info says so wherever it is asked).
  h.fake.setUser(ADMIN, { isAdmin: true, tz: 'UTC' });
  h.fake.setUser(MANAGER, { tz: 'UTC' });
  // Alpha: two conversations last week; Beta: one. Same account name in both.
  await cmd(h, A, '/contact', 'Acme Corp on 2026-11-17: alpha-insight about pricing');
  await cmd(h, A, '/contact', 'Alpha Only Ltd on 2026-11-18');
  await cmd(h, B, '/contact', 'Acme Corp on 2026-11-18: beta-insight about renewal');
  await h.settle();
}

describe('distribution: two workspaces with the same user ids side by side', () => {
  it('commands read and count only their own workspace', async () => {
    const h = await harness({ distribution: true, env: { LEADERBOARD_CHANNEL: 'C0LEADERS', DIGEST_CHANNEL: 'C0DIGEST' } });
    await setUp(h);

    const listA = allText((await cmd(h, A, '/contact', 'list')).json);
    const listB = allText((await cmd(h, B, '/contact', 'list')).json);
    assert.match(listA, /Alpha Only Ltd/);
    assert.doesNotMatch(listB, /Alpha Only Ltd/);
    assert.equal((listA.match(/Acme Corp/g) ?? []).length, (listB.match(/Acme Corp/g) ?? []).length);

    const trendsA = allText((await cmd(h, A, '/trends', '2')).json);
    const trendsB = allText((await cmd(h, B, '/trends', '2')).json);
    assert.notEqual(trendsA, trendsB, "each sees their own workspace's numbers");
    assert.match(trendsA, /\b2\b/);

    const lastA = allText((await cmd(h, A, '/leaderboard', 'last')).json);
    const lastB = allText((await cmd(h, B, '/leaderboard', 'last')).json);
    assert.match(lastA, /2 conversations/);
    assert.doesNotMatch(lastB, /2 conversations/);
    assert.match(lastB, /1 conversation/);

    // An admin setting in Alpha does not change Beta.
    const set = await cmd(h, A, '/gemba', 'admin target 5', ADMIN);
    assert.equal(set.status, 200);
    await h.settle();
    assert.equal((await h.ctx.services.settings.forTeam(A.teamId)).weeklyTarget, 5);
    assert.equal((await h.ctx.services.settings.forTeam(B.teamId)).weeklyTarget, 3);
    assert.match(allText((await cmd(h, B, '/gemba', 'settings')).json), /\b3\b/);

    // The team view counts only the workspace's own managers and conversations.
    const teamA = allText((await cmd(h, A, '/trends', 'team 2', ADMIN)).json);
    const teamB = allText((await cmd(h, B, '/trends', 'team 2', ADMIN)).json);
    await h.settle();
    assert.notEqual(teamA, teamB);
    assertSurfacesValid(h);
  });

  it("export uploads only the workspace's own rows, with its own token; forget leaves the same id in the other workspace alone", async () => {
    const h = await harness({ distribution: true });
    await setUp(h);
    h.fake.reset();
    const r = await cmd(h, A, '/gemba', 'admin export', ADMIN);
    assert.equal(r.status, 200);
    await h.settle();
    const upload = await h.fake.waitFor('files.completeUploadExternal');
    assert.equal(upload.token, A.token, "uploaded with Alpha's installation");
    const csv = [...h.fake.uploads.values()].map((u) => u.content).join('\n');
    assert.match(csv, /Alpha Only Ltd/);
    assert.doesNotMatch(csv, /beta-insight/);
    assert.equal(csv.trim().split('\n').length, 3, 'a header and Alpha’s two rows');
    assert.ok(
      h.fake.calls.every((c) => c.token === undefined || c.token === A.token),
      'no call with the other token',
    );

    const f = await cmd(h, A, '/gemba', `admin forget <@${MANAGER}>`, ADMIN);
    assert.equal(f.status, 200);
    await h.settle();
    const count = (teamId: string) => h.count('contacts', 'team_id = ? AND user_id = ?', [teamId, MANAGER]);
    assert.equal(await count(A.teamId), 0);
    assert.equal(await count(B.teamId), 1, 'the same user id in Beta keeps everything');
    assert.ok((await h.ctx.repos.managers.findManager(B.teamId, MANAGER))?.active);
  });

  it("jobs post each workspace's own numbers with its own token, into its own channels", async () => {
    const h = await harness({ distribution: true, env: { LEADERBOARD_CHANNEL: 'C0LEADERS', DIGEST_CHANNEL: 'C0DIGEST' } });
    await setUp(h);
    h.fake.reset();
    const now = Date.parse('2026-11-23T12:00:00Z'); // Monday afternoon: last week's leaderboard and digest due
    for (const run of Object.values(JOBS)) await run(h.ctx, now, { force: true });
    const posts = h.fake.callsTo('chat.postMessage').filter((c) => c.response?.ok);
    for (const ws of [A, B]) {
      const mine = posts.filter((c) => c.token === ws.token);
      assert.ok(
        mine.some((c) => c.args.channel === 'C0LEADERS'),
        `${ws.teamId} leaderboard`,
      );
      assert.ok(
        mine.some((c) => c.args.channel === 'C0DIGEST'),
        `${ws.teamId} digest`,
      );
    }
    const digestOf = (ws: typeof A) => allText(posts.find((c) => c.token === ws.token && c.args.channel === 'C0DIGEST')?.args);
    assert.match(digestOf(A), /alpha-insight/);
    assert.doesNotMatch(digestOf(A), /beta-insight/);
    assert.match(digestOf(B), /beta-insight/);
    assert.doesNotMatch(digestOf(B), /alpha-insight/);
    const boardOf = (ws: typeof A) => allText(posts.find((c) => c.token === ws.token && c.args.channel === 'C0LEADERS')?.args);
    assert.match(boardOf(A), /2 conversations/);
    assert.doesNotMatch(boardOf(B), /2 conversations/);
    // Every Web API call (not the upload URL's byte transfer, which carries no token) used an installation's token.
    for (const c of h.fake.calls.filter((x) => x.method !== 'upload')) {
      assert.ok(c.token === A.token || c.token === B.token, `${c.method} used an installation token`);
    }
    // users.info look-ups went to the workspace they were for.
    for (const c of h.fake.callsTo('users.info')) assert.ok([A.token, B.token].includes(c.token ?? ''));
    assertSurfacesValid(h);
  });
});
