/**
 * The same person's (or the same crowd's) requests arriving at once, through signed requests to the
 * real app: each gets one honest answer, no request fails on a race between them, and the weekly
 * aggregates (contact_weeks, team_weeks) still equal a recount of the conversations. On SQLite one write
 * transaction runs at a time; on PostgreSQL (the second pass) these requests really overlap, so each race
 * is run many times over.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ActionId, ContactField, INPUT_ACTION, ViewId } from '../../src/blocks/ids.js';
import { populate, repsInDistinctCrowds } from '../kit/crowds.js';
import { ON_POSTGRES } from '../kit/engine.js';
import type { Harness } from '../kit/harness.js';
import { harnessPerTest } from '../kit/harness.js';
import { datePicker, plainInput, staticSelect } from '../kit/payloads.js';
import { allText, ME, TEAM } from './support.js';

const harness = harnessPerTest();

/** Log lines at error level or above (a request that failed on the race is logged there). */
const errorLogs = (h: Harness) => h.logs.filter((l) => typeof l.level === 'number' && l.level >= 50);

/** contact_weeks and team_weeks as stored, and as a recount of the conversations gives them. */
async function assertAggregatesMatchRecount(h: Harness): Promise<void> {
  const sorted = <T>(rows: T[]) => rows.map((r) => JSON.stringify(r)).sort();
  const stored = await h.rows<{ u: string; w: string; n: number }>(
    'SELECT user_id AS u, week_start AS w, contacts AS n FROM contact_weeks',
  );
  const recount = await h.rows<{ u: string; w: string; n: number }>(
    'SELECT user_id AS u, week_start AS w, COUNT(*) AS n FROM contacts GROUP BY user_id, week_start',
  );
  assert.deepEqual(sorted(stored.map((r) => ({ ...r, n: Number(r.n) }))), sorted(recount.map((r) => ({ ...r, n: Number(r.n) }))));
  const team = await h.rows<{ w: string; n: number; m: number }>(
    'SELECT week_start AS w, contacts AS n, managers AS m FROM team_weeks WHERE team_id = ? AND contacts <> 0',
    [TEAM],
  );
  const teamRecount = await h.rows<{ w: string; n: number; m: number }>(
    'SELECT week_start AS w, COUNT(*) AS n, COUNT(DISTINCT user_id) AS m FROM contacts WHERE team_id = ? GROUP BY week_start',
    [TEAM],
  );
  const num = (rows: Array<{ w: string; n: number; m: number }>) => sorted(rows.map((r) => ({ w: r.w, n: Number(r.n), m: Number(r.m) })));
  assert.deepEqual(num(team), num(teamRecount));
}

describe('races between one person’s requests', () => {
  it('two Undo clicks on two conversations of the same week: both are undone, each click answered, the counts stay exact', async () => {
    const h = await harness();
    for (let i = 0; i < 20; i++) {
      const user = `URACE${String(i).padStart(2, '0')}`;
      await h.command('/contact', `Acme ${i}`, { userId: user });
      await h.command('/contact', `Globex ${i}`, { userId: user });
      const ids = (await h.rows<{ id: number }>('SELECT id FROM contacts WHERE user_id = ?', [user])).map((r) => r.id);
      assert.equal(ids.length, 2);
      await h.settle();
      h.fake.reset();
      const answers = await Promise.all(ids.map((id) => h.action({ actionId: ActionId.contactUndo, value: String(id), userId: user })));
      assert.deepEqual(
        answers.map((r) => r.status),
        [200, 200],
      );
      const replies = h.fake.callsTo('response_url').map((c) => allText(c.args));
      assert.equal(replies.length, 2, 'one answer per click');
      for (const reply of replies) assert.match(reply, /Removed: \*(Acme|Globex)/, reply);
      assert.equal(await h.count('contacts', 'user_id = ?', [user]), 0, 'both conversations are gone');
    }
    assert.deepEqual(errorLogs(h), []);
    await assertAggregatesMatchRecount(h);
  });

  it('an Edit submitted while an Undo of the same conversation runs: the form either saves or says it was deleted, never an error', async () => {
    const h = await harness();
    // The edit moves the conversation to the week before, so it touches two weeks' counts.
    const values = {
      [ContactField.account]: { [INPUT_ACTION]: plainInput('Acme Corporation') },
      [ContactField.buyer]: { [INPUT_ACTION]: plainInput(null) },
      [ContactField.kind]: { [INPUT_ACTION]: staticSelect('meeting') },
      [ContactField.date]: { [INPUT_ACTION]: datePicker('2026-11-18') },
      [ContactField.duration]: { [INPUT_ACTION]: plainInput(null) },
      [ContactField.insight]: { [INPUT_ACTION]: plainInput(null) },
    };
    const outcomes = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const user = `UEDIT${String(i).padStart(2, '0')}`;
      await h.command('/contact', `Acme ${i}`, { userId: user });
      await h.command('/contact', `Globex ${i}`, { userId: user });
      const [row] = await h.rows<{ id: number }>('SELECT id FROM contacts WHERE user_id = ? ORDER BY id LIMIT 1', [user]);
      await h.settle();
      h.fake.reset();
      const [edit, undo] = await Promise.all([
        h.submit({
          callbackId: ViewId.contactModal,
          values,
          privateMetadata: JSON.stringify({ contactId: row.id, channelId: 'C0042' }),
          userId: user,
        }),
        h.action({ actionId: ActionId.contactUndo, value: String(row.id), userId: user }),
      ]);
      assert.equal(edit.status, 200);
      assert.equal(undo.status, 200);
      const undone = h.fake.callsTo('response_url').map((c) => allText(c.args));
      assert.equal(undone.length, 1);
      assert.match(undone[0], /Removed: \*Acme/, 'the Undo removed it, edited or not');
      await h.settle();
      if (edit.json?.response_action === 'errors') {
        assert.match(JSON.stringify(edit.json.errors), /deleted after you opened the form/);
        outcomes.add('refused');
      } else {
        assert.match(allText(h.fake.callsTo('chat.postEphemeral').map((c) => c.args)), /Updated: \*Acme Corporation\*/);
        outcomes.add('saved');
      }
      assert.equal(await h.count('contacts', 'user_id = ?', [user]), 1, 'only the other conversation is left');
    }
    assert.deepEqual(errorLogs(h), []);
    await assertAggregatesMatchRecount(h);
  });
  it('two snoozes (or a snooze and "snooze off") at once: one snooze stands afterwards, as if one came after the other', async () => {
    const h = await harness();
    await h.command('/contact', 'Acme Corp', { userId: ME });
    for (let i = 0; i < 20; i++) {
      const second = i % 2 ? 'snooze 2d' : 'snooze off';
      const answers = await Promise.all([h.command('/gemba', 'snooze 1w', { userId: ME }), h.command('/gemba', second, { userId: ME })]);
      for (const a of answers) assert.equal(a.status, 200);
      const running = await h.count('snoozes', 'user_id = ? AND ends_on >= ?', [ME, '2026-11-26']);
      assert.ok(running <= 1, `round ${i}: ${running} snoozes running at once`);
      await h.command('/gemba', 'snooze off', { userId: ME });
    }
    assert.deepEqual(errorLogs(h), []);
  });
});

describe('a person forgotten while they log a conversation', () => {
  it('the conversation is either forgotten with the rest or kept with its author enrolled: never an error, never without a manager row', async () => {
    const ADMIN = 'UENVADMIN';
    const h = await harness({ env: { ADMIN_USER_IDS: ADMIN } });
    if (ON_POSTGRES) {
      // Fault injection in this test's own database: deleting conversations sleeps 300 ms, so the forget's
      // transaction is still open, between its statements, when the /contact below reaches the database.
      await h.rows(
        'CREATE FUNCTION test_slow_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.3); RETURN NULL; END $$',
      );
      await h.rows('CREATE TRIGGER test_slow_delete AFTER DELETE ON contacts FOR EACH STATEMENT EXECUTE FUNCTION test_slow_delete()');
    }
    // The new conversation in the forgotten one's week (the two transactions meet on its weekly count too), then in another.
    for (const [i, line] of ['Globex', 'Globex on 2026-11-10'].entries()) {
      const user = `UFORGET${i}`;
      await h.command('/contact', 'Acme Corp', { userId: user });
      await h.settle();
      const forget = h.command('/gemba', `admin forget <@${user}>`, { userId: ADMIN });
      if (ON_POSTGRES) {
        const deadline = Date.now() + 5_000;
        while (Number(await h.value("SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'")) === 0) {
          assert.ok(Date.now() < deadline, 'the forget never reached the conversations');
          await new Promise((r) => setTimeout(r, 5));
        }
      }
      const [forgot, logged] = await Promise.all([forget, h.command('/contact', line, { userId: user })]);
      assert.match(allText(forgot.json), /Forgot/i, allText(forgot.json));
      assert.match(allText(logged.json), /Logged/i, allText(logged.json));
      const kept = await h.count('contacts', 'user_id = ?', [user]);
      const enrolled = await h.count('managers', 'user_id = ? AND active = 1', [user]);
      assert.equal(enrolled, kept > 0 ? 1 : 0, `${line}: ${kept} conversation(s) kept, ${enrolled} manager row(s)`);
      // On PostgreSQL the /contact came while the forget was open: it waits for it and is kept, Acme is not.
      if (ON_POSTGRES) assert.deepEqual(await h.values('SELECT account FROM contacts WHERE user_id = ?', [user]), ['Globex']);
    }
    assert.deepEqual(errorLogs(h), []);
    await assertAggregatesMatchRecount(h);
  });
});

describe('races between reps', () => {
  it('reps of six crowds flag one new tactic at once: one tactic, six crowds behind it, every rep told it is recorded', async () => {
    const h = await harness();
    const reps = await repsInDistinctCrowds(h, await populate(h, 80), 6);
    for (let i = 0; i < 5; i++) {
      // Five rounds: the most one person may flag in a week.
      const answers = await Promise.all(
        reps.map((userId, k) =>
          h.command('/flag-tactic', `${k % 2 ? 'Cold' : 'cold'} calling ${i}: buyers ignore unknown numbers`, { userId }),
        ),
      );
      for (const a of answers) {
        assert.equal(a.status, 200);
        assert.match(allText(a.json), /Recorded anonymously/);
      }
      const tactics = await h.rows<{ id: number; text: string }>('SELECT id, display_text AS text FROM anon.tactics WHERE tactic_key = ?', [
        `cold calling ${i}`,
      ]);
      assert.equal(tactics.length, 1, 'one tactic row');
      assert.equal(tactics[0].text, `Cold calling ${i}`, 'the alphabetically first wording');
      assert.equal(await h.count('anon.tactic_reports', 'tactic_id = ?', [tactics[0].id]), reps.length, 'each crowd counted once');
    }
    assert.deepEqual(errorLogs(h), []);
  });
});
