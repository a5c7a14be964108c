import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { BackgroundCheckpointer } from '../../src/db/checkpointer.js';
import { openSqliteStorage } from '../../src/db/sqlite.js';

const dir = mkdtempSync(join(tmpdir(), 'gemba-checkpoint-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Fills the WAL with ~2 MB of committed pages the main file does not have yet. */
function writeBurst(db: ReturnType<typeof openSqliteStorage>['storage']['db'], marker: string): void {
  db.exec('CREATE TABLE IF NOT EXISTS burst (id INTEGER PRIMARY KEY, body TEXT)');
  const insert = db.prepare('INSERT INTO burst (body) VALUES (?)');
  for (let i = 0; i < 500; i++) insert.run(`${marker}-${i}-${'x'.repeat(4000)}`);
}

async function until(check: () => boolean, what: string, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

describe('background WAL checkpoints (SQLite)', () => {
  it('the app connection never checkpoints on commit; the worker copies committed pages into the main file', async () => {
    const path = join(dir, 'moves.db');
    const { storage } = openSqliteStorage(path);
    try {
      assert.equal(storage.db.pragma('wal_autocheckpoint', { simple: true }), 0, 'no checkpoint inside a commit');
      assert.ok(storage.checkpointer, 'a file database gets a background checkpointer');
      const before = statSync(path).size;
      writeBurst(storage.db, 'moved');
      // Only the worker can have put these pages into the main file: this connection never checkpoints.
      await until(() => readFileSync(path).includes('moved-499-'), 'the worker to checkpoint the burst');
      assert.ok(statSync(path).size > before + 1_000_000, 'the main file grew by the burst');
    } finally {
      await storage.close();
    }
  });

  it('an erasing checkpoint still truncates the WAL while the worker is busy checkpointing', async () => {
    const path = join(dir, 'erase.db');
    const { storage } = openSqliteStorage(path);
    try {
      for (let round = 0; round < 10; round++) {
        writeBurst(storage.db, `round${round}`);
        assert.equal(await storage.eraseCheckpoint(), true, `round ${round}: the WAL was truncated`);
        assert.equal(statSync(`${path}-wal`).size, 0, `round ${round}: nothing left in the WAL`);
      }
    } finally {
      await storage.close();
    }
  });

  it('close() stops the worker; a database in memory gets none', async () => {
    const { storage } = openSqliteStorage(join(dir, 'close.db'));
    await storage.close();
    await storage.close();
    assert.equal(storage.db.open, false);
    const memory = openSqliteStorage(':memory:').storage;
    assert.equal(memory.checkpointer, null);
    await memory.close();
  });

  it('a worker that cannot start reports it as stopped, so the caller can checkpoint on commit again', async () => {
    const failures: Array<{ message: string; stopped: boolean }> = [];
    const checkpointer = new BackgroundCheckpointer(join(dir, 'missing', 'nothing.db'), (message, stopped) =>
      failures.push({ message, stopped }),
    );
    await until(() => failures.length > 0, 'the failure report');
    assert.equal(failures[0]?.stopped, true);
    assert.match(failures[0]?.message ?? '', /unable to open|directory does not exist|cannot open/i);
    await checkpointer.close();
  });
});
