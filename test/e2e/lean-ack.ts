/**
 * The lean `/contact` ack (docs/performance.md), as scenarios any engine must pass: the one-liner is one
 * repository call (the replay claim folded into the conversation's write), a replay stores nothing and
 * gets no second answer (one after the other, at once, across two instances, for a refused line too), and
 * the remembered time zones are checked by the write, so a zone changed elsewhere never stores a wrong
 * date. contact-ack.test.ts runs them on the pass's engine; postgres-ack.test.ts on PostgreSQL.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Harness, HarnessOptions } from '../kit/harness.js';
import { slashCommand } from '../kit/payloads.js';
import { ackMessage, allText, contactCount, ME, TEAM } from './support.js';

type Start = (opts?: HarnessOptions) => Promise<Harness>;

const nowSec = () => Math.floor(Date.now() / 1000);

/** A cached, fresh profile, so no look-up follows the ack. */
export async function seedProfile(h: Harness, tz: string | null, userId = ME): Promise<void> {
  await h.ctx.repos.profiles.upsertProfile({
    teamId: TEAM,
    userId,
    tz,
    isAdmin: false,
    isOwner: false,
    displayName: userId,
    refreshedAt: h.clock.now(),
  });
}

/** Records every repository call and storage.transaction() the app makes until `stop()`. */
export function spyOnStorage(h: Harness): { calls: string[]; stop(): void } {
  const calls: string[] = [];
  const undo: Array<() => void> = [];
  const repos = h.ctx.repos as unknown as Record<string, Record<string, (...a: unknown[]) => unknown>>;
  for (const [repo, fns] of Object.entries(repos)) {
    for (const [name, fn] of Object.entries(fns)) {
      fns[name] = (...a: unknown[]) => {
        calls.push(`${repo}.${name}`);
        return fn(...a);
      };
      undo.push(() => {
        fns[name] = fn;
      });
    }
  }
  const storage = h.ctx.storage as unknown as { transaction: (...a: unknown[]) => unknown };
  const transaction = storage.transaction;
  storage.transaction = (...a: unknown[]) => {
    calls.push('storage.transaction');
    return transaction.apply(h.ctx.storage, a);
  };
  undo.push(() => {
    storage.transaction = transaction;
  });
  return {
    calls,
    stop() {
      for (const u of undo) u();
    },
  };
}

export function leanAckScenarios(start: Start): void {
  it('a one-liner is one repository call (claim, enrolment, conversation, counts): no claim of its own, no other read', async () => {
    const h = await start();
    await seedProfile(h, 'UTC');
    ackMessage(await h.command('/contact', 'Warm Corp via call today'));
    await h.settle();
    const spy = spyOnStorage(h);
    const r = await h.command('/contact', 'Acme Corp with Dana Lee (CFO) via video 30m yesterday: wants ROI proof');
    await h.settle();
    spy.stop();
    assert.match(allText(ackMessage(r)), /This week: \*2 of 3\*/);
    assert.deepEqual(spy.calls, ['contactLog.logOneLiner']);
    assert.equal(await h.count('seen_requests'), 2, 'each one-liner claimed its signature');
    // Other requests are still claimed by the guard before Bolt sees them.
    const help = spyOnStorage(h);
    ackMessage(await h.command('/contact', 'help'));
    help.stop();
    assert.deepEqual(help.calls, ['seenRequests.claimSignature']);
  });

  it('a replayed one-liner (same signature) stores one row and gets an empty 200, one after the other and at once', async () => {
    const h = await start();
    await seedProfile(h, 'UTC');
    const payload = slashCommand({ command: '/contact', text: 'Replay Corp via call', userId: ME, responseUrl: h.fake.responseUrl() });
    const ts = nowSec();
    assert.match(allText(ackMessage(await h.send(payload, { timestampSec: ts }))), /Replay Corp/);
    const again = await h.send(payload, { timestampSec: ts });
    assert.deepEqual([again.status, again.text], [200, '']);
    assert.equal(await contactCount(h), 1);
    assert.match(h.logText(), /ignored a replayed Slack request/);

    const twin = slashCommand({ command: '/contact', text: 'Twin Corp via call', userId: ME, responseUrl: h.fake.responseUrl() });
    const at = nowSec() + 1;
    const both = await Promise.all([h.send(twin, { timestampSec: at }), h.send(twin, { timestampSec: at })]);
    assert.deepEqual(both.map((b) => b.status).sort(), [200, 200]);
    assert.deepEqual(both.map((b) => (b.text === '' ? 'empty' : /Twin Corp/.test(allText(ackMessage(b))) ? 'confirmed' : b.text)).sort(), [
      'confirmed',
      'empty',
    ]);
    assert.equal(await h.count('contacts', 'account = ?', ['Twin Corp']), 1);
    assert.equal(await contactCount(h), 2);
  });

  it('a replay reaching another instance on the same database stores nothing', async () => {
    const a = await start();
    const b = await start({ fake: a.fake, databasePath: a.databasePath });
    const payload = slashCommand({ command: '/contact', text: 'Twice Inc via call', userId: ME, responseUrl: a.fake.responseUrl() });
    const ts = nowSec();
    ackMessage(await a.send(payload, { timestampSec: ts }));
    const r = await b.send(payload, { timestampSec: ts });
    assert.deepEqual([r.status, r.text], [200, '']);
    assert.equal(await contactCount(a), 1);
    assert.equal(await b.count('managers'), 1);
  });

  it('a replayed line that does not parse gets its error once; nothing is stored either time', async () => {
    const h = await start();
    const payload = slashCommand({ command: '/contact', text: 'Acme via carrier-pigeon', userId: ME, responseUrl: h.fake.responseUrl() });
    const ts = nowSec();
    assert.match(allText(ackMessage(await h.send(payload, { timestampSec: ts }))), /:warning:/);
    const again = await h.send(payload, { timestampSec: ts });
    assert.deepEqual([again.status, again.text], [200, '']);
    assert.equal(await contactCount(h), 0);
    assert.equal(await h.count('managers'), 0);
  });

  it('the date follows the stored time zone when another instance changed it (profile, then team): never a stale date', async () => {
    // 2026-11-26 15:00 UTC is already Friday 27 November 05:00 in Kiritimati (UTC+14).
    const h = await start();
    await seedProfile(h, 'UTC');
    const occurred = async (account: string) => h.value('SELECT occurred_on FROM contacts WHERE account = ?', [account]);
    ackMessage(await h.command('/contact', 'First Corp today'));
    assert.equal(await occurred('First Corp'), '2026-11-26');

    // Changed without this process hearing of it: the remembered zone (UTC) no longer holds.
    await seedProfile(h, 'Pacific/Kiritimati');
    assert.match(allText(ackMessage(await h.command('/contact', 'Second Corp today'))), /today \(Fri 27 Nov\)/);
    assert.equal(await occurred('Second Corp'), '2026-11-27');

    // A line refused on the remembered zone (a future date in UTC) is read again on the stored one.
    await seedProfile(h, 'UTC');
    ackMessage(await h.command('/contact', 'Warm Corp today'));
    await seedProfile(h, 'Pacific/Kiritimati');
    assert.doesNotMatch(allText(ackMessage(await h.command('/contact', 'Third Corp on 2026-11-27'))), /:warning:/);
    assert.equal(await occurred('Third Corp'), '2026-11-27');

    // No zone of their own: the team's, changed by an admin elsewhere.
    await seedProfile(h, null);
    ackMessage(await h.command('/contact', 'Fourth Corp today'));
    assert.equal(await occurred('Fourth Corp'), '2026-11-26');
    await h.ctx.repos.teams.updateTeamSetting(TEAM, 'timezone', 'Pacific/Kiritimati', h.clock.now());
    ackMessage(await h.command('/contact', 'Fifth Corp today'));
    assert.equal(await occurred('Fifth Corp'), '2026-11-27');
    assert.equal(await contactCount(h), 6);
  });
}
