/**
 * Helpers shared by the scheduled-work tests (not a test file itself): seeding managers and
 * conversations, reading what went out, and driving the in-process tick with the harness clock.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContactKind } from '../../src/db/repos/contacts.js';
import type { Scheduler } from '../../src/jobs/scheduler.js';
import { type FakeSlack, type RecordedCall, startFakeSlack } from '../kit/fake-slack.js';
import type { Harness } from '../kit/harness.js';

export const TEAM = 'T0001';
export const at = (iso: string): number => Date.parse(iso);
export const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

/** Enrols a manager as of an instant (no conversation), as `/gemba admin managers add` would. */
export async function enroll(h: Harness, userId: string, enrolledAt: string): Promise<void> {
  await h.ctx.repos.managers.enrollManager(TEAM, userId, at(enrolledAt));
}

/**
 * Stores a conversation on a local date (enrolling its author), bypassing the 30-day limit of /contact;
 * a call with no insight unless `more` says otherwise.
 */
export async function seedContact(
  h: Harness,
  userId: string,
  account: string,
  occurredOn: string,
  more: { kind?: ContactKind; insight?: string | null } = {},
): Promise<void> {
  await h.ctx.services.contacts.logContact(
    TEAM,
    userId,
    { account, buyer: null, kind: more.kind ?? 'call', durationMin: null, occurredOn, insight: more.insight ?? null },
    h.clock.now(),
  );
}

/** Caches a profile with a time zone, as a users.info look-up would have. */
export async function cacheTz(h: Harness, userId: string, tz: string): Promise<void> {
  await h.ctx.repos.profiles.upsertProfile({
    teamId: TEAM,
    userId,
    tz,
    isAdmin: false,
    isOwner: false,
    displayName: null,
    refreshedAt: h.clock.now(),
  });
}

/**
 * One fake Slack and one database file for several harnesses (app instances sharing a database), closed
 * and removed after the test: `harness` is the file's harnessPerTest().
 */
export async function sharedDatabase(
  harness: { track(x: { close(): Promise<unknown> }): void },
  prefix: string,
): Promise<{ fake: FakeSlack; databasePath: string }> {
  const fake = await startFakeSlack({ defaultTz: 'UTC' });
  harness.track(fake);
  const dir = mkdtempSync(join(tmpdir(), prefix));
  harness.track({ close: async () => rmSync(dir, { recursive: true, force: true }) });
  return { fake, databasePath: join(dir, 'gemba.db') };
}

/** Successful chat.postMessage calls, optionally to one channel (a user id for DMs). */
export function posts(h: Harness, channel?: string): RecordedCall[] {
  return h.fake.callsTo('chat.postMessage').filter((c) => c.response?.ok === true && (channel === undefined || c.args.channel === channel));
}

/** The nudges table, oldest first. */
export function nudgeRows(h: Harness): Promise<Array<{ userId: string; sentAt: number; localDate: string; answered: string | null }>> {
  return h.rows('SELECT user_id AS "userId", sent_at AS "sentAt", local_date AS "localDate", answered FROM nudges ORDER BY sent_at, id');
}

/** When each manager was nudged (ISO instants), from the nudges table. */
export async function nudgeTimes(h: Harness): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const r of await nudgeRows(h)) {
    out[r.userId] ??= [];
    out[r.userId].push(iso(r.sentAt));
  }
  return out;
}

/** Ticks the scheduler at every step from `from` (inclusive) to `to` (exclusive), moving the harness clock. */
export async function tickThrough(h: Harness, scheduler: Scheduler, from: string, to: string, stepMs: number): Promise<void> {
  for (let t = at(from); t < at(to); t += stepMs) {
    h.clock.set(t);
    await scheduler.tick();
  }
}

/** The fake accepted every message and view. */
export function assertSurfacesValid(h: Harness): void {
  assert.deepEqual(h.fake.invalid, [], 'every Slack surface must be valid Block Kit');
}

/** `n` conversations on `day`, cycling through `accounts`. */
export async function many(h: Harness, userId: string, day: string, n: number, accounts: string[]): Promise<void> {
  for (let i = 0; i < n; i++) await seedContact(h, userId, accounts[i % accounts.length], day);
}

/**
 * Five weeks before Mon 30 Nov (target 3). Weeks: W0 23 Nov (reported), W1 16 Nov, W2 9 Nov,
 * W3 2 Nov, W4 26 Oct.
 *   UA: W0 5 (3 accounts), W1 5, W2 0 but snoozed (PTO), W3 3 → streak 3 (W2 frozen); baseline 2.
 *   UB: 5 every week (W0 with 4 accounts) → streak 5; baseline 5.
 *   UC: W0 5 (4 accounts), 4 in each week before → streak 5; baseline 4.
 *   UD: W0 2, W1 3, W2 3 → streak 0 (a finished week under target ends it); baseline 1.5.
 *   UE: W0 4 (1 account), W1 1, W3 1 → baseline 0.5, gain 3.5: most improved.
 *   UZERO: 2 in W1, none in W0; UNEVER: enrolled, never logged. Neither may be named.
 * W0 total 21; W1 total 20.
 */
export async function seedTeam(h: Harness): Promise<void> {
  await many(h, 'UA', '2026-11-24', 5, ['A1', 'A2', 'A3']);
  await many(h, 'UA', '2026-11-17', 5, ['A1']);
  await many(h, 'UA', '2026-11-03', 3, ['A1']);
  await h.ctx.services.snoozes.snooze(TEAM, 'UA', { days: 5, reason: 'pto', today: '2026-11-09', now: at('2026-11-09T08:00:00Z') });
  for (const d of ['2026-10-27', '2026-11-03', '2026-11-10', '2026-11-17']) await many(h, 'UB', d, 5, ['B1']);
  await many(h, 'UB', '2026-11-24', 5, ['B1', 'B2', 'B3', 'B4']);
  for (const d of ['2026-10-27', '2026-11-03', '2026-11-10', '2026-11-17']) await many(h, 'UC', d, 4, ['C1']);
  await many(h, 'UC', '2026-11-24', 5, ['C1', 'C2', 'C3', 'C4']);
  await many(h, 'UD', '2026-11-24', 2, ['D1', 'D2']);
  await many(h, 'UD', '2026-11-17', 3, ['D1']);
  await many(h, 'UD', '2026-11-10', 3, ['D1']);
  await many(h, 'UE', '2026-11-24', 4, ['E1']);
  await many(h, 'UE', '2026-11-17', 1, ['E1']);
  await many(h, 'UE', '2026-11-03', 1, ['E1']);
  await many(h, 'UZERO', '2026-11-17', 2, ['Z1']);
  await enroll(h, 'UNEVER', '2026-10-01T00:00:00Z');
}

/** The standings lines, the most-improved line and the footer of the expected post. */
export const EXPECTED_LINES = [
  ':first_place_medal: <@UB>: *5 conversations* with 4 accounts  :fire: 5-week streak',
  ':first_place_medal: <@UC>: *5 conversations* with 4 accounts  :fire: 5-week streak',
  ':third_place_medal: <@UA>: *5 conversations* with 3 accounts  :fire: 3-week streak',
  '4. <@UE>: *4 conversations* with 1 account',
  '5. <@UD>: *2 conversations* with 2 accounts',
];
export const EXPECTED_IMPROVED = ':rocket: *Most improved:* <@UE>, 4 this week against their usual 0.5';
