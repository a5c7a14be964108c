/**
 * `/flag-tactic` end to end: the real app over signed HTTP against the fake Slack. Besides the
 * behaviour (grouping, threshold, rate limit, me-too, decisions, hiding, bad input), it checks the
 * anonymity promise on the raw bytes: after a scripted session, neither the database files nor
 * the log contain any rep's user id, user name or DM channel, and the HMAC key is not stored.
 */

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { ActionId, TacticField, ViewId } from '../../src/blocks/ids.js';
import { tacticDigestBlocks } from '../../src/blocks/tactics.js';
import { validateMessage, validateView } from '../kit/block-kit.js';
import { type Harness, startHarness, TEST_ANONYMITY_KEY } from '../kit/harness.js';
import { plainInput } from '../kit/payloads.js';
import type { PostSignedResult } from '../kit/sign.js';
import { allText, assertNoStrayControls, buttonValues } from './support.js';

const TEAM = 'T0001';
// Rep ids use letters outside [0-9a-f], so a hex hash can never contain them by chance.
const REPS = ['U1REPALPHA', 'U2REPBRAVO', 'U3REPCHARLIE', 'W4REPDELTA', 'U5REPECHO', 'U6REPFOXTROT'] as const;
const [ALPHA, BRAVO, CHARLIE, DELTA, ECHO, FOXTROT] = REPS;
const ALPHA_DM = 'D7ALPHADM';
const VP = 'U0VPVICTOR';
const ADMIN = 'U0ADMINZULU';

const TACTIC_TABLES = ['tactics', 'tactic_reports', 'tactic_reasons', 'tactic_flag_quota'];
const stored = (h: Harness): number[] => TACTIC_TABLES.map((t) => h.db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get() as number);

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
  const before = stored(h);
  const m = ephemeralAck(await h.command('/flag-tactic', text, { userId }));
  const words = allText(m);
  assert.match(words, /^:warning:/, words);
  assert.match(words, problem);
  assert.match(words, /Try: `\/flag-tactic[^`]*`/, `a correct example is shown:\n${words}`);
  assert.deepEqual(stored(h), before, `nothing stored for ${JSON.stringify(text.slice(0, 40))}`);
}

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

const listedIds = (h: Harness) =>
  (h.db.prepare('SELECT id FROM tactics WHERE hidden = 0 ORDER BY id').pluck().all() as number[]).map(String);

describe('/flag-tactic', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });

  it('flags a tactic with a one-liner: ephemeral confirmation, nothing posted, grouping on wording', async () => {
    const m = ephemeralAck(
      await h.command('/flag-tactic', 'Cold calling: buyers ignore unknown numbers', { userId: ALPHA, channelId: ALPHA_DM }),
    );
    const text = allText(m);
    assert.match(text, /Flagged anonymously: \*Cold calling\*/);
    assert.match(text, /1 rep · needs 2 more/);
    assert.match(text, /never stores:\* your name, your Slack user id/);
    const joined = allText(ephemeralAck(await h.command('/flag-tactic', 'cold-calling!', { userId: BRAVO })));
    assert.match(joined, /your flag joined theirs/);
    assert.match(joined, /\*Cold calling\*/, 'the first wording is the one shown');
    assert.match(joined, /2 reps/);
    assert.deepEqual(stored(h).slice(0, 3), [1, 2, 1], 'one tactic, two reps, one reason');
    assert.deepEqual(posts(h), [], 'nothing is posted at the moment of flagging');
    assert.deepEqual(h.fake.invalid, []);
  });

  it('tells a rep kindly when they flag the same tactic twice, without counting or storing it', async () => {
    const before = stored(h);
    const text = allText(ephemeralAck(await h.command('/flag-tactic', 'COLD  calling: again', { userId: ALPHA })));
    assert.match(text, /already count behind \*Cold calling\*/);
    assert.match(text, /did not use one of your weekly flags/);
    assert.deepEqual(stored(h), before);
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
    assert.match(words, /What Gemba stores:\* the tactic, your reasons if you give any, and the week/);
    assert.match(words, /never stores:\* your name, your Slack user id, the channel you typed in, or the day and time/);
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
    assert.match(allText(sub.json.view), /your flag joined theirs[\s\S]*3 reps · in leadership's weekly digest/);
    assert.equal(
      h.db.prepare('SELECT instead FROM tactic_reasons WHERE instead IS NOT NULL').pluck().get(),
      'A short video they can watch later',
    );
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
      const before = stored(h);
      const values = Object.fromEntries(
        [TacticField.tactic, TacticField.why, TacticField.instead].map((b) => [b, { value: plainInput(fields[b] ?? null) }]),
      );
      const r = await h.submit({ callbackId: ViewId.flagTacticModal, userId: DELTA, values });
      assert.equal(r.json.response_action, 'errors');
      assert.match(r.json.errors[block], message);
      assert.deepEqual(stored(h), before);
    }
  });

  it('lists tactics with counts and anonymous Me too buttons; me-too is de-duplicated', async () => {
    ephemeralAck(await h.command('/flag-tactic', 'Zoom everything: buyers want to meet in person again', { userId: ALPHA }));
    const list = ephemeralAck(await h.command('/flag-tactic', 'list', { userId: DELTA }));
    const words = allText(list);
    assert.match(words, /\*Cold calling\*.*\n3 reps · in leadership's weekly digest/);
    assert.match(words, /\*Zoom everything\*.*\n1 rep · needs 2 more/);
    const [coldId, zoomId] = listedIds(h);
    assert.deepEqual(buttonValues(list, ActionId.tacticMeToo), [coldId, zoomId], 'most-supported first, value = tactic id');

    // The rep's own list marks what they already count behind instead of offering Me too.
    const own = ephemeralAck(await h.command('/flag-tactic', 'list', { userId: ALPHA }));
    assert.deepEqual(buttonValues(own, ActionId.tacticMeToo), []);

    await h.action({ actionId: ActionId.tacticMeToo, value: zoomId, userId: DELTA });
    let body = lastResponseBody(h);
    assert.equal(body.replace_original, true);
    assert.match(allText(body), /Added your anonymous \*Me too\* to \*Zoom everything\*/);
    assert.match(allText(body), /\*Zoom everything\*.*\n2 reps/);
    assert.deepEqual(buttonValues(body, ActionId.tacticMeToo), [coldId], 'DELTA now counts behind Zoom everything');

    const before = stored(h);
    await h.action({ actionId: ActionId.tacticMeToo, value: zoomId, userId: DELTA });
    body = lastResponseBody(h);
    assert.match(allText(body), /You already count behind \*Zoom everything\*/);
    assert.deepEqual(stored(h), before, 'a second me-too stores nothing');
    await h.action({ actionId: ActionId.tacticMeToo, value: zoomId, userId: ALPHA });
    assert.deepEqual(stored(h), before, "a me-too on one's own flag stores nothing");

    await h.action({ actionId: ActionId.tacticMeToo, value: zoomId, userId: ECHO });
    assert.match(allText(lastResponseBody(h)), /\*Zoom everything\*.*\n3 reps · in leadership's weekly digest/);
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

  it('allows 5 flags per rep per week; the sixth is refused and stores nothing', async () => {
    for (let i = 1; i <= 5; i++) {
      const text = allText(ephemeralAck(await h.command('/flag-tactic', `tactic number ${i}: reason ${i}`, { userId: FOXTROT })));
      assert.match(text, new RegExp(`You can flag ${5 - i} more tactics? this week \\(2026-W48\\)`));
    }
    await assertRefused(h, 'tactic number 6: one too many', FOXTROT, /already flagged 5 tactics this week/);
    // Saying the same again is not a new flag, and a me-too is still allowed.
    assert.match(allText(ephemeralAck(await h.command('/flag-tactic', 'Tactic Number 1', { userId: FOXTROT }))), /already count behind/);
    const coldId = listedIds(h)[0];
    await h.action({ actionId: ActionId.tacticMeToo, value: coldId, userId: FOXTROT });
    assert.match(allText(lastResponseBody(h)), /Added your anonymous \*Me too\*/);
    // The modal enforces the same allowance.
    const before = stored(h);
    const r = await h.submit({
      callbackId: ViewId.flagTacticModal,
      userId: FOXTROT,
      values: { [TacticField.tactic]: { value: plainInput('tactic number 7') } },
    });
    assert.match(r.json.errors[TacticField.tactic], /already flagged 5 tactics this week/);
    assert.deepEqual(stored(h), before);
    // Next week the allowance starts again.
    h.clock.set(Date.parse('2026-11-30T10:00:00Z'));
    assert.match(
      allText(ephemeralAck(await h.command('/flag-tactic', 'tactic number 6', { userId: FOXTROT }))),
      /You can flag 4 more tactics this week \(2026-W49\)/,
    );
    h.clock.set(Date.parse('2026-11-26T15:00:00Z'));
  });

  it('turns mentions and Slack escaping into plain, escaped text', async () => {
    const m = ephemeralAck(
      await h.command('/flag-tactic', '<@U9NOTAREP|bob> style AT&amp;T &lt;b&gt; pitch: per <#C123|sales>', { userId: BRAVO }),
    );
    assert.match(allText(m), /\*@bob style AT&amp;T &lt;b&gt; pitch\*/);
    const row = h.db.prepare("SELECT display_text FROM tactics WHERE tactic_key LIKE 'bob%'").pluck().get();
    assert.equal(row, '@bob style AT&T <b> pitch');
    assert.equal(h.db.prepare("SELECT COUNT(*) FROM tactic_reasons WHERE why = 'per #sales'").pluck().get(), 1);
    // A broadcast typed into the command is stored as words and shown escaped, never as a ping.
    const b = ephemeralAck(await h.command('/flag-tactic', '<!channel> blasts: &lt;!here&gt; too', { userId: BRAVO }));
    assert.match(allText(b), /\*@channel blasts\*/);
    assert.equal(h.db.prepare("SELECT why FROM tactic_reasons WHERE why LIKE '%here%'").pluck().get(), '<!here> too');
  });

  it('answers help ephemerally with the grammar and the anonymity promise', async () => {
    const text = allText(ephemeralAck(await h.command('/flag-tactic', 'help', { userId: BRAVO })));
    assert.match(text, /\/flag-tactic &lt;tactic&gt;\[: &lt;why&gt;\]/);
    assert.match(text, /up to 5 flags per person per week/);
    assert.match(text, /only once 3 reps have flagged it/);
    assert.match(text, /never stores/);
  });

  it('the digest section shows only tactics at the threshold and counts the rest', async () => {
    const d = await h.ctx.services.tactics.digestTactics(TEAM, h.ctx.config.anonymityMinReports);
    assert.deepEqual(
      d.shown.map((t) => [t.text, t.reporters]),
      [
        ['Cold calling', 4],
        ['Zoom everything', 3],
      ],
    );
    assert.ok(d.belowThresholdCount >= 6);
    const blocks = tacticDigestBlocks(d.shown, d.belowThresholdCount, { minReports: d.minReports });
    assert.deepEqual(validateMessage({ text: 'digest', blocks }), []);
    assertNoStrayControls({ blocks });
    const words = allText({ blocks });
    assert.doesNotMatch(words, /tactic number/, 'below-threshold tactics are not named');
    assert.match(words, /more tactics were flagged by fewer than 3 reps: counted, not shown/);
    assert.match(words, /Spam filters flag us|buyers ignore unknown numbers/);
  });

  it('VPs decide Retire / Keep / Pilot from the digest; others are refused; the list shows the decision', async () => {
    await h.ctx.repos.vps.insertVp(TEAM, VP, h.clock.now(), ADMIN);
    const [coldId, zoomId] = listedIds(h);
    const before = stored(h);

    await h.action({ actionId: ActionId.tacticRetire, value: coldId, userId: BRAVO, channelId: 'C0DIGEST' });
    let body = lastResponseBody(h);
    assert.equal(body.replace_original, false, 'the shared digest is left alone');
    assert.match(allText(body), /Only VPs and admins can decide/);
    assert.equal(h.db.prepare('SELECT decision FROM tactics WHERE id = ?').pluck().get(coldId), null);

    await h.action({ actionId: ActionId.tacticRetire, value: coldId, userId: VP, channelId: 'C0DIGEST' });
    body = lastResponseBody(h);
    assert.equal(body.response_type, 'ephemeral');
    assert.match(allText(body), /Recorded \*Retire\* for \*Cold calling\*/);
    await h.action({ actionId: ActionId.tacticPilot, value: zoomId, userId: VP, channelId: 'C0DIGEST' });
    assert.match(allText(lastResponseBody(h)), /Recorded \*Pilot an alternative\* for \*Zoom everything\*/);

    const belowId = h.db.prepare("SELECT id FROM tactics WHERE tactic_key = 'tactic number 2'").pluck().get() as number;
    await h.action({ actionId: ActionId.tacticKeep, value: String(belowId), userId: VP, channelId: 'C0DIGEST' });
    assert.match(allText(lastResponseBody(h)), /not reached the anonymity threshold/);

    const list = allText(ephemeralAck(await h.command('/flag-tactic', 'list', { userId: ECHO })));
    assert.match(list, /\*Cold calling\*[^\n]*\n4 reps[^\n]*\n:wastebasket: Leadership decided: \*Retire\* \(2026-W48\)/);
    assert.match(list, /\*Zoom everything\*[^\n]*\n3 reps[^\n]*\n:test_tube: Leadership decided: \*Pilot an alternative\*/);
    const digest = allText({ blocks: tacticDigestBlocks((await h.ctx.services.tactics.digestTactics(TEAM, 3)).shown, 0) });
    assert.match(digest, /Leadership decided: \*Retire\*/);
    assert.deepEqual(stored(h), before, 'decisions add no rows to the tactic tables');
  });

  it('an admin hides an abusive tactic: gone from the list and digest, audited', async () => {
    ephemeralAck(await h.command('/flag-tactic', 'Insulting nonsense about Bob', { userId: ECHO }));
    const id = h.db.prepare("SELECT id FROM tactics WHERE tactic_key = 'insulting nonsense about bob'").pluck().get() as number;
    assert.ok(listedIds(h).includes(String(id)));
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
  });

  it('leaves no trace of any rep: no profile or manager rows, no users.info, valid surfaces', () => {
    for (const table of ['user_profiles', 'managers']) {
      assert.equal(h.db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get(), 0, `${table} stays empty`);
    }
    assert.deepEqual(h.fake.callsTo('users.info'), []);
    assert.deepEqual(posts(h), [], 'nothing was posted at any point');
    assert.deepEqual(h.fake.invalid, []);
  });

  it("the raw database files and the whole log contain no rep's id, name or DM channel, nor the key", async () => {
    await h.settle();
    const secrets = [...REPS, ALPHA_DM, ...REPS.map((id) => `user_${id.toLowerCase()}`)];
    const files = ['', '-wal', '-shm'].map((s) => `${h.databasePath}${s}`).filter(existsSync);
    assert.ok(files.length >= 2, `expected the database and its WAL, found ${files.join(', ')}`);
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
    for (const [i, text] of raw.entries()) assert.ok(!text.includes(TEST_ANONYMITY_KEY), `the HMAC key is in ${files[i]}`);
    // The admin and VP are not anonymous: the audit trail names them (checks the grep can see ids).
    assert.ok(raw.join('').includes(ADMIN));
  });
});

describe('/flag-tactic with ANONYMITY_MIN_REPORTS=2', () => {
  it('uses the configured threshold in the list and the digest', async () => {
    const h = await startHarness({ env: { ANONYMITY_MIN_REPORTS: '2' } });
    try {
      ephemeralAck(await h.command('/flag-tactic', 'paid ad bursts', { userId: ALPHA }));
      assert.equal((await h.ctx.services.tactics.digestTactics(TEAM, h.ctx.config.anonymityMinReports)).shown.length, 0);
      const m = ephemeralAck(await h.command('/flag-tactic', 'Paid-ad bursts!', { userId: BRAVO }));
      assert.match(allText(m), /2 reps · in leadership's weekly digest/);
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
