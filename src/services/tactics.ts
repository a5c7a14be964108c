import { createHash, createHmac, randomBytes, randomInt } from 'node:crypto';
import type { Repos } from '../db/repos/index.js';
import type { CrowdPopulation, TacticDecision, TacticReason, TacticRow } from '../db/repos/tactics.js';
import type { Storage } from '../db/storage.js';
import type { Clock } from '../lib/clock.js';
import { asGembaError, type ErrorCode } from '../lib/errors.js';
import type { HeldFailures } from '../lib/held-failures.js';
import type { Logger } from '../lib/logger.js';
import { charCount, plainFromSlackText, stripControlChars } from '../lib/slack-text.js';
import { addDays, isoWeekKey, isValidTimeZone } from '../lib/time.js';
import { buildCrowdTree, coarsen, codeOf, countCrowds, crowdHash } from './crowds.js';
import type { UserDirectory } from './ports.js';
import { publishWindow } from './schedule.js';
import type { SettingsService } from './settings.js';

export type { TacticDecision } from '../db/repos/tactics.js';

/**
 * PRODUCT.md "Anonymity": text limits and the weekly flag allowance per rep. The allowance is kept
 * per crowd (nothing finer is stored): a crowd of N people may flag 5 × N tactics a week.
 */
export const TACTIC_LIMITS = { tacticMin: 3, tacticMax: 80, whyMax: 500, insteadMax: 500, flagsPerWeek: 5 } as const;

export const TACTIC_DECISIONS: readonly TacticDecision[] = ['retire', 'keep', 'pilot'];

export const FLAG_EXAMPLE = '/flag-tactic cold calling: buyers ignore unknown numbers';

/** What a rep says about a tactic: the one-liner or the modal's fields. */
export interface TacticInput {
  tactic: string;
  why: string | null;
  instead: string | null;
}

export type TacticField = 'tactic' | 'why' | 'instead';

export interface TacticProblem {
  code: 'tactic_missing' | 'tactic_too_short' | 'tactic_too_long' | 'tactic_no_words' | 'why_too_long' | 'instead_too_long';
  field: TacticField;
  /** Plain words for the rep; may quote their text, so escape it before it goes into mrkdwn. */
  message: string;
}

/** A tactic as reps and leadership see it: wording, how many distinct crowds (at least that many reps), leadership's decision. */
export interface TacticSummary {
  id: number;
  text: string;
  reporters: number;
  createdWeek: string;
  decision: TacticDecision | null;
  decidedWeek: string | null;
}

/** A tactic in `/flag-tactic list` (published only). */
export type ListedTactic = TacticSummary;

/** A tactic the digest may show (it met the threshold), with a sample of the reasons given. */
export interface DigestTactic extends TacticSummary {
  reasons: Array<{ why: string | null; instead: string | null }>;
}

export interface DigestTactics {
  /** Tactics at or above the threshold, most-supported first. */
  shown: DigestTactic[];
  /** Visible tactics below the threshold: counted, never named. */
  belowThresholdCount: number;
  minReports: number;
}

/** When something recorded now becomes visible: the next publish, in team time. */
export interface PublishAt {
  day: string;
  hour: number;
  timezone: string;
  /** True when that is today (team time). */
  today: boolean;
}

/** The crowds of a team and whether a tactic can ever reach the digest with them. */
export interface CrowdStatus {
  source: 'members' | 'group' | 'unknown';
  groupId: string | null;
  eligible: number;
  crowds: number;
  crowdSize: number;
  minReports: number;
  /** False when there are fewer crowds than the threshold: no tactic can be shown yet. */
  canShow: boolean;
}

/**
 * What a flag or Me too tells the rep. Deliberately the same whether the tactic was new, already
 * flagged by others or already counted for their crowd: a different answer would let anyone who
 * can send requests (the operator holds the signing secret) learn live what others flagged.
 */
export interface Recorded {
  ok: true;
  text: string;
  publish: PublishAt;
  crowds: CrowdStatus;
}

export type FlagResult =
  | Recorded
  | { ok: false; reason: 'invalid'; problem: TacticProblem }
  /** `scope` 'person': this rep's own 5 this week (counted in memory only); 'crowd': the crowd's shared allowance. */
  | { ok: false; reason: 'rate_limited'; limit: number; scope: 'person' | 'crowd' }
  | { ok: false; reason: 'hidden' }
  | { ok: false; reason: 'not_in_group' };

export type MeTooResult = (Recorded & { tactic: TacticSummary }) | { ok: false; reason: 'not_found' | 'not_in_group' };

/** How long a process trusts its copy of the reps group's members before asking Slack again. */
export const REPS_GROUP_TTL_MS = 5 * 60_000;
/** How long a flag waits for Slack to list the reps group before it is taken without the check. */
export const REPS_GROUP_WAIT_MS = 1_500;

/** `p`, or a rejection after `ms` (the late answer is ignored). */
function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/**
 * Each rep's flags this week, held in this process's memory only and never written anywhere (PRODUCT.md: no
 * stored value finer than a crowd). Keyed by an HMAC under a random key made at start, so even the map holds
 * no user id. It is what stops one rep at 5; the stored, per-crowd allowance (5 × the crowd's members) is the
 * bound that survives restarts and holds across instances.
 */
export class PersonalFlagCounter {
  readonly #key = randomBytes(32);
  /**
   * Counts per ISO week, then per person. Teams in different time zones straddle a week boundary for hours
   * (and a write can give back a flag across it), so a week's counts stay until two newer weeks have started.
   */
  readonly #weeks = new Map<string, Map<string, number>>();

  constructor(readonly limit: number) {}

  #slot(teamId: string, userId: string): string {
    return createHmac('sha256', this.#key).update(`${teamId}\n${userId}`).digest('base64');
  }

  /** Takes one of the person's flags for `week`; false when they have used them all. */
  take(teamId: string, userId: string, week: string): boolean {
    let counts = this.#weeks.get(week);
    if (!counts) {
      counts = new Map();
      this.#weeks.set(week, counts);
      // ISO week keys sort in time order ('2026-W53' < '2027-W01'): keep the newest two.
      for (const old of [...this.#weeks.keys()].sort().slice(0, -2)) this.#weeks.delete(old);
    }
    const slot = this.#slot(teamId, userId);
    const used = counts.get(slot) ?? 0;
    if (used >= this.limit) return false;
    counts.set(slot, used + 1);
    return true;
  }

  /** Gives back a flag taken for `week` by a write that did not happen (nothing, if that week is gone). */
  giveBack(teamId: string, userId: string, week: string): void {
    const counts = this.#weeks.get(week);
    const slot = this.#slot(teamId, userId);
    const used = counts?.get(slot) ?? 0;
    if (!counts || used === 0) return;
    if (used === 1) counts.delete(slot);
    else counts.set(slot, used - 1);
  }
}

export type DecideResult = { ok: true; tactic: TacticSummary; changed: boolean } | { ok: false; reason: 'not_found' | 'below_threshold' };

export type HideResult = { ok: true; tactic: TacticSummary } | { ok: false; reason: 'not_found' | 'already_hidden' };

/**
 * The grouping key of a tactic: NFKC, lower-case, apostrophes dropped, every run of anything
 * that is not a letter, mark or digit turned into one space, trimmed.
 * Example: "Cold calling", "cold-calling!" and "  COLD   calling " all give "cold calling";
 * "Don't cold call" gives "dont cold call".
 */
export function normalizeTactic(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/['’‘`]/g, '')
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, ' ')
    .trim();
}

/** What a hidden tactic's wording becomes: hiding erases the words (PRODUCT.md "Deleting is erasing"). */
export const HIDDEN_TACTIC_TEXT = '[hidden]';

/**
 * The key a hidden tactic keeps instead of its normalised wording: a SHA-256 of it, so the same wording is
 * still refused ("An admin has hidden that tactic") while the words themselves are gone from the files.
 */
export const hiddenKeyOf = (tacticKey: string): string => `hidden:${createHash('sha256').update(tacticKey).digest('hex')}`;

/** Collapses runs of spaces and tabs (and, for one-line fields, newlines) and trims. */
const tidy = (s: string | null | undefined, oneLine: boolean): string | null => {
  if (s === null || s === undefined) return null;
  const c = stripControlChars(s);
  const t = (oneLine ? c.replace(/\s+/g, ' ') : c.replace(/[^\S\n]+/g, ' ').replace(/\n{3,}/g, '\n\n')).trim();
  return t === '' ? null : t;
};

/** Tidies free text and checks the limits; returns the first problem or the cleaned input. */
export function validateTacticInput(raw: {
  tactic: string | null;
  why?: string | null;
  instead?: string | null;
}): { ok: true; input: TacticInput } | { ok: false; problem: TacticProblem } {
  const tactic = tidy(raw.tactic, true);
  const why = tidy(raw.why, false);
  const instead = tidy(raw.instead, false);
  const L = TACTIC_LIMITS;
  const fail = (code: TacticProblem['code'], field: TacticField, message: string) => ({
    ok: false as const,
    problem: { code, field, message },
  });
  if (tactic === null) return fail('tactic_missing', 'tactic', 'Say which tactic no longer works, e.g. "cold calling".');
  if (charCount(tactic) < L.tacticMin)
    return fail('tactic_too_short', 'tactic', `A tactic needs at least ${L.tacticMin} characters; "${tactic}" has ${charCount(tactic)}.`);
  if (charCount(tactic) > L.tacticMax) {
    return fail(
      'tactic_too_long',
      'tactic',
      `A tactic can be at most ${L.tacticMax} characters; yours has ${charCount(tactic)}. Name it briefly and put the details in the reason.`,
    );
  }
  if (normalizeTactic(tactic) === '')
    return fail('tactic_no_words', 'tactic', 'A tactic needs some letters or numbers, e.g. "cold calling".');
  if (why !== null && charCount(why) > L.whyMax)
    return fail('why_too_long', 'why', `The reason can be at most ${L.whyMax} characters; yours has ${charCount(why)}.`);
  if (instead !== null && charCount(instead) > L.insteadMax) {
    return fail(
      'instead_too_long',
      'instead',
      `"What buyers want instead" can be at most ${L.insteadMax} characters; yours has ${charCount(instead)}.`,
    );
  }
  return { ok: true, input: { tactic, why, instead } };
}

/**
 * Parses the one-liner `<tactic>[: <why>]` (raw slash-command text, still Slack-escaped).
 * Example: "cold calling: buyers ignore unknown numbers" → tactic "cold calling", why "buyers …".
 */
export function parseFlagText(text: string): { ok: true; input: TacticInput } | { ok: false; problem: TacticProblem } {
  const plain = plainFromSlackText(text);
  const colon = plain.indexOf(':');
  const tactic = colon === -1 ? plain : plain.slice(0, colon);
  const why = colon === -1 ? null : plain.slice(colon + 1);
  return validateTacticInput({ tactic, why, instead: null });
}

const summary = (t: TacticRow, reporters: number): TacticSummary => ({
  id: t.id,
  text: t.displayText,
  reporters,
  createdWeek: t.createdWeek,
  decision: t.decision,
  decidedWeek: t.decidedWeek,
});

/** Published before any publish: what migration 0012 moved from the old tables. */
const BEFORE_ANY_PUBLISH = '0000-01-01';

/** Tactic ids are random six-digit numbers, so an id says nothing about which tactic came first. */
const randomTacticId = (): number => randomInt(100_000, 1_000_000);

interface Deps {
  storage: Storage;
  clock: Clock;
  settings: SettingsService;
  directory: UserDirectory;
  /** ANONYMITY_CROWD, ANONYMITY_MIN_REPORTS, FLAG_PUBLISH_HOUR, TEAM_TIMEZONE (the publish day held failures wait for). */
  config: { anonymityCrowd: number; anonymityMinReports: number; flagPublishHour: number; teamTimezone: string };
  logger: Logger;
  /** Where failures a flag meets are held until the publish (a log line now would date the flag). */
  held: HeldFailures;
}

/**
 * Anonymous tactic flags (PRODUCT.md "Anonymity", docs/anonymity.md). A user id comes in as an
 * argument and is turned at once into the crowd code it falls in; no method stores, logs or
 * returns it. What is stored is dated by the publish day it waits for, and becomes visible only
 * when the daily publish reaches that day.
 */
export function createTacticService({ storage, clock, settings, directory, config, logger, held }: Deps) {
  const { repos } = storage;
  type R = Repos;
  const tz = async (teamId: string): Promise<string> => (await settings.forTeam(teamId)).timezone;
  const through = async (r: R, teamId: string): Promise<string> => (await r.tactics.findPublishedThrough(teamId)) ?? BEFORE_ANY_PUBLISH;
  /** The publish day something recorded now waits for, and the ISO week that dates it. */
  const arrival = async (r: R, teamId: string, zone: string): Promise<{ day: string; week: string; publish: PublishAt }> => {
    const w = publishWindow(clock.now(), zone, config.flagPublishHour);
    // Never a day already published (a forced publish before the hour): that would show it live.
    const published = await r.tactics.findPublishedThrough(teamId);
    const day = published && published >= w.arrivalDay ? addDays(published, 1) : w.arrivalDay;
    return {
      day,
      week: isoWeekKey(day),
      publish: { day, hour: config.flagPublishHour, timezone: zone, today: day === w.period },
    };
  };
  const reportersOf = async (r: R, tacticId: number, day: string): Promise<number> =>
    countCrowds(await r.tactics.listReportCodes(tacticId, day));
  const visibleTactic = async (r: R, teamId: string, id: number): Promise<TacticRow | undefined> => {
    const t = Number.isSafeInteger(id) && id > 0 ? await r.tactics.findTactic(teamId, id) : undefined;
    return t && !t.hidden && t.firstDay <= (await through(r, teamId)) ? t : undefined;
  };
  const personal = new PersonalFlagCounter(TACTIC_LIMITS.flagsPerWeek);
  // The reps group's members as Slack last listed them, per team (memory only, like the group itself in Slack).
  const groupMembers = new Map<string, { groupId: string; at: number; members: ReadonlySet<string> }>();
  const crowdStatus = (p: CrowdPopulation | undefined): CrowdStatus => {
    const crowds = p?.leaves.length ?? 0;
    return {
      source: p?.source ?? 'unknown',
      groupId: p?.groupId ?? null,
      eligible: p?.eligible ?? 0,
      crowds,
      crowdSize: config.anonymityCrowd,
      minReports: config.anonymityMinReports,
      // Every crowd holds >= crowdSize people, so fewer than crowdSize × minReports people always fails too.
      canShow: crowds >= config.anonymityMinReports && (p?.eligible ?? 0) >= config.anonymityCrowd * config.anonymityMinReports,
    };
  };
  const codeFor = (teamId: string, userId: string, p: CrowdPopulation | undefined): string =>
    codeOf(crowdHash(teamId, userId), p?.leaves.map((l) => l.code) ?? []);

  /**
   * Replaces a team's crowds and re-codes what is stored: a code longer than the leaf it now falls
   * in is cut back to it (crowds merged), merging allowance rows; shorter codes stay (coarser).
   * One transaction, so no reader ever sees codes that no longer match the crowds.
   */
  const storePopulation = (teamId: string, p: CrowdPopulation): Promise<void> =>
    storage.transaction(async (tx) => {
      await tx.tactics.replacePopulation(teamId, p);
      const leaves = p.leaves.map((l) => l.code);
      for (const r of await tx.tactics.listTeamReports(teamId)) {
        const to = coarsen(r.code, leaves);
        if (to === r.code) continue;
        await tx.tactics.deleteReport(r.tacticId, r.code);
        await tx.tactics.insertReport(r.tacticId, to, r.kind, r.day);
      }
      for (const q of await tx.tactics.listTeamQuota(teamId)) {
        const to = coarsen(q.code, leaves);
        if (to === q.code) continue;
        await tx.tactics.deleteQuota(teamId, q.week, q.code);
        await tx.tactics.incrementQuota(teamId, q.week, to, q.flags);
      }
    });

  /**
   * Lays the anonymous store out in key order (Storage.reorderAnonymousStore), after a flag or Me too and at the
   * publish. A failure after a flag is held for the publish, not logged (a line now would date the flag); the
   * next flag or publish does it.
   */
  const reorder = async (teamId: string, at: 'write' | 'publish'): Promise<boolean> => {
    try {
      return await storage.reorderAnonymousStore(at);
    } catch (err) {
      const where = 'rewriting the anonymous store in key order (the next flag or publish does it)';
      if (at === 'write') await service.holdFailure(teamId, { where, code: asGembaError(err).code, err });
      else logger.warn({ err, teamId }, `${where} failed`);
      return false;
    }
  };

  const service = {
    /**
     * True when an admin set a reps group (`/gemba admin reps sync`) and this person is not in it: only its
     * members may flag or say Me too. Asks Slack for the group's members (usergroups.users.list, the group, not
     * the person), at most every REPS_GROUP_TTL_MS per team. If Slack cannot say, the person is let through:
     * their flag still counts only under a crowd code, and membership is not what anonymity rests on.
     */
    async outsideRepsGroup(teamId: string, userId: string): Promise<boolean> {
      const p = await repos.tactics.findPopulation(teamId);
      if (p?.source !== 'group' || !p.groupId) return false;
      let known = groupMembers.get(teamId);
      if (!known || known.groupId !== p.groupId || clock.now() - known.at > REPS_GROUP_TTL_MS) {
        // Bounded, because the command's ack (and a form's 3-second trigger_id) waits on it. No log line when
        // Slack does not answer: it would date a flag request (PRODUCT.md "No trace of the rep").
        const members = await withTimeout(directory.listGroupMembers(teamId, p.groupId), REPS_GROUP_WAIT_MS).catch(() => null);
        if (!members) return false;
        known = { groupId: p.groupId, at: clock.now(), members: new Set(members) };
        groupMembers.set(teamId, known);
      }
      return !known.members.has(userId);
    },

    /** When a flag made now becomes visible. */
    async nextPublish(teamId: string): Promise<PublishAt> {
      return (await arrival(repos, teamId, await tz(teamId))).publish;
    },

    /**
     * Holds a failure met while someone flags (HeldFailures) for the publish day a flag made now waits for: a
     * log line now would date the flag. Never throws: with the database unreachable, the day is worked out
     * from the configured team time zone.
     */
    async holdFailure(teamId: string, failure: { where: string; code: ErrorCode; err: unknown }): Promise<void> {
      let day: string;
      try {
        day = (await service.nextPublish(teamId)).day;
      } catch {
        day = publishWindow(clock.now(), config.teamTimezone, config.flagPublishHour).arrivalDay;
      }
      held.record(teamId, day, failure);
    },

    /** The team's crowds as last computed (none yet: source 'unknown', nothing can be shown). */
    async crowdStatus(teamId: string): Promise<CrowdStatus> {
      return crowdStatus(await repos.tactics.findPopulation(teamId));
    },

    /**
     * Recomputes the eligible population from Slack and cuts it into crowds: the reps user group
     * when one is set (or `groupId` is given, by `/gemba admin reps sync`), else every active human
     * member. Also caches the profiles of Slack admins and owners from users.list, so flagging can
     * refuse them without looking anyone up. Returns null when the group is unknown to Slack.
     */
    async refreshPopulation(teamId: string, opts: { groupId?: string } = {}): Promise<CrowdStatus | null> {
      const previous = await repos.tactics.findPopulation(teamId);
      const groupId = opts.groupId ?? (previous?.source === 'group' ? previous.groupId : null);
      const members = await directory.listMembers(teamId);
      // The publish day, as midnight UTC: the first flag of a workspace triggers this read, and a finer stamp
      // (even the calendar day, which splits the 18:00-to-18:00 publish day) would narrow when that flag came.
      const { day: arrivalDay } = await arrival(repos, teamId, await tz(teamId));
      const stampedAt = Date.parse(`${arrivalDay}T00:00:00Z`);
      for (const m of members) {
        if (!m.isAdmin && !m.isOwner) continue;
        await repos.profiles.upsertProfile({
          teamId,
          userId: m.id,
          tz: m.tz && isValidTimeZone(m.tz) ? m.tz : null,
          isAdmin: m.isAdmin,
          isOwner: m.isOwner,
          displayName: m.displayName,
          refreshedAt: stampedAt,
        });
      }
      let eligible = members.map((m) => m.id);
      if (groupId) {
        const group = await directory.listGroupMembers(teamId, groupId);
        if (group === null) return null;
        const active = new Set(eligible);
        eligible = group.filter((id) => active.has(id));
      }
      const leaves = buildCrowdTree(
        eligible.map((id) => crowdHash(teamId, id)),
        config.anonymityCrowd,
      );
      const population: CrowdPopulation = {
        source: groupId ? 'group' : 'members',
        groupId,
        eligible: new Set(eligible).size,
        crowdSize: config.anonymityCrowd,
        computedOn: (await arrival(repos, teamId, await tz(teamId))).day,
        leaves,
      };
      await storePopulation(teamId, population);
      return crowdStatus(population);
    },

    /** Computes the crowds if they never were (first flag of a team); failures leave the root crowd. */
    async ensurePopulation(teamId: string): Promise<void> {
      const p = await repos.tactics.findPopulation(teamId);
      if (p && p.crowdSize === config.anonymityCrowd) return;
      try {
        await service.refreshPopulation(teamId);
      } catch (err) {
        // Held for the publish, not logged now: a flag asked for the list, and a line now would date it.
        const where = 'member list read for the crowds (flags count under the crowds as they were)';
        await service.holdFailure(teamId, { where, code: asGembaError(err).code, err });
      }
    },

    /**
     * Flags a tactic: validates, groups on the normalised wording, counts the rep's crowd once per
     * tactic and once against the crowd's weekly allowance, and stores the reason with no link to
     * anyone. Everything is dated by the publish day it waits for. Re-flagging is harmless.
     */
    async flagTactic(
      teamId: string,
      userId: string,
      raw: { tactic: string | null; why?: string | null; instead?: string | null },
    ): Promise<FlagResult> {
      const valid = validateTacticInput(raw);
      if (!valid.ok) return { ok: false, reason: 'invalid', problem: valid.problem };
      if (await service.outsideRepsGroup(teamId, userId)) return { ok: false, reason: 'not_in_group' };
      const { tactic, why, instead } = valid.input;
      const key = normalizeTactic(tactic);
      // Settings are read before the transaction: inside it only `tx` may be used.
      const zone = await tz(teamId);
      // The person's own allowance taken for this flag (week), given back if the flag is not stored.
      let taken: string | null = null;
      const flag = (): Promise<FlagResult> =>
        storage.transaction(async (tx): Promise<FlagResult> => {
          const { day, week, publish } = await arrival(tx, teamId, zone);
          const population = await tx.tactics.findPopulation(teamId);
          const code = codeFor(teamId, userId, population);
          const crowdMembers = population?.leaves.find((l) => l.code === code)?.members ?? population?.eligible ?? 1;
          const limit = TACTIC_LIMITS.flagsPerWeek * Math.max(1, crowdMembers);
          const existing = await tx.tactics.findTacticByKey(teamId, key, hiddenKeyOf(key));
          if (existing?.hidden) return { ok: false, reason: 'hidden' };
          const counted = existing !== undefined && (await tx.tactics.listReportCodes(existing.id, '9999-12-31')).includes(code);
          if (!counted && (await tx.tactics.countQuota(teamId, week, code)) >= limit) {
            return { ok: false, reason: 'rate_limited', limit: TACTIC_LIMITS.flagsPerWeek, scope: 'crowd' };
          }
          if (!counted) {
            if (!personal.take(teamId, userId, week))
              return { ok: false, reason: 'rate_limited', limit: TACTIC_LIMITS.flagsPerWeek, scope: 'person' };
            taken = week;
          }
          let id: number;
          if (existing) {
            id = existing.id;
            // Until it is published, the wording shown is the alphabetically first, not the first to arrive.
            if (existing.firstDay > (await through(tx, teamId))) await tx.tactics.updateDisplayTextIfEarlier(id, tactic);
          } else {
            id = await tx.tactics.insertTactic(
              { teamId, tacticKey: key, displayText: tactic, firstDay: day, createdWeek: week },
              randomTacticId,
            );
          }
          if (!counted) {
            await tx.tactics.insertReport(id, code, 'flag', day);
            await tx.tactics.incrementQuota(teamId, week, code);
          }
          if (why !== null || instead !== null) await tx.tactics.insertReason(randomBytes(16).toString('hex'), id, why, instead, day);
          return { ok: true, text: tactic, publish, crowds: crowdStatus(population) };
        });
      let result: FlagResult;
      try {
        result = await flag();
      } catch (err) {
        if (taken) personal.giveBack(teamId, userId, taken);
        throw err;
      }
      // Where the new rows sit in the file would say which came after which.
      if (result.ok) await reorder(teamId, 'write');
      await service.pruneQuota(teamId);
      return result;
    },

    /** An anonymous "me too" on a published tactic: counts the rep's crowd once; uses no allowance. */
    async meToo(teamId: string, userId: string, tacticId: number): Promise<MeTooResult> {
      if (await service.outsideRepsGroup(teamId, userId)) return { ok: false, reason: 'not_in_group' };
      const zone = await tz(teamId);
      const result = await storage.transaction(async (tx): Promise<MeTooResult> => {
        const { day, publish } = await arrival(tx, teamId, zone);
        const population = await tx.tactics.findPopulation(teamId);
        const t = await visibleTactic(tx, teamId, tacticId);
        if (!t) return { ok: false, reason: 'not_found' };
        await tx.tactics.insertReport(t.id, codeFor(teamId, userId, population), 'me_too', day);
        return {
          ok: true,
          text: t.displayText,
          publish,
          crowds: crowdStatus(population),
          tactic: summary(t, await reportersOf(tx, t.id, await through(tx, teamId))),
        };
      });
      if (result.ok) await reorder(teamId, 'write');
      return result;
    },

    /** Every published, visible tactic, most-supported first (ties in random-id order, unrelated to arrival). */
    async listTactics(teamId: string): Promise<ListedTactic[]> {
      const day = await through(repos, teamId);
      const rows = await repos.tactics.listVisibleTactics(teamId, day);
      const listed = await Promise.all(rows.map(async (t) => summary(t, await reportersOf(repos, t.id, day))));
      return listed.sort((a, b) => b.reporters - a.reporters);
    },

    /**
     * What the digest may show: published tactics with at least `minReports` crowds (with up to
     * `reasonsPerTactic` published reasons each), and how many fell short (counted, never named).
     */
    async digestTactics(teamId: string, minReports: number, reasonsPerTactic = 3): Promise<DigestTactics> {
      const day = await through(repos, teamId);
      const all = await service.listTactics(teamId);
      const shown = await Promise.all(
        all
          .filter((t) => t.reporters >= minReports)
          .map(async (t) => ({
            ...t,
            reasons: (await repos.tactics.listReasons(t.id, day, reasonsPerTactic)).map((r: TacticReason) => ({
              why: r.why,
              instead: r.instead,
            })),
          })),
      );
      return { shown, belowThresholdCount: all.length - shown.length, minReports };
    },

    /**
     * Publishes everything waiting for `day` or earlier (the daily `publish` job), and erases
     * allowance rows of past weeks. Returns what became visible.
     */
    async publish(teamId: string, day: string): Promise<{ reports: number; reasons: number }> {
      const counts = await storage.transaction(async (tx) => {
        const before = await tx.tactics.countPending(teamId, await through(tx, teamId));
        await tx.tactics.updatePublishedThrough(teamId, day);
        const after = await tx.tactics.countPending(teamId, day);
        return { reports: before.reports - after.reports, reasons: before.reasons - after.reasons };
      });
      // The publish rewrote the anonymous rows (on PostgreSQL, to share one transaction id): lay them out in key
      // order, so that where a row sits says nothing about when it came, and drop the old versions.
      if (!(await reorder(teamId, 'publish')) && counts.reports + counts.reasons > 0) await storage.eraseCheckpoint();
      await service.pruneQuota(teamId);
      return counts;
    },

    /** Erases allowance rows of weeks before this one (deleting is erasing). */
    async pruneQuota(teamId: string): Promise<void> {
      const { week } = await arrival(repos, teamId, await tz(teamId));
      if ((await repos.tactics.deleteQuotaBefore(teamId, week)) > 0) await storage.eraseCheckpoint();
    },

    /**
     * Records leadership's decision on a tactic the digest shows (visible, at the threshold), and
     * audits who decided (a VP or admin, never a rep). Permission is the caller's to check.
     */
    async decide(
      teamId: string,
      tacticId: number,
      decision: TacticDecision,
      p: { actorId: string; minReports: number },
    ): Promise<DecideResult> {
      const zone = await tz(teamId);
      return storage.transaction(async (tx): Promise<DecideResult> => {
        const t = await visibleTactic(tx, teamId, tacticId);
        if (!t) return { ok: false, reason: 'not_found' };
        const reporters = await reportersOf(tx, t.id, await through(tx, teamId));
        if (reporters < p.minReports) return { ok: false, reason: 'below_threshold' };
        const changed = t.decision !== decision;
        if (changed) {
          await tx.tactics.updateDecision(teamId, t.id, decision, (await arrival(tx, teamId, zone)).week);
          await tx.audit.insertAuditEntry({
            teamId,
            actorId: p.actorId,
            action: 'tactics.decide',
            detail: `tactic ${t.id}: ${decision}`,
            at: clock.now(),
          });
        }
        return { ok: true, tactic: summary((await tx.tactics.findTactic(teamId, t.id)) as TacticRow, reporters), changed };
      });
    },

    /**
     * `/gemba admin tactics hide <id>`: hides an abusive tactic, erases its reports and reasons
     * (deleting is erasing), and writes an audit entry naming the admin. A hidden tactic cannot be
     * flagged or me-too'd again.
     */
    async hideTactic(teamId: string, tacticId: number, actorId: string): Promise<HideResult> {
      const zone = await tz(teamId);
      const result = await storage.transaction(async (tx): Promise<HideResult> => {
        const t = Number.isSafeInteger(tacticId) && tacticId > 0 ? await tx.tactics.findTactic(teamId, tacticId) : undefined;
        if (!t) return { ok: false, reason: 'not_found' };
        if (t.hidden) return { ok: false, reason: 'already_hidden' };
        await tx.tactics.hideAndErase(teamId, t.id, (await arrival(tx, teamId, zone)).week, {
          displayText: HIDDEN_TACTIC_TEXT,
          tacticKey: hiddenKeyOf(t.tacticKey),
        });
        await tx.audit.insertAuditEntry({ teamId, actorId, action: 'tactics.hide', detail: `tactic ${t.id}`, at: clock.now() });
        return { ok: true, tactic: summary((await tx.tactics.findTactic(teamId, t.id)) as TacticRow, 0) };
      });
      if (result.ok) {
        await storage.eraseCheckpoint();
        logger.info({ teamId, tacticId, actorId }, 'tactic hidden by an admin');
      }
      return result;
    },
  };
  return service;
}

export type TacticService = ReturnType<typeof createTacticService>;
