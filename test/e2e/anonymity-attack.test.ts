/**
 * The operator's attack (issue 9, PRODUCT.md "Anonymity"). Reps flag tactics and say Me too over
 * two days, through two app processes sharing one database (the second without ANONYMITY_KEY).
 * Then the test plays whoever runs Gemba: it holds a copy of every database file (main, WAL, shm,
 * the anonymous store and its journal), the whole log at LOG_LEVEL=debug, the environment with
 * every key, and the full member list, and computes every candidate set it can. Each must hold at
 * least ANONYMITY_CROWD eligible people, for single flags and for one rep's flags taken together.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { ActionId } from '../../src/blocks/ids.js';
import { runPublish } from '../../src/jobs/publish.js';
import { crowdHash } from '../../src/services/crowds.js';
import { normalizeTactic } from '../../src/services/tactics.js';
import { createSlackDirectory } from '../../src/slack/directory.js';
import { crowdCodeOf, populate, publishFlags, repsInDistinctCrowds } from '../kit/crowds.js';
import { ON_POSTGRES, sqliteOnly } from '../kit/engine.js';
import { type Harness, harnessPerTest } from '../kit/harness.js';
import { ackMessage, allText } from './support.js';

const harness = harnessPerTest();
const TEAM = 'T0001';
const CROWD = 5;
const at = (iso: string) => Date.parse(iso);

/** Every file in the database folder, as bytes: what a copy of the data directory holds. */
function copyOfFiles(h: Harness): Array<[string, Buffer]> {
  const dir = dirname(h.databasePath);
  return readdirSync(dir).map((f) => [f, readFileSync(join(dir, f))]);
}

/** Opens a copy of the database files taken while the app runs, read-only, as the operator would. */
function openCopy(h: Harness): { db: Database.Database; close: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'gemba-attack-'));
  for (const f of readdirSync(dirname(h.databasePath))) copyFileSync(join(dirname(h.databasePath), f), join(dir, f));
  const db = new Database(join(dir, 'gemba.db'), { readonly: true });
  db.prepare('ATTACH DATABASE ? AS anon').run(join(dir, 'gemba.anon.db'));
  return {
    db,
    close: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('the operator holding the files, logs, keys and member list', () => {
  it('narrows no flag, Me too or reason, and no rep across all their flags, to fewer than ANONYMITY_CROWD people', {
    skip: sqliteOnly('the attacker copies the SQLite files byte for byte; test/e2e/postgres-anonymity.test.ts attacks PostgreSQL'),
  }, async () => {
    const env = { LOG_LEVEL: 'debug', ANONYMITY_KEY: 'operator-knows-this-key-0123456789' };
    const one = await harness({ env, now: '2026-11-26T10:00:00Z' });
    const members = await populate(one, 60);
    // Not eligible: a deleted account and a bot are listed by Slack but are nobody's crowd.
    one.fake.setUser('UCROWDGONE', { deleted: true });
    one.fake.setUser('UCROWDBOT', { isBot: true });
    await one.ctx.services.tactics.refreshPopulation(TEAM);
    assert.equal((await one.ctx.services.tactics.crowdStatus(TEAM)).eligible, 60);

    // Six reps: three from distinct crowds, two crowd-mates of the first, one more.
    const [r1, r2, r3, r4] = await repsInDistinctCrowds(one, members, 4);
    const r1Code = await crowdCodeOf(one, r1);
    const mates: string[] = [];
    for (const m of members) if (m !== r1 && mates.length < 2 && (await crowdCodeOf(one, m)) === r1Code) mates.push(m);
    const reps = [r1, r2, r3, r4, ...mates];
    const flags: Array<[string, string]> = [
      [r1, 'cold calling: nobody answers unknown numbers'],
      [r1, 'paid ad bursts: ignored'],
      [r1, 'zoom everything: they want to meet'],
      [r2, 'Cold-calling!'],
      [r3, 'cold calling'],
      [mates[0], 'paid ad bursts: banner blindness'],
      [mates[1], 'webinar spam'],
    ];
    for (const [rep, text] of flags) ackMessage(await one.command('/flag-tactic', text, { userId: rep }));
    one.clock.set(at('2026-11-26T18:00:00Z'));
    assert.equal((await runPublish(one.ctx, one.clock.now())).posted.length, 1);

    // Day two, a second process on the same files, started without ANONYMITY_KEY.
    const two = await harness({
      fake: one.fake,
      databasePath: one.databasePath,
      env: { LOG_LEVEL: 'debug', ANONYMITY_KEY: '' },
      now: '2026-11-27T09:00:00Z',
    });
    const cold = (await two.ctx.services.tactics.listTactics(TEAM)).find((t) => normalizeTactic(t.text) === 'cold calling');
    assert.ok(cold, 'published');
    for (const rep of [r4, r1, mates[0]]) await two.action({ actionId: ActionId.tacticMeToo, value: String(cold.id), userId: rep });
    ackMessage(await two.command('/flag-tactic', 'cold calling: same again', { userId: r1 }));
    await one.settle();
    await two.settle();

    // ---- The attack. What the operator holds:
    const files = copyOfFiles(two);
    assert.ok(
      files.some(([f]) => f === 'gemba.anon.db'),
      'the anonymous store is part of the copy',
    );
    const logs = one.logText() + two.logText();
    assert.ok(one.ctx.logger.isLevelEnabled('debug') && two.ctx.logger.isLevelEnabled('debug'), 'sanity: debug logging was on');
    const environment = JSON.stringify({ ...one.ctx.config, ...env });
    const memberList = await createSlackDirectory(one.ctx.workspaces).listMembers(TEAM);
    assert.equal(memberList.length, 60);
    const hashOf = new Map(memberList.map((m) => [m.id, crowdHash(TEAM, m.id)]));
    const candidates = (code: string) => memberList.filter((m) => hashOf.get(m.id)!.startsWith(code)).map((m) => m.id);

    // 1. No user id, and no hash of one, anywhere in the files or the logs.
    const everything = [...files.map(([f, b]) => [f, b.toString('latin1')] as const), ['log', logs] as const];
    for (const m of memberList) {
      const hex = Buffer.from(
        hashOf
          .get(m.id)!
          .match(/.{8}/g)!
          .map((b) => Number.parseInt(b, 2)),
      ).toString('hex');
      for (const [where, text] of everything) {
        assert.ok(!text.includes(m.id), `${m.id} is in ${where}`);
        assert.ok(!text.includes(hex.slice(0, 16)), `a hash of ${m.id} is in ${where}`);
        assert.ok(!text.includes(hashOf.get(m.id)!.slice(0, 24)), `a long hash prefix of ${m.id} is in ${where}`);
      }
    }
    assert.ok(!environment.includes(r1));

    // 2. Every stored code, alone, points to at least a crowd; so does every reason.
    const copy = openCopy(two);
    try {
      const reports = copy.db
        .prepare('SELECT tactic_id AS tacticId, crowd_code AS code, publish_day AS day FROM anon.tactic_reports')
        .all() as Array<{
        tacticId: number;
        code: string;
        day: string;
      }>;
      assert.ok(reports.length >= 6, 'sanity: the flags are there');
      for (const r of reports)
        assert.ok(candidates(r.code).length >= CROWD, `report code ${JSON.stringify(r.code)} narrows to ${candidates(r.code).length}`);
      const quota = copy.db.prepare('SELECT crowd_code AS code FROM anon.flag_quota').pluck().all() as string[];
      for (const code of quota) assert.ok(candidates(code).length >= CROWD, `allowance code ${code}`);
      const reasons = copy.db.prepare('SELECT tactic_id AS tacticId, publish_day AS day FROM anon.tactic_reasons').all() as Array<{
        tacticId: number;
        day: string;
      }>;
      for (const reason of reasons) {
        const behind = new Set(reports.filter((r) => r.tacticId === reason.tacticId).flatMap((r) => candidates(r.code)));
        assert.ok(behind.size >= CROWD, `a reason narrows to ${behind.size}`);
      }

      // 3. One rep's flags and support side by side: the intersection of their codes' crowds.
      for (const rep of reps) {
        const theirs = [...reports.map((r) => r.code), ...quota].filter((c) => hashOf.get(rep)!.startsWith(c));
        assert.ok(theirs.length > 0);
        const together = memberList.filter((m) => theirs.every((c) => hashOf.get(m.id)!.startsWith(c)));
        assert.ok(together.length >= CROWD, `${rep}'s ${theirs.length} rows together narrow to ${together.length}`);
        assert.ok(
          together.some((m) => m.id === rep),
          'and the rep is among them (the attack is the right one)',
        );
      }

      // 4. Nothing dates or orders them finer than the publish day: only days and weeks, random ids.
      const anonText = JSON.stringify(
        ['tactics', 'tactic_reports', 'tactic_reasons', 'flag_quota', 'tactic_publications'].map((t) =>
          copy.db.prepare(`SELECT * FROM anon.${t}`).all(),
        ),
      );
      assert.doesNotMatch(anonText, /\d{4}-\d{2}-\d{2}T|\b1\d{12}\b|\b1\d{9}\b/, 'no instant in the anonymous store');
      const ids = copy.db.prepare('SELECT id FROM anon.tactics').pluck().all() as number[];
      for (const id of ids) assert.ok(id >= 100_000, 'random ids, not a sequence');
      // The main file and its WAL gained nothing from any flag: no seen-request row, no profile, no cache.
      for (const table of ['seen_requests', 'user_profiles', 'managers', 'contacts', 'audit_log']) {
        assert.equal(copy.db.prepare(`SELECT COUNT(*) FROM main.${table}`).pluck().get(), 0, `${table} is empty`);
      }
      // The anonymous store keeps no journal of past writes between transactions.
      const journal = files.find(([f]) => f === 'gemba.anon.db-journal');
      assert.ok(!journal || journal[1].length === 0, 'the rollback journal is truncated after each commit');
      assert.ok(!files.some(([f]) => f === 'gemba.anon.db-wal'), 'no WAL for the anonymous store');
    } finally {
      copy.close();
    }

    // 5. Counting: crowd-mates and repeats count once; the key made no difference between processes.
    two.clock.set(at('2026-11-27T18:00:00Z'));
    await publishFlags(two);
    const counts = Object.fromEntries(
      (await two.ctx.services.tactics.listTactics(TEAM)).map((t) => [normalizeTactic(t.text), t.reporters]),
    );
    assert.equal(counts['cold calling'], 4, 'r1 (and two crowd-mates of r1), r2, r3, r4: four crowds');
    assert.equal(counts['paid ad bursts'], 1, 'r1 and a crowd-mate: one crowd');
  });

  it('a lone rep, across restarts and with or without a key, never reaches the threshold', async () => {
    const first = await harness();
    const [rep] = await repsInDistinctCrowds(first, await populate(first, 30), 1);
    ackMessage(await first.command('/flag-tactic', 'cold calling: nobody answers', { userId: rep }));
    await publishFlags(first);
    const id = (await first.ctx.services.tactics.listTactics(TEAM))[0].id;
    for (const env of [{ ANONYMITY_KEY: '' }, { ANONYMITY_KEY: 'a-completely-different-key-0123' }, { ANONYMITY_KEY: '' }]) {
      const again = await harness({ fake: first.fake, databasePath: first.databasePath, env });
      ackMessage(await again.command('/flag-tactic', 'Cold calling!', { userId: rep }));
      await again.action({ actionId: ActionId.tacticMeToo, value: String(id), userId: rep });
      await publishFlags(again);
      const [t] = await again.ctx.services.tactics.listTactics(TEAM);
      assert.equal(t.reporters, 1);
      assert.deepEqual((await again.ctx.services.tactics.digestTactics(TEAM, 3)).shown, []);
      await again.close();
    }
  });

  it('a small workspace is told the truth: /gemba settings and the flag reply say flags cannot be shown yet, and why', async () => {
    const h = await harness();
    await populate(h, 8);
    const settings = allText(ackMessage(await h.command('/gemba', 'settings', { userId: 'UCROWD0001' })));
    assert.match(settings, /Tactic flags: reps are every active member: 8 eligible people in 1 crowd, crowds of at least \*5\*/);
    assert.match(
      settings,
      /Flags can't be shown to leadership yet: Gemba counts reps in crowds of at least 5[\s\S]*needs 3 crowds[\s\S]*8 eligible people, which make 1 crowd/,
    );
    const reply = allText(ackMessage(await h.command('/flag-tactic', 'cold calling', { userId: 'UCROWD0002' })));
    assert.match(reply, /Flags can't be shown to leadership yet/);
  });

  it('/gemba admin reps sync sets the population to the group; users.list is read page by page', async () => {
    const h = await harness({ env: { ADMIN_USER_IDS: 'U0ADMINREPS' } });
    const members = await populate(h, 250);
    assert.equal((await h.ctx.services.tactics.crowdStatus(TEAM)).eligible, 250);
    assert.ok(h.fake.callsTo('users.list').length >= 2, 'more than one page was read');
    h.fake.setUsergroup('S0REPS', members.slice(0, 12));
    await h.command('/gemba', 'admin reps sync <!subteam^S0REPS|@reps>', { userId: 'U0ADMINREPS' });
    await h.settle();
    const rs = h.fake.callsTo('response_url');
    const text = allText(rs[rs.length - 1].args);
    assert.match(text, /Reps are now the members of <!subteam\^S0REPS>: 12 eligible people in 2 crowds of at least 5/);
    assert.match(text, /Flags can't be shown to leadership yet/);
    const status = await h.ctx.services.tactics.crowdStatus(TEAM);
    assert.deepEqual([status.source, status.groupId, status.eligible], ['group', 'S0REPS', 12]);
    const audit = (await h.ctx.repos.audit.listRecentAuditEntries(TEAM, 1))[0];
    assert.deepEqual([audit.actorId, audit.action], ['U0ADMINREPS', 'reps.sync']);
    // An unknown group changes nothing.
    await h.command('/gemba', 'admin reps sync <!subteam^S0NOPE|@nope>', { userId: 'U0ADMINREPS' });
    await h.settle();
    const last = h.fake.callsTo('response_url');
    assert.match(allText(last[last.length - 1].args), /Slack does not know that user group/);
    assert.equal((await h.ctx.services.tactics.crowdStatus(TEAM)).groupId, 'S0REPS');
    if (!ON_POSTGRES) assert.ok(existsSync(h.databasePath.replace(/\.db$/, '.anon.db')));
  });
});

/**
 * Every b-tree page of a SQLite file, with its cells' offsets in key order (the cell pointer array). A page keeps
 * a new cell's bytes below all the others' (and a new page goes at the end of the file), so offsets that do not
 * fall steadily along the keys tell in which order the rows were written.
 */
function pagesOf(file: string): Array<{ page: number; offsets: number[] }> {
  const buf = readFileSync(file);
  const size = buf.readUInt16BE(16) === 1 ? 65536 : buf.readUInt16BE(16);
  const pages: Array<{ page: number; offsets: number[] }> = [];
  for (let p = 0; (p + 1) * size <= buf.length; p++) {
    const header = p * size + (p === 0 ? 100 : 0);
    const type = buf[header];
    if (![2, 5, 10, 13].includes(type)) continue;
    const pointers = header + (type === 2 || type === 5 ? 12 : 8);
    const n = buf.readUInt16BE(header + 3);
    pages.push({ page: p + 1, offsets: Array.from({ length: n }, (_, i) => buf.readUInt16BE(pointers + 2 * i)) });
  }
  return pages;
}

describe('where a row sits in the anonymous file', { skip: sqliteOnly('reads the pages of the anonymous store file') }, () => {
  it('says nothing about when it came: after every flag and Me too, rows lie in key order, not the order they were written', async () => {
    const h = await harness({ now: '2026-11-26T10:00:00Z' });
    const reps = await repsInDistinctCrowds(h, await populate(h, 80), 6);
    const anon = h.databasePath.replace(/\.db$/, '.anon.db');
    // Page 1 is the schema (its order is the order the tables were created in).
    const written = () => pagesOf(anon).filter((p) => p.page > 1 && p.offsets.some((o, i) => i > 0 && o >= p.offsets[i - 1]));
    for (const [i, rep] of reps.entries()) {
      ackMessage(await h.command('/flag-tactic', `tactic ${'zyxwvu'[i]}: reason ${i}`, { userId: rep }));
      ackMessage(await h.command('/flag-tactic', `shared tactic: because ${i}`, { userId: rep }));
      assert.deepEqual(written(), [], `after flag ${i + 1}, a page keeps its rows in the order they were written`);
    }
    h.clock.set(Date.parse('2026-11-26T18:00:00Z'));
    await publishFlags(h);
    const shared = (await h.ctx.services.tactics.listTactics(TEAM)).find((t) => t.text === 'shared tactic')!;
    const others = await repsInDistinctCrowds(h, await populate(h, 80), 8);
    for (const rep of others.slice(6)) await h.action({ actionId: ActionId.tacticMeToo, value: String(shared.id), userId: rep });
    assert.deepEqual(written(), [], 'after a Me too');
    assert.ok(
      pagesOf(anon).some((p) => p.offsets.length >= 6),
      'sanity: the pages hold several rows each',
    );
  });
});
