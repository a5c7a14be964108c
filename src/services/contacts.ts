import type { StoredZones } from '../db/repos/contact-log.js';
import type { ContactRow } from '../db/repos/contacts.js';
import type { Repos } from '../db/repos/index.js';
import type { Storage } from '../db/storage.js';
import { present } from '../lib/errors.js';
import { addDays, isValidTimeZone, localDate, weekStart } from '../lib/time.js';
import { type ContactDraft, type GrammarError, parseContactText } from './contact-grammar.js';
import { profileIsStale } from './profiles.js';
import { frozenWeeksOf } from './snoozes.js';
import { computeStreak, STREAK_LOOKBACK_WEEKS } from './trends.js';

/** What a manager says happened: the parsed one-liner or the modal's fields. */
export type ContactInput = ContactDraft;

export type ContactChangeResult = { ok: true; contact: ContactRow } | { ok: false; reason: 'not_found' | 'not_owner' };

/** `/contact` text that is the one-liner: anything but nothing (the modal), `help` and `list`. */
export function isOneLinerText(text: string): boolean {
  const t = text.trim().toLowerCase();
  return t !== '' && t !== 'help' && t !== 'list';
}

/**
 * A signed request's replay claim that the request guard (src/slack/request-guard.ts) left for the
 * handler, so the claim is taken in the handler's own write instead of a transaction of its own.
 */
export interface DeferredClaim {
  signatureSha256: string;
  expiresAtSec: number;
  nowSec: number;
  /** Takes the claim on its own (for a request that stores nothing); false when it is a replay. */
  claimAlone(): Promise<boolean>;
  /** Says that the request was a replay (the guard's log line). */
  replayed(): void;
}

/** The DeferredClaim Bolt carries in the request's context (`context.replayClaim`), or null. */
export function deferredClaimOf(value: unknown): DeferredClaim | null {
  if (typeof value !== 'object' || value === null) return null;
  const c = value as Partial<DeferredClaim>;
  return typeof c.signatureSha256 === 'string' &&
    typeof c.expiresAtSec === 'number' &&
    typeof c.nowSec === 'number' &&
    typeof c.claimAlone === 'function' &&
    typeof c.replayed === 'function'
    ? (c as DeferredClaim)
    : null;
}

/** What became of a `/contact` one-liner. */
export type OneLinerResult =
  /** Same signature as a request already handled: nothing stored, nothing to say. */
  | { status: 'replay' }
  /** The line does not parse: nothing stored; the error says how to fix it. */
  | { status: 'invalid'; error: GrammarError }
  | {
      status: 'logged';
      contact: ContactRow;
      enrolled: boolean;
      /** The manager's local date the line was read with. */
      today: string;
      thisWeek: number;
      streak: number;
      target: number;
      /** The cached Slack profile is missing or older than a week: refresh it after the ack. */
      profileDue: boolean;
    };

/** How many people's time zones a process remembers for the one-liner (each entry a few dozen bytes). */
export const ZONE_CACHE_SIZE = 20_000;

/** The form used to count distinct accounts: "ACME  corp" and "Acme Corp" are one account. */
export function accountKey(account: string): string {
  return account.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Logging, editing and removing conversations. */
export function createContactService(storage: Storage, defaults: { weeklyTarget: number; timezone: string }) {
  const { repos } = storage;
  // The zones each person's one-liner was last read with. Never trusted blindly: the write stores
  // nothing unless the database still holds them (so no invalidation is needed, across processes too).
  const zoneCache = new Map<string, StoredZones>();
  const remember = (key: string, z: StoredZones) => {
    zoneCache.delete(key);
    if (zoneCache.size >= ZONE_CACHE_SIZE) zoneCache.delete(zoneCache.keys().next().value ?? '');
    zoneCache.set(key, z);
  };
  // Local dates by zone for the current minute: every zone's offset today is a whole number of minutes, so
  // its midnight falls on a whole UTC minute and within one minute its date cannot change (Intl asked once a minute).
  const todayByZone = new Map<string, { minute: number; date: string }>();
  const todayIn = (tz: string, now: number): string => {
    const minute = Math.floor(now / 60_000);
    const known = todayByZone.get(tz);
    if (known?.minute === minute) return known.date;
    const date = localDate(now, tz);
    if (todayByZone.size >= 1000) todayByZone.clear();
    todayByZone.set(tz, { minute, date });
    return date;
  };
  // The same rule as profiles.timezoneOf: the person's cached zone when valid, else the team's.
  const zoneOf = (z: StoredZones) => (z.profileTz && isValidTimeZone(z.profileTz) ? z.profileTz : (z.teamTz ?? defaults.timezone));
  const toRow = (teamId: string, userId: string, input: ContactInput, now: number) => ({
    teamId,
    userId,
    account: input.account,
    accountKey: accountKey(input.account),
    buyer: input.buyer,
    kind: input.kind,
    durationMin: input.durationMin,
    occurredOn: input.occurredOn,
    weekStart: weekStart(input.occurredOn),
    insight: input.insight,
    now,
  });

  const ownership = async (r: Repos, teamId: string, userId: string, id: number): Promise<ContactChangeResult | null> => {
    const existing = await r.contacts.findContact(teamId, id);
    if (!existing) return { ok: false, reason: 'not_found' };
    if (existing.userId !== userId) return { ok: false, reason: 'not_owner' };
    return null;
  };

  return {
    /**
     * The `/contact` one-liner, in one unit of work: parse the line on the manager's local date, then
     * claim the request's signature, enrol the author, store the conversation and read back this
     * week's count, the streak and the target, all in one transaction (one statement on PostgreSQL).
     * The date comes from remembered time zones that the write checks: when they moved, nothing is
     * written, the line is read again on the current zones, and the write retried. A line that does
     * not parse stores nothing, but its signature is still claimed, so a replay gets no second answer.
     */
    async logOneLiner(p: {
      teamId: string;
      userId: string;
      text: string;
      now: number;
      claim: DeferredClaim | null;
    }): Promise<OneLinerResult> {
      const { teamId, userId, now, claim } = p;
      const key = `${teamId}\n${userId}`;
      const cached = zoneCache.get(key);
      let zones = cached ?? (await repos.contactLog.findZones(teamId, userId));
      let checked = cached === undefined;
      if (!cached) remember(key, zones);
      // Twice is a zone changing between two reads of it; more would be a bug, not a race worth serving.
      for (let attempt = 0; attempt < 4; attempt++) {
        const today = todayIn(zoneOf(zones), now);
        const parsed = parseContactText(p.text, today);
        if (!parsed.ok) {
          if (!checked) {
            // Refuse only on the zones as stored now (a date error depends on them).
            const current = await repos.contactLog.findZones(teamId, userId);
            checked = true;
            if (current.profileTz !== zones.profileTz || current.teamTz !== zones.teamTz) {
              zones = current;
              remember(key, zones);
              continue;
            }
          }
          if (claim && !(await claim.claimAlone())) {
            claim.replayed();
            return { status: 'replay' };
          }
          return { status: 'invalid', error: parsed.error };
        }
        const current = weekStart(today);
        const fromWeek = addDays(current, -7 * (STREAK_LOOKBACK_WEEKS - 1));
        const out = await repos.contactLog.logOneLiner({
          contact: toRow(teamId, userId, parsed.draft, now),
          claim: claim && { signatureSha256: claim.signatureSha256, expiresAtSec: claim.expiresAtSec, nowSec: claim.nowSec },
          assumed: zones,
          fromWeek,
          toWeek: current,
          snoozesTo: addDays(current, 6),
        });
        if (out.status === 'moved') {
          zones = out.zones;
          checked = true;
          remember(key, zones);
          continue;
        }
        if (out.status === 'replay') {
          claim?.replayed();
          return { status: 'replay' };
        }
        const target = out.weeklyTarget ?? defaults.weeklyTarget;
        const counts = new Map(out.weekly.map((w) => [w.weekStart, w.count]));
        return {
          status: 'logged',
          contact: out.contact,
          enrolled: out.enrolled,
          today,
          thisWeek: counts.get(current) ?? 0,
          streak: computeStreak(counts, current, target, frozenWeeksOf(out.snoozes)),
          target,
          profileDue: profileIsStale(out.profileRefreshedAt, now),
        };
      }
      throw new Error('the time zone kept changing while a /contact line was stored');
    },

    /**
     * Records a conversation and enrols its author as a manager, in one transaction, so the
     * caller can acknowledge knowing both are committed.
     */
    logContact(teamId: string, userId: string, input: ContactInput, now: number): Promise<{ contact: ContactRow; enrolled: boolean }> {
      return storage.transaction(async (tx) => {
        const enrolled = await tx.managers.enrollManager(teamId, userId, now);
        const id = await tx.contacts.insertContact(toRow(teamId, userId, input, now));
        return { contact: present(await tx.contacts.findContact(teamId, id), 'the conversation just stored'), enrolled };
      });
    },

    /** Rewrites one of the manager's own conversations. */
    editContact(teamId: string, userId: string, id: number, input: ContactInput, now: number): Promise<ContactChangeResult> {
      return storage.transaction(async (tx): Promise<ContactChangeResult> => {
        const refused = await ownership(tx, teamId, userId, id);
        if (refused) return refused;
        // On PostgreSQL an Undo or Delete of it can commit between the check above and this write: then nothing
        // was updated, and the conversation is gone as if the Undo had come first.
        if (!(await tx.contacts.updateContact({ ...toRow(teamId, userId, input, now), id }))) return { ok: false, reason: 'not_found' };
        return { ok: true, contact: present(await tx.contacts.findContact(teamId, id), 'the conversation just edited') };
      });
    },

    /** Deletes one of the manager's own conversations (Undo and the list's delete button). */
    async removeContact(teamId: string, userId: string, id: number): Promise<ContactChangeResult> {
      const result = await storage.transaction(async (tx): Promise<ContactChangeResult> => {
        const existing = await tx.contacts.findContact(teamId, id);
        if (!existing) return { ok: false, reason: 'not_found' };
        if (existing.userId !== userId) return { ok: false, reason: 'not_owner' };
        await tx.contacts.deleteContact(teamId, userId, id);
        return { ok: true, contact: existing };
      });
      // Deleting is erasing: secure_delete zeroed the row; the checkpoint drops the WAL's old copy.
      if (result.ok) await storage.eraseCheckpoint();
      return result;
    },

    /** One of the manager's own conversations, for prefilling the Edit modal. */
    async findOwnContact(teamId: string, userId: string, id: number): Promise<ContactChangeResult> {
      const existing = await repos.contacts.findContact(teamId, id);
      if (!existing) return { ok: false, reason: 'not_found' };
      if (existing.userId !== userId) return { ok: false, reason: 'not_owner' };
      return { ok: true, contact: existing };
    },

    /** The manager's latest conversations, newest first. */
    listRecent(teamId: string, userId: string, limit = 10): Promise<ContactRow[]> {
      return repos.contacts.listRecentContacts(teamId, userId, limit);
    },
  };
}

export type ContactService = ReturnType<typeof createContactService>;

export type { ContactRow } from '../db/repos/contacts.js';
