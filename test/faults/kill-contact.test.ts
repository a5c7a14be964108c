/**
 * kill -9 during a burst of /contact: the handler commits before it acknowledges (and SQLite in WAL
 * mode keeps every committed transaction across a process crash), so every conversation the user
 * saw confirmed is there after a restart, and the weekly aggregates agree with it.
 */

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { inspectStore, ON_POSTGRES } from '../kit/engine.js';
import { type FakeSlack, startFakeSlack } from '../kit/fake-slack.js';
import { slashCommand } from '../kit/payloads.js';
import { postSigned } from '../kit/sign.js';
import { type Child, FAULT_SECRET, startApp, stop } from './support.js';

const BURST = 400;
const CONCURRENCY = 24;
/** Confirmations seen before the kill: well into the burst, with plenty still in flight. */
const KILL_AFTER = 80;

describe('fault: kill -9 in the middle of a /contact burst', () => {
  let fake: FakeSlack;
  let dir: string;
  const children: Child[] = [];

  before(async () => {
    fake = await startFakeSlack({ defaultTz: 'UTC' });
    dir = mkdtempSync(join(tmpdir(), 'gemba-fault-contact-'));
  });
  after(async () => {
    for (const c of children) await stop(c);
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged conversation, and the app serves again after a restart', async () => {
    const databasePath = join(dir, 'gemba.db');
    const app = await startApp({ apiUrl: fake.apiUrl, databasePath, cwd: dir });
    children.push(app);

    const confirmed: string[] = [];
    const failed: string[] = [];
    let next = 0;
    let killed = false;
    const worker = async () => {
      while (next < BURST) {
        const i = next++;
        const account = `Burst ${String(i).padStart(4, '0')} Ltd`;
        const payload = slashCommand({
          command: '/contact',
          text: `${account} with Dana via video 30m: wants ROI proof`,
          userId: `UFAULT${i % 8}`,
          responseUrl: fake.responseUrl(),
        });
        try {
          const res = await postSigned(app.url, { secret: FAULT_SECRET, ...payload });
          if (res.status === 200 && res.json?.text?.startsWith('Logged')) confirmed.push(account);
          else failed.push(`${account}: ${res.status} ${res.text.slice(0, 200)}`);
        } catch {
          failed.push(`${account}: no answer`);
        }
        if (!killed && confirmed.length >= KILL_AFTER) {
          killed = true;
          app.proc.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    assert.equal(await app.exited, 'SIGKILL');
    assert.ok(confirmed.length >= KILL_AFTER, 'the burst was under way when the app died');
    assert.ok(failed.length > 0, 'the kill landed mid-burst: some requests never got an answer');
    assert.ok(
      failed.every((f) => f.endsWith('no answer')),
      `before the kill every request was confirmed:\n${failed.filter((f) => !f.endsWith('no answer')).join('\n')}`,
    );

    const restarted = await startApp({ apiUrl: fake.apiUrl, databasePath, cwd: dir });
    children.push(restarted);
    const stored = await inspectStore(databasePath, (db) => db.values<string>('SELECT account FROM contacts'));
    const storedSet = new Set(stored);
    const lost = confirmed.filter((a) => !storedSet.has(a));
    assert.deepEqual(lost, [], 'every acknowledged conversation survived');
    assert.equal(storedSet.size, stored.length, 'nothing was stored twice');
    // A request can be committed and then lose its answer to the kill: stored, never confirmed
    // (Slack shows the user a timeout). That is the only way the two counts may differ.
    assert.ok(stored.length >= confirmed.length && stored.length <= confirmed.length + CONCURRENCY);

    await inspectStore(databasePath, async (db) => {
      if (!ON_POSTGRES) assert.equal(await db.value('PRAGMA integrity_check'), 'ok');
      const counts = await db.row<{ total: number; weekly: number; team: number }>(
        'SELECT (SELECT COUNT(*) FROM contacts) AS total, (SELECT SUM(contacts) FROM contact_weeks) AS weekly, (SELECT SUM(contacts) FROM team_weeks) AS team',
      );
      assert.ok(counts);
      assert.deepEqual([counts.weekly, counts.team], [counts.total, counts.total], 'the weekly aggregates agree with the rows');
    });

    const res = await postSigned(restarted.url, {
      secret: FAULT_SECRET,
      ...slashCommand({ command: '/contact', text: 'After Restart Inc', userId: 'UFAULT0', responseUrl: fake.responseUrl() }),
    });
    assert.equal(res.status, 200);
    assert.match(res.json.text, /^Logged a conversation with After Restart Inc/);
  });
});
