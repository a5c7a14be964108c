/**
 * The admin service: every change is made together with an audit entry naming who made it;
 * forget removes every row about a person; the export is a CSV that parses back to the rows.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { beforeEach, describe, it } from 'node:test';
import { loadConfig } from '../../src/config.js';
import type { Db } from '../../src/db/open.js';
import type { Repos } from '../../src/db/repos/index.js';
import type { Storage } from '../../src/db/storage.js';
import { FixedClock } from '../../src/lib/clock.js';
import { HeldFailures } from '../../src/lib/held-failures.js';
import { createLogger } from '../../src/lib/logger.js';
import { type AdminService, createAdminService, EXPORT_HEADER, FORGOTTEN } from '../../src/services/admin.js';
import { type ContactInput, createContactService } from '../../src/services/contacts.js';
import { createSettingsService, type SettingsService } from '../../src/services/settings.js';
import { createTacticService } from '../../src/services/tactics.js';
import { parseCsv, restoreCell } from '../kit/csv.js';
import { openTestStorage } from '../kit/storage.js';

const TEAM = 'T0001';
const NOW = Date.parse('2026-11-26T15:00:00Z');

interface Fixture {
  db: Db;
  repos: Repos;
  clock: FixedClock;
  admin: AdminService;
  settings: SettingsService;
  storage: Storage;
  log: (userId: string, input: Partial<ContactInput>, teamId?: string) => Promise<number>;
}

function fixture(): Fixture {
  const storage = openTestStorage();
  const { db, repos } = storage;
  const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-t', SLACK_SIGNING_SECRET: 's', ANONYMITY_KEY: 'k'.repeat(32) });
  const clock = new FixedClock(NOW);
  const contacts = createContactService(storage, { weeklyTarget: 3, timezone: 'UTC' });
  const log = async (userId: string, input: Partial<ContactInput>, teamId = TEAM) =>
    (
      await contacts.logContact(
        teamId,
        userId,
        { account: 'Acme', buyer: null, kind: 'call', durationMin: null, occurredOn: '2026-11-20', insight: null, ...input },
        clock.now(),
      )
    ).contact.id;
  return { db, repos, storage, clock, admin: createAdminService(storage, clock), settings: createSettingsService(config, repos), log };
}

const audit = (f: Fixture, n = 50) => f.repos.audit.listRecentAuditEntries(TEAM, n);

/** Every row of every table as JSON, by table. */
function dump(db: Db): Record<string, string[]> {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
  return Object.fromEntries(
    tables.map((t) => [
      t,
      db
        .prepare(`SELECT * FROM "${t}"`)
        .all()
        .map((r) => JSON.stringify(r)),
    ]),
  );
}

describe('admin changes are audited with their author', () => {
  let f: Fixture;
  beforeEach(() => {
    f = fixture();
  });

  it('managers add/remove report who changed and who already was', async () => {
    assert.deepEqual(await f.admin.changeManagers(TEAM, 'UADMIN', 'add', ['U1', 'U2']), { changed: ['U1', 'U2'], unchanged: [] });
    assert.deepEqual(await f.admin.changeManagers(TEAM, 'UADMIN', 'add', ['U2', 'U3']), { changed: ['U3'], unchanged: ['U2'] });
    assert.deepEqual(await f.admin.changeManagers(TEAM, 'UADMIN2', 'remove', ['U1', 'U9']), { changed: ['U1'], unchanged: ['U9'] });
    assert.deepEqual(
      (await f.repos.managers.listActiveManagers(TEAM)).map((m) => m.userId),
      ['U2', 'U3'],
    );
    assert.equal((await f.repos.managers.findManager(TEAM, 'U1'))?.active, false, 'removing keeps their history, inactive');
    // Re-adding a removed manager re-activates them.
    assert.deepEqual(await f.admin.changeManagers(TEAM, 'UADMIN', 'add', ['U1']), { changed: ['U1'], unchanged: [] });
    const entries = (await audit(f)).reverse();
    assert.deepEqual(
      entries.map((e) => [e.actorId, e.action, JSON.parse(e.detail!)]),
      [
        ['UADMIN', 'managers.add', { changed: ['U1', 'U2'], unchanged: [] }],
        ['UADMIN', 'managers.add', { changed: ['U3'], unchanged: ['U2'] }],
        ['UADMIN2', 'managers.remove', { changed: ['U1'], unchanged: ['U9'] }],
        ['UADMIN', 'managers.add', { changed: ['U1'], unchanged: [] }],
      ],
    );
    assert.ok(entries.every((e) => e.at === NOW));
  });

  it('vps add/remove, recording who added them', async () => {
    assert.deepEqual(await f.admin.changeVps(TEAM, 'UADMIN', 'add', ['UV1', 'UV2']), { changed: ['UV1', 'UV2'], unchanged: [] });
    assert.deepEqual(await f.admin.changeVps(TEAM, 'UADMIN', 'add', ['UV1']), { changed: [], unchanged: ['UV1'] });
    assert.deepEqual(await f.admin.changeVps(TEAM, 'UADMIN', 'remove', ['UV2', 'UV3']), { changed: ['UV2'], unchanged: ['UV3'] });
    assert.deepEqual(await f.repos.vps.listVps(TEAM), ['UV1']);
    assert.deepEqual(f.db.prepare('SELECT added_by FROM vps').pluck().all(), ['UADMIN']);
    assert.deepEqual(
      (await audit(f)).map((e) => e.action),
      ['vps.remove', 'vps.add', 'vps.add'],
    );
  });

  it('settings: each one set, effective, and audited', async () => {
    await f.admin.setTeamSetting(TEAM, 'UADMIN', 'weeklyTarget', 5);
    await f.admin.setTeamSetting(TEAM, 'UADMIN', 'nudgeAfterDays', 10);
    await f.admin.setTeamSetting(TEAM, 'UADMIN', 'timezone', 'Europe/Berlin');
    await f.admin.setTeamSetting(TEAM, 'UADMIN', 'leaderboardChannel', 'CLB');
    await f.admin.setTeamSetting(TEAM, 'UADMIN', 'digestChannel', 'CDG');
    assert.deepEqual(await f.settings.forTeam(TEAM), {
      weeklyTarget: 5,
      nudgeAfterDays: 10,
      nudgeHour: 9,
      timezone: 'Europe/Berlin',
      leaderboardChannel: 'CLB',
      digestChannel: 'CDG',
    });
    assert.deepEqual((await f.settings.forTeam('T_OTHER')).weeklyTarget, 3, 'other teams keep the defaults');
    assert.deepEqual(
      (await audit(f)).reverse().map((e) => [e.actorId, e.action, e.detail]),
      [
        ['UADMIN', 'settings.weeklyTarget', '{"value":5}'],
        ['UADMIN', 'settings.nudgeAfterDays', '{"value":10}'],
        ['UADMIN', 'settings.timezone', '{"value":"Europe/Berlin"}'],
        ['UADMIN', 'settings.leaderboardChannel', '{"value":"CLB"}'],
        ['UADMIN', 'settings.digestChannel', '{"value":"CDG"}'],
      ],
    );
  });

  it('a change that fails leaves neither the data nor an audit entry', async () => {
    await assert.rejects(() => f.admin.setTeamSetting(TEAM, 'UADMIN', 'weeklyTarget', 1000), /CHECK/);
    assert.equal(await f.repos.teams.findTeamSettings(TEAM), undefined);
    assert.deepEqual(await audit(f), []);
  });
});

describe('forget', () => {
  let f: Fixture;
  beforeEach(() => {
    f = fixture();
  });

  /** Puts the person (and look-alikes who must survive) into every table that can hold a user id. */
  async function seedEverywhere(target: string, bystanders: string[]): Promise<void> {
    for (const u of [target, ...bystanders]) {
      await f.log(u, { account: `Acct of ${u}`, insight: `said by ${u}` });
      await f.log(u, { account: 'Shared', occurredOn: '2026-11-10' });
      await f.repos.profiles.upsertProfile({
        teamId: TEAM,
        userId: u,
        tz: 'UTC',
        isAdmin: true,
        isOwner: false,
        displayName: u.toLowerCase(),
        refreshedAt: NOW,
      });
      await f.repos.nudges.insertNudge({
        teamId: TEAM,
        userId: u,
        sentAt: NOW - 86_400_000,
        localDate: '2026-11-25',
        channel: `D${u}`,
        ts: '1.1',
      });
      await f.repos.snoozes.insertSnooze({
        teamId: TEAM,
        userId: u,
        startsOn: '2026-11-26',
        endsOn: '2026-12-02',
        reason: 'pto',
        createdAt: NOW,
      });
      await f.repos.claims.claimPeriod({ job: 'nudges', scope: `${TEAM}:${u}`, period: '2026-11-25' }, NOW, { staleAfterMs: 1 });
    }
    await f.admin.changeVps(TEAM, 'UADMIN', 'add', [target, ...bystanders]);
    // The target was an admin who made changes and added a VP.
    await f.admin.changeVps(TEAM, target, 'add', ['UVPBYTARGET']);
    await f.admin.setTeamSetting(TEAM, target, 'weeklyTarget', 4);
    await f.admin.changeManagers(TEAM, 'UADMIN', 'remove', [target, ...bystanders]);
    await f.admin.changeManagers(TEAM, 'UADMIN', 'add', [target, ...bystanders]);
    // The same person in another workspace is a different person: untouched.
    await f.log(target, { account: 'Other workspace' }, 'T_OTHER');
  }

  it('deletes every row about the person and reports counts; look-alike ids survive intact', async () => {
    const target = 'U1';
    const lookalikes = ['U12', 'U1AB', 'XU1'];
    await seedEverywhere(target, lookalikes);
    const before = dump(f.db);

    const counts = await f.admin.forget(TEAM, 'UADMIN', target);
    assert.deepEqual(counts, {
      conversations: 2,
      managerRecords: 1,
      profiles: 1,
      vpRecords: 1,
      nudges: 1,
      snoozes: 1,
      jobClaims: 1,
      // vps.add (listed), vps.add (their own), settings (their own), managers.remove, managers.add.
      auditEntriesAnonymised: 5,
      vpAddersAnonymised: 1,
    });

    // Nothing in this team mentions U1 as a whole id any more.
    const whole = new RegExp(`(?<![A-Za-z0-9])${target}(?![A-Za-z0-9])`);
    const after = dump(f.db);
    for (const [table, rows] of Object.entries(after)) {
      for (const row of rows) {
        if (row.includes('T_OTHER')) continue;
        assert.doesNotMatch(row, whole, `${table} still holds ${target}: ${row}`);
      }
    }
    assert.equal(f.db.prepare("SELECT COUNT(*) FROM contacts WHERE team_id = 'T_OTHER' AND user_id = ?").pluck().get(target), 1);

    // Look-alikes keep every row, with their ids not rewritten.
    for (const u of lookalikes) {
      for (const table of ['contacts', 'managers', 'user_profiles', 'vps', 'nudges', 'snoozes']) {
        const n = (rows: string[]) => rows.filter((r) => r.includes(`"${u}"`)).length;
        assert.equal(n(after[table]), n(before[table]), `${u} keeps its ${table} rows`);
      }
    }
    const managersAudit = (await audit(f)).find((e) => e.action === 'managers.add')!;
    assert.deepEqual(JSON.parse(managersAudit.detail!), { changed: [FORGOTTEN, 'U12', 'U1AB', 'XU1'], unchanged: [] });

    // Their own changes stay in the trail, attributed to a placeholder; the VP they added keeps its row.
    assert.ok((await audit(f)).some((e) => e.actorId === FORGOTTEN && e.action === 'settings.weeklyTarget'));
    assert.deepEqual(f.db.prepare("SELECT added_by FROM vps WHERE user_id = 'UVPBYTARGET'").pluck().all(), [FORGOTTEN]);
    // The forget itself is audited with who did it, never whom.
    const last = (await audit(f, 1))[0];
    assert.equal(last.action, 'forget');
    assert.equal(last.actorId, 'UADMIN');
    assert.doesNotMatch(last.detail!, whole);
  });

  it('an admin who forgets themselves leaves no trace either', async () => {
    await f.log('UADMIN', { insight: 'mine' });
    await f.admin.setTeamSetting(TEAM, 'UADMIN', 'weeklyTarget', 4);
    await f.admin.forget(TEAM, 'UADMIN', 'UADMIN');
    for (const [table, rows] of Object.entries(dump(f.db))) for (const row of rows) assert.doesNotMatch(row, /UADMIN/, `${table}: ${row}`);
    assert.deepEqual(
      (await audit(f, 1)).map((e) => [e.actorId, e.action]),
      [[FORGOTTEN, 'forget']],
    );
  });

  it('forgetting someone never seen is harmless and says so in zeros', async () => {
    await f.log('U2', {});
    const counts = await f.admin.forget(TEAM, 'UADMIN', 'UNOBODY');
    assert.ok(
      Object.values(counts).every((n) => n === 0),
      JSON.stringify(counts),
    );
    assert.equal(f.db.prepare('SELECT COUNT(*) FROM contacts').pluck().get(), 1);
  });

  it('tactic flags hold nothing to forget: the rep can be forgotten, their anonymous flag stays', async () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-t', SLACK_SIGNING_SECRET: 's', ANONYMITY_KEY: 'k'.repeat(32) });
    const logger = createLogger('error', new Writable({ write: (_c, _e, cb) => cb() }));
    const tactics = createTacticService({
      storage: f.storage,
      clock: f.clock,
      settings: createSettingsService(config, f.repos),
      directory: { fetchUser: async () => null, listMembers: async () => [], listGroupMembers: async () => null },
      config,
      logger,
      held: new HeldFailures(),
    });
    assert.equal((await tactics.flagTactic(TEAM, 'UREP', { tactic: 'cold calling', why: 'nobody answers' })).ok, true);
    await f.admin.forget(TEAM, 'UADMIN', 'UREP');
    for (const [table, rows] of Object.entries(dump(f.db))) for (const row of rows) assert.doesNotMatch(row, /UREP/, `${table}: ${row}`);
    await tactics.publish(TEAM, '2026-12-31');
    assert.equal((await tactics.listTactics(TEAM)).length, 1);
  });
});

describe('export', () => {
  it('is a CSV that parses back to exactly the stored rows, formula-safe, oldest first', async () => {
    const f = fixture();
    const tricky = [
      'Acme, Inc.',
      'He said "no", twice',
      'line one\nline two\r\nline three',
      '=HYPERLINK("http://evil.example","click")',
      '+1 555 0100 is their number',
      '-10% budget next year',
      '@CFO wants ROI',
      "'=already quoted",
      '\tindented',
      'plain',
    ];
    for (const [i, text] of tricky.entries()) {
      await f.log(i % 2 ? 'U2' : 'U1', {
        account: text.slice(0, 100),
        buyer: i % 3 ? `Dana "${i}"` : null,
        kind: 'video',
        durationMin: i ? i * 5 : null,
        occurredOn: `2026-11-${String(10 + (i % 5)).padStart(2, '0')}`,
        insight: text,
      });
    }
    await f.log('U3', {}, 'T_OTHER');

    const { csv, rows } = await f.admin.exportCsv(TEAM, 'UADMIN');
    assert.equal(rows, tricky.length);
    assert.ok(csv.endsWith('\r\n'));
    const parsed = parseCsv(csv);
    assert.deepEqual(parsed[0], [...EXPORT_HEADER]);
    const stored = f.db
      .prepare(
        `SELECT id, user_id, occurred_on, week_start, account, buyer, kind, duration_min, insight, created_at FROM contacts WHERE team_id = ? ORDER BY occurred_on, id`,
      )
      .raw()
      .all(TEAM) as unknown[][];
    const asCells = stored.map((r) => r.map((v, i) => (v === null ? '' : i === 9 ? new Date(v as number).toISOString() : String(v))));
    assert.deepEqual(
      parsed.slice(1).map((r) => r.map(restoreCell)),
      asCells,
    );
    // Every cell that would start a formula is neutralised in the file itself.
    for (const row of parsed.slice(1)) for (const cell of row) assert.doesNotMatch(cell, /^[=+\-@\t\r]/);
    assert.deepEqual(
      (await audit(f, 1)).map((e) => [e.actorId, e.action, e.detail]),
      [['UADMIN', 'export', `{"rows":${tricky.length}}`]],
    );
  });

  it('an empty team exports just the header', async () => {
    const f = fixture();
    const { csv, rows } = await f.admin.exportCsv(TEAM, 'UADMIN');
    assert.equal(rows, 0);
    assert.deepEqual(parseCsv(csv), [[...EXPORT_HEADER]]);
  });
});
