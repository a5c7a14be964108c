/**
 * `npm run sandbox -- --reset` starts afresh: every file of the sandbox's install goes (the main file,
 * its WAL, the anonymous store and its journal, the workspace, the uploaded files), and a reset tried
 * beside a running sandbox fails on the port, or on the data folder's lock, before it touches a file.
 * Without --reset, what was there is kept: the timelines and the files their messages show.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../src/lib/logger.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/sandbox.js';
import { spawnScript } from '../kit/app-process.js';
import { inspectorFor } from '../kit/engine.js';
import { freePort } from '../kit/net.js';

const quiet = createLogger('warn', { write: () => undefined });
const contacts = (s: Sandbox) => inspectorFor(s.ctx.storage).count('contacts');
const tactics = (s: Sandbox) => inspectorFor(s.ctx.storage).count('anon.tactics');

describe('the sandbox: --reset', { timeout: 120_000 }, () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gemba-sandbox-reset-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('starts afresh after a run, with the demo history seeded again', async () => {
    const first = await startSandbox({ dataDir: dir, port: 0, logger: quiet });
    let seeded: number;
    try {
      seeded = await contacts(first);
      assert.ok(seeded > 0, 'the demo team has history');
      assert.ok((await tactics(first)) > 0, 'and flagged tactics, in the anonymous store');
      // A change of this run only, to see the reset undo it.
      await inspectorFor(first.ctx.storage).rows('DELETE FROM contacts WHERE id = (SELECT min(id) FROM contacts) RETURNING id');
      assert.equal(await contacts(first), seeded - 1);
    } finally {
      await first.close();
    }
    assert.ok(existsSync(join(dir, 'sandbox.anon.db')));

    const again = await startSandbox({ dataDir: dir, port: 0, reset: true, logger: quiet });
    try {
      assert.equal(await contacts(again), seeded, 'the seeded history whole again: the last run is gone');
      assert.ok((await tactics(again)) > 0);
      const res = await fetch(again.url);
      assert.equal(res.status, 200);
      // The tab icon is inline, so a browser asks the page server for no /favicon.ico (which would be a 404).
      assert.match(await res.text(), /<link rel="icon" href="data:image\/svg\+xml,/);
    } finally {
      await again.close();
    }
  });

  it('a start that fails says why and leaves nothing listening', async () => {
    const broken = mkdtempSync(join(tmpdir(), 'gemba-sandbox-broken-'));
    try {
      // An anonymous store without its main file: the start stops with a sentence saying what to do.
      writeFileSync(join(broken, 'sandbox.anon.db'), 'not empty');
      const port = await freePort();
      await assert.rejects(startSandbox({ dataDir: broken, port, logger: quiet }), (err: Error) => {
        assert.equal(err.name, 'InstallFilesError');
        assert.match(err.message, /sandbox\.anon\.db exists but .*sandbox\.db does not/);
        return true;
      });
      // The page's port is free again (nothing left listening).
      const probe = createServer();
      await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(port, '127.0.0.1', resolve));
      await new Promise((resolve) => probe.close(resolve));
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });

  it('beside a running sandbox, a reset fails on the port and leaves the running one whole', async () => {
    const running = await startSandbox({ dataDir: dir, port: 0, logger: quiet });
    try {
      const before = await contacts(running);
      const port = Number(new URL(running.url).port);
      await assert.rejects(startSandbox({ dataDir: dir, port, reset: true, logger: quiet }), { code: 'EADDRINUSE' });
      for (const f of ['sandbox.db', 'sandbox.anon.db', 'sandbox-workspace.json']) assert.ok(existsSync(join(dir, f)), `${f} kept`);
      assert.equal(await contacts(running), before);
      const res = await fetch(running.url);
      assert.equal(res.status, 200);
      await res.text();
    } finally {
      await running.close();
    }
  });

  /** Every file the page shows (charts in the channels), by id, with the bytes it serves. */
  const shownFiles = async (s: Sandbox): Promise<Map<string, Buffer>> => {
    const ids = new Set(s.workspace.messages.flatMap((m) => (m.files ?? []).map((f) => f.id)));
    const out = new Map<string, Buffer>();
    for (const id of ids) {
      const res = await fetch(`${s.url}/files/${id}`);
      assert.equal(res.status, 200, `${id} is served`);
      out.set(id, Buffer.from(await res.arrayBuffer()));
    }
    return out;
  };
  const moveClock = async (s: Sandbox, to: string) => {
    const res = await fetch(`${s.url}/do/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to }),
    });
    assert.equal(res.status, 200);
    await res.text();
  };

  it('keeps the uploaded files across a restart, never gives an old file id to a new file, and --reset removes them', async () => {
    const files = mkdtempSync(join(tmpdir(), 'gemba-sandbox-files-'));
    try {
      const first = await startSandbox({ dataDir: files, port: 0, logger: quiet });
      let before: Map<string, Buffer>;
      try {
        before = await shownFiles(first);
        assert.ok(before.size > 0, 'the seeded weeks posted charts');
      } finally {
        await first.close();
      }
      assert.ok(existsSync(join(files, 'sandbox-files')));

      const again = await startSandbox({ dataDir: files, port: 0, logger: quiet });
      try {
        const kept = await shownFiles(again);
        for (const [id, bytes] of before) assert.ok(kept.get(id)?.equals(bytes), `${id}: the same chart after the restart`);
        // New weekly posts, with new charts.
        await moveClock(again, 'week');
        const now = await shownFiles(again);
        const added = [...now.keys()].filter((id) => !before.has(id));
        assert.ok(added.length > 0, 'new charts were posted');
        for (const [id, bytes] of before) assert.ok(now.get(id)?.equals(bytes), `${id} still shows its own chart`);
      } finally {
        await again.close();
      }

      const reset = await startSandbox({ dataDir: files, port: 0, reset: true, logger: quiet });
      try {
        const fresh = await shownFiles(reset);
        for (const id of before.keys()) assert.ok(!fresh.has(id), `${id} is gone with the reset`);
        const res = await fetch(`${reset.url}/files/${[...before.keys()][0]}`);
        assert.equal(res.status, 404);
        await res.text();
        const onDisk = readdirSync(join(files, 'sandbox-files')).filter((f) => !f.endsWith('.json'));
        assert.deepEqual(onDisk.sort(), [...fresh.keys()].sort(), "only the fresh history's files are left");
      } finally {
        await reset.close();
      }
    } finally {
      rmSync(files, { recursive: true, force: true });
    }
  });

  it('a second sandbox on the same data folder, on another port, stops with one line and leaves the running one whole', async () => {
    const running = await startSandbox({ dataDir: dir, port: 0, logger: quiet });
    try {
      const before = await contacts(running);
      const port = await freePort();
      await assert.rejects(startSandbox({ dataDir: dir, port, reset: true, logger: quiet }), (err: Error) => {
        assert.equal(err.name, 'DataFolderLockedError');
        assert.equal(
          err.message,
          `${dir} is in use by the sandbox at ${running.url} (pid ${process.pid}): stop it first, or give this one another data folder`,
        );
        return true;
      });
      for (const f of ['sandbox.db', 'sandbox.anon.db', 'sandbox-workspace.json', 'sandbox-files'])
        assert.ok(existsSync(join(dir, f)), `${f} kept`);
      assert.equal(await contacts(running), before);
      const res = await fetch(running.url);
      assert.equal(res.status, 200);
      await res.text();
      // The refused one left nothing listening on its port.
      const probe = createServer();
      await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(port, '127.0.0.1', resolve));
      await new Promise((resolve) => probe.close(resolve));
    } finally {
      await running.close();
    }
    assert.ok(!existsSync(join(dir, 'sandbox.lock')), 'the lock goes with the sandbox');
  });

  it('npm run sandbox says so in one line and exits 1 when the data folder is in use', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'gemba-sandbox-locked-'));
    try {
      mkdirSync(join(cwd, 'data'));
      // This test's own process holds it, as a running sandbox would.
      writeFileSync(join(cwd, 'data', 'sandbox.lock'), JSON.stringify({ pid: process.pid, url: 'http://127.0.0.1:4455' }));
      writeFileSync(join(cwd, 'data', 'sandbox-workspace.json'), '{"kept":true}');
      const child = spawnScript(
        'src/sandbox/main.ts',
        ['--reset'],
        { PATH: process.env.PATH ?? '', SANDBOX_PORT: String(await freePort()) },
        cwd,
      );
      // A sandbox that starts anyway is stopped, not left running.
      const stop = setTimeout(() => child.proc.kill('SIGKILL'), 30_000);
      const code = await child.exited.finally(() => clearTimeout(stop));
      assert.equal(code, 1, child.output());
      assert.equal(
        child.output(),
        `Gemba sandbox cannot start: ./data is in use by the sandbox at http://127.0.0.1:4455 (pid ${process.pid}): stop it first, or give this one another data folder\n`,
      );
      assert.equal(readFileSync(join(cwd, 'data', 'sandbox-workspace.json'), 'utf8'), '{"kept":true}', 'no reset happened');
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('a lock left by a sandbox whose process is gone is taken over', async () => {
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(join(dir, 'sandbox.lock'), JSON.stringify({ pid: gone, url: 'http://127.0.0.1:4455' }));
    const s = await startSandbox({ dataDir: dir, port: 0, logger: quiet });
    try {
      assert.equal(JSON.parse(readFileSync(join(dir, 'sandbox.lock'), 'utf8')).pid, process.pid);
    } finally {
      await s.close();
    }
  });
});
