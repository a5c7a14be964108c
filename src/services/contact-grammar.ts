/**
 * The `/contact` one-liner grammar (see PRODUCT.md, "/contact"):
 *
 *   <account> [with <buyer>] [via <kind>] [<N>m|<N>h] [on <date>|today|yesterday|<weekday>] [: <insight>]
 *
 * Pure: no clock, no I/O. The caller supplies "today" as the manager's local date.
 * Sub-commands (`list`, `help`) and the empty text (modal) are the handler's concern.
 *
 * Decisions (beyond the spec):
 * - The text before the FIRST ':' holds the account and options; everything after it is the
 *   insight (trimmed, internal line breaks kept; empty → null). A colon inside Slack's markup (an
 *   auto-linked domain `<http://acme.io|acme.io>`, a mention) does not count.
 * - Slack's markup (links, mentions) is kept as typed, like any text: it is stored so and shown escaped.
 * - The first word always belongs to the account, even when it looks like an option
 *   ("Sunday Brewing", "Today Show", "3M", "Via Rail"), except `with`, which as the first
 *   word means the account is missing, and so does a date word standing alone as the account
 *   ("yesterday with Dana", "today: …", "2026-11-20", "on 2026-11-20"): that is a line without its
 *   account. A lone weekday stays an account name ("Monday: renewal"), as does "On 2 Wheels".
 * - After the first word, these words start an option (case-insensitive): `with`, `via`,
 *   `today`, `yesterday`, a weekday name (`mon`…`sun`, `monday`…`sunday`), a `YYYY-MM-DD`
 *   date, a whole-token duration (`30m`, `45min`, `1h`, `1.5h`; also `mins`, `hr`, `hrs`), and
 *   `on` — but `on` only when the next word looks like a date (contains a digit, or is today /
 *   yesterday / tomorrow / a weekday), so "Hands on Learning" stays an account name. A date
 *   without `on` is read as one, like `yesterday`: "Initech 2026-11-20" is not an account named
 *   so, logged today. A bare `tomorrow` stays part of the name ("Bank of Tomorrow").
 * - Once options have started, words that are not part of an option (or of the buyer) are an
 *   error (`text_unexpected`) rather than being silently dropped or glued to the account.
 * - The buyer runs from `with` to the next option word; its text is kept verbatim apart from
 *   collapsing runs of whitespace. A weekday name ends the buyer (so "with Sunday Adelaja"
 *   is read as a date) — a known limit of the one-liner; the modal has no such ambiguity.
 * - `on tomorrow` and future ISO dates are refused with `date_future`.
 * - A duration must come to a whole number of minutes (`1.5h` = 90 is fine, `1.33h` is not).
 * - Lengths are counted in Unicode code points (an emoji counts as one character).
 * - Slack's HTML escaping (`&amp;`, `&lt;`, `&gt;`) is NOT undone here; the handler decides.
 * - Control characters other than tab and line breaks are dropped first: they are invisible, and
 *   SQLite counts a string only up to a NUL, so "\u0000" alone would pass here but fail the
 *   database's length check (found by test/properties/commands-e2e.test.ts). See stripControlChars.
 */

import { CONTACT_KINDS, type ContactKind } from '../db/repos/contacts.js';
import { charCount, firstChars, stripControlChars } from '../lib/slack-text.js';
import { addDays, daysBetween, isRealDate, weekdayOf } from '../lib/time.js';

export { CONTACT_KINDS, type ContactKind };

export type ContactDraft = {
  account: string;
  buyer: string | null;
  kind: ContactKind;
  durationMin: number | null;
  occurredOn: string;
  insight: string | null;
};

export type GrammarError = { code: string; message: string; example: string };

export type ContactParseResult = { ok: true; draft: ContactDraft } | { ok: false; error: GrammarError };

/** Field limits shared by the one-liner and the modal. */
export const CONTACT_LIMITS = {
  accountMax: 120,
  buyerMax: 120,
  insightMax: 2000,
  durationMin: 1,
  durationMax: 600,
  maxDaysBack: 30,
} as const;

/** Input accepted by validateContactDraft (the modal may hand over any kind string). */
export type ContactDraftInput = {
  account: string;
  buyer: string | null;
  kind: string;
  durationMin: number | null;
  occurredOn: string;
  insight: string | null;
};

const FULL_EXAMPLE = '/contact Acme Corp with Dana Lee via video 30m yesterday: wants ROI proof';
const KIND_LIST = CONTACT_KINDS.join(', ');

const WEEKDAYS: ReadonlyMap<string, number> = new Map([
  ['mon', 1],
  ['monday', 1],
  ['tue', 2],
  ['tuesday', 2],
  ['wed', 3],
  ['wednesday', 3],
  ['thu', 4],
  ['thursday', 4],
  ['fri', 5],
  ['friday', 5],
  ['sat', 6],
  ['saturday', 6],
  ['sun', 7],
  ['sunday', 7],
]);

const DURATION_RE = /^(\d+)(?:\.(\d+))?(m|min|mins|h|hr|hrs)$/i;
const ISO_DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;

/** Quotes user text for an error message, shortened so a huge token can't flood the reply. */
function quote(s: string): string {
  return JSON.stringify(charCount(s) > 40 ? `${firstChars(s, 39)}…` : s);
}

/** Builds a GrammarError. */
function err(code: string, message: string, example: string = FULL_EXAMPLE): GrammarError {
  return { code, message, example };
}

/** True when minutes is a whole number inside the allowed duration range. */
function durationInRange(minutes: number): boolean {
  return Number.isInteger(minutes) && minutes >= CONTACT_LIMITS.durationMin && minutes <= CONTACT_LIMITS.durationMax;
}

/** The duration_invalid error, naming what the user gave. */
function durationError(given: string): GrammarError {
  return err(
    'duration_invalid',
    `Duration must be between ${CONTACT_LIMITS.durationMin} and ${CONTACT_LIMITS.durationMax} minutes (you gave ${given}).`,
    '/contact Acme Corp 45m',
  );
}

/** A correct example using an explicit date that is valid relative to today. */
function dateExample(today: string): string {
  return `/contact Acme Corp on ${addDays(today, -1)}`;
}

/**
 * Checks a contact's fields against the shared limits; returns the first problem or null (the
 * one-liner answers one problem at a time). Callers should pass trimmed text and null (not '')
 * for an empty optional buyer / insight.
 */
export function validateContactDraft(d: ContactDraftInput, today: string): GrammarError | null {
  return contactDraftProblems(d, today)[0] ?? null;
}

/**
 * Every problem of a contact's fields, at most one per field, in field order (account, buyer, kind,
 * duration, date, insight): the modal shows them all inline at once.
 */
export function contactDraftProblems(d: ContactDraftInput, today: string): GrammarError[] {
  if (!isRealDate(today)) throw new RangeError(`today must be a real YYYY-MM-DD date: ${String(today)}`);
  return [accountProblem(d), buyerProblem(d), kindProblem(d), durationProblem(d), dateProblem(d, today), insightProblem(d)].filter(
    (p): p is GrammarError => p !== null,
  );
}

/** Whitespace and invisible format characters (zero-width space and joiners, bidi marks, soft hyphen). */
const INVISIBLE = /[\s\p{Cf}]/gu;

/** True when text shows nothing: a name of only zero-width or bidi characters is no name. */
const isBlank = (text: string): boolean => text.replace(INVISIBLE, '') === '';

function accountProblem(d: ContactDraftInput): GrammarError | null {
  const account = typeof d.account === 'string' ? d.account.trim() : '';
  if (isBlank(account)) {
    return err('account_missing', "I couldn't find an account name. Start with the account.", '/contact Acme Corp');
  }
  const accountLen = charCount(account);
  if (accountLen > CONTACT_LIMITS.accountMax) {
    return err('account_too_long', `Account is ${accountLen} characters; the limit is ${CONTACT_LIMITS.accountMax}.`, '/contact Acme Corp');
  }
  return null;
}

function buyerProblem(d: ContactDraftInput): GrammarError | null {
  if (d.buyer !== null) {
    const buyer = typeof d.buyer === 'string' ? d.buyer.trim() : '';
    if (isBlank(buyer)) {
      return err('buyer_missing', 'Who did you talk to? Put a name after "with".', '/contact Acme Corp with Dana Lee (CFO)');
    }
    const buyerLen = charCount(buyer);
    if (buyerLen > CONTACT_LIMITS.buyerMax) {
      return err(
        'buyer_too_long',
        `Buyer is ${buyerLen} characters; the limit is ${CONTACT_LIMITS.buyerMax}.`,
        '/contact Acme Corp with Dana Lee (CFO)',
      );
    }
  }
  return null;
}

function kindProblem(d: ContactDraftInput): GrammarError | null {
  if (!(CONTACT_KINDS as readonly string[]).includes(d.kind)) {
    return err('kind_unknown', `${quote(String(d.kind))} isn't a kind I know. Use one of: ${KIND_LIST}.`, '/contact Acme Corp via video');
  }
  return null;
}

function durationProblem(d: ContactDraftInput): GrammarError | null {
  if (d.durationMin !== null && !durationInRange(d.durationMin)) {
    return durationError(`${String(d.durationMin)}m`);
  }
  return null;
}

function dateProblem(d: ContactDraftInput, today: string): GrammarError | null {
  if (!isRealDate(d.occurredOn)) {
    const message = ISO_DATE_SHAPE.test(String(d.occurredOn))
      ? `The date ${d.occurredOn} doesn't exist.`
      : `${quote(String(d.occurredOn))} isn't a date I understand. Use YYYY-MM-DD, today, yesterday or a weekday.`;
    return err('date_invalid', message, dateExample(today));
  }
  // Example (today = 2026-11-26): 2026-11-27 → −1 → future; 2026-10-27 → 30 → allowed;
  // 2026-10-26 → 31 → too old.
  const back = daysBetween(d.occurredOn, today);
  if (back < 0) return err('date_future', 'That date is in the future.', dateExample(today));
  if (back > CONTACT_LIMITS.maxDaysBack) {
    return err(
      'date_too_old',
      `That's more than ${CONTACT_LIMITS.maxDaysBack} days back; Gemba only takes the last ${CONTACT_LIMITS.maxDaysBack} days.`,
      dateExample(today),
    );
  }
  return null;
}

function insightProblem(d: ContactDraftInput): GrammarError | null {
  if (d.insight !== null) {
    const insightLen = charCount(typeof d.insight === 'string' ? d.insight : '');
    if (insightLen > CONTACT_LIMITS.insightMax) {
      return err(
        'insight_too_long',
        `The insight is ${insightLen} characters; the limit is ${CONTACT_LIMITS.insightMax}.`,
        '/contact Acme Corp: wants ROI proof before renewal',
      );
    }
  }
  return null;
}

/** True when a word (lower-cased) could be the date after `on`. */
function looksLikeDate(word: string | undefined): boolean {
  if (word === undefined) return false;
  const w = word.toLowerCase();
  return /\d/.test(w) || w === 'today' || w === 'yesterday' || w === 'tomorrow' || WEEKDAYS.has(w);
}

/**
 * True when a word (lower-cased) is a date on its own, without `on`: today, yesterday, a weekday, or
 * YYYY-MM-DD. Not `tomorrow`: "Bank of Tomorrow" is an account (`on tomorrow` is refused as future).
 */
function isBareDate(w: string): boolean {
  return w === 'today' || w === 'yesterday' || WEEKDAYS.has(w) || ISO_DATE_SHAPE.test(w);
}

/** True for a word that can only be a date: today, yesterday or YYYY-MM-DD (not a weekday, which may be a name). */
function isDateOnlyWord(w: string): boolean {
  return w === 'today' || w === 'yesterday' || ISO_DATE_SHAPE.test(w);
}

/** True when tokens[i] begins an option (only meaningful after the first account word). */
function startsOption(tokens: readonly string[], i: number): boolean {
  const w = (tokens[i] ?? '').toLowerCase();
  if (w === 'with' || w === 'via' || isBareDate(w) || DURATION_RE.test(w)) return true;
  return w === 'on' && looksLikeDate(tokens[i + 1]);
}

/**
 * Resolves a date word relative to today; null when the word isn't a date at all.
 * Weekdays mean the most recent such day, today included.
 * Example (today = Thu 2026-11-26): 'thu' → 2026-11-26, 'mon' → 2026-11-23, 'fri' → 2026-11-20.
 */
function resolveDateWord(word: string, today: string): string | null {
  const w = word.toLowerCase();
  if (w === 'today') return today;
  if (w === 'yesterday') return addDays(today, -1);
  if (w === 'tomorrow') return addDays(today, 1);
  const wd = WEEKDAYS.get(w);
  if (wd !== undefined) return addDays(today, -((weekdayOf(today) - wd + 7) % 7));
  if (ISO_DATE_SHAPE.test(w)) return w; // may still be impossible; validation says so
  return null;
}

/**
 * Minutes for a duration token (`30m`, `45min`, `1h`, `1.5h`; also `mins`, `hr`, `hrs`, any case),
 * or null if it isn't one or isn't a whole number of minutes. The 1–600 range is NOT checked here.
 * Example: '1.5h' → 90, '45min' → 45, '2h' → 120, '0m' → 0, '11h' → 660, '1.33h' → null, '30' → null.
 */
export function parseDurationToken(token: string): number | null {
  const m = DURATION_RE.exec(typeof token === 'string' ? token.trim() : '');
  if (m === null) return null;
  const whole = m[1] ?? '0';
  const frac = m[2] ?? '';
  const perUnit = (m[3] ?? 'm').toLowerCase().startsWith('h') ? 60n : 1n;
  const scale = 10n ** BigInt(frac.length);
  const numerator = BigInt(whole + frac) * perUnit;
  if (numerator % scale !== 0n) return null;
  return Number(numerator / scale); // inexact only for absurd values, which are out of range anyway
}

/** Slack's markup in command text: a link (`<http://acme.io|acme.io>`, `<mailto:…>`, `<tel:…>`: every scheme) or a mention (`<@U1|x>`, `<#C1>`, `<!here>`). */
const SLACK_MARKUP = /<(?:[a-z][a-z0-9+.-]*:|[@#!])[^<>]*>/gi;

/**
 * Index of the first ':' that is not inside Slack's markup, or -1: a domain Slack auto-linked
 * (`<http://acme.io|acme.io>`) is part of the account, not the start of the insight.
 * Example: '<http://acme.io|acme.io>: renewal' → 24; 'Acme: see <http://x|y>' → 4.
 */
export function firstColonOutsideMarkup(text: string): number {
  let from = 0;
  for (const m of text.matchAll(SLACK_MARKUP)) {
    const before = text.indexOf(':', from);
    if (before !== -1 && before < m.index) return before;
    from = m.index + m[0].length;
  }
  return text.indexOf(':', from);
}

/** Parses the text after `/contact` into a draft, or explains what is wrong. */
export function parseContactText(text: string, today: string): ContactParseResult {
  if (!isRealDate(today)) throw new RangeError(`today must be a real YYYY-MM-DD date: ${String(today)}`);
  const fail = (error: GrammarError): ContactParseResult => ({ ok: false, error });

  const raw = stripControlChars(typeof text === 'string' ? text : '');
  const colon = firstColonOutsideMarkup(raw);
  const head = colon === -1 ? raw : raw.slice(0, colon);
  const insightText = colon === -1 ? '' : raw.slice(colon + 1).trim();
  const tokens = head.split(/\s+/).filter((t) => t !== '');

  const first = tokens[0];
  // "via video …" with no account before it is a missing account, not an account named "via";
  // "Via Rail" stays an account because "rail" is not a kind.
  const startsWithKind = first?.toLowerCase() === 'via' && (CONTACT_KINDS as readonly string[]).includes((tokens[1] ?? '').toLowerCase());
  if (first === undefined || first.toLowerCase() === 'with' || startsWithKind) {
    return fail(err('account_missing', "I couldn't find an account name. Start with the account.", '/contact Acme Corp'));
  }

  let i = 1;
  while (i < tokens.length && !startsOption(tokens, i)) i += 1;
  const account = tokens.slice(0, i).join(' ');
  // A lone today / yesterday / YYYY-MM-DD, or "on" and a date, is the date of a line whose account was left
  // out ("yesterday with Dana", "on 2026-11-20", "today: wants ROI proof"). Weekday names stay accounts
  // ("Monday: renewal" may be monday.com), and so does "On 2 Wheels".
  const lone = first.toLowerCase();
  const next = (tokens[1] ?? '').toLowerCase();
  if ((i === 1 && isDateOnlyWord(lone)) || (lone === 'on' && (isBareDate(next) || next === 'tomorrow'))) {
    return fail(
      err(
        'account_missing',
        `I couldn't find an account name: ${quote(first)} reads as the date. Start with the account.`,
        '/contact Acme Corp yesterday',
      ),
    );
  }

  let buyer: string | null = null;
  let kind: ContactKind | null = null;
  let durationMin: number | null = null;
  let occurredOn: string | null = null;
  const given: { buyer?: string; kind?: string; duration?: string; date?: string } = {};

  const repeated = (what: string, before: string, now: string): ContactParseResult =>
    fail(err('option_repeated', `You gave ${what} twice (${quote(before)} and ${quote(now)}); give it once.`));

  while (i < tokens.length) {
    const tok = tokens[i] ?? '';
    const w = tok.toLowerCase();

    if (w === 'with') {
      let j = i + 1;
      while (j < tokens.length && !startsOption(tokens, j)) j += 1;
      const name = tokens.slice(i + 1, j).join(' ');
      const src = tokens.slice(i, j).join(' ');
      if (given.buyer !== undefined) return repeated('the buyer', given.buyer, src);
      if (name === '') {
        return fail(err('buyer_missing', 'Who did you talk to? Put a name after "with".', '/contact Acme Corp with Dana Lee (CFO)'));
      }
      given.buyer = src;
      buyer = name;
      i = j;
    } else if (w === 'via') {
      const next = tokens[i + 1];
      const src = next === undefined ? tok : `${tok} ${next}`;
      if (given.kind !== undefined) return repeated('the kind', given.kind, src);
      if (next === undefined) {
        return fail(err('kind_unknown', `"via" needs a kind after it. Use one of: ${KIND_LIST}.`, '/contact Acme Corp via video'));
      }
      const k = CONTACT_KINDS.find((c) => c === next.toLowerCase());
      if (k === undefined) {
        return fail(err('kind_unknown', `${quote(next)} isn't a kind I know. Use one of: ${KIND_LIST}.`, '/contact Acme Corp via video'));
      }
      given.kind = src;
      kind = k;
      i += 2;
    } else if (DURATION_RE.test(w)) {
      if (given.duration !== undefined) return repeated('the duration', given.duration, tok);
      const minutes = parseDurationToken(tok);
      if (minutes === null || !durationInRange(minutes)) return fail(durationError(tok));
      given.duration = tok;
      durationMin = minutes;
      i += 1;
    } else if (w === 'on' || isBareDate(w)) {
      const isOn = w === 'on';
      const dateWord = isOn ? tokens[i + 1] : tok;
      const src = isOn && dateWord !== undefined ? `${tok} ${dateWord}` : tok;
      if (given.date !== undefined) return repeated('the date', given.date, src);
      if (dateWord === undefined) {
        return fail(err('date_invalid', '"on" needs a date after it: YYYY-MM-DD, today, yesterday or a weekday.', dateExample(today)));
      }
      const resolved = resolveDateWord(dateWord, today);
      if (resolved === null) {
        return fail(
          err(
            'date_invalid',
            `${quote(dateWord)} isn't a date I understand. Use YYYY-MM-DD, today, yesterday or a weekday.`,
            dateExample(today),
          ),
        );
      }
      given.date = src;
      occurredOn = resolved;
      i += isOn ? 2 : 1;
    } else {
      let j = i + 1;
      while (j < tokens.length && !startsOption(tokens, j)) j += 1;
      const stray = tokens.slice(i, j).join(' ');
      return fail(
        err('text_unexpected', `I didn't understand ${quote(stray)}. Put the account first, then the options; notes go after a colon.`),
      );
    }
  }

  const draft: ContactDraft = {
    account,
    buyer,
    kind: kind ?? 'call',
    durationMin,
    occurredOn: occurredOn ?? today,
    insight: insightText === '' ? null : insightText,
  };
  const problem = validateContactDraft(draft, today);
  return problem === null ? { ok: true, draft } : fail(problem);
}
