import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MIGRATIONS_DIR, MigrationError, migrate } from '../../src/db/migrate.js';
import { anonymousStorePath, InstallFilesError, openDatabase, sqliteInstallFiles } from '../../src/db/open.js';
import { openSqliteStorage } from '../../src/db/sqlite.js';

/** Runs `fn` in a fresh temp folder, removed afterwards whatever happens. */
async function inTemp(fn: (dir: string) => Promise<void> | void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gemba-migrate-'));
  try {
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const tables = (db: ReturnType<typeof openDatabase>) =>
  db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];

describe('openDatabase', () => {
  it('creates the folder, and sets WAL, foreign keys and a busy timeout', async () => {
    await inTemp(async (dir) => {
      const db = openDatabase(join(dir, 'nested', 'deeper', 'gemba.db'));
      assert.ok(existsSync(join(dir, 'nested', 'deeper')));
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
      assert.ok((db.pragma('busy_timeout', { simple: true }) as number) >= 1000);
      db.close();
    });
  });
});

describe('the two files of a SQLite install', () => {
  /** A full install (main file and anonymous store, migrated) in a temp folder; returns its main path. */
  const install = async (dir: string): Promise<string> => {
    const path = join(dir, 'gemba.db');
    const { storage } = openSqliteStorage(path);
    await storage.close();
    assert.ok(existsSync(anonymousStorePath(path)));
    return path;
  };

  it('an anonymous store without its main file is refused with what to do, and no main file is created', async () => {
    await inTemp(async (dir) => {
      const path = await install(dir);
      for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
      assert.throws(
        () => openDatabase(path),
        (err: unknown) =>
          err instanceof InstallFilesError &&
          err.message.includes(`${anonymousStorePath(path)} exists but ${path} does not`) &&
          /Restore gemba\.db from the backup you took with gemba\.anon\.db, or move gemba\.anon\.db away/.test(err.message),
      );
      assert.ok(!existsSync(path), 'nothing was created beside the orphan');
    });
  });

  it('a migrated main file whose anonymous store is missing is refused, and no empty store is created in its place', async () => {
    await inTemp(async (dir) => {
      const path = await install(dir);
      rmSync(anonymousStorePath(path));
      assert.throws(
        () => openSqliteStorage(path),
        (err: unknown) => err instanceof InstallFilesError && /gemba\.anon\.db is missing beside .*gemba\.db.*Restore it/.test(err.message),
      );
      assert.ok(!existsSync(anonymousStorePath(path)));
    });
  });

  it('a whole install reopens; removing sqliteInstallFiles leaves nothing behind, and a new install starts', async () => {
    await inTemp(async (dir) => {
      const path = await install(dir);
      const { storage, applied } = openSqliteStorage(path);
      assert.deepEqual(applied, []);
      await storage.close();
      for (const f of sqliteInstallFiles(path)) rmSync(f, { force: true });
      assert.deepEqual(readdirSync(dir), []);
      const again = openSqliteStorage(path);
      assert.ok(again.applied.length > 0, 'migrated afresh');
      await again.storage.close();
    });
  });
});

describe('migrate', () => {
  it('applies every migration in order, once, each recorded', () => {
    const db = openDatabase(':memory:');
    const files = readdirSync(MIGRATIONS_DIR)
      .filter((f) => f.endsWith('.sql'))
      .sort();
    assert.deepEqual(migrate(db), files);
    assert.deepEqual(db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all(), files);
    assert.deepEqual(migrate(db), [], 'a second run applies nothing');
    for (const t of ['contacts', 'managers', 'teams', 'user_profiles', 'job_claims', 'nudges', 'snoozes', 'vps', 'audit_log'])
      assert.ok(tables(db).includes(t), t);
    db.close();
  });

  it('keys every table by Slack team id', () => {
    const db = openDatabase(':memory:');
    migrate(db);
    // Keyed through something else: job_claims by scope ("T…" or "T…:U…"); tactic reports and reasons
    // by their tactic (which has team_id); the flag quota by an HMAC that includes the team id.
    // seen_requests holds signature digests only (the replay guard), for every team alike. OAuth states
    // belong to no workspace yet (an install in progress).
    const indirect = [
      'schema_migrations',
      'job_claims',
      'tactic_reports',
      'tactic_reasons',
      'tactic_flag_quota',
      'seen_requests',
      'oauth_states',
    ];
    for (const t of tables(db).filter((n) => !indirect.includes(n))) {
      const cols = (db.prepare(`PRAGMA table_info(${t})`).all() as Array<{ name: string }>).map((c) => c.name);
      assert.ok(cols.includes('team_id'), `${t} has team_id`);
    }
    db.close();
  });

  it('0015 erases the wording of tactics hidden before hiding erased it, and leaves the others', async () => {
    await inTemp(async (dir) => {
      const files = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql'));
      for (const f of files.filter((f) => f < '0015')) copyFileSync(join(MIGRATIONS_DIR, f), join(dir, f));
      const db = openDatabase(':memory:');
      migrate(db, dir);
      const add = db.prepare(
        `INSERT INTO anon.tactics (id, team_id, tactic_key, display_text, first_day, created_week, hidden)
         VALUES (?, 'T1', ?, ?, '2026-11-20', '2026-W47', ?)`,
      );
      add.run(11, 'insulting words', 'Insulting words', 1);
      add.run(12, 'cold calling', 'Cold calling', 0);
      add.run(13, 'hidden:0123', '[hidden]', 1);
      copyFileSync(join(MIGRATIONS_DIR, '0015_erase_hidden_wording.sql'), join(dir, '0015_erase_hidden_wording.sql'));
      assert.deepEqual(migrate(db, dir), ['0015_erase_hidden_wording.sql']);
      assert.deepEqual(db.prepare('SELECT id, tactic_key, display_text FROM anon.tactics ORDER BY id').raw().all(), [
        [11, 'hidden:legacy-11', '[hidden]'],
        [12, 'cold calling', 'Cold calling'],
        [13, 'hidden:0123', '[hidden]'],
      ]);
      db.close();
    });
  });

  it('a failing migration rolls back entirely, keeps earlier ones, and names the file', async () => {
    await inTemp(async (dir) => {
      writeFileSync(join(dir, '0001_good.sql'), 'CREATE TABLE good (id INTEGER PRIMARY KEY);');
      writeFileSync(join(dir, '0002_bad.sql'), 'CREATE TABLE half (id INTEGER); INSERT INTO nowhere VALUES (1);');
      const db = openDatabase(':memory:');
      assert.throws(
        () => migrate(db, dir),
        (err: unknown) => err instanceof MigrationError && err.file === '0002_bad.sql' && /0002_bad\.sql/.test(err.message),
      );
      assert.deepEqual(tables(db), ['good', 'schema_migrations'], 'the half-made table was rolled back');
      assert.deepEqual(db.prepare('SELECT version FROM schema_migrations').pluck().all(), ['0001_good.sql']);
      // Fixed, it applies on the next start.
      writeFileSync(join(dir, '0002_bad.sql'), 'CREATE TABLE half (id INTEGER);');
      assert.deepEqual(migrate(db, dir), ['0002_bad.sql']);
      db.close();
    });
  });
});
