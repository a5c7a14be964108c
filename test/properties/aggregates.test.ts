/**
 * Property tests of the weekly aggregates (migration 0006): whatever sequence of logs, edits,
 * deletes, forgets and deactivations happens, contact_weeks and team_weeks equal a recount of
 * `contacts`, and the team view built on them equals a brute-force computation.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { SqliteStorage } from '../../src/db/sqlite.js';
import { addDays } from '../../src/lib/time.js';
import { createContactService } from '../../src/services/contacts.js';
import { createTeamService } from '../../src/services/team.js';
import { lastWeekStarts } from '../../src/services/trends.js';
import { openTestStorage } from '../kit/storage.js';

const TEAMS = ['T1', 'T2'];
const USERS = ['UA', 'UB', 'UC', 'UD', 'UE'];
const FIRST_DAY = '2026-10-01';

type Op =
  | { op: 'log'; team: number; user: number; day: number; account: number }
  | { op: 'edit'; pick: number; user: number; day: number; account: number }
  | { op: 'delete'; pick: number }
  | { op: 'forget'; team: number; user: number }
  | { op: 'deactivate'; team: number; user: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({ op: fc.constant('log' as const), team: fc.nat(1), user: fc.nat(4), day: fc.nat(60), account: fc.nat(6) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('edit' as const), pick: fc.nat(), user: fc.nat(4), day: fc.nat(60), account: fc.nat(6) }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('forget' as const), team: fc.nat(1), user: fc.nat(4) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('deactivate' as const), team: fc.nat(1), user: fc.nat(4) }) },
);

async function apply(storage: SqliteStorage, ops: Op[]): Promise<void> {
  const { db, repos } = storage;
  const contacts = createContactService(storage, { weeklyTarget: 3, timezone: 'UTC' });
  const input = (day: number, account: number) => ({
    account: `Account ${account}`,
    buyer: null,
    kind: 'call' as const,
    durationMin: null,
    occurredOn: addDays(FIRST_DAY, day),
    insight: null,
  });
  const ids = () =>
    db.prepare('SELECT id, team_id AS teamId, user_id AS userId FROM contacts ORDER BY id').all() as Array<{
      id: number;
      teamId: string;
      userId: string;
    }>;
  for (const o of ops) {
    if (o.op === 'log') await contacts.logContact(TEAMS[o.team], USERS[o.user], input(o.day, o.account), 0);
    else if (o.op === 'edit' || o.op === 'delete') {
      const all = ids();
      if (all.length === 0) continue;
      const c = all[o.pick % all.length];
      if (o.op === 'delete') await contacts.removeContact(c.teamId, c.userId, c.id);
      else await contacts.editContact(c.teamId, c.userId, c.id, input(o.day, o.account), 1);
    } else if (o.op === 'forget') {
      await storage.transaction(async (tx) => {
        await tx.contacts.deleteContactsOf(TEAMS[o.team], USERS[o.user]);
        await tx.managers.deleteManager(TEAMS[o.team], USERS[o.user]);
      });
    } else await repos.managers.deactivateManager(TEAMS[o.team], USERS[o.user]);
  }
}

describe('property: weekly aggregates', () => {
  it('always equal a recount of the conversations, and the team view equals brute force', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb, { maxLength: 60 }),
        fc.nat(60),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 5 }),
        async (ops, lastDayOffset, weeks, listed) => {
          const storage = openTestStorage();
          const { db } = storage;
          try {
            await apply(storage, ops);
            const recount = db
              .prepare('SELECT team_id, week_start, user_id, COUNT(*) AS contacts FROM contacts GROUP BY 1, 2, 3 ORDER BY 1, 2, 3')
              .all();
            assert.deepEqual(
              db.prepare('SELECT team_id, week_start, user_id, contacts FROM contact_weeks ORDER BY 1, 2, 3').all(),
              recount,
            );
            const teamRecount = db
              .prepare(
                'SELECT team_id, week_start, COUNT(*) AS contacts, COUNT(DISTINCT user_id) AS managers FROM contacts GROUP BY 1, 2 ORDER BY 1, 2',
              )
              .all();
            assert.deepEqual(
              db.prepare('SELECT team_id, week_start, contacts, managers FROM team_weeks WHERE managers > 0 ORDER BY 1, 2').all(),
              teamRecount,
            );

            const { repos } = storage;
            const lastDay = addDays(FIRST_DAY, lastDayOffset);
            const trend = await createTeamService(repos).teamTrend('T1', { lastDay, weeks, target: 3, listed });
            const starts = lastWeekStarts(lastDay, weeks);
            const active = (await repos.managers.listActiveManagers('T1')).map((m) => m.userId);
            const counts = new Map(
              active.map((u) => [
                u,
                starts.map(
                  (w) =>
                    db
                      .prepare('SELECT COUNT(*) FROM contacts WHERE team_id = ? AND user_id = ? AND week_start = ?')
                      .pluck()
                      .get('T1', u, w) as number,
                ),
              ]),
            );
            assert.deepEqual(
              trend.weeks.map((w) => [w.total, w.managersWithOne]),
              starts.map((_, i) => [
                [...counts.values()].reduce((s, c) => s + c[i], 0),
                [...counts.values()].filter((c) => c[i] > 0).length,
              ]),
            );
            // Chosen: the most conversations in the latest week (ties by id), then people with none
            // that week by id; shown: latest week, then the whole window, then id.
            const rows = [...counts].map(([userId, c]) => ({
              userId,
              counts: c,
              total: c.reduce((s, n) => s + n, 0),
              latest: c[c.length - 1],
            }));
            const byId = (a: { userId: string }, b: { userId: string }) => (a.userId < b.userId ? -1 : 1);
            const chosen = [
              ...rows.filter((r) => r.latest > 0).sort((a, b) => b.latest - a.latest || byId(a, b)),
              ...rows.filter((r) => r.latest === 0).sort(byId),
            ].slice(0, listed);
            const ranked = chosen.sort((a, b) => b.latest - a.latest || b.total - a.total || byId(a, b));
            assert.deepEqual(
              trend.managers.map(({ userId, counts: c, total, latest }) => ({ userId, counts: c, total, latest })),
              ranked,
            );
            assert.equal(trend.managerCount, active.length);
          } finally {
            db.close();
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
