/**
 * The anonymous store on PostgreSQL, read as the operator would with SQL access: every row version
 * carries the id of the transaction that wrote it (xmin), which orders flags among each other and
 * among timestamped writes (conversations). After the daily publish the team's anonymous rows all
 * carry the publish's transaction id, newer than any conversation, so that order is gone.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { populate, publishFlags, repsInDistinctCrowds } from '../kit/crowds.js';
import { harnessPerTest } from '../kit/harness.js';
import { createTestDatabase, postgresPerFile } from '../kit/postgres.js';
import { ackMessage, allText, TEAM } from './support.js';

const harness = harnessPerTest();

const ANON_TABLES = ['anon.tactics', 'anon.tactic_reports', 'anon.tactic_reasons', 'anon.flag_quota'];

describe('anonymous store on PostgreSQL', () => {
  const serverUrl = postgresPerFile();

  it('after the publish, no anonymous row can be ordered against another or against a conversation', async () => {
    const url = await createTestDatabase(serverUrl());
    const h = await harness({ env: { DATABASE_URL: url } });
    const [alpha, bravo, charlie] = await repsInDistinctCrowds(h, await populate(h, 60), 3);
    const sql = new pg.Client({ connectionString: url });
    await sql.connect();
    harness.track({ close: () => sql.end() });
    // xmin is a 32-bit transaction id; compare as numbers (no wraparound in a fresh database).
    const xmins = async (table: string): Promise<number[]> =>
      (await sql.query(`SELECT DISTINCT xmin::text::bigint AS x FROM ${table}`)).rows.map((r) => Number(r.x));

    // Flags and a reason, each between two conversations a manager logged.
    await h.command('/contact', 'Acme via call today', { userId: 'UMGR0001' });
    ackMessage(await h.command('/flag-tactic', 'Cold calling: buyers ignore unknown numbers', { userId: alpha }));
    await h.command('/contact', 'Globex via video today', { userId: 'UMGR0001' });
    ackMessage(await h.command('/flag-tactic', 'Paid-ad bursts', { userId: bravo }));
    await h.command('/contact', 'Initech via meeting today', { userId: 'UMGR0001' });
    ackMessage(await h.command('/flag-tactic', 'Cold calling', { userId: charlie }));
    for (const [i, rep] of [charlie, bravo, alpha].entries())
      ackMessage(await h.command('/flag-tactic', `Webinar spam: reason ${'zyx'[i]}`, { userId: rep }));
    await h.command('/contact', 'Umbrella via call today', { userId: 'UMGR0001' });
    await h.settle();

    // Before the publish the order is readable: that is what the publish removes (docs/anonymity.md).
    assert.ok((await xmins('anon.tactic_reports')).length > 1, 'flags written in separate transactions');

    await publishFlags(h, TEAM);
    const contactXmins = await xmins('contacts');
    assert.equal(contactXmins.length, 4);
    const anon = new Set<number>();
    for (const t of ANON_TABLES) for (const x of await xmins(t)) anon.add(x);
    assert.equal(anon.size, 1, `every anonymous row carries the publish's transaction id, got ${[...anon].join(', ')}`);
    const [published] = [...anon];
    assert.ok(
      contactXmins.every((x) => x < published),
      'the anonymous rows sit after every conversation, not between them',
    );

    // Nor does where a row version sits (ctid): the publish's rewrite put the new versions in the order it read the
    // old ones, the order the flags came in. Each table now lies in the order of its primary key.
    for (const [table, key] of [
      ['anon.tactics', 'id'],
      ['anon.tactic_reports', 'tactic_id, crowd_code'],
      ['anon.tactic_reasons', 'id'],
      ['anon.flag_quota', 'team_id, week, crowd_code'],
    ]) {
      const byPlace = (await sql.query(`SELECT ${key} FROM ${table} ORDER BY ctid`)).rows;
      const byKey = (await sql.query(`SELECT ${key} FROM ${table} ORDER BY ${key}`)).rows;
      assert.ok(byKey.length > 1, `sanity: ${table} has rows`);
      assert.deepEqual(byPlace, byKey, `${table}: rows lie in key order, not in the order they were written`);
    }

    // Still the same data: two tactics, visible after the publish.
    const listed = allText(ackMessage(await h.command('/flag-tactic', 'list', { userId: alpha })));
    assert.match(listed, /Cold calling/);
    assert.match(listed, /Paid-ad bursts/);
  });
});
