import type { Db } from '../open.js';
import type { ContactRow, createContactsRepo, NewContact, WeeklyCount } from './contacts.js';
import type { createManagersRepo } from './managers.js';
import type { createSeenRequestsRepo } from './seen-requests.js';
import type { createSnoozesRepo } from './snoozes.js';

/**
 * The stored values a manager's local date is worked out from: the profile's cached time zone and
 * the team's time-zone override (null when there is none).
 */
export interface StoredZones {
  profileTz: string | null;
  teamTz: string | null;
}

/** A Slack request's signature digest, recorded so that a replay of it does nothing (seen_requests). */
export interface SignatureClaim {
  signatureSha256: string;
  expiresAtSec: number;
  nowSec: number;
}

/** One `/contact` one-liner to store, with what the caller assumed while parsing it. */
export interface OneLinerWrite {
  contact: NewContact;
  /** The request's signature, claimed in the same unit of work; null when there is none to claim (Socket Mode). */
  claim: SignatureClaim | null;
  /** The zones the occurredOn date was worked out with: nothing is written unless they still hold. */
  assumed: StoredZones;
  /** The weeks whose counts come back, oldest and newest Monday (the newest is the current week). */
  fromWeek: string;
  toWeek: string;
  /** Snoozes overlapping [fromWeek, snoozesTo] come back (for the streak's frozen weeks). */
  snoozesTo: string;
}

export type OneLinerOutcome =
  /** The signature was already claimed: nothing was written. */
  | { status: 'replay' }
  /** The stored zones differ from the assumed ones: nothing was written (parse again with these). */
  | { status: 'moved'; zones: StoredZones }
  | {
      status: 'logged';
      contact: ContactRow;
      /** True when this enrolled (or re-activated) the author as a manager. */
      enrolled: boolean;
      /** Weekly counts in [fromWeek, toWeek], the new conversation included (only weeks that have any). */
      weekly: WeeklyCount[];
      snoozes: Array<{ startsOn: string; endsOn: string }>;
      /** The team's weekly-target override (null: the default). */
      weeklyTarget: number | null;
      /** When the author's profile was last looked up in Slack (null: never). */
      profileRefreshedAt: number | null;
    };

/** Thrown inside the one-liner's transaction to roll back its claim when the stored zones moved. */
class ZonesMoved extends Error {
  constructor(readonly zones: StoredZones) {
    super('the stored time zones moved');
  }
}

/** The conversation as stored by `insertContact` (same values, its new id). */
export function storedContact(c: NewContact, id: number): ContactRow {
  return {
    id,
    teamId: c.teamId,
    userId: c.userId,
    account: c.account,
    buyer: c.buyer,
    kind: c.kind,
    durationMin: c.durationMin,
    occurredOn: c.occurredOn,
    weekStart: c.weekStart,
    insight: c.insight,
    createdAt: c.now,
    updatedAt: c.now,
  };
}

/**
 * The `/contact` one-liner's write, in one unit of work (docs/performance.md "The lean ack"): the replay
 * claim, the manager enrolment, the conversation, and what the confirmation shows read back in the same
 * transaction, so the ack waits on one commit and no read outside it. SQLite: one IMMEDIATE transaction
 * over the other repositories' statements. PostgreSQL (src/db/pg-repos.ts): one statement.
 */
export function createContactLogRepo(
  db: Db,
  repos: {
    contacts: ReturnType<typeof createContactsRepo>;
    managers: ReturnType<typeof createManagersRepo>;
    seenRequests: ReturnType<typeof createSeenRequestsRepo>;
    snoozes: ReturnType<typeof createSnoozesRepo>;
  },
) {
  const zonesOf = db.prepare(`SELECT p.tz AS profileTz, p.refreshed_at AS refreshedAt, t.timezone AS teamTz, t.weekly_target AS weeklyTarget
    FROM (SELECT 1) one LEFT JOIN user_profiles p ON p.team_id = @teamId AND p.user_id = @userId
    LEFT JOIN teams t ON t.team_id = @teamId`);
  type ZoneRow = StoredZones & { refreshedAt: number | null; weeklyTarget: number | null };
  const zones = (teamId: string, userId: string) => zonesOf.get({ teamId, userId }) as ZoneRow;

  // The claim comes first: with a claim, the transaction's first statement writes, so a DEFERRED
  // transaction takes the main file's write lock at once (waiting on busy_timeout like IMMEDIATE) and
  // never locks the attached anonymous store, which IMMEDIATE locks too (~20 µs a commit). When the
  // zones moved, ZonesMoved rolls the claim back: nothing is written, as before.
  const log = db.transaction((w: OneLinerWrite): OneLinerOutcome => {
    const c = w.contact;
    if (w.claim && !repos.seenRequests.claimSignature(w.claim.signatureSha256, w.claim.expiresAtSec, w.claim.nowSec)) {
      return { status: 'replay' };
    }
    const z = zones(c.teamId, c.userId);
    if (z.profileTz !== w.assumed.profileTz || z.teamTz !== w.assumed.teamTz) {
      throw new ZonesMoved({ profileTz: z.profileTz, teamTz: z.teamTz });
    }
    const enrolled = repos.managers.enrollManager(c.teamId, c.userId, c.now);
    const id = repos.contacts.insertContact(c);
    return {
      status: 'logged',
      contact: storedContact(c, id),
      enrolled,
      weekly: repos.contacts.listWeeklyCounts(c.teamId, c.userId, w.fromWeek, w.toWeek),
      snoozes: repos.snoozes
        .listSnoozesBetween(c.teamId, c.userId, w.fromWeek, w.snoozesTo)
        .map((s) => ({ startsOn: s.startsOn, endsOn: s.endsOn })),
      weeklyTarget: z.weeklyTarget,
      profileRefreshedAt: z.refreshedAt,
    };
  });

  return {
    /** The zones a manager's local date depends on, as stored now. */
    findZones(teamId: string, userId: string): StoredZones {
      const z = zones(teamId, userId);
      return { profileTz: z.profileTz, teamTz: z.teamTz };
    },
    /**
     * Stores a one-liner in one transaction: when the assumed zones still hold and the signature is
     * new, claims it, enrols the author, inserts the conversation and reads back the counts, snoozes,
     * target and profile age; otherwise writes nothing and says why.
     */
    logOneLiner(w: OneLinerWrite): OneLinerOutcome {
      try {
        // Without a claim the first statement reads: IMMEDIATE then takes the write lock up front, as
        // SqliteStorage.transaction does, so two processes never deadlock upgrading a read to a write.
        return w.claim ? log.deferred(w) : log.immediate(w);
      } catch (err) {
        if (err instanceof ZonesMoved) return { status: 'moved', zones: err.zones };
        throw err;
      }
    },
  };
}
