import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { beforeEach, describe, it } from 'node:test';
import { flagConfirmation, flagTacticHelp, flagTacticModal, tacticDigestBlocks, tacticList } from '../../src/blocks/tactics.js';
import { loadConfig } from '../../src/config.js';
import type { Db } from '../../src/db/open.js';
import type { Repos } from '../../src/db/repos/index.js';
import type { Storage } from '../../src/db/storage.js';
import { FixedClock } from '../../src/lib/clock.js';
import { createLogger } from '../../src/lib/logger.js';
import { createSettingsService } from '../../src/services/settings.js';
import {
  createTacticService,
  normalizeTactic,
  parseFlagText,
  plainFromSlackText,
  TACTIC_LIMITS,
  type TacticService,
  validateTacticInput,
} from '../../src/services/tactics.js';
import { validateMessage, validateView } from '../kit/block-kit.js';
import { openTestStorage } from '../kit/storage.js';

const TEAM = 'T0001';
const KEY = 'unit-test-anonymity-key-0123456789';
const THU = Date.parse('2026-11-26T15:00:00Z'); // 2026-W48
const NEXT_MON = Date.parse('2026-11-30T09:00:00Z'); // 2026-W49

interface Fixture {
  db: Db;
  repos: Repos;
  storage: Storage;
  clock: FixedClock;
  tactics: TacticService;
  log: () => string;
}

function fixture(): Fixture {
  const storage = openTestStorage();
  const { db, repos } = storage;
  const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-t', SLACK_SIGNING_SECRET: 's', ANONYMITY_KEY: KEY });
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
  return {
    db,
    repos,
    storage,
    clock,
    tactics: createTacticService({ storage, clock, settings, anonymityKey: KEY, logger }),
    log: () => raw,
  };
}

const rows = (db: Db, table: string): any[] => db.prepare(`SELECT * FROM ${table}`).all();
const storedCounts = (db: Db) => ['tactics', 'tactic_reports', 'tactic_reasons', 'tactic_flag_quota'].map((t) => rows(db, t).length);

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

  it('gives the expected key', () => {
    assert.equal(normalizeTactic('  Cold-Calling!!  blitzes '), 'cold calling blitzes');
    assert.equal(normalizeTactic('Paid-ad bursts (Q4)'), 'paid ad bursts q4');
    assert.equal(normalizeTactic('Café demos'), 'café demos');
  });

  it('keeps different tactics apart', () => {
    assert.notEqual(normalizeTactic('cold calling'), normalizeTactic('cold emailing'));
    assert.notEqual(normalizeTactic('coldcalling'), normalizeTactic('cold calling'));
  });

  it('is idempotent', () => {
    for (const s of ['Cold calling', 'x--y', 'A&B  c', '¡Hola!']) assert.equal(normalizeTactic(normalizeTactic(s)), normalizeTactic(s));
  });
});

describe('parsing and validation', () => {
  it('splits the one-liner at the first colon', () => {
    const r = parseFlagText('Cold calling: buyers ignore unknown numbers: really');
    assert.deepEqual(r, { ok: true, input: { tactic: 'Cold calling', why: 'buyers ignore unknown numbers: really', instead: null } });
  });

  it('treats an empty reason as none and collapses spaces', () => {
    assert.deepEqual(parseFlagText('  cold    calling :  '), { ok: true, input: { tactic: 'cold calling', why: null, instead: null } });
  });

  it('decodes Slack escaping and turns mentions into plain words (no ids kept)', () => {
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
    it(`refuses ${JSON.stringify(text.slice(0, 30))} with ${code}`, () => {
      const r = parseFlagText(text);
      assert.equal(r.ok, false);
      if (!r.ok) {
        assert.equal(r.problem.code, code);
        assert.equal(r.problem.field, field);
      }
    });
  }

  it('accepts the limits exactly', () => {
    assert.ok(parseFlagText('abc').ok);
    assert.ok(parseFlagText(`${'x'.repeat(80)}: ${'y'.repeat(500)}`).ok);
    assert.ok(parseFlagText('🙂🙂🙂').ok === false, 'emoji only has no words');
    assert.ok(parseFlagText('ab🙂').ok, 'three code points');
    assert.equal(validateTacticInput({ tactic: 'cold calling', instead: 'z'.repeat(501) }).ok, false);
    assert.equal(validateTacticInput({ tactic: 'cold calling', instead: 'z'.repeat(500) }).ok, true);
  });
});

describe('tactic service', () => {
  let f: Fixture;
  beforeEach(() => {
    f = fixture();
  });

  it('groups wordings, counts distinct reps and keeps the first wording', async () => {
    const a = await f.tactics.flagTactic(TEAM, 'U_A', { tactic: 'Cold calling', why: 'nobody picks up' });
    const b = await f.tactics.flagTactic(TEAM, 'U_B', { tactic: 'cold-calling!' });
    const c = await f.tactics.flagTactic(TEAM, 'U_C', { tactic: '  COLD calling ', why: 'spam filters', instead: 'video' });
    assert.ok(a.ok && b.ok && c.ok);
    assert.equal(a.status, 'flagged');
    assert.equal(b.status, 'joined');
    assert.equal(c.status, 'joined');
    const list = await f.tactics.listTactics(TEAM);
    assert.equal(list.length, 1);
    assert.equal(list[0].text, 'Cold calling');
    assert.equal(list[0].reporters, 3);
    assert.equal(list[0].createdWeek, '2026-W48');
    assert.equal(rows(f.db, 'tactic_reasons').length, 2, 'a flag without reasons stores no reason row');
  });

  it('does not double-count the same rep, and a repeat uses no allowance', async () => {
    const first = await f.tactics.flagTactic(TEAM, 'U_A', { tactic: 'Cold calling' });
    const again = await f.tactics.flagTactic(TEAM, 'U_A', { tactic: 'cold-calling', why: 'new reason' });
    assert.ok(first.ok && again.ok);
    assert.equal(first.flagsLeft, 4);
    assert.equal(again.status, 'already');
    assert.equal(again.flagsLeft, 4);
    assert.equal(await f.tactics.flagsLeft(TEAM, 'U_A'), 4);
    assert.equal((await f.tactics.listTactics(TEAM))[0].reporters, 1);
    assert.equal(rows(f.db, 'tactic_reasons').length, 0, 'the repeat stored nothing');
  });

  it('allows 5 flags per rep per ISO week; the sixth stores nothing; next week starts again', async () => {
    for (let i = 1; i <= 5; i++) {
      const r = await f.tactics.flagTactic(TEAM, 'U_A', { tactic: `tactic number ${i}`, why: 'because' });
      assert.ok(r.ok, `flag ${i}`);
      assert.equal(r.ok && r.flagsLeft, 5 - i);
    }
    const before = storedCounts(f.db);
    const sixth = await f.tactics.flagTactic(TEAM, 'U_A', { tactic: 'tactic number 6', why: 'because' });
    assert.deepEqual(sixth, { ok: false, reason: 'rate_limited', limit: TACTIC_LIMITS.flagsPerWeek });
    assert.deepEqual(storedCounts(f.db), before);
    // Joining someone else's tactic is a flag too.
    await f.tactics.flagTactic(TEAM, 'U_B', { tactic: 'paid ad bursts' });
    assert.equal((await f.tactics.flagTactic(TEAM, 'U_A', { tactic: 'Paid-ad bursts' })).ok, false);
    // …but a me-too is not.
    const id = (await f.tactics.listTactics(TEAM)).find((t) => t.text === 'paid ad bursts')!.id;
    assert.equal((await f.tactics.meToo(TEAM, 'U_A', id)).ok, true);
    // Another rep is unaffected.
    assert.equal((await f.tactics.flagTactic(TEAM, 'U_C', { tactic: 'tactic number 6' })).ok, true);
    f.clock.set(NEXT_MON);
    const nextWeek = await f.tactics.flagTactic(TEAM, 'U_A', { tactic: 'tactic number 7' });
    assert.ok(nextWeek.ok);
    assert.equal(nextWeek.week, '2026-W49');
    assert.equal(nextWeek.flagsLeft, 4);
    assert.deepEqual(
      rows(f.db, 'tactic_flag_quota').map((r) => r.week),
      ['2026-W49'],
      'past weeks are pruned',
    );
  });

  it("de-duplicates me-too, including with the rep's own flag", async () => {
    const r = await f.tactics.flagTactic(TEAM, 'U_A', { tactic: 'Cold calling' });
    assert.ok(r.ok);
    const id = r.tactic.id;
    const own = await f.tactics.meToo(TEAM, 'U_A', id);
    assert.ok(own.ok && own.status === 'already');
    const b1 = await f.tactics.meToo(TEAM, 'U_B', id);
    const b2 = await f.tactics.meToo(TEAM, 'U_B', id);
    assert.ok(b1.ok && b2.ok);
    assert.equal(b1.status, 'added');
    assert.equal(b2.status, 'already');
    assert.equal(b2.tactic.reporters, 2);
    // A flag after a me-too does not count twice either.
    const flagAfter = await f.tactics.flagTactic(TEAM, 'U_B', { tactic: 'cold calling', why: 'x' });
    assert.ok(flagAfter.ok && flagAfter.status === 'already');
    assert.deepEqual(await f.tactics.meToo(TEAM, 'U_B', 9999), { ok: false, reason: 'not_found' });
    assert.deepEqual(await f.tactics.meToo(TEAM, 'U_B', Number.NaN), { ok: false, reason: 'not_found' });
    assert.deepEqual(await f.tactics.meToo('T_OTHER', 'U_B', id), { ok: false, reason: 'not_found' }, 'teams are separate');
  });

  it('marks the tactics a viewer already counts behind', async () => {
    const r = await f.tactics.flagTactic(TEAM, 'U_A', { tactic: 'Cold calling' });
    await f.tactics.flagTactic(TEAM, 'U_B', { tactic: 'Zoom everything' });
    assert.ok(r.ok);
    const mine = Object.fromEntries((await f.tactics.listTactics(TEAM, 'U_A')).map((t) => [t.text, t.mine]));
    assert.deepEqual(mine, { 'Cold calling': true, 'Zoom everything': false });
  });

  it('shows a tactic in the digest only at the threshold; below it is counted, not shown', async () => {
    const r = await f.tactics.flagTactic(TEAM, 'U_A', { tactic: 'Cold calling', why: 'nobody answers', instead: 'a short video' });
    await f.tactics.flagTactic(TEAM, 'U_A', { tactic: 'Zoom everything' });
    assert.ok(r.ok);
    await f.tactics.meToo(TEAM, 'U_B', r.tactic.id);
    let d = await f.tactics.digestTactics(TEAM, 3);
    assert.deepEqual(d.shown, []);
    assert.equal(d.belowThresholdCount, 2);
    await f.tactics.meToo(TEAM, 'U_B', r.tactic.id); // a repeat does not tip it over
    assert.deepEqual((await f.tactics.digestTactics(TEAM, 3)).shown, []);
    await f.tactics.flagTactic(TEAM, 'U_C', { tactic: 'cold calling!' });
    d = await f.tactics.digestTactics(TEAM, 3);
    assert.equal(d.shown.length, 1);
    assert.equal(d.shown[0].text, 'Cold calling');
    assert.equal(d.shown[0].reporters, 3);
    assert.deepEqual(d.shown[0].reasons, [{ why: 'nobody answers', instead: 'a short video' }]);
    assert.equal(d.belowThresholdCount, 1);
    assert.equal(d.minReports, 3);
    assert.equal((await f.tactics.digestTactics(TEAM, 1)).shown.length, 2);
  });

  it('records decisions for tactics at the threshold, audited, and lists them', async () => {
    const r = await f.tactics.flagTactic(TEAM, 'U_A', { tactic: 'Cold calling' });
    assert.ok(r.ok);
    const id = r.tactic.id;
    assert.deepEqual(await f.tactics.decide(TEAM, id, 'retire', { actorId: 'U_VP', minReports: 2 }), {
      ok: false,
      reason: 'below_threshold',
    });
    await f.tactics.meToo(TEAM, 'U_B', id);
    const d = await f.tactics.decide(TEAM, id, 'retire', { actorId: 'U_VP', minReports: 2 });
    assert.ok(d.ok && d.changed);
    assert.equal(d.tactic.decision, 'retire');
    assert.equal(d.tactic.decidedWeek, '2026-W48');
    const same = await f.tactics.decide(TEAM, id, 'retire', { actorId: 'U_VP', minReports: 2 });
    assert.ok(same.ok && !same.changed);
    const pilot = await f.tactics.decide(TEAM, id, 'pilot', { actorId: 'U_VP', minReports: 2 });
    assert.ok(pilot.ok && pilot.changed);
    assert.equal((await f.tactics.listTactics(TEAM))[0].decision, 'pilot');
    const audit = await f.repos.audit.listRecentAuditEntries(TEAM, 10);
    assert.deepEqual(
      audit.map((a) => [a.actorId, a.action]),
      [
        ['U_VP', 'tactics.decide'],
        ['U_VP', 'tactics.decide'],
      ],
    );
    assert.deepEqual(await f.tactics.decide(TEAM, 999, 'keep', { actorId: 'U_VP', minReports: 2 }), { ok: false, reason: 'not_found' });
  });

  it('hides a tactic: gone from list and digest, no me-too or re-flag, audited and logged', async () => {
    const r = await f.tactics.flagTactic(TEAM, 'U_A', { tactic: 'Rude tactic name', why: 'abuse' });
    await f.tactics.flagTactic(TEAM, 'U_B', { tactic: 'Cold calling' });
    assert.ok(r.ok);
    const id = r.tactic.id;
    const hidden = await f.tactics.hideTactic(TEAM, id, 'U_ADMIN');
    assert.ok(hidden.ok);
    assert.equal(hidden.tactic.text, 'Rude tactic name');
    assert.deepEqual(await f.tactics.hideTactic(TEAM, id, 'U_ADMIN'), { ok: false, reason: 'already_hidden' });
    assert.deepEqual(await f.tactics.hideTactic(TEAM, 4242, 'U_ADMIN'), { ok: false, reason: 'not_found' });
    assert.deepEqual(
      (await f.tactics.listTactics(TEAM)).map((t) => t.text),
      ['Cold calling'],
    );
    const d = await f.tactics.digestTactics(TEAM, 1);
    assert.deepEqual(
      d.shown.map((t) => t.text),
      ['Cold calling'],
    );
    assert.equal(d.belowThresholdCount, 0, 'hidden tactics are not even counted');
    assert.deepEqual(await f.tactics.meToo(TEAM, 'U_C', id), { ok: false, reason: 'not_found' });
    const before = storedCounts(f.db);
    assert.deepEqual(await f.tactics.flagTactic(TEAM, 'U_C', { tactic: 'rude-tactic name!' }), { ok: false, reason: 'hidden' });
    assert.deepEqual(storedCounts(f.db), before);
    assert.deepEqual(await f.tactics.decide(TEAM, id, 'keep', { actorId: 'U_VP', minReports: 1 }), { ok: false, reason: 'not_found' });
    const audit = await f.repos.audit.listRecentAuditEntries(TEAM, 10);
    assert.deepEqual(
      audit.map((a) => [a.actorId, a.action, a.detail]),
      [['U_ADMIN', 'tactics.hide', `tactic ${id}`]],
    );
    assert.match(f.log(), /tactic hidden by an admin/);
  });

  it('stores no user id and no instant; hashes differ per tactic and per week, and depend on the key', async () => {
    const a = await f.tactics.flagTactic(TEAM, 'U_SECRET_A', { tactic: 'Cold calling', why: 'w' });
    const b = await f.tactics.flagTactic(TEAM, 'U_SECRET_A', { tactic: 'Zoom everything' });
    assert.ok(a.ok && b.ok);
    await f.tactics.meToo(TEAM, 'U_SECRET_B', a.tactic.id);
    const dump = JSON.stringify(['tactics', 'tactic_reports', 'tactic_reasons', 'tactic_flag_quota'].map((t) => rows(f.db, t)));
    assert.doesNotMatch(dump, /U_SECRET/);
    assert.doesNotMatch(dump, new RegExp(KEY));
    assert.doesNotMatch(dump, /\b1\d{12}\b/, 'no epoch-millisecond instants');
    const hashes = rows(f.db, 'tactic_reports')
      .filter((r) => r.kind === 'flag')
      .map((r) => r.reporter_hash);
    assert.equal(hashes.length, 2);
    assert.notEqual(hashes[0], hashes[1], 'the same rep hashes differently per tactic');
    const quotaHash = rows(f.db, 'tactic_flag_quota')[0].reporter_hash;
    assert.ok(!hashes.includes(quotaHash), 'quota hash differs from report hashes');
    for (const h of [...hashes, quotaHash]) assert.match(h, /^[0-9a-f]{64}$/);
    // With another key the same rep gets another hash: the key is what protects them.
    const other = fixture();
    const otherService = createTacticService({
      storage: other.storage,
      clock: other.clock,
      settings: createSettingsService(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-t', SLACK_SIGNING_SECRET: 's' }), other.repos),
      anonymityKey: 'another-key-entirely-0123456789',
      logger: createLogger('error'),
    });
    await otherService.flagTactic(TEAM, 'U_SECRET_A', { tactic: 'Cold calling' });
    assert.notEqual(rows(other.db, 'tactic_reports')[0].reporter_hash, hashes[0]);
    assert.doesNotMatch(f.log(), /U_SECRET/);
  });

  it('the schema itself has no user, channel or instant columns for tactics', () => {
    const cols = ['tactics', 'tactic_reports', 'tactic_reasons', 'tactic_flag_quota'].flatMap((t) =>
      (f.db.prepare(`PRAGMA table_info(${t})`).all() as Array<{ name: string }>).map((c) => c.name),
    );
    for (const c of cols) assert.doesNotMatch(c, /user|channel|_at$|time|name/, `column ${c}`);
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

  it('escape user text and produce valid Block Kit', () => {
    const list = tacticList(
      [
        { ...tactic, mine: false },
        { ...tactic, id: 8, mine: true, decision: 'retire', decidedWeek: '2026-W48' },
      ],
      { minReports: 3 },
    );
    assert.deepEqual(validateMessage({ ...list }), []);
    const json = JSON.stringify(list);
    assert.doesNotMatch(json, /<calling>|<!channel>/);
    assert.match(json, /Cold &lt;calling&gt; &amp;/);
    assert.match(json, /Leadership decided: \*Retire\*/);
    const digest = tacticDigestBlocks([{ ...tactic, reasons: [{ why: '<@U1> said so', instead: 'a <video>' }] }], 2, { minReports: 3 });
    assert.deepEqual(validateMessage({ text: 'digest', blocks: digest }), []);
    assert.doesNotMatch(JSON.stringify(digest), /<@U1>|<video>/);
    assert.deepEqual(validateView(flagTacticModal(3)), []);
    assert.deepEqual(validateMessage({ ...flagTacticHelp(3) }), []);
    assert.deepEqual(
      validateMessage({ ...flagConfirmation({ ok: true, status: 'flagged', tactic, flagsLeft: 4, week: '2026-W48' }, 3) }),
      [],
    );
  });

  it('digest blocks carry Retire / Keep / Pilot buttons valued with the tactic id, and only count the rest', () => {
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
    assert.match(JSON.stringify(digest), /4 more tactics were flagged by fewer than 3 reps/);
    const many = tacticDigestBlocks(
      Array.from({ length: 12 }, (_, i) => ({ ...tactic, id: i + 1, reasons: [] })),
      0,
      { max: 5 },
    );
    assert.ok(many.length < 50);
    assert.match(JSON.stringify(many), /7 more tactics past the threshold/);
  });

  it('the list stays within 50 blocks however many tactics there are', () => {
    const list = tacticList(
      Array.from({ length: 120 }, (_, i) => ({ ...tactic, id: i + 1, mine: false })),
      { minReports: 3, note: 'note' },
    );
    assert.deepEqual(validateMessage({ ...list }), []);
  });
});
