/**
 * `/flag-tactic` end to end: the real app over signed HTTP against the fake Slack, in a workspace
 * of 80 members cut into crowds of 5. Besides the behaviour (grouping, the daily publish, the
 * threshold in crowds, me-too, decisions, hiding, bad input), it checks the anonymity promise on
 * the raw bytes: after a scripted session, neither the database files nor the log contain any
 * rep's user id, user name or DM channel. The attack itself is in anonymity-attack.test.ts.
 */

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { ActionId, TacticField, ViewId } from '../../src/blocks/ids.js';
import { tacticDigestBlocks } from '../../src/blocks/tactics.js';
import { runPublish } from '../../src/jobs/publish.js';
import { validateMessage, validateView } from '../kit/block-kit.js';
import { populate, publishFlags, repsInDistinctCrowds } from '../kit/crowds.js';
import { sqliteOnly } from '../kit/engine.js';
import { type Harness, startHarness } from '../kit/harness.js';
import { plainInput } from '../kit/payloads.js';
import type { PostSignedResult } from '../kit/sign.js';
import { allText, assertNoStrayControls, buttonValues } from './support.js';

const TEAM = 'T0001';
// Reps from six different crowds of the fake workspace (set in before()); their ids (UCROWD…) use
// letters outside [0-9a-f], so a hex value can never contain them by chance.
let REPS: string[] = [];
let [ALPHA, BRAVO, CHARLIE, DELTA, ECHO] = ['', '', '', '', ''];
const ALPHA_DM = 'D7ALPHADM';
const VP = 'U0VPVICTOR';
const ADMIN = 'U0ADMINZULU';

const TACTIC_TABLES = ['anon.tactics', 'anon.tactic_reports', 'anon.tactic_reasons', 'anon.flag_quota'];
const stored = (h: Harness): Promise<number[]> => Promise.all(TACTIC_TABLES.map((t) => h.count(t)));

/** The ack body of a command: valid, ephemeral, no stray control sequences. */
function ephemeralAck(r: PostSignedResult): { text: string; blocks?: any[]; [k: string]: any } {
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json, `expected a JSON ack, got ${JSON.stringify(r.text)}`);
  assert.deepEqual(validateMessage(r.json), []);
  assertNoStrayControls(r.json);
  assert.equal(r.json.response_type, 'ephemeral');
  return r.json;
}

/** A refused command: ephemeral warning with a correct example, and nothing stored. */
async function assertRefused(h: Harness, text: string, userId: string, problem: RegExp): Promise<void> {
  const before = await stored(h);
  const m = ephemeralAck(await h.command('/flag-tactic', text, { userId }));
  const words = allText(m);
  assert.match(words, /^:warning:/, words);
  assert.match(words, problem);
  assert.match(words, /Try: `\/flag-tactic[^`]*`/, `a correct example is shown:\n${words}`);
  assert.deepEqual(await stored(h), before, `nothing stored for ${JSON.stringify(text.slice(0, 40))}`);
}

/** gemba.db, -wal, -shm and the anonymous store with its journal. */
const dbFiles = (h: Harness) =>
  ['', '-wal', '-shm']
    .flatMap((x) => [
      `${h.databasePath}${x}`,
      `${h.databasePath.replace(/\.db$/, '.anon.db')}${x}`,
      `${h.databasePath.replace(/\.db$/, '.anon.db')}-journal`,
    ])
    .filter((f, i, all) => existsSync(f) && all.indexOf(f) === i);

const posts = (h: Harness) =>
  h.fake.calls.filter((c) => ['chat.postMessage', 'chat.postEphemeral', 'chat.scheduleMessage', 'chat.update'].includes(c.method));

function lastResponseBody(h: Harness): any {
  const rs = h.fake.callsTo('response_url');
  assert.ok(rs.length > 0, 'expected a response_url post');
  const body = rs[rs.length - 1].args;
  assert.deepEqual(validateMessage(body), []);
  assertNoStrayControls(body);
  return body;
}

const listedIds = async (h: Harness) => (await h.ctx.services.tactics.listTactics(TEAM)).map((t) => String(t.id));

describe('/flag-tactic', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ env: { ADMIN_USER_IDS: ADMIN } });
    REPS = await repsInDistinctCrowds(h, await populate(h, 80), 6);
    [ALPHA, BRAVO, CHARLIE, DELTA, ECHO] = REPS;
    h.fake.reset();
  });
  after(async () => {
    await h.close();
  });

  it('flags a tactic with a one-liner: ephemeral, says when it appears, nothing posted, invisible until the publish', async () => {
    const m = ephemeralAck(
      await h.command('/flag-tactic', 'Cold calling: buyers ignore unknown numbers', { userId: ALPHA, channelId: ALPHA_DM }),
    );
    const text = allText(m);
    assert.match(text, /Recorded anonymously: \*Cold calling\*/);
    assert.match(text, /appears in `\/flag-tactic list` at 18:00 today \(UTC\)/);
    assert.match(text, /crowd code\* shared by at least 5 people/);
    assert.match(text, /cannot learn,\* even with its database, backups, logs, settings, keys and the member list/);
    assert.doesNotMatch(text, /without the key|scrambled code/i);
    const joined = allText(ephemeralAck(await h.command('/flag-tactic', 'cold-calling!', { userId: BRAVO })));
    const sameShape = (t: string) => t.replace(/Recorded anonymously: \*?[^*\n]+\*?/g, 'Recorded anonymously: X');
    assert.equal(sameShape(joined), sameShape(text), 'the same answer whether or not others flagged it');
    assert.deepEqual((await stored(h)).slice(0, 3), [1, 2, 1], 'one tactic, two crowds, one reason');
    assert.deepEqual(await listedIds(h), [], 'nothing is visible before the publish');
    assert.match(allText(ephemeralAck(await h.command('/flag-tactic', 'list', { userId: CHARLIE }))), /No tactics have been published yet/);
    assert.deepEqual(posts(h), [], 'nothing is posted at the moment of flagging');
  });

  it('a second flag of the same tactic by the same rep gets the same answer and counts nothing more', async () => {
    const before = await stored(h);
    const text = allText(ephemeralAck(await h.command('/flag-tactic', 'cold  calling', { userId: ALPHA })));
    assert.match(text, /Recorded anonymously/);
    assert.deepEqual(await stored(h), before);
  });

  it('opens the modal, which says what is and is not stored, and accepts a submission', async () => {
    const r = await h.command('/flag-tactic', '', { userId: CHARLIE });
    assert.equal(r.status, 200);
    const opened = h.fake.callsTo('views.open');
    assert.equal(opened.length, 1);
    const view = opened[0].args.view;
    assert.deepEqual(validateView(view), []);
    assert.equal(view.callback_id, ViewId.flagTacticModal);
    assert.equal(view.private_metadata, undefined, 'the modal remembers nothing about where it was opened');
    const words = allText(view);
    assert.match(words, /What Gemba stores:\* the tactic, your reasons if you give any, the day it is published/);
    assert.match(words, /changes Gemba's code or watches the server while it runs is beyond what this protects against/);
    assert.deepEqual(
      view.blocks.filter((b: any) => b.type === 'input').map((b: any) => b.block_id),
      [TacticField.tactic, TacticField.why, TacticField.instead],
    );

    const sub = await h.submit({
      callbackId: ViewId.flagTacticModal,
      userId: CHARLIE,
      values: {
        [TacticField.tactic]: { value: plainInput('Cold. Calling.') },
        [TacticField.why]: { value: plainInput('Spam filters flag us') },
        [TacticField.instead]: { value: plainInput('A short video they can watch later') },
      },
    });
    assert.equal(sub.status, 200);
    assert.equal(sub.json.response_action, 'update');
    assert.deepEqual(validateView(sub.json.view), []);
    assert.match(allText(sub.json.view), /Recorded anonymously: \*Cold. Calling.\*[\s\S]*18:00 today/);
    assert.equal(await h.value('SELECT instead FROM anon.tactic_reasons WHERE instead IS NOT NULL'), 'A short video they can watch later');
    assert.deepEqual(posts(h), []);
  });

  it('shows modal problems inline and stores nothing', async () => {
    const cases: Array<[Record<string, string | null>, string, RegExp]> = [
      [{ [TacticField.tactic]: 'ab' }, TacticField.tactic, /at least 3 characters/],
      [{ [TacticField.tactic]: 'x'.repeat(81) }, TacticField.tactic, /at most 80 characters/],
      [{ [TacticField.tactic]: 'paid ads', [TacticField.why]: 'y'.repeat(501) }, TacticField.why, /at most 500 characters/],
      [{ [TacticField.tactic]: 'paid ads', [TacticField.instead]: 'z'.repeat(501) }, TacticField.instead, /at most 500 characters/],
      [{ [TacticField.tactic]: null }, TacticField.tactic, /Say which tactic/],
    ];
    for (const [fields, block, message] of cases) {
      const before = await stored(h);
      const values = Object.fromEntries(
        [TacticField.tactic, TacticField.why, TacticField.instead].map((b) => [b, { value: plainInput(fields[b] ?? null) }]),
      );
      const r = await h.submit({ callbackId: ViewId.flagTacticModal, userId: DELTA, values });
      assert.equal(r.json.response_action, 'errors');
      assert.match(r.json.errors[block], message);
      assert.deepEqual(await stored(h), before);
    }
  });

  it('reads a field whose value is not a string (a forged payload) as empty: an inline error, no failure, nothing stored', async () => {
    const before = await stored(h);
    const errorsBefore = h.logs.filter((l) => Number(l.level) >= 50).length;
    const r = await h.submit({
      callbackId: ViewId.flagTacticModal,
      userId: DELTA,
      values: { [TacticField.tactic]: { value: { type: 'plain_text_input', value: 123456 } } },
    });
    assert.equal(r.json.response_action, 'errors');
    assert.match(r.json.errors[TacticField.tactic], /Say which tactic/);
    assert.deepEqual(await stored(h), before);
    assert.equal(h.logs.filter((l) => Number(l.level) >= 50).length, errorsBefore, 'no error logged');
  });

  it('the publish job makes them visible at 18:00 team time, not before; Me too counts from the next publish', async () => {
    ephemeralAck(await h.command('/flag-tactic', 'Zoom everything: buyers want to meet in person again', { userId: ALPHA }));
    h.clock.set(Date.parse('2026-11-26T17:59:00Z'));
    const early = await runPublish(h.ctx, h.clock.now());
    assert.equal(early.posted.length, 0);
    assert.deepEqual(await listedIds(h), []);
    h.clock.set(Date.parse('2026-11-26T18:00:00Z'));
    const due = await runPublish(h.ctx, h.clock.now());
    assert.equal(due.posted.length, 1, JSON.stringify(due));
    assert.equal((await runPublish(h.ctx, h.clock.now())).posted.length, 0, 'once per day');
    const list = ephemeralAck(await h.command('/flag-tactic', 'list', { userId: DELTA }));
    const words = allText(list);
    assert.match(words, /\*Cold calling\*.*\nat least 3 reps · in leadership's weekly digest/);
    assert.match(words, /\*Zoom everything\*.*\nat least 1 rep · needs 2 more crowds/);
    const [coldId, zoomId] = await listedIds(h);
    assert.deepEqual(buttonValues(list, ActionId.tacticMeToo), [coldId, zoomId], 'most-supported first, value = tactic id');

    await h.action({ actionId: ActionId.tacticMeToo, value: zoomId, userId: DELTA });
    const body = lastResponseBody(h);
    assert.equal(body.replace_original, true);
    assert.match(
      allText(body),
      /Your anonymous \*Me too\* for \*Zoom everything\* is recorded\. It counts your crowd once, from the publish at 18:00 tomorrow/,
    );
    assert.match(allText(body), /\*Zoom everything\*.*\nat least 1 rep/, 'not live: the count moves at the next publish');
    const before = await stored(h);
    await h.action({ actionId: ActionId.tacticMeToo, value: zoomId, userId: DELTA });
    assert.deepEqual(await stored(h), before, 'a second me-too stores nothing');
    await h.action({ actionId: ActionId.tacticMeToo, value: zoomId, userId: ECHO });
    h.clock.set(Date.parse('2026-11-27T18:00:00Z'));
    assert.equal((await runPublish(h.ctx, h.clock.now())).posted.length, 1);
    assert.match(
      allText(ephemeralAck(await h.command('/flag-tactic', 'list', { userId: DELTA }))),
      /\*Zoom everything\*.*\nat least 3 reps/,
    );
    h.clock.set(Date.parse('2026-11-26T15:00:00Z'));
    assert.deepEqual(posts(h), []);
  });

  it('refuses bad input with an ephemeral warning and an example, storing nothing', async () => {
    await assertRefused(h, ': buyers hang up', BRAVO, /Say which tactic/);
    await assertRefused(h, '   :   ', BRAVO, /Say which tactic/);
    await assertRefused(h, 'ab', BRAVO, /at least 3 characters; "ab" has 2/);
    await assertRefused(h, 'ab: too short a name', BRAVO, /at least 3 characters/);
    await assertRefused(h, 'x'.repeat(81), BRAVO, /at most 80 characters; yours has 81/);
    await assertRefused(h, `paid ad bursts: ${'y'.repeat(501)}`, BRAVO, /reason can be at most 500 characters; yours has 501/);
    await assertRefused(h, '?!?!', BRAVO, /letters or numbers/);
    // The echoed text is escaped: it cannot become a control sequence.
    await assertRefused(h, '&lt;@', BRAVO, /"&lt;@" has 2/);
  });

  it('turns mentions and Slack escaping into plain, escaped text', async () => {
    const m = ephemeralAck(
      await h.command('/flag-tactic', '<@U9NOTAREP|bob> style AT&amp;T &lt;b&gt; pitch: per <#C123|sales>', { userId: BRAVO }),
    );
    assert.match(allText(m), /\*@bob style AT&amp;T &lt;b&gt; pitch\*/);
    assert.ok(!h.logText().includes('U9NOTAREP'));
    const row = await h.value("SELECT display_text FROM anon.tactics WHERE tactic_key LIKE 'bob%'");
    assert.equal(row, '@bob style AT&T <b> pitch');
    assert.equal(await h.value("SELECT COUNT(*) FROM anon.tactic_reasons WHERE why = 'per #sales'"), 1);
    // A broadcast typed into the command is stored as words and shown escaped, never as a ping.
    const b = ephemeralAck(await h.command('/flag-tactic', '<!channel> blasts: &lt;!here&gt; too', { userId: BRAVO }));
    assert.match(allText(b), /\*@channel blasts\*/);
    assert.equal(await h.value("SELECT why FROM anon.tactic_reasons WHERE why LIKE '%here%'"), '<!here> too');
  });

  it('answers help ephemerally with the grammar and the anonymity promise', async () => {
    const text = allText(ephemeralAck(await h.command('/flag-tactic', 'help', { userId: BRAVO })));
    assert.match(text, /\/flag-tactic &lt;tactic&gt;\[: &lt;why&gt;\]/);
    assert.match(text, /5 flags a week per person \(counted in memory only; what is stored is the crowd.s shared allowance/);
    assert.match(text, /only once 3 crowds of at least 5 people have flagged it/);
    assert.match(text, /appear once a day, at the daily publish/);
  });

  it('the digest section shows only tactics at the threshold and counts the rest', async () => {
    await publishFlags(h);
    const d = await h.ctx.services.tactics.digestTactics(TEAM, h.ctx.config.anonymityMinReports);
    assert.deepEqual(d.shown.map((t) => [t.text, t.reporters]).sort(), [
      ['Cold calling', 3],
      ['Zoom everything', 3],
    ]);
    assert.ok(d.belowThresholdCount >= 2);
    const blocks = tacticDigestBlocks(d.shown, d.belowThresholdCount, { minReports: d.minReports });
    assert.deepEqual(validateMessage({ text: 'digest', blocks }), []);
    assertNoStrayControls({ blocks });
    const words = allText({ blocks });
    assert.doesNotMatch(words, /bob style/, 'below-threshold tactics are not named');
    assert.match(words, /more tactics were flagged by fewer than 3 crowds of reps: counted, not shown/);
    assert.match(words, /Spam filters flag us|buyers ignore unknown numbers/);
  });

  it('VPs decide Retire / Keep / Pilot from the digest; others are refused; the list shows the decision', async () => {
    await h.ctx.repos.vps.insertVp(TEAM, VP, h.clock.now(), ADMIN);
    const listed = await h.ctx.services.tactics.listTactics(TEAM);
    const idOf = (text: string) => String(listed.find((t) => t.text === text)?.id);
    const [coldId, zoomId] = [idOf('Cold calling'), idOf('Zoom everything')];
    const before = await stored(h);

    await h.action({ actionId: ActionId.tacticRetire, value: coldId, userId: BRAVO, channelId: 'C0DIGEST' });
    let body = lastResponseBody(h);
    assert.equal(body.replace_original, false, 'the shared digest is left alone');
    assert.match(allText(body), /Only VPs and admins can decide/);
    assert.equal(await h.value('SELECT decision FROM anon.tactics WHERE id = ?', [coldId]), null);

    await h.action({ actionId: ActionId.tacticRetire, value: coldId, userId: VP, channelId: 'C0DIGEST' });
    body = lastResponseBody(h);
    assert.equal(body.response_type, 'ephemeral');
    assert.match(allText(body), /Recorded \*Retire\* for \*Cold calling\*/);
    await h.action({ actionId: ActionId.tacticPilot, value: zoomId, userId: VP, channelId: 'C0DIGEST' });
    assert.match(allText(lastResponseBody(h)), /Recorded \*Pilot an alternative\* for \*Zoom everything\*/);

    const belowId = (await h.value("SELECT id FROM anon.tactics WHERE tactic_key LIKE 'bob%'")) as number;
    await h.action({ actionId: ActionId.tacticKeep, value: String(belowId), userId: VP, channelId: 'C0DIGEST' });
    assert.match(allText(lastResponseBody(h)), /not reached the anonymity threshold/);

    const list = allText(ephemeralAck(await h.command('/flag-tactic', 'list', { userId: ECHO })));
    assert.match(list, /\*Cold calling\*[^\n]*\nat least 3 reps[^\n]*\n:wastebasket: Leadership decided: \*Retire\*/);
    assert.match(list, /\*Zoom everything\*[^\n]*\nat least 3 reps[^\n]*\n:test_tube: Leadership decided: \*Pilot an alternative\*/);
    const digest = allText({ blocks: tacticDigestBlocks((await h.ctx.services.tactics.digestTactics(TEAM, 3)).shown, 0) });
    assert.match(digest, /Leadership decided: \*Retire\*/);
    assert.deepEqual(await stored(h), before, 'decisions add no rows to the tactic tables');
  });

  it('leadership reads the list with counts only from the threshold and no Me too; reps see every count', async () => {
    // (The VP was added in the test above.) "bob style" has fewer than 3 crowds; Cold calling has 3.
    const forVp = ephemeralAck(await h.command('/flag-tactic', 'list', { userId: VP }));
    const vpWords = allText(forVp);
    assert.match(vpWords, /\*Cold calling\*[^\n]*\nat least 3 reps · in the weekly digest/);
    assert.match(vpWords, /bob style[^\n]*\nfewer than 3 crowds so far: not counted for leadership yet/i);
    assert.doesNotMatch(vpWords, /at least [12] reps?\b/, 'no count below the threshold');
    assert.deepEqual(buttonValues(forVp, ActionId.tacticMeToo), [], 'leadership cannot say Me too, so it gets no button');
    // Below the threshold the order says nothing about support either: by number.
    const belowIds = [...vpWords.matchAll(/`#(\d+)`\nfewer than/g)].map((m) => Number(m[1]));
    assert.ok(belowIds.length >= 2);
    assert.deepEqual(
      belowIds,
      [...belowIds].sort((a, b) => a - b),
    );
    assert.match(vpWords, /\/gemba admin tactics hide &lt;number&gt;/);
    assert.doesNotMatch(vpWords, /Flag another/);
    const forAdmin = allText(ephemeralAck(await h.command('/flag-tactic', 'list', { userId: ADMIN })));
    assert.match(forAdmin, /bob style[^\n]*\nfewer than 3 crowds so far/i, 'admins see every tactic, to hide an abusive one');

    const forRep = ephemeralAck(await h.command('/flag-tactic', 'list', { userId: ECHO }));
    assert.match(allText(forRep), /bob style[^\n]*\nat least [12] reps? · needs [12] more crowds?/i);
    assert.ok(buttonValues(forRep, ActionId.tacticMeToo).length >= 3);
  });

  it('an admin hides an abusive tactic: gone from the list and digest, audited', async () => {
    ephemeralAck(await h.command('/flag-tactic', 'Insulting nonsense about Bob: qwertzuiop', { userId: ECHO }));
    await publishFlags(h);
    const id = (await h.value("SELECT id FROM anon.tactics WHERE tactic_key = 'insulting nonsense about bob'")) as number;
    assert.ok((await listedIds(h)).includes(String(id)));
    const result = await h.ctx.services.tactics.hideTactic(TEAM, id, ADMIN);
    assert.equal(result.ok, true);
    assert.deepEqual(await h.ctx.services.tactics.hideTactic(TEAM, id, ADMIN), { ok: false, reason: 'already_hidden' });
    const list = ephemeralAck(await h.command('/flag-tactic', 'list', { userId: ECHO }));
    assert.doesNotMatch(allText(list), /Insulting/);
    assert.ok(!buttonValues(list, ActionId.tacticMeToo).includes(String(id)));
    assert.doesNotMatch(JSON.stringify(await h.ctx.services.tactics.digestTactics(TEAM, 1)), /Insulting/);
    await h.action({ actionId: ActionId.tacticMeToo, value: String(id), userId: BRAVO });
    assert.match(allText(lastResponseBody(h)), /:warning: That tactic is no longer open/);
    await assertRefused(h, 'insulting nonsense about bob!', BRAVO, /hidden that tactic/);
    const audit = (await h.ctx.repos.audit.listRecentAuditEntries(TEAM, 20)).filter((a) => a.action === 'tactics.hide');
    assert.deepEqual(
      audit.map((a) => [a.actorId, a.detail]),
      [[ADMIN, `tactic ${id}`]],
    );
    assert.match(h.logText(), /tactic hidden by an admin/);
    // Deleting is erasing: the wording and the reason are gone from the rows and from the bytes of both files.
    const row = await h.row<{ display_text: string; tactic_key: string }>(
      'SELECT display_text, tactic_key FROM anon.tactics WHERE id = ?',
      [id],
    );
    assert.equal(row?.display_text, '[hidden]');
    assert.match(row?.tactic_key ?? '', /^hidden:[0-9a-f]{64}$/);
    for (const f of dbFiles(h)) {
      const bytes = readFileSync(f).toString('latin1');
      for (const gone of ['qwertzuiop', 'Insulting nonsense', 'insulting nonsense'])
        assert.ok(!bytes.includes(gone), `"${gone}" is still in ${f}`);
    }
  });

  it('leaves no trace of any rep: no profile or manager rows, no users.info, valid surfaces', async () => {
    for (const table of ['user_profiles', 'managers']) {
      assert.equal(await h.value(`SELECT COUNT(*) FROM ${table}`), 0, `${table} stays empty`);
    }
    assert.deepEqual(h.fake.callsTo('users.info'), [], 'flagging looks nobody up');
    assert.deepEqual(posts(h), [], 'nothing was posted at any point');
    assert.deepEqual(h.fake.invalid, []);
  });

  it("the raw database files and the whole log contain no rep's id, name or DM channel", {
    skip: sqliteOnly('reads the SQLite files byte by byte (test/e2e/postgres-anonymity.test.ts covers PostgreSQL)'),
  }, async () => {
    await h.settle();
    const secrets = [...REPS, ALPHA_DM, ...REPS.map((id) => `user_${id.toLowerCase()}`)];
    const files = dbFiles(h);
    assert.ok(files.length >= 3, `expected the database, its WAL and the anonymous store, found ${files.join(', ')}`);
    const raw = files.map((f) => readFileSync(f).toString('latin1'));
    assert.ok(raw.join('').includes('Cold calling'), 'sanity: the flags are in these files');
    const log = h.logText();
    assert.ok(log.length > 0, 'sanity: the app logged something');
    for (const s of secrets) {
      for (const [where, text] of [...files.map((f, i) => [f, raw[i]] as const), ['log', log] as const]) {
        assert.ok(!text.includes(s), `${s} found in ${where}`);
        assert.ok(!text.toLowerCase().includes(s.toLowerCase()), `${s} (any case) found in ${where}`);
      }
    }
    // The admin and VP are not anonymous: the audit trail names them (checks the grep can see ids).
    assert.ok(raw.join('').includes(ADMIN));
  });
});

describe('/flag-tactic by a Slack admin Gemba has never looked up', () => {
  // (One promoted after the last member-list read is known from the next daily publish: a rep's flag never looks anyone up.)
  it("is refused at the workspace's first flag too (the member list read before it names the admins), storing nothing", async () => {
    const h = await startHarness();
    try {
      // Members Slack lists, among them an admin; no flag yet, so Gemba has read no member list.
      for (let i = 0; i < 20; i++) h.fake.setUser(`UCROWD${String(i).padStart(4, '0')}`, {});
      h.fake.setUser('U0SLACKADMIN', { isAdmin: true });
      for (const [text, submit] of [
        ['cold calling: nobody answers', false],
        ['paid ad bursts', true],
      ] as const) {
        if (submit) {
          const r = await h.submit({
            callbackId: ViewId.flagTacticModal,
            userId: 'U0SLACKADMIN',
            values: { [TacticField.tactic]: { [TacticField.tactic]: plainInput(text) } },
          });
          assert.equal(r.json?.response_action, 'errors');
          assert.match(JSON.stringify(r.json.errors), /VPs and admins/);
        } else {
          const m = ephemeralAck(await h.command('/flag-tactic', text, { userId: 'U0SLACKADMIN' }));
          assert.match(allText(m), /^:lock: /);
        }
      }
      assert.deepEqual(await stored(h), [0, 0, 0, 0], 'nothing stored');
    } finally {
      await h.close();
    }
  });
});

describe('a forged Me too', () => {
  it('a value that is no tactic number is refused with an example before the member list is read; nothing is stored', async () => {
    const h = await startHarness();
    try {
      for (let i = 0; i < 20; i++) h.fake.setUser(`UCROWD${String(i).padStart(4, '0')}`, {});
      for (const value of ['abc', '0', '-3', '1.5', '99999999999999999999']) {
        await h.action({ actionId: ActionId.tacticMeToo, value, userId: 'UCROWD0001' });
        const words = allText(lastResponseBody(h));
        assert.match(words, /:warning: That tactic is no longer open/, `${value}: ${words}`);
        assert.match(words, /Try: `\/flag-tactic list`/, `${value}: ${words}`);
      }
      assert.equal(h.fake.callsTo('users.list').length, 0, 'the member list is not read for a forged value');
      assert.deepEqual(
        [...(await stored(h)), await h.count('anon.crowd_populations'), await h.count('anon.crowd_codes')],
        [0, 0, 0, 0, 0, 0],
        'nothing stored',
      );
    } finally {
      await h.close();
    }
  });
});

describe('/flag-tactic with ANONYMITY_MIN_REPORTS=2', () => {
  it('uses the configured threshold in the list and the digest', async () => {
    const h = await startHarness({ env: { ANONYMITY_MIN_REPORTS: '2' } });
    try {
      const [a, b] = await repsInDistinctCrowds(h, await populate(h), 2);
      ephemeralAck(await h.command('/flag-tactic', 'paid ad bursts', { userId: a }));
      await publishFlags(h);
      assert.equal((await h.ctx.services.tactics.digestTactics(TEAM, h.ctx.config.anonymityMinReports)).shown.length, 0);
      ephemeralAck(await h.command('/flag-tactic', 'Paid-ad bursts!', { userId: b }));
      await publishFlags(h);
      const m = ephemeralAck(await h.command('/flag-tactic', 'list', { userId: b }));
      assert.match(allText(m), /at least 2 reps · in leadership's weekly digest/);
      const d = await h.ctx.services.tactics.digestTactics(TEAM, h.ctx.config.anonymityMinReports);
      assert.deepEqual(
        d.shown.map((t) => t.text),
        ['paid ad bursts'],
      );
      assert.equal(d.belowThresholdCount, 0);
      assert.deepEqual(h.fake.invalid, []);
    } finally {
      await h.close();
    }
  });
});

describe('/flag-tactic limits: 5 a week per person, and only the reps group when one is set', () => {
  it('refuses a rep their sixth new tactic of the week and stores nothing; re-flagging one of their five still works', async () => {
    const h = await startHarness();
    try {
      const [rep] = await repsInDistinctCrowds(h, await populate(h), 1);
      for (let i = 1; i <= 5; i++) ephemeralAck(await h.command('/flag-tactic', `tactic number ${i}`, { userId: rep }));
      await assertRefused(h, 'tactic number 6', rep, /You have flagged 5 tactics this week, the most one person can/);
      assert.match(allText(ephemeralAck(await h.command('/flag-tactic', 'tactic number 2', { userId: rep }))), /Recorded anonymously/);
      // The form says the same, inline.
      const sub = await h.submit({
        callbackId: ViewId.flagTacticModal,
        userId: rep,
        values: { [TacticField.tactic]: { value: plainInput('tactic number 7') } },
      });
      assert.equal(sub.json?.response_action, 'errors');
      assert.match(JSON.stringify(sub.json), /the most one person can/);
    } finally {
      await h.close();
    }
  });

  it('with a reps group set, someone outside it is refused (command, form, Me too) and nothing is stored; a member flags', async () => {
    const h = await startHarness();
    try {
      const members = await populate(h, 60);
      h.fake.setUsergroup('S0REPS', members.slice(0, 20));
      // What `/gemba admin reps sync <!subteam^S0REPS|@reps>` does after its ack.
      assert.equal((await h.ctx.services.tactics.refreshPopulation(TEAM, { groupId: 'S0REPS' }))?.eligible, 20);
      const [inside] = members;
      const outside = members[45];
      ephemeralAck(await h.command('/flag-tactic', 'cold calling: nobody answers', { userId: inside }));
      await publishFlags(h);
      const before = await stored(h);
      for (const [who, text] of [
        [outside, 'cold calling: outsiders'],
        ['U0NOTAMEMBER', 'paid ad bursts'],
      ]) {
        await assertRefused(h, text, who, /Flagging is for the members of the reps user group an admin chose/);
      }
      assert.match(allText(ephemeralAck(await h.command('/flag-tactic', '', { userId: outside }))), /reps user group/);
      assert.equal(h.fake.callsTo('views.open').length, 0, 'no form opened for someone outside the group');
      const sub = await h.submit({
        callbackId: ViewId.flagTacticModal,
        userId: outside,
        values: { [TacticField.tactic]: { value: plainInput('zoom everything') } },
      });
      assert.match(JSON.stringify(sub.json), /reps user group/);
      const [tactic] = await h.ctx.services.tactics.listTactics(TEAM);
      await h.action({ actionId: ActionId.tacticMeToo, value: String(tactic.id), userId: outside });
      assert.match(allText(lastResponseBody(h)), /reps user group/);
      assert.deepEqual(await stored(h), before, 'nothing stored for anyone outside the group');
      assert.equal(
        h.fake.callsTo('usergroups.users.list').length,
        2,
        'the group is listed by the sync, then once for the flags (kept a few minutes)',
      );
    } finally {
      await h.close();
    }
  });
});
