/**
 * "No trace", "Deleting is erasing" and "Request authenticity" (PRODUCT.md), end to end on the real
 * app over signed HTTP: refused commands leave no profile row, VPs and admins cannot flag or say
 * Me too, no rep id reaches the log even at debug, deleted data is gone from gemba.db, -wal and
 * -shm byte for byte, replayed signatures do the work once (across two processes on one
 * database), and future-dated requests are refused like stale ones.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ActionId, TacticField, ViewId } from '../../src/blocks/ids.js';
import { runPublish } from '../../src/jobs/publish.js';
import { crowdCodeOf, populate, repsInDistinctCrowds } from '../kit/crowds.js';
import { sqliteOnly } from '../kit/engine.js';
import { type Harness, harnessPerTest } from '../kit/harness.js';
import { plainInput, slashCommand } from '../kit/payloads.js';
import { ackMessage, allText, contactCount } from './support.js';

const harness = harnessPerTest();
const TEAM = 'T0001';
// Ids with letters outside [0-9a-f], so no hex digest can contain them by chance.
const REP = 'U7REPKILO';
const ADMIN = 'U0ADMINYANKEE';
const VP = 'U0VPXRAY';
const MANAGER = 'U0MGRHOTEL';

const nowSec = () => Math.floor(Date.now() / 1000);
const profileRows = (h: Harness, userId: string) => h.count('user_profiles', 'user_id = ?', [userId]);

/** The database files as bytes (latin1 keeps every byte one character). */
function dbBytes(h: Harness): Array<[string, string]> {
  return ['', '-wal', '-shm']
    .map((s) => `${h.databasePath}${s}`)
    .filter(existsSync)
    .map((f) => [f, readFileSync(f).toString('latin1')]);
}

function assertErased(h: Harness, secrets: string[]): void {
  for (const [file, bytes] of dbBytes(h)) {
    for (const s of secrets) assert.ok(!bytes.includes(s), `${JSON.stringify(s)} is still in ${file}`);
  }
}

describe('no trace of a rep', () => {
  it('refused commands, digest preview and Home leave no profile row for a rep', async () => {
    const h = await harness({ env: { ADMIN_USER_IDS: ADMIN } });
    h.fake.setUser(REP, { isAdmin: false });
    for (const [command, text] of [
      ['/trends', 'team'],
      ['/trends', `<@${MANAGER}>`],
      ['/gemba', `admin managers add <@${MANAGER}>`],
      ['/gemba', 'admin forget <@U0SOMEONE>'],
      ['/gemba', 'digest preview'],
      ['/gemba', 'settings'],
      ['/flag-tactic', 'list'],
    ]) {
      const r = await h.command(command, text, { userId: REP });
      assert.equal(r.status, 200, `${command} ${text}`);
    }
    await h.homeOpened(REP);
    await h.settle();
    assert.equal(await profileRows(h, REP), 0, 'no user_profiles row for the rep');
    assert.equal(await h.value('SELECT COUNT(*) FROM managers'), 0);
    assert.ok(!dbBytes(h).some(([, b]) => b.includes(REP)), 'the rep id is nowhere in the database files');
  });

  it('a Slack admin looked up after a refused-looking command is cached (control: the look-up works)', async () => {
    const h = await harness();
    h.fake.setUser('U0SLACKADMIN', { isAdmin: true });
    await h.command('/gemba', 'digest preview', { userId: 'U0SLACKADMIN' });
    await h.settle();
    assert.equal(await profileRows(h, 'U0SLACKADMIN'), 1);
  });

  it("a workspace's first flag dates nothing finer than its day: the Slack admins it caches are stamped with the day", async () => {
    // After the 18:00 publish hour: the flag waits for the publish of the 27th, and that day is what may show.
    const now = Date.parse('2026-11-26T20:15:42.123Z');
    const h = await harness({ now });
    for (let i = 0; i < 30; i++) h.fake.setUser(`U0MEMBER${i}`, {});
    h.fake.setUser('U0SLACKADM', { isAdmin: true });
    ackMessage(await h.command('/flag-tactic', 'cold calling: nobody answers', { userId: 'U0MEMBER7' }));
    const rows = await h.rows<{ user_id: string; refreshed_at: number }>('SELECT user_id, refreshed_at FROM user_profiles');
    assert.deepEqual(
      rows.map((r) => [r.user_id, Number(r.refreshed_at)]),
      [['U0SLACKADM', Date.parse('2026-11-27T00:00:00Z')]],
      'the admin is cached (flagging can refuse them), stamped with the publish day only',
    );
    assert.equal(await h.value('SELECT first_day FROM anon.tactics'), '2026-11-27');
  });

  it('at LOG_LEVEL=debug no rep id, name or flag request reaches the log (Bolt and Web API debug output included)', async () => {
    const h = await harness({ env: { LOG_LEVEL: 'debug' } });
    h.fake.setUser(REP, { name: 'jane.quixotic', realName: 'Jane Quixotic', displayName: 'JQ Zebra' });
    await h.command('/flag-tactic', 'cold calling: nobody answers', { userId: REP });
    await h.command('/flag-tactic', '', { userId: REP });
    await h.command('/flag-tactic', 'list', { userId: REP });
    // Refused commands that look the rep up (users.info, whose result carries their names).
    await h.command('/trends', 'team', { userId: REP });
    await h.command('/gemba', 'digest preview', { userId: REP });
    await h.command('/gemba', 'admin target 4', { userId: REP });
    await h.homeOpened(REP);
    await h.settle();
    assert.ok(
      h.fake.callsTo('users.info').some((c) => c.args.user === REP),
      'sanity: the rep was looked up',
    );
    assert.ok(h.fake.callsTo('views.open').length > 0, 'sanity: the flag form was opened');
    const log = h.logText();
    assert.ok(h.ctx.logger.isLevelEnabled('debug'), 'sanity: the app logs at debug');
    assert.ok(!log.includes(REP), 'the rep id is in the debug log');
    for (const name of ['jane.quixotic', 'Jane Quixotic', 'JQ Zebra']) assert.ok(!log.includes(name), `"${name}" is in the debug log`);
    // Bolt's and the Web API client's debug lines (payloads and results, each with its time) are not written at all.
    assert.doesNotMatch(log, /flag_tactic_modal|apiCall|http request/, 'a vendor debug line dates a flag request');
  });
});

describe('failures while flagging are logged at the publish, not when they happen', () => {
  it('a flag whose member-list read fails, a Me too stored whose answer fails, a refused Me too: no line until the publish of their day', async () => {
    const h = await harness({ env: { LOG_LEVEL: 'debug' }, now: '2026-11-26T10:00:00Z' });
    const [a, b] = await repsInDistinctCrowds(h, await populate(h, 40), 2);
    ackMessage(await h.command('/flag-tactic', 'cold calling: nobody answers', { userId: a }));
    h.clock.set(Date.parse('2026-11-26T18:00:00Z'));
    await runPublish(h.ctx, h.clock.now());
    const [tactic] = await h.ctx.services.tactics.listTactics(TEAM);
    assert.ok(tactic, 'sanity: published');

    // The next day, before the publish hour.
    h.clock.set(Date.parse('2026-11-27T09:00:00Z'));
    const quiet = h.logText().length;
    // A Me too that is stored, then its answer (the redrawn list) fails on Slack's side.
    h.fake.failNext('response_url', { status: 404, times: 2 });
    await h.action({ actionId: ActionId.tacticMeToo, value: String(tactic.id), userId: b });
    // A Me too on a tactic that is not there (refused).
    await h.action({ actionId: ActionId.tacticMeToo, value: '999999', userId: b });
    // Another workspace's first flag (another process, its own database), whose member-list read fails: the flag is
    // stored under the crowds as they were (the whole workspace as one).
    const two = await harness({ fake: h.fake, env: { LOG_LEVEL: 'debug' }, now: '2026-11-27T09:30:00Z' });
    h.fake.failNext('users.list', { error: 'internal_error', times: 5 });
    ackMessage(await two.command('/flag-tactic', 'paid ad bursts', { userId: a }));
    await h.settle();
    await two.settle();
    for (const x of [h, two]) {
      assert.equal(await x.value("SELECT COUNT(*) FROM anon.tactic_reports WHERE publish_day = '2026-11-27'"), 1, 'sanity: stored');
    }
    assert.equal(h.logText().slice(quiet), '', 'no line while flagging: it would date the flag');
    assert.equal(two.logText(), '', 'nor in the other process');

    // The publish of the 27th reports them, each process its own, counted, naming nobody.
    for (const x of [h, two]) x.clock.set(Date.parse('2026-11-27T18:00:00Z'));
    await runPublish(h.ctx, h.clock.now());
    await runPublish(two.ctx, two.clock.now());
    const held = [...h.logs, ...two.logs].filter((l) => String(l.msg).includes('held until then'));
    assert.equal(held.length, 2, JSON.stringify(held));
    const failures = held.flatMap((l) => l.failures as Array<{ where: string; code: string; count: number }>);
    const where = failures.map((f) => `${f.where} ${f.code} ×${f.count}`).sort();
    assert.deepEqual(where, [
      'action tactic_me_too gemba_unexpected ×1',
      'action tactic_me_too gemba_user_input ×1',
      'action tactic_me_too: telling the user about a failure gemba_unexpected ×1',
      'member list read for the crowds (flags count under the crowds as they were) gemba_slack_api ×1',
    ]);
    assert.ok(!JSON.stringify(held).includes(b) && !JSON.stringify(held).includes(a), 'nobody named');
  });
});

describe('leadership decides, reps flag', () => {
  it('VPs and admins are refused for /flag-tactic, the form and Me too; nothing is stored', async () => {
    const h = await harness({ env: { ADMIN_USER_IDS: ADMIN } });
    ackMessage(await h.command('/gemba', `admin vps add <@${VP}>`, { userId: ADMIN }));
    const tacticsBefore = (await h.ctx.services.tactics.listTactics(TEAM)).length;
    for (const who of [VP, ADMIN]) {
      const m = ackMessage(await h.command('/flag-tactic', 'cold calling: dead', { userId: who }));
      assert.match(allText(m), /VPs and admins can't flag tactics or say Me too/);
      const open = ackMessage(await h.command('/flag-tactic', '', { userId: who }));
      assert.match(allText(open), /VPs and admins can't flag/);
      const sub = await h.submit({
        callbackId: ViewId.flagTacticModal,
        userId: who,
        values: { [TacticField.tactic]: { input: plainInput('cold calling') } },
      });
      assert.equal(sub.json?.response_action, 'errors');
      assert.match(JSON.stringify(sub.json), /VPs and admins can't flag/);
      await h.action({ actionId: ActionId.tacticMeToo, value: '1', userId: who });
      const rs = h.fake.callsTo('response_url');
      assert.match(allText(rs[rs.length - 1].args), /VPs and admins can't flag tactics or say Me too/);
    }
    assert.equal((await h.ctx.services.tactics.listTactics(TEAM)).length, tacticsBefore);
    assert.equal(h.fake.callsTo('views.open').length, 0, 'no form opened for leadership');
  });
});

describe('deleting is erasing', {
  skip: sqliteOnly('reads the bytes of gemba.db, -wal and -shm (docs/anonymity.md says what PostgreSQL keeps)'),
}, () => {
  it('undo leaves no byte of the conversation in gemba.db, -wal or -shm', async () => {
    const h = await harness();
    ackMessage(await h.command('/contact', 'Zyxwvut Holdings: insight qwertyuiop', { userId: MANAGER }));
    assert.ok(
      dbBytes(h).some(([, b]) => b.includes('qwertyuiop')),
      'sanity: the text is in the files',
    );
    const id = String(await h.value('SELECT id FROM contacts'));
    await h.action({ actionId: ActionId.contactUndo, value: id, userId: MANAGER });
    assert.equal(await contactCount(h), 0);
    assertErased(h, ['qwertyuiop', 'Zyxwvut']);
  });

  it('forget leaves no byte of the person: conversations, profile, id', async () => {
    const h = await harness({ env: { ADMIN_USER_IDS: ADMIN } });
    ackMessage(await h.command('/contact', 'Plughfoo Industries: asdfghjkl', { userId: MANAGER }));
    ackMessage(await h.command('/contact', 'Quuxbar GmbH via video', { userId: MANAGER }));
    await h.settle();
    assert.ok(
      dbBytes(h).some(([, b]) => b.includes(MANAGER)),
      'sanity: the id is in the files',
    );
    ackMessage(await h.command('/gemba', `admin forget <@${MANAGER}>`, { userId: ADMIN }));
    assertErased(h, ['Plughfoo', 'asdfghjkl', 'Quuxbar', MANAGER]);
  });
});

describe('pruning is erasing too', { skip: sqliteOnly('reads the bytes of the anonymous store file') }, () => {
  it("last week's allowance rows are gone byte for byte from the anonymous store once a new week starts", async () => {
    const h = await harness({ now: '2026-11-26T12:00:00Z' });
    const [rep] = await repsInDistinctCrowds(h, await populate(h, 30), 1);
    ackMessage(await h.command('/flag-tactic', 'cold calling', { userId: rep }));
    // A quota record stores team, week and crowd code side by side; no other row does.
    const code = await crowdCodeOf(h, rep);
    const record = `${TEAM}2026-W48${code}`;
    const anonFiles = () => ['', '-journal'].map((x) => `${h.databasePath.replace(/\.db$/, '.anon.db')}${x}`).filter(existsSync);
    const holds = () => anonFiles().some((f) => readFileSync(f).toString('latin1').includes(record));
    assert.ok(holds(), 'sanity: the allowance row is in the file');
    h.clock.set(Date.parse('2026-11-30T12:00:00Z'));
    ackMessage(await h.command('/flag-tactic', 'paid ad bursts', { userId: rep }));
    assert.deepEqual(await h.values('SELECT DISTINCT week FROM anon.flag_quota'), ['2026-W49']);
    assert.ok(!holds(), 'the pruned allowance row is erased, not left in free space');
  });
});

describe('request authenticity', () => {
  it('a replayed /contact (same signature) stores one row and is answered without redoing the work', async () => {
    const h = await harness();
    const payload = slashCommand({ command: '/contact', text: 'Replay Corp', userId: MANAGER, responseUrl: h.fake.responseUrl() });
    const ts = nowSec();
    ackMessage(await h.send(payload, { timestampSec: ts }));
    const again = await h.send(payload, { timestampSec: ts });
    assert.equal(again.status, 200);
    assert.equal(again.text, '');
    assert.equal(await contactCount(h), 1);
    // A new signature (a later timestamp) is a new request: Slack's own retries look like this.
    ackMessage(await h.send(payload, { timestampSec: ts + 1 }));
    assert.equal(await contactCount(h), 2);
    assert.match(h.logText(), /ignored a replayed Slack request/);
    const stored = (await h.rows('SELECT * FROM seen_requests')) as Array<Record<string, unknown>>;
    assert.ok(stored.length >= 2);
    assert.deepEqual(Object.keys(stored[0]).sort(), ['expires_at', 'signature_sha256'], 'no identity is stored with a signature');
  });

  it('the seen-signature memory holds across two processes sharing the database', async () => {
    const a = await harness();
    const b = await harness({ fake: a.fake, databasePath: a.databasePath });
    const payload = slashCommand({ command: '/contact', text: 'Twice Inc', userId: MANAGER, responseUrl: a.fake.responseUrl() });
    const ts = nowSec();
    ackMessage(await a.send(payload, { timestampSec: ts }));
    const r = await b.send(payload, { timestampSec: ts });
    assert.equal(r.status, 200);
    assert.equal(r.text, '');
    assert.equal(await contactCount(a), 1);
  });

  it('refuses timestamps more than 5 minutes in the future with 401, like stale ones; 4 minutes ahead is fine', async () => {
    const h = await harness();
    for (const ahead of [6 * 60, 60 * 60]) {
      const r = await h.send(slashCommand({ command: '/contact', text: 'Future Corp', userId: MANAGER }), {
        timestampSec: nowSec() + ahead,
      });
      assert.equal(r.status, 401, `${ahead}s ahead`);
    }
    assert.equal(await contactCount(h), 0);
    ackMessage(
      await h.send(slashCommand({ command: '/contact', text: 'Near Future Corp', userId: MANAGER }), { timestampSec: nowSec() + 4 * 60 }),
    );
    assert.equal(await contactCount(h), 1);
  });

  it('flag requests are never recorded as seen (a row would date them) and a replayed flag changes nothing', async () => {
    const h = await harness();
    const payload = slashCommand({ command: '/flag-tactic', text: 'cold calling: nobody answers', userId: REP });
    const ts = nowSec();
    ackMessage(await h.send(payload, { timestampSec: ts }));
    const before = JSON.stringify(await h.ctx.services.tactics.listTactics(TEAM));
    ackMessage(await h.send(payload, { timestampSec: ts }));
    assert.equal(JSON.stringify(await h.ctx.services.tactics.listTactics(TEAM)), before);
    assert.equal(await h.value('SELECT COUNT(*) FROM seen_requests'), 0);
  });
});
