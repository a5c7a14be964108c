import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { beforeEach, describe, it } from 'node:test';
import { flagConfirmation, flagTacticHelp, flagTacticModal, tacticDigestBlocks, tacticList } from '../../src/blocks/tactics.js';
import { loadConfig } from '../../src/config.js';
import type { Db } from '../../src/db/open.js';
import type { Repos } from '../../src/db/repos/index.js';
import { FixedClock } from '../../src/lib/clock.js';
import { HeldFailures } from '../../src/lib/held-failures.js';
import { createLogger } from '../../src/lib/logger.js';
import { plainFromSlackText } from '../../src/lib/slack-text.js';
import { buildCrowdTree, coarsen, codeOf, countCrowds, crowdHash } from '../../src/services/crowds.js';
import { createSettingsService } from '../../src/services/settings.js';
import {
  createTacticService,
  normalizeTactic,
  PersonalFlagCounter,
  parseFlagText,
  TACTIC_LIMITS,
  type TacticService,
  validateTacticInput,
} from '../../src/services/tactics.js';
import { validateMessage, validateView } from '../kit/block-kit.js';
import { openTestStorage } from '../kit/storage.js';

const TEAM = 'T0001';
const THU = Date.parse('2026-11-26T15:00:00Z'); // 2026-W48
const NEXT_MON = Date.parse('2026-11-30T09:00:00Z'); // 2026-W49

interface Fixture {
  db: Db;
  repos: Repos;
  clock: FixedClock;
  tactics: TacticService;
  /** A new service on the same database, as after a restart. */
  restart: () => TacticService;
  log: () => string;
}

const ANON_TABLES = ['anon.tactics', 'anon.tactic_reports', 'anon.tactic_reasons', 'anon.flag_quota'];

function fixture(opts: { members?: () => string[]; crowd?: number } = {}): Fixture {
  const storage = openTestStorage();
  const db = storage.db;
  const repos = storage.repos;
  const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-t', SLACK_SIGNING_SECRET: 's', ANONYMITY_CROWD: String(opts.crowd ?? 5) });
  const settings = createSettingsService(config, repos);
  const clock = new FixedClock(THU);
  let raw = '';
  const logger = createLogger(
    'debug',
    new Writable({
      write: (c, _e, cb) => {
        raw += c.toString();
        cb();
      },
    }),
  );
  const directory = {
    fetchUser: async () => null,
    listMembers: async () => (opts.members?.() ?? []).map((id) => ({ id, tz: 'UTC', isAdmin: false, isOwner: false, displayName: null })),
    listGroupMembers: async () => null,
  };
  const make = () => createTacticService({ storage, clock, settings, directory, config, logger, held: new HeldFailures() });
  return { db, repos, clock, tactics: make(), restart: make, log: () => raw };
}

const rows = (db: Db, table: string): any[] => db.prepare(`SELECT * FROM ${table}`).all();
const storedCounts = (db: Db) => ANON_TABLES.map((t) => rows(db, t).length);

describe('normalizeTactic', () => {
  const same: Array<[string, string]> = [
    ['Cold calling', 'cold-calling!'],
    ['Cold calling', '  COLD   calling  '],
    ['Cold calling', 'cold_calling.'],
    ['Cold calling', 'Ｃｏｌｄ ｃａｌｌｉｎｇ'], // full-width: NFKC
    ['Zoom everything', '"zoom" — everything?!'],
    ["Don't cold call", 'dont cold-call'],
  ];
  for (const [a, b] of same)
    it(`groups ${JSON.stringify(a)} with ${JSON.stringify(b)}`, () => assert.equal(normalizeTactic(a), normalizeTactic(b)));

  it('gives the expected key', async () => {
    assert.equal(normalizeTactic('  Cold-Calling!!  blitzes '), 'cold calling blitzes');
    assert.equal(normalizeTactic('Paid-ad bursts (Q4)'), 'paid ad bursts q4');
    assert.equal(normalizeTactic('Café demos'), 'café demos');
  });

  it('keeps different tactics apart', async () => {
    assert.notEqual(normalizeTactic('cold calling'), normalizeTactic('cold emailing'));
    assert.notEqual(normalizeTactic('coldcalling'), normalizeTactic('cold calling'));
  });

  it('is idempotent', async () => {
    for (const s of ['Cold calling', 'x--y', 'A&B  c', '¡Hola!']) assert.equal(normalizeTactic(normalizeTactic(s)), normalizeTactic(s));
  });
});

describe('parsing and validation', () => {
  it('splits the one-liner at the first colon', async () => {
    const r = parseFlagText('Cold calling: buyers ignore unknown numbers: really');
    assert.deepEqual(r, { ok: true, input: { tactic: 'Cold calling', why: 'buyers ignore unknown numbers: really', instead: null } });
  });

  it('treats an empty reason as none and collapses spaces', async () => {
    assert.deepEqual(parseFlagText('  cold    calling :  '), { ok: true, input: { tactic: 'cold calling', why: null, instead: null } });
  });

  it('decodes Slack escaping and turns mentions into plain words (no ids kept)', async () => {
    assert.equal(plainFromSlackText('AT&amp;T &lt;b&gt; calls'), 'AT&T <b> calls');
    assert.equal(
      plainFromSlackText('ask <@U123ABC|dana> in <#C999|sales> with <!subteam^S1|@aes> <!here>'),
      'ask @dana in #sales with @aes @here',
    );
    assert.equal(plainFromSlackText('<@U123ABC> style'), '@someone style');
    assert.equal(plainFromSlackText('see <https://x.io/a|the deck>'), 'see the deck');
    const r = parseFlagText('<@U123ABC|dana> cold calls: per <@U777>');
    assert.ok(r.ok);
    assert.doesNotMatch(JSON.stringify(r), /U123ABC|U777/);
  });

  const bad: Array<[string, string, string]> = [
    ['', 'tactic_missing', 'tactic'],
    [': buyers hate it', 'tactic_missing', 'tactic'],
    ['ab', 'tactic_too_short', 'tactic'],
    ['ab: why', 'tactic_too_short', 'tactic'],
    ['x'.repeat(81), 'tactic_too_long', 'tactic'],
    ['!!!!', 'tactic_no_words', 'tactic'],
    [`cold calling: ${'y'.repeat(501)}`, 'why_too_long', 'why'],
  ];
  for (const [text, code, field] of bad) {
    it(`refuses ${JSON.stringify(text.slice(0, 30))} with ${code}`, async () => {
      const r = parseFlagText(text);
      assert.equal(r.ok, false);
      if (!r.ok) {
        assert.equal(r.problem.code, code);
        assert.equal(r.problem.field, field);
      }
    });
  }

  it('accepts the limits exactly', async () => {
    assert.ok(parseFlagText('abc').ok);
    assert.ok(parseFlagText(`${'x'.repeat(80)}: ${'y'.repeat(500)}`).ok);
    assert.ok(parseFlagText('🙂🙂🙂').ok === false, 'emoji only has no words');
    assert.ok(parseFlagText('ab🙂').ok, 'three code points');
    assert.equal(validateTacticInput({ tactic: 'cold calling', instead: 'z'.repeat(501) }).ok, false);
    assert.equal(validateTacticInput({ tactic: 'cold calling', instead: 'z'.repeat(500) }).ok, true);
  });
});

describe('crowd codes', () => {
  const people = (n: number, prefix = 'UP') => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(5, '0')}`);

  it('cuts any population into crowds of at least the crowd size that cover every hash', async () => {
    for (const [n, size] of [
      [4, 5],
      [5, 5],
      [9, 5],
      [23, 5],
      [200, 5],
      [1000, 7],
    ] as const) {
      const hashes = people(n).map((u) => crowdHash(TEAM, u));
      const leaves = buildCrowdTree(hashes, size);
      assert.equal(
        leaves.reduce((sum, l) => sum + l.members, 0),
        n,
        'every person is in exactly one crowd',
      );
      for (const l of leaves) if (n >= size) assert.ok(l.members >= size, `${n}/${size}: crowd ${l.code} has ${l.members}`);
      for (const h of hashes) assert.equal(leaves.filter((l) => h.startsWith(l.code)).length, 1);
      // Anyone, eligible or not, falls in exactly one crowd.
      const stranger = crowdHash(TEAM, 'USTRANGER');
      assert.equal(leaves.filter((l) => stranger.startsWith(l.code)).length, 1);
      if (n >= 4 * size) assert.ok(leaves.length >= 2, 'large populations are split');
    }
  });

  it('is public and stable: the same person gets the same hash in every process, with no key', async () => {
    assert.equal(crowdHash(TEAM, 'UABC'), crowdHash(TEAM, 'UABC'));
    assert.notEqual(crowdHash(TEAM, 'UABC'), crowdHash('T0002', 'UABC'));
    assert.match(crowdHash(TEAM, 'UABC'), /^[01]{256}$/);
  });

  it('counts a code and its extensions conservatively, and coarsens codes to the current crowds', async () => {
    assert.equal(countCrowds(['0', '01', '1']), 2);
    assert.equal(countCrowds(['', '0110']), 1);
    assert.equal(countCrowds(['00', '01', '1']), 3);
    assert.equal(countCrowds([]), 0);
    assert.equal(coarsen('0101', ['00', '01', '1']), '01');
    assert.equal(coarsen('0', ['00', '01', '1']), '0', 'a shorter code stays: it is coarser already');
    assert.equal(codeOf('0110', ['00', '01', '1']), '01');
    assert.equal(codeOf('0110', []), '');
  });
});

describe('tactic service', () => {
  const CROWD = 5;
  let f: Fixture;
  let members: string[];
  beforeEach(async () => {
    members = Array.from({ length: 40 }, (_, i) => `UMEMBER${String(i).padStart(3, '0')}`);
    f = fixture({ members: () => members, crowd: CROWD });
    await f.tactics.refreshPopulation(TEAM);
  });
  const codeOfUser = async (u: string) =>
    codeOf(crowdHash(TEAM, u), (await f.repos.tactics.findPopulation(TEAM))?.leaves.map((l) => l.code) ?? []);
  /** One member from each of `n` different crowds. */
  const fromDifferentCrowds = async (n: number) => {
    const seen = new Map<string, string>();
    for (const m of members) {
      const code = await codeOfUser(m);
      if (!seen.has(code)) seen.set(code, m);
    }
    assert.ok(seen.size >= n, `need ${n} crowds, have ${seen.size}`);
    return [...seen.values()].slice(0, n);
  };
  const sameCrowd = async (u: string) => {
    const mine = await codeOfUser(u);
    const out: string[] = [];
    for (const m of members) if (m !== u && (await codeOfUser(m)) === mine) out.push(m);
    return out;
  };
  const publishAll = async () => f.tactics.publish(TEAM, (await f.tactics.nextPublish(TEAM)).day);

  it('cuts the members into crowds of at least ANONYMITY_CROWD and says whether flags can be shown', async () => {
    const c = await f.tactics.crowdStatus(TEAM);
    assert.equal(c.eligible, 40);
    assert.ok(c.crowds >= 3, `40 people make ${c.crowds} crowds`);
    assert.equal(c.canShow, true);
    for (const l of (await f.repos.tactics.findPopulation(TEAM))!.leaves) assert.ok(l.members >= CROWD);
  });

  it('groups wordings, shows nothing before the publish, then counts distinct crowds', async () => {
    const [a, b, c] = await fromDifferentCrowds(3);
    for (const [u, text] of [
      [a, 'cold-calling!'],
      [b, 'Cold calling'],
      [c, '  COLD calling '],
    ]) {
      const r = await f.tactics.flagTactic(TEAM, u, { tactic: text, why: `because ${u.length}` });
      assert.ok(r.ok);
      assert.deepEqual(r.publish, { day: '2026-11-26', hour: 18, timezone: 'UTC', today: true });
    }
    assert.deepEqual(await f.tactics.listTactics(TEAM), [], 'nothing is visible before the publish');
    assert.deepEqual((await f.tactics.digestTactics(TEAM, 1)).shown, []);
    await f.tactics.publish(TEAM, '2026-11-26');
    const list = await f.tactics.listTactics(TEAM);
    assert.equal(list.length, 1);
    assert.equal(list[0].text, '  COLD calling '.trim(), 'the alphabetically first wording, not the first to arrive');
    assert.equal(list[0].reporters, 3);
    assert.equal(list[0].createdWeek, '2026-W48');
  });

  it('counts a crowd once: a crowd-mate flagging or saying me too adds nothing, and gets the same answer', async () => {
    const [a] = await fromDifferentCrowds(1);
    const mate = (await sameCrowd(a))[0];
    const first = await f.tactics.flagTactic(TEAM, a, { tactic: 'Cold calling', why: 'nobody picks up' });
    const second = await f.tactics.flagTactic(TEAM, mate, { tactic: 'cold calling', why: 'spam filters' });
    assert.ok(first.ok && second.ok);
    assert.deepEqual({ ...first, text: '' }, { ...second, text: '' }, 'the same answer whatever was stored');
    await publishAll();
    const [t] = await f.tactics.listTactics(TEAM);
    assert.equal(t.reporters, 1);
    assert.equal((await f.tactics.digestTactics(TEAM, 1)).shown[0].reasons.length, 2, 'both reasons are kept');
    const me = await f.tactics.meToo(TEAM, (await sameCrowd(a))[1], t.id);
    assert.ok(me.ok);
    await publishAll();
    assert.equal((await f.tactics.listTactics(TEAM))[0].reporters, 1);
  });

  it('a lone rep cannot reach the threshold, across restarts (a new service on the same database)', async () => {
    const [a] = await fromDifferentCrowds(1);
    await f.tactics.flagTactic(TEAM, a, { tactic: 'Cold calling' });
    await publishAll();
    const id = (await f.tactics.listTactics(TEAM))[0].id;
    for (let i = 0; i < 3; i++) {
      const restarted = f.restart();
      await restarted.flagTactic(TEAM, a, { tactic: 'cold calling' });
      await restarted.meToo(TEAM, a, id);
      await restarted.publish(TEAM, (await restarted.nextPublish(TEAM)).day);
      assert.equal((await restarted.listTactics(TEAM))[0].reporters, 1);
    }
  });

  it('keeps each person to 5 flags a week (in memory) and each crowd to 5 per member (stored); next week starts again', async () => {
    const [a] = await fromDifferentCrowds(1);
    const code = await codeOfUser(a);
    const crowd = [a, ...(await sameCrowd(a))];
    const crowdSize = (await f.repos.tactics.findPopulation(TEAM))!.leaves.find((l) => l.code === code)!.members;
    assert.equal(crowd.length, crowdSize);
    const limit = TACTIC_LIMITS.flagsPerWeek * crowdSize;
    // One person: 5, then refused (a restart or another instance forgets this count; the crowd's does not).
    for (let i = 1; i <= TACTIC_LIMITS.flagsPerWeek; i++)
      assert.ok((await f.tactics.flagTactic(TEAM, a, { tactic: `tactic number ${i}` })).ok, `flag ${i}`);
    const beforePersonal = storedCounts(f.db);
    assert.deepEqual(await f.tactics.flagTactic(TEAM, a, { tactic: 'a sixth one' }), {
      ok: false,
      reason: 'rate_limited',
      limit: TACTIC_LIMITS.flagsPerWeek,
      scope: 'person',
    });
    assert.deepEqual(storedCounts(f.db), beforePersonal, 'nothing stored');
    // The crowd as a whole: 5 per member, shared.
    let n = TACTIC_LIMITS.flagsPerWeek;
    for (const mate of crowd.slice(1)) {
      for (let i = 0; i < TACTIC_LIMITS.flagsPerWeek && n < limit; i++) {
        n += 1;
        assert.ok((await f.tactics.flagTactic(TEAM, mate, { tactic: `tactic number ${n}` })).ok, `flag ${n}`);
      }
    }
    assert.equal(n, limit);
    const before = storedCounts(f.db);
    // A fresh process (restart): the personal counts are gone, the crowd's allowance is not.
    const restarted = f.restart();
    assert.deepEqual(await restarted.flagTactic(TEAM, a, { tactic: 'one too many' }), {
      ok: false,
      reason: 'rate_limited',
      limit: TACTIC_LIMITS.flagsPerWeek,
      scope: 'crowd',
    });
    assert.deepEqual(storedCounts(f.db), before);
    // Re-flagging a tactic the crowd already counts behind is not a new flag.
    assert.ok((await f.tactics.flagTactic(TEAM, a, { tactic: 'tactic number 1' })).ok);
    // Another crowd is unaffected.
    const [, other] = await fromDifferentCrowds(2);
    assert.ok((await f.tactics.flagTactic(TEAM, other, { tactic: 'one too many' })).ok);
    f.clock.set(NEXT_MON);
    assert.ok((await f.tactics.flagTactic(TEAM, a, { tactic: 'next week' })).ok);
    assert.deepEqual([...new Set(rows(f.db, 'anon.flag_quota').map((r) => r.week))], ['2026-W49'], 'past weeks are erased');
  });

  it('me too works on published tactics only; unknown ids and other teams are refused', async () => {
    const [a, b] = await fromDifferentCrowds(2);
    await f.tactics.flagTactic(TEAM, a, { tactic: 'Cold calling' });
    const pendingId = rows(f.db, 'anon.tactics')[0].id as number;
    assert.deepEqual(await f.tactics.meToo(TEAM, b, pendingId), { ok: false, reason: 'not_found' }, 'not before the publish');
    // Published early (a forced run at 15:00): what arrives afterwards waits for the next day, never shows live.
    await f.tactics.publish(TEAM, '2026-11-26');
    const me = await f.tactics.meToo(TEAM, b, pendingId);
    assert.ok(me.ok);
    assert.equal(me.publish.day, '2026-11-27');
    assert.equal((await f.tactics.listTactics(TEAM))[0].reporters, 1, 'a me too counts from the next publish');
    f.clock.set(Date.parse('2026-11-26T18:30:00Z'));
    const late = await f.tactics.meToo(TEAM, (await fromDifferentCrowds(3))[2], pendingId);
    assert.ok(late.ok && late.publish.day === '2026-11-27' && !late.publish.today);
    await f.tactics.publish(TEAM, '2026-11-26');
    assert.equal((await f.tactics.listTactics(TEAM))[0].reporters, 1);
    await f.tactics.publish(TEAM, '2026-11-27');
    assert.equal((await f.tactics.listTactics(TEAM))[0].reporters, 3);
    assert.deepEqual(await f.tactics.meToo(TEAM, b, 9999), { ok: false, reason: 'not_found' });
    assert.deepEqual(await f.tactics.meToo(TEAM, b, Number.NaN), { ok: false, reason: 'not_found' });
    assert.deepEqual(await f.tactics.meToo('T_OTHER', b, pendingId), { ok: false, reason: 'not_found' }, 'teams are separate');
  });

  it('shows a tactic in the digest only at the threshold of crowds; below it is counted, not shown', async () => {
    const [a, b, c] = await fromDifferentCrowds(3);
    await f.tactics.flagTactic(TEAM, a, { tactic: 'Cold calling', why: 'nobody answers', instead: 'a short video' });
    await f.tactics.flagTactic(TEAM, a, { tactic: 'Zoom everything' });
    await f.tactics.flagTactic(TEAM, b, { tactic: 'cold calling' });
    await publishAll();
    let d = await f.tactics.digestTactics(TEAM, 3);
    assert.deepEqual(d.shown, []);
    assert.equal(d.belowThresholdCount, 2);
    await f.tactics.flagTactic(TEAM, c, { tactic: 'cold calling!' });
    await publishAll();
    d = await f.tactics.digestTactics(TEAM, 3);
    assert.equal(d.shown.length, 1);
    assert.equal(d.shown[0].reporters, 3);
    assert.deepEqual(d.shown[0].reasons, [{ why: 'nobody answers', instead: 'a short video' }]);
    assert.equal(d.belowThresholdCount, 1);
  });

  it('records decisions for tactics at the threshold, audited', async () => {
    const [a, b] = await fromDifferentCrowds(2);
    await f.tactics.flagTactic(TEAM, a, { tactic: 'Cold calling' });
    await publishAll();
    const id = (await f.tactics.listTactics(TEAM))[0].id;
    assert.deepEqual(await f.tactics.decide(TEAM, id, 'retire', { actorId: 'U_VP', minReports: 2 }), {
      ok: false,
      reason: 'below_threshold',
    });
    await f.tactics.meToo(TEAM, b, id);
    await publishAll();
    const d = await f.tactics.decide(TEAM, id, 'retire', { actorId: 'U_VP', minReports: 2 });
    assert.ok(d.ok && d.changed);
    assert.equal(d.tactic.decision, 'retire');
    const same = await f.tactics.decide(TEAM, id, 'retire', { actorId: 'U_VP', minReports: 2 });
    assert.ok(same.ok && !same.changed);
    assert.equal((await f.tactics.listTactics(TEAM))[0].decision, 'retire');
    assert.deepEqual(
      (await f.repos.audit.listRecentAuditEntries(TEAM, 10)).map((a) => [a.actorId, a.action]),
      [['U_VP', 'tactics.decide']],
    );
    assert.deepEqual(await f.tactics.decide(TEAM, 999, 'keep', { actorId: 'U_VP', minReports: 2 }), { ok: false, reason: 'not_found' });
  });

  it('hides a tactic: its reports and reasons are erased, it cannot be flagged again, audited and logged', async () => {
    const [a, b] = await fromDifferentCrowds(2);
    await f.tactics.flagTactic(TEAM, a, { tactic: 'Rude tactic name', why: 'abuse' });
    await f.tactics.flagTactic(TEAM, b, { tactic: 'Cold calling' });
    await publishAll();
    const id = (await f.tactics.listTactics(TEAM)).find((t) => t.text === 'Rude tactic name')!.id;
    const hidden = await f.tactics.hideTactic(TEAM, id, 'U_ADMIN');
    assert.ok(hidden.ok);
    assert.deepEqual(await f.tactics.hideTactic(TEAM, id, 'U_ADMIN'), { ok: false, reason: 'already_hidden' });
    assert.deepEqual(await f.tactics.hideTactic(TEAM, 4242, 'U_ADMIN'), { ok: false, reason: 'not_found' });
    assert.deepEqual(
      (await f.tactics.listTactics(TEAM)).map((t) => t.text),
      ['Cold calling'],
    );
    assert.equal(rows(f.db, 'anon.tactic_reasons').length, 0, 'the reason is erased');
    assert.equal(rows(f.db, 'anon.tactic_reports').filter((r) => r.tactic_id === id).length, 0);
    assert.deepEqual(await f.tactics.meToo(TEAM, b, id), { ok: false, reason: 'not_found' });
    assert.deepEqual(await f.tactics.flagTactic(TEAM, b, { tactic: 'rude-tactic name!' }), { ok: false, reason: 'hidden' });
    assert.deepEqual(
      (await f.repos.audit.listRecentAuditEntries(TEAM, 10)).map((x) => [x.actorId, x.action, x.detail]),
      [['U_ADMIN', 'tactics.hide', `tactic ${id}`]],
    );
    assert.match(f.log(), /tactic hidden by an admin/);
  });

  it('when the population shrinks, stored codes are cut back so none is held by fewer than the crowd size', async () => {
    const [a] = await fromDifferentCrowds(1);
    await f.tactics.flagTactic(TEAM, a, { tactic: 'Cold calling' });
    const before = rows(f.db, 'anon.tactic_reports')[0].crowd_code as string;
    members = members.slice(0, 9);
    await f.tactics.refreshPopulation(TEAM);
    const leaves = (await f.repos.tactics.findPopulation(TEAM))!.leaves;
    for (const l of leaves) assert.ok(l.members >= CROWD);
    const after = rows(f.db, 'anon.tactic_reports')[0].crowd_code as string;
    assert.ok(before.startsWith(after));
    assert.ok(
      leaves.some((l) => l.code === after),
      'the stored code is a current crowd',
    );
    assert.equal((await f.tactics.crowdStatus(TEAM)).canShow, false, '9 people cannot make 3 crowds of 5');
  });

  it('stores no user id, no hash of one and no instant; random tactic ids', async () => {
    const [a, b] = await fromDifferentCrowds(2);
    await f.tactics.flagTactic(TEAM, a, { tactic: 'Cold calling', why: 'w' });
    await f.tactics.flagTactic(TEAM, a, { tactic: 'Zoom everything' });
    await publishAll();
    await f.tactics.meToo(TEAM, b, (await f.tactics.listTactics(TEAM))[0].id);
    const dump = JSON.stringify(ANON_TABLES.map((t) => rows(f.db, t)));
    for (const u of [a, b]) {
      assert.ok(!dump.includes(u));
      assert.ok(!dump.includes(crowdHash(TEAM, u).slice(0, 40)), 'no long prefix of anyone’s hash');
    }
    assert.doesNotMatch(dump, /\b1\d{12}\b/, 'no epoch-millisecond instants');
    for (const t of rows(f.db, 'anon.tactics')) assert.ok(t.id >= 100_000 && t.id < 1_000_000, 'random six-digit ids');
    assert.doesNotMatch(f.log(), /UMEMBER/);
  });

  it('the schema has no user, channel or instant columns for tactics', async () => {
    const cols = ANON_TABLES.flatMap((t) =>
      (f.db.prepare(`PRAGMA anon.table_info(${t.replace('anon.', '')})`).all() as Array<{ name: string }>).map((c) => c.name),
    );
    assert.ok(cols.length > 10);
    for (const c of cols) assert.doesNotMatch(c, /user|channel|_at$|time|name|hash/, `column ${c}`);
  });
});

describe('tactic builders', () => {
  const tactic = {
    id: 7,
    text: 'Cold <calling> & @channel <!channel>',
    reporters: 3,
    createdWeek: '2026-W47',
    decision: null,
    decidedWeek: null,
  };

  it('escape user text and produce valid Block Kit', async () => {
    const list = tacticList([tactic, { ...tactic, id: 8, decision: 'retire', decidedWeek: '2026-W48' }], { minReports: 3, crowdSize: 5 });
    assert.deepEqual(validateMessage({ ...list }), []);
    const json = JSON.stringify(list);
    assert.doesNotMatch(json, /<calling>|<!channel>/);
    assert.match(json, /Cold &lt;calling&gt; &amp;/);
    assert.match(json, /Leadership decided: \*Retire\*/);
    const digest = tacticDigestBlocks([{ ...tactic, reasons: [{ why: '<@U1> said so', instead: 'a <video>' }] }], 2, { minReports: 3 });
    assert.deepEqual(validateMessage({ text: 'digest', blocks: digest }), []);
    assert.doesNotMatch(JSON.stringify(digest), /<@U1>|<video>/);
    assert.deepEqual(validateView(flagTacticModal(3, 5)), []);
    assert.deepEqual(validateMessage({ ...flagTacticHelp(3, 5) }), []);
    const crowds = { source: 'members' as const, groupId: null, eligible: 9, crowds: 1, crowdSize: 5, minReports: 3, canShow: false };
    const recorded = {
      ok: true as const,
      text: tactic.text,
      publish: { day: '2026-11-26', hour: 18, timezone: 'UTC', today: true },
      crowds,
    };
    const confirmation = flagConfirmation(recorded, 3);
    assert.deepEqual(validateMessage({ ...confirmation }), []);
    assert.match(JSON.stringify(confirmation), /Flags can't be shown to leadership yet/);
    assert.match(JSON.stringify(confirmation), /18:00 today \(UTC\)/);
  });

  it('digest blocks carry Retire / Keep / Pilot buttons valued with the tactic id, and only count the rest', async () => {
    const digest = tacticDigestBlocks(
      [
        { ...tactic, reasons: [] },
        { ...tactic, id: 9, reasons: [] },
      ],
      4,
      { minReports: 3 },
    );
    const buttons = digest
      .flatMap((b: any) => (b.type === 'actions' ? b.elements : []))
      .map((e: any) => [e.action_id, e.value, e.text.text]);
    assert.deepEqual(buttons, [
      ['tactic_decide_retire', '7', 'Retire'],
      ['tactic_decide_keep', '7', 'Keep'],
      ['tactic_decide_pilot', '7', 'Pilot an alternative'],
      ['tactic_decide_retire', '9', 'Retire'],
      ['tactic_decide_keep', '9', 'Keep'],
      ['tactic_decide_pilot', '9', 'Pilot an alternative'],
    ]);
    assert.match(JSON.stringify(digest), /4 more tactics were flagged by fewer than 3 crowds of reps/);
    const many = tacticDigestBlocks(
      Array.from({ length: 12 }, (_, i) => ({ ...tactic, id: i + 1, reasons: [] })),
      0,
      { max: 5 },
    );
    assert.ok(many.length < 50);
    assert.match(JSON.stringify(many), /7 more tactics past the threshold/);
  });

  it('the list stays within 50 blocks however many tactics there are', async () => {
    const list = tacticList(
      Array.from({ length: 120 }, (_, i) => ({ ...tactic, id: i + 1 })),
      { minReports: 3, crowdSize: 5, note: 'note' },
    );
    assert.deepEqual(validateMessage({ ...list }), []);
  });
});

describe('PersonalFlagCounter (memory only)', () => {
  it('holds each person to the limit per week, per team', () => {
    const c = new PersonalFlagCounter(5);
    for (let i = 0; i < 5; i++) assert.ok(c.take('TA', 'U1', '2026-W49'));
    assert.equal(c.take('TA', 'U1', '2026-W49'), false);
    assert.ok(c.take('TB', 'U1', '2026-W49'), 'another workspace, another count');
    assert.ok(c.take('TA', 'U2', '2026-W49'), 'another person');
  });

  it('is not reset by a team still in the week before (time zones straddle the boundary)', () => {
    const c = new PersonalFlagCounter(5);
    for (let i = 0; i < 5; i++) c.take('TA', 'U1', '2026-W49');
    assert.ok(c.take('TB', 'U9', '2026-W48'));
    assert.equal(c.take('TA', 'U1', '2026-W49'), false);
    // Two weeks on, the old weeks are dropped.
    assert.ok(c.take('TA', 'U1', '2026-W50'));
    assert.ok(c.take('TA', 'U1', '2026-W51'));
  });

  it('gives back a flag whose write failed; a give-back for a week long gone changes nothing', () => {
    const c = new PersonalFlagCounter(2);
    assert.ok(c.take('TA', 'U1', '2026-W49'));
    assert.ok(c.take('TA', 'U1', '2026-W49'));
    c.giveBack('TA', 'U1', '2026-W49');
    assert.ok(c.take('TA', 'U1', '2026-W49'));
    assert.equal(c.take('TA', 'U1', '2026-W49'), false);
    c.giveBack('TA', 'U1', '2026-W40');
    assert.equal(c.take('TA', 'U1', '2026-W49'), false);
  });
});
