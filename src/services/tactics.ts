import { createHmac, randomBytes } from 'node:crypto';
import type { Repos } from '../db/repos/index.js';
import type { TacticDecision, TacticReason, TacticRow } from '../db/repos/tactics.js';
import type { Storage } from '../db/storage.js';
import type { Clock } from '../lib/clock.js';
import { present } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import { stripControlChars } from '../lib/slack-text.js';
import { isoWeekKey, localDate } from '../lib/time.js';
import type { SettingsService } from './settings.js';

export type { TacticDecision } from '../db/repos/tactics.js';

/** PRODUCT.md "Anonymity": text limits and the weekly flag allowance per rep. */
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

/** A tactic as reps and leadership see it: wording, how many distinct reps, leadership's decision. */
export interface TacticSummary {
  id: number;
  text: string;
  reporters: number;
  createdWeek: string;
  decision: TacticDecision | null;
  decidedWeek: string | null;
}

/** A tactic in `/flag-tactic list`; `mine` is true when the viewer already counts behind it. */
export interface ListedTactic extends TacticSummary {
  mine: boolean;
}

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

export type FlagResult =
  | { ok: true; status: 'flagged' | 'joined'; tactic: TacticSummary; flagsLeft: number; week: string }
  | { ok: true; status: 'already'; tactic: TacticSummary; flagsLeft: number; week: string }
  | { ok: false; reason: 'invalid'; problem: TacticProblem }
  | { ok: false; reason: 'rate_limited'; limit: number }
  | { ok: false; reason: 'hidden' };

export type MeTooResult = { ok: true; status: 'added' | 'already'; tactic: TacticSummary } | { ok: false; reason: 'not_found' };

export type DecideResult = { ok: true; tactic: TacticSummary; changed: boolean } | { ok: false; reason: 'not_found' | 'below_threshold' };

export type HideResult = { ok: true; tactic: TacticSummary } | { ok: false; reason: 'not_found' | 'already_hidden' };

const chars = (s: string): number => Array.from(s).length;

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

/**
 * Turns Slack's markup in slash-command text into plain words, so a mention's id is never stored:
 * `<@U123|dana>` → "@dana", `<@U123>` → "@someone", `<#C1|sales>` → "#sales", `<!here>` → "@here",
 * `<!subteam^S1|@ae>` → "@ae", `<https://x.io|x>` → "x". Then decodes `&amp;`, `&lt;`, `&gt;`.
 */
export function plainFromSlackText(text: string): string {
  const plainMarkup = text.replace(/<([^<>]*)>/g, (_m, inner: string) => {
    const bar = inner.indexOf('|');
    const target = bar === -1 ? inner : inner.slice(0, bar);
    const label = bar === -1 ? '' : inner.slice(bar + 1);
    if (target.startsWith('@')) return label ? `@${label.replace(/^@/, '')}` : '@someone';
    if (target.startsWith('#')) return label ? `#${label.replace(/^#/, '')}` : '#channel';
    if (target.startsWith('!subteam')) return label ? `@${label.replace(/^@/, '')}` : '@group';
    if (target.startsWith('!date')) return label;
    if (target.startsWith('!')) return `@${target.slice(1)}`;
    return label || target;
  });
  return plainMarkup.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

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
  if (chars(tactic) < L.tacticMin)
    return fail('tactic_too_short', 'tactic', `A tactic needs at least ${L.tacticMin} characters; "${tactic}" has ${chars(tactic)}.`);
  if (chars(tactic) > L.tacticMax) {
    return fail(
      'tactic_too_long',
      'tactic',
      `A tactic can be at most ${L.tacticMax} characters; yours has ${chars(tactic)}. Name it briefly and put the details in the reason.`,
    );
  }
  if (normalizeTactic(tactic) === '')
    return fail('tactic_no_words', 'tactic', 'A tactic needs some letters or numbers, e.g. "cold calling".');
  if (why !== null && chars(why) > L.whyMax)
    return fail('why_too_long', 'why', `The reason can be at most ${L.whyMax} characters; yours has ${chars(why)}.`);
  if (instead !== null && chars(instead) > L.insteadMax) {
    return fail(
      'instead_too_long',
      'instead',
      `"What buyers want instead" can be at most ${L.insteadMax} characters; yours has ${chars(instead)}.`,
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

const summary = (t: TacticRow): TacticSummary => ({
  id: t.id,
  text: t.displayText,
  reporters: t.reporters,
  createdWeek: t.createdWeek,
  decision: t.decision,
  decidedWeek: t.decidedWeek,
});

interface Deps {
  storage: Storage;
  clock: Clock;
  settings: SettingsService;
  /** ANONYMITY_KEY: keys every hash; never written to the database or the log. */
  anonymityKey: string;
  logger: Logger;
}

/**
 * Anonymous tactic flags. User ids come in as arguments and leave only as keyed hashes; no method
 * stores, logs or returns one, and nothing here touches profiles, managers or Slack.
 */
export function createTacticService({ storage, clock, settings, anonymityKey, logger }: Deps) {
  const { repos } = storage;
  const hmac = (input: string): string => createHmac('sha256', anonymityKey).update(input).digest('hex');
  /** Who already counts behind one tactic; differs per tactic so hashes cannot be joined. */
  const tacticHash = (teamId: string, tacticId: number, userId: string) => hmac(`tactic:${teamId}:${tacticId}:${userId}`);
  /** The weekly flag allowance; differs per week so weeks cannot be joined. */
  const quotaHash = (teamId: string, week: string, userId: string) => hmac(`quota:${teamId}:${week}:${userId}`);
  /** This ISO week in the team's timezone (not the rep's: nothing about them is looked up). */
  const weekOf = async (teamId: string): Promise<string> => isoWeekKey(localDate(clock.now(), (await settings.forTeam(teamId)).timezone));
  const visibleTactic = async (r: Repos, teamId: string, id: number): Promise<TacticRow | undefined> => {
    const t = Number.isSafeInteger(id) && id > 0 ? await r.tactics.findTactic(teamId, id) : undefined;
    return t && !t.hidden ? t : undefined;
  };

  const service = {
    /** Flags left this week for a rep. */
    async flagsLeft(teamId: string, userId: string): Promise<number> {
      const week = await weekOf(teamId);
      return Math.max(0, TACTIC_LIMITS.flagsPerWeek - (await repos.tactics.countQuota(week, quotaHash(teamId, week, userId))));
    },

    /**
     * Flags a tactic: validates, groups on the normalised wording, counts the rep once per tactic
     * and once against their weekly allowance, and stores the reason without any link to them.
     * Re-flagging a tactic the rep already counts behind stores nothing and uses no allowance.
     */
    async flagTactic(
      teamId: string,
      userId: string,
      raw: { tactic: string | null; why?: string | null; instead?: string | null },
    ): Promise<FlagResult> {
      const valid = validateTacticInput(raw);
      if (!valid.ok) return { ok: false, reason: 'invalid', problem: valid.problem };
      const { tactic, why, instead } = valid.input;
      const key = normalizeTactic(tactic);
      const week = await weekOf(teamId);
      const qHash = quotaHash(teamId, week, userId);
      return storage.transaction(async (tx): Promise<FlagResult> => {
        const used = await tx.tactics.countQuota(week, qHash);
        const existing = await tx.tactics.findTacticByKey(teamId, key);
        if (existing?.hidden) return { ok: false, reason: 'hidden' };
        if (existing && (await tx.tactics.hasReport(existing.id, tacticHash(teamId, existing.id, userId)))) {
          return {
            ok: true,
            status: 'already',
            tactic: summary(existing),
            flagsLeft: Math.max(0, TACTIC_LIMITS.flagsPerWeek - used),
            week,
          };
        }
        if (used >= TACTIC_LIMITS.flagsPerWeek) return { ok: false, reason: 'rate_limited', limit: TACTIC_LIMITS.flagsPerWeek };
        const id = existing?.id ?? (await tx.tactics.insertTactic({ teamId, tacticKey: key, displayText: tactic, week }));
        await tx.tactics.insertReport(id, tacticHash(teamId, id, userId), 'flag', week);
        if (why !== null || instead !== null) await tx.tactics.insertReason(randomBytes(16).toString('hex'), id, why, instead, week);
        await tx.tactics.deleteQuotaBefore(week);
        await tx.tactics.incrementQuota(week, qHash);
        return {
          ok: true,
          status: existing ? 'joined' : 'flagged',
          tactic: summary(present(await tx.tactics.findTactic(teamId, id), 'the tactic')),
          flagsLeft: TACTIC_LIMITS.flagsPerWeek - used - 1,
          week,
        };
      });
    },

    /** An anonymous "me too": counts the rep behind a visible tactic once; uses no flag allowance. */
    async meToo(teamId: string, userId: string, tacticId: number): Promise<MeTooResult> {
      const week = await weekOf(teamId);
      return storage.transaction(async (tx): Promise<MeTooResult> => {
        const t = await visibleTactic(tx, teamId, tacticId);
        if (!t) return { ok: false, reason: 'not_found' };
        const added = await tx.tactics.insertReport(t.id, tacticHash(teamId, t.id, userId), 'me_too', week);
        return {
          ok: true,
          status: added ? 'added' : 'already',
          tactic: summary(present(await tx.tactics.findTactic(teamId, t.id), 'the tactic')),
        };
      });
    },

    /** Every visible tactic, most-supported first, marking the ones the viewer already counts behind. */
    async listTactics(teamId: string, viewerId?: string): Promise<ListedTactic[]> {
      const listed: ListedTactic[] = [];
      for (const t of await repos.tactics.listVisibleTactics(teamId)) {
        const mine = viewerId !== undefined && (await repos.tactics.hasReport(t.id, tacticHash(teamId, t.id, viewerId)));
        listed.push({ ...summary(t), mine });
      }
      return listed;
    },

    /**
     * What the digest may show: visible tactics with at least `minReports` distinct reps (with up
     * to `reasonsPerTactic` reasons each), and how many fell short (counted, never named).
     */
    async digestTactics(teamId: string, minReports: number, reasonsPerTactic = 3): Promise<DigestTactics> {
      const all = await repos.tactics.listVisibleTactics(teamId);
      const shown: DigestTactics['shown'] = [];
      for (const t of all.filter((x) => x.reporters >= minReports)) {
        const reasons = (await repos.tactics.listReasons(t.id, reasonsPerTactic)).map((r: TacticReason) => ({
          why: r.why,
          instead: r.instead,
        }));
        shown.push({ ...summary(t), reasons });
      }
      return { shown, belowThresholdCount: all.length - shown.length, minReports };
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
      const week = await weekOf(teamId);
      return storage.transaction(async (tx): Promise<DecideResult> => {
        const t = await visibleTactic(tx, teamId, tacticId);
        if (!t) return { ok: false, reason: 'not_found' };
        if (t.reporters < p.minReports) return { ok: false, reason: 'below_threshold' };
        const changed = t.decision !== decision;
        if (changed) {
          await tx.tactics.updateDecision(teamId, t.id, decision, week);
          await tx.audit.insertAuditEntry({
            teamId,
            actorId: p.actorId,
            action: 'tactics.decide',
            detail: `tactic ${t.id}: ${decision}`,
            at: clock.now(),
          });
        }
        return { ok: true, tactic: summary(present(await tx.tactics.findTactic(teamId, t.id), 'the tactic')), changed };
      });
    },

    /**
     * `/gemba admin tactics hide <id>`: hides an abusive tactic from the list and the digest and
     * writes an audit entry naming the admin. Hidden tactics cannot be flagged or me-too'd again.
     */
    async hideTactic(teamId: string, tacticId: number, actorId: string): Promise<HideResult> {
      const week = await weekOf(teamId);
      const result = await storage.transaction(async (tx): Promise<HideResult> => {
        const t = Number.isSafeInteger(tacticId) && tacticId > 0 ? await tx.tactics.findTactic(teamId, tacticId) : undefined;
        if (!t) return { ok: false, reason: 'not_found' };
        if (t.hidden) return { ok: false, reason: 'already_hidden' };
        await tx.tactics.updateHidden(teamId, t.id, week);
        await tx.audit.insertAuditEntry({ teamId, actorId, action: 'tactics.hide', detail: `tactic ${t.id}`, at: clock.now() });
        return { ok: true, tactic: summary(present(await tx.tactics.findTactic(teamId, t.id), 'the tactic')) };
      });
      if (result.ok) logger.info({ teamId, tacticId, actorId }, 'tactic hidden by an admin');
      return result;
    },
  };
  return service;
}

export type TacticService = ReturnType<typeof createTacticService>;
