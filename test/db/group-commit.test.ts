import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { OneLinerWrite } from '../../src/db/repos/contact-log.js';
import { openSqliteStorage, type SqliteStorage } from '../../src/db/sqlite.js';
import { oneLinerWrite } from '../kit/storage.js';

const dir = mkdtempSync(join(tmpdir(), 'gemba-group-commit-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

function open(): { storage: SqliteStorage; path: string } {
  const path = join(dir, `g${files++}.db`);
  return { storage: openSqliteStorage(path).storage, path };
}

const nowSec = Math.floor(Date.now() / 1000);
function oneLiner(i: number, over: Partial<OneLinerWrite['contact']> = {}, signature = `sig-${i}`): OneLinerWrite {
  return oneLinerWrite({ signature, nowSec, userId: `U${i}`, contact: { account: `Acme ${i}`, accountKey: `acme ${i}`, ...over } });
}

/**
 * Commits in the WAL since it was last truncated: frames whose header carries a database size
 * (only a transaction's last frame does) and the WAL header's salt (frames of an older generation don't).
 */
function walCommits(path: string): number {
  const wal = readFileSync(`${path}-wal`);
  if (wal.length < 32) return 0;
  const pageSize = wal.readUInt32BE(8);
  const [salt1, salt2] = [wal.readUInt32BE(16), wal.readUInt32BE(20)];
  let commits = 0;
  for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) {
    if (wal.readUInt32BE(at + 8) !== salt1 || wal.readUInt32BE(at + 12) !== salt2) break;
    if (wal.readUInt32BE(at + 4) !== 0) commits++;
  }
  return commits;
}

const count = (s: SqliteStorage, sql: string) => s.db.prepare(sql).pluck().get() as number;

describe('group commit of /contact one-liners (SQLite)', () => {
  it('one-liners made concurrently share one commit; one after the other, one commit each', async () => {
    const { storage, path } = open();
    try {
      await storage.eraseCheckpoint();
      const burst = await Promise.all(Array.from({ length: 8 }, (_, i) => storage.repos.contactLog.logOneLiner(oneLiner(i))));
      assert.deepEqual(
        burst.map((r) => r.status),
        Array(8).fill('logged'),
      );
      assert.equal(walCommits(path), 1, 'eight concurrent one-liners, one commit');
      assert.equal(count(storage, 'SELECT COUNT(*) FROM contacts'), 8);
      assert.equal(count(storage, 'SELECT COUNT(*) FROM seen_requests'), 8);
      // Each got its own row back, with its own id and counts.
      assert.equal(new Set(burst.map((r) => (r.status === 'logged' ? r.contact.id : 0))).size, 8);
      for (const r of burst) if (r.status === 'logged') assert.deepEqual(r.weekly, [{ weekStart: '2026-11-30', count: 1 }]);

      await storage.eraseCheckpoint();
      for (let i = 8; i < 11; i++) await storage.repos.contactLog.logOneLiner(oneLiner(i));
      assert.equal(walCommits(path), 3, 'awaited one by one, one commit each');
    } finally {
      await storage.close();
    }
  });

  it('alone (no other request in flight) a one-liner commits at once; with company it waits to share a commit', async () => {
    const { storage, path } = open();
    try {
      let others = false;
      storage.expectCompany(() => others);
      await storage.eraseCheckpoint();
      const pending = storage.repos.contactLog.logOneLiner(oneLiner(1));
      // Committed before the call returned: no turn of the event loop was waited for.
      assert.equal(count(storage, 'SELECT COUNT(*) FROM contacts'), 1);
      assert.equal((await pending).status, 'logged');
      await Promise.all([2, 3, 4].map((i) => storage.repos.contactLog.logOneLiner(oneLiner(i))));
      assert.equal(walCommits(path), 4, 'alone, each one-liner is its own commit');

      others = true;
      await storage.eraseCheckpoint();
      const queued = Promise.all([5, 6, 7].map((i) => storage.repos.contactLog.logOneLiner(oneLiner(i))));
      assert.equal(count(storage, 'SELECT COUNT(*) FROM contacts'), 4, 'waiting for the end of the turn');
      await queued;
      assert.equal(walCommits(path), 1, 'with other requests in flight, one shared commit');
    } finally {
      await storage.close();
    }
  });

  it('an item the database refuses is rolled back alone, its replay claim too; the others are stored', async () => {
    const { storage } = open();
    try {
      const results = await Promise.allSettled([
        storage.repos.contactLog.logOneLiner(oneLiner(1)),
        // The schema refuses an account longer than 120 characters (CHECK), after the claim was written.
        storage.repos.contactLog.logOneLiner(oneLiner(2, { account: 'x'.repeat(121) })),
        storage.repos.contactLog.logOneLiner(oneLiner(3)),
      ]);
      assert.deepEqual(
        results.map((r) => r.status),
        ['fulfilled', 'rejected', 'fulfilled'],
      );
      assert.match(String((results[1] as PromiseRejectedResult).reason), /CHECK constraint/);
      assert.deepEqual(storage.db.prepare('SELECT user_id FROM contacts ORDER BY user_id').pluck().all(), ['U1', 'U3']);
      assert.deepEqual(storage.db.prepare('SELECT signature_sha256 FROM seen_requests ORDER BY 1').pluck().all(), ['sig-1', 'sig-3']);
      assert.equal(count(storage, "SELECT COUNT(*) FROM managers WHERE user_id = 'U2'"), 0, 'its enrolment rolled back');
    } finally {
      await storage.close();
    }
  });

  it('the same signature twice in one batch: the first is logged, the second is a replay', async () => {
    const { storage } = open();
    try {
      const [a, b] = await Promise.all([
        storage.repos.contactLog.logOneLiner(oneLiner(1, {}, 'same')),
        storage.repos.contactLog.logOneLiner(oneLiner(2, {}, 'same')),
      ]);
      assert.equal(a.status, 'logged');
      assert.equal(b.status, 'replay');
      assert.equal(count(storage, 'SELECT COUNT(*) FROM contacts'), 1);
    } finally {
      await storage.close();
    }
  });

  it('one-liners made while a transaction is open wait for it and are not part of it', async () => {
    const { storage } = open();
    try {
      let release: () => void = () => undefined;
      const held = new Promise<void>((r) => {
        release = r;
      });
      const tx = storage.transaction(async (repos) => {
        await repos.teams.updateTeamSetting('T1', 'weeklyTarget', 9, Date.now());
        await held;
        throw new Error('rolled back on purpose');
      });
      const logged = storage.repos.contactLog.logOneLiner(oneLiner(1));
      await new Promise((r) => setTimeout(r, 20));
      assert.equal(count(storage, 'SELECT COUNT(*) FROM contacts'), 0, 'still waiting for the transaction');
      release();
      await assert.rejects(tx, /on purpose/);
      assert.equal((await logged).status, 'logged');
      assert.equal(count(storage, 'SELECT COUNT(*) FROM contacts'), 1, 'stored, though the transaction before it rolled back');
      assert.equal(count(storage, 'SELECT COUNT(*) FROM teams'), 0, "the transaction's own write is gone");
    } finally {
      await storage.close();
    }
  });

  it('close() commits the one-liners already queued before the connection goes', async () => {
    const { storage, path } = open();
    const pending = storage.repos.contactLog.logOneLiner(oneLiner(1));
    await storage.close();
    assert.equal((await pending).status, 'logged');
    const again = openSqliteStorage(path).storage;
    try {
      assert.equal(count(again, 'SELECT COUNT(*) FROM contacts'), 1);
    } finally {
      await again.close();
    }
  });

  it('called from inside a transaction it refuses at once, as every storage.repos call does', async () => {
    const { storage } = open();
    try {
      await assert.rejects(
        storage.transaction(async () => storage.repos.contactLog.logOneLiner(oneLiner(1))),
        /inside storage\.transaction/,
      );
    } finally {
      await storage.close();
    }
  });
});
