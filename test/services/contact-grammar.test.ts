import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { addDays, daysBetween, isRealDate } from '../../src/lib/time.js';
import {
  CONTACT_KINDS,
  CONTACT_LIMITS,
  type ContactDraft,
  type ContactParseResult,
  firstColonOutsideMarkup,
  parseContactText,
  parseDurationToken,
  validateContactDraft,
} from '../../src/services/contact-grammar.js';

const TODAY = '2026-11-26'; // a Thursday

const base: ContactDraft = {
  account: 'Acme Corp',
  buyer: null,
  kind: 'call',
  durationMin: null,
  occurredOn: TODAY,
  insight: null,
};
const draft = (over: Partial<ContactDraft>): ContactDraft => ({ ...base, ...over });

/** Number of code points (what the limits count). */
const chars = (s: string): number => Array.from(s).length;

const okRows: Array<[string, ContactDraft]> = [
  // PRODUCT.md examples
  ['Acme Corp', draft({})],
  ['Acme Corp: wants ROI proof before renewal', draft({ insight: 'wants ROI proof before renewal' })],
  [
    'Acme Corp with Dana Lee (CFO) via video 30m yesterday: wants ROI proof',
    draft({ buyer: 'Dana Lee (CFO)', kind: 'video', durationMin: 30, occurredOn: '2026-11-25', insight: 'wants ROI proof' }),
  ],
  ['Initech on 2026-11-20', draft({ account: 'Initech', occurredOn: '2026-11-20' })],

  // weekdays: the most recent such day, today included (today is Thursday 2026-11-26)
  ['Acme Corp thu', draft({ occurredOn: '2026-11-26' })],
  ['Acme Corp Thursday', draft({ occurredOn: '2026-11-26' })],
  ['Acme Corp wed', draft({ occurredOn: '2026-11-25' })],
  ['Acme Corp mon', draft({ occurredOn: '2026-11-23' })],
  ['Acme Corp SUN', draft({ occurredOn: '2026-11-22' })],
  ['Acme Corp sunday', draft({ occurredOn: '2026-11-22' })],
  ['Acme Corp saturday', draft({ occurredOn: '2026-11-21' })],
  ['Acme Corp fri', draft({ occurredOn: '2026-11-20' })],
  ['Acme Corp tuesday', draft({ occurredOn: '2026-11-24' })],
  ['Acme Corp on friday', draft({ occurredOn: '2026-11-20' })],
  ['Acme Corp today', draft({})],
  ['Acme Corp on today', draft({})],
  ['Acme Corp on yesterday', draft({ occurredOn: '2026-11-25' })],
  ['Acme Corp YESTERDAY', draft({ occurredOn: '2026-11-25' })],
  // a date without `on` is a date, not the end of the account name
  ['Initech 2026-11-20', draft({ account: 'Initech', occurredOn: '2026-11-20' })],
  ['Acme Corp with Dana 2026-11-20: met at the expo', draft({ buyer: 'Dana', occurredOn: '2026-11-20', insight: 'met at the expo' })],
  // …but a bare "tomorrow" is part of the name (only "on tomorrow" is a date, refused as future)
  ['Bank of Tomorrow', draft({ account: 'Bank of Tomorrow' })],
  ['Hello Tomorrow with Dana', draft({ account: 'Hello Tomorrow', buyer: 'Dana' })],

  // options in any order, keywords case-insensitive
  [
    'Acme Corp 45min yesterday via meeting with Dana Lee',
    draft({ buyer: 'Dana Lee', kind: 'meeting', durationMin: 45, occurredOn: '2026-11-25' }),
  ],
  ['Acme Corp via visit with Bob on 2026-11-01 1.5h', draft({ buyer: 'Bob', kind: 'visit', durationMin: 90, occurredOn: '2026-11-01' })],
  ['Acme Corp VIA Video WITH Dana 2H Yesterday', draft({ buyer: 'Dana', kind: 'video', durationMin: 120, occurredOn: '2026-11-25' })],
  ['Acme Corp with Dana Lee (CFO)', draft({ buyer: 'Dana Lee (CFO)' })],
  ['Acme Corp with dana lee, VP Ops via other', draft({ buyer: 'dana lee, VP Ops', kind: 'other' })],

  // every kind
  ...CONTACT_KINDS.map((k): [string, ContactDraft] => [`Acme Corp via ${k}`, draft({ kind: k })]),

  // durations
  ['Acme Corp 1h', draft({ durationMin: 60 })],
  ['Acme Corp 2h', draft({ durationMin: 120 })],
  ['Acme Corp 0.5h', draft({ durationMin: 30 })],
  ['Acme Corp 1m', draft({ durationMin: 1 })],
  ['Acme Corp 600m', draft({ durationMin: 600 })],
  ['Acme Corp 10h', draft({ durationMin: 600 })],
  ['Acme Corp 15mins', draft({ durationMin: 15 })],
  ['Acme Corp 1hr', draft({ durationMin: 60 })],

  // the insight: only the first colon splits; trimmed; empty → null
  ['Acme Corp: wants: a demo at 10:30', draft({ insight: 'wants: a demo at 10:30' })],
  [
    'Acme Corp with Dana via video:   pricing is the blocker   ',
    draft({ buyer: 'Dana', kind: 'video', insight: 'pricing is the blocker' }),
  ],
  ['Acme Corp:', draft({})],
  ['Acme Corp:    ', draft({})],
  ['Acme Corp: line one\nline two', draft({ insight: 'line one\nline two' })],

  // whitespace collapses in account and buyer
  ['   Acme    Corp\twith  Dana \u00a0 Lee   ', draft({ buyer: 'Dana Lee' })],

  // first word always belongs to the account; `on` needs a date-looking word
  ['Sunday Brewing', draft({ account: 'Sunday Brewing' })],
  ['Sunday Brewing sunday', draft({ account: 'Sunday Brewing', occurredOn: '2026-11-22' })],
  ['Today Show via video', draft({ account: 'Today Show', kind: 'video' })],
  ['Today Show yesterday', draft({ account: 'Today Show', occurredOn: '2026-11-25' })],
  ['On Running via video', draft({ account: 'On Running', kind: 'video' })],
  ['3M via video', draft({ account: '3M', kind: 'video' })],
  ['Monday: renewal', draft({ account: 'Monday', insight: 'renewal' })],
  ['Friday via video', draft({ account: 'Friday', kind: 'video' })],
  ['On 2 Wheels', draft({ account: 'On 2 Wheels' })],
  ['Via Rail', draft({ account: 'Via Rail' })],
  ['3M 30m', draft({ account: '3M', durationMin: 30 })],
  ['Hands on Learning', draft({ account: 'Hands on Learning' })],
  ['Hands on Learning on mon', draft({ account: 'Hands on Learning', occurredOn: '2026-11-23' })],
  ['Acme B2B Corp', draft({ account: 'Acme B2B Corp' })],

  // date boundaries: exactly 30 days back is allowed
  ['Acme Corp on 2026-10-27', draft({ occurredOn: '2026-10-27' })],
  ['Acme Corp on 2026-11-26', draft({})],

  // length boundaries
  ['a'.repeat(120), draft({ account: 'a'.repeat(120) })],
  ['😀'.repeat(120), draft({ account: '😀'.repeat(120) })],
  [`Acme Corp with ${'b'.repeat(120)}`, draft({ buyer: 'b'.repeat(120) })],
  [`Acme Corp: ${'i'.repeat(2000)}`, draft({ insight: 'i'.repeat(2000) })],
];

const errRows: Array<[string, string, string?]> = [
  ['', 'account_missing', "I couldn't find an account name. Start with the account."],
  ['   ', 'account_missing'],
  // Nothing visible: zero-width spaces, a bidi override, a soft hyphen.
  ['\u200B\u200B: wants ROI proof', 'account_missing'],
  ['\u202E\u00AD', 'account_missing'],
  ['Acme Corp with \u200B\u2060 via video', 'buyer_missing'],
  [': wants ROI proof', 'account_missing'],
  ['with Dana Lee', 'account_missing'],
  ['WITH Dana Lee via video', 'account_missing'],
  // A date word alone where the account goes: the account was left out.
  [
    'yesterday with Dana Lee',
    'account_missing',
    'I couldn\'t find an account name: "yesterday" reads as the date. Start with the account.',
  ],
  ['today: wants ROI proof', 'account_missing'],
  ['2026-11-20', 'account_missing'],
  ['on 2026-11-20', 'account_missing'],
  ['on yesterday with Dana', 'account_missing'],
  ['a'.repeat(121), 'account_too_long', 'Account is 121 characters; the limit is 120.'],
  [`${'a'.repeat(60)} ${'b'.repeat(60)} via video`, 'account_too_long', 'Account is 121 characters; the limit is 120.'],
  ['Acme Corp with', 'buyer_missing'],
  ['Acme Corp with via video', 'buyer_missing'],
  ['Acme Corp with yesterday', 'buyer_missing'],
  [`Acme Corp with ${'b'.repeat(121)}`, 'buyer_too_long', 'Buyer is 121 characters; the limit is 120.'],
  ['Acme Corp via zoom', 'kind_unknown', '"zoom" isn\'t a kind I know. Use one of: call, video, meeting, visit, other.'],
  ['Acme Corp via', 'kind_unknown'],
  ['Acme Corp via 30m', 'kind_unknown'],
  ['Acme Corp 0m', 'duration_invalid', 'Duration must be between 1 and 600 minutes (you gave 0m).'],
  ['Acme Corp 601m', 'duration_invalid', 'Duration must be between 1 and 600 minutes (you gave 601m).'],
  ['Acme Corp 11h', 'duration_invalid', 'Duration must be between 1 and 600 minutes (you gave 11h).'],
  ['Acme Corp 0h', 'duration_invalid'],
  ['Acme Corp 1.33h', 'duration_invalid'],
  ['Acme Corp 1.5m', 'duration_invalid'],
  ['Acme Corp 99999999999999999999999m', 'duration_invalid'],
  ['Acme Corp on 2026-02-30', 'date_invalid', "The date 2026-02-30 doesn't exist."],
  ['Acme Corp on 2026-13-01', 'date_invalid', "The date 2026-13-01 doesn't exist."],
  ['Acme Corp on 20-11-2026', 'date_invalid'],
  ['Acme Corp on 2026-11-2', 'date_invalid'],
  ['Acme Corp via video on', 'date_invalid'],
  ['Acme Corp via video on someday', 'date_invalid'],
  ['Acme Corp on 2026-11-27', 'date_future', 'That date is in the future.'],
  ['Acme Corp on tomorrow', 'date_future', 'That date is in the future.'],
  ['Acme Corp 2026-11-27', 'date_future'],
  ['Acme Corp 2026-02-30', 'date_invalid', "The date 2026-02-30 doesn't exist."],
  ['Acme Corp 2026-10-26', 'date_too_old'],
  ['Acme Corp 2026-11-20 on fri', 'option_repeated'],
  ['Acme Corp on 2027-01-01', 'date_future'],
  ['Acme Corp on 2026-10-26', 'date_too_old', "That's more than 30 days back; Gemba only takes the last 30 days."],
  ['Acme Corp on 2025-11-26', 'date_too_old'],
  ['Acme Corp via video via call', 'option_repeated'],
  ['Acme Corp yesterday today', 'option_repeated'],
  ['Acme Corp on 2026-11-20 mon', 'option_repeated'],
  ['Acme Corp 30m 1h', 'option_repeated'],
  ['Acme Corp with Dana with Bob', 'option_repeated'],
  [`Acme Corp: ${'i'.repeat(2001)}`, 'insight_too_long', 'The insight is 2001 characters; the limit is 2000.'],
  ['Acme Corp via video Corp', 'text_unexpected'],
  ['Acme Corp 30m extra words', 'text_unexpected'],
];

describe('parseContactText — accepted one-liners', () => {
  for (const [input, expected] of okRows) {
    it(JSON.stringify(input.length > 60 ? `${input.slice(0, 57)}...` : input), () => {
      assert.deepEqual(parseContactText(input, TODAY), { ok: true, draft: expected });
    });
  }
});

describe('parseContactText — refused one-liners', () => {
  for (const [input, code, message] of errRows) {
    it(`${code}: ${JSON.stringify(input.length > 60 ? `${input.slice(0, 57)}...` : input)}`, () => {
      const r = parseContactText(input, TODAY);
      assert.equal(r.ok, false, JSON.stringify(r));
      if (r.ok) return;
      assert.equal(r.error.code, code, r.error.message);
      if (message !== undefined) assert.equal(r.error.message, message);
      assert.ok(r.error.message.length > 0);
      assert.ok(r.error.example.startsWith('/contact '), r.error.example);
      // the example offered is itself a command that works today
      const again = parseContactText(r.error.example.slice('/contact '.length), TODAY);
      assert.equal(again.ok, true, `example "${r.error.example}" should parse`);
    });
  }

  it('covers every error code', () => {
    const codes = new Set(errRows.map(([, c]) => c));
    for (const c of [
      'account_missing',
      'account_too_long',
      'buyer_missing',
      'buyer_too_long',
      'kind_unknown',
      'duration_invalid',
      'date_invalid',
      'date_future',
      'date_too_old',
      'option_repeated',
      'insight_too_long',
      'text_unexpected',
    ]) {
      assert.ok(codes.has(c), c);
    }
  });

  it('keeps quoted user text short in messages', () => {
    const r = parseContactText(`Acme Corp via ${'z'.repeat(5000)}`, TODAY);
    assert.equal(r.ok, false);
    if (!r.ok) assert.ok(r.error.message.length < 200, r.error.message);
  });

  it('throws RangeError when the caller passes an invalid today', () => {
    assert.throws(() => parseContactText('Acme Corp', '2026-02-30'), RangeError);
    assert.throws(() => parseContactText('Acme Corp', 'today'), RangeError);
  });
});

describe('parseContactText — relative to today', () => {
  it('resolves weekdays against a Sunday and a Monday today', () => {
    const sun = '2026-11-29';
    const dateOf = (r: ContactParseResult): string => (r.ok ? r.draft.occurredOn : `error ${r.error.code}`);
    assert.equal(dateOf(parseContactText('Acme sun', sun)), '2026-11-29');
    assert.equal(dateOf(parseContactText('Acme mon', sun)), '2026-11-23');
    assert.equal(dateOf(parseContactText('Acme sat', sun)), '2026-11-28');
    const mon = '2026-11-30';
    assert.equal(dateOf(parseContactText('Acme mon', mon)), '2026-11-30');
    assert.equal(dateOf(parseContactText('Acme sun', mon)), '2026-11-29');
    assert.equal(dateOf(parseContactText('Acme tue', mon)), '2026-11-24');
  });

  it('counts 30 days back across a month and year boundary', () => {
    const jan = '2027-01-15';
    assert.equal(parseContactText('Acme on 2026-12-16', jan).ok, true);
    const r = parseContactText('Acme on 2026-12-15', jan);
    assert.equal(r.ok ? 'ok' : r.error.code, 'date_too_old');
    assert.equal(parseContactText('Acme on 2028-02-29', '2028-03-01').ok, true);
  });
});

describe('parseDurationToken', () => {
  it('reads minutes and hours, without range checks', () => {
    const rows: Array<[string, number | null]> = [
      ['30m', 30],
      ['45min', 45],
      ['15mins', 15],
      ['1h', 60],
      ['1.5h', 90],
      ['2H', 120],
      ['1hr', 60],
      ['3hrs', 180],
      ['0.25h', 15],
      [' 30m ', 30],
      ['0m', 0],
      ['11h', 660],
      ['601m', 601],
      ['1.33h', null],
      ['1.5m', null],
      ['30', null],
      ['m', null],
      ['-5m', null],
      ['30 m', null],
      ['1,5h', null],
      ['', null],
    ];
    for (const [token, minutes] of rows) assert.equal(parseDurationToken(token), minutes, token);
  });
});

describe('validateContactDraft (modal input)', () => {
  const good = { account: 'Acme Corp', buyer: 'Dana Lee', kind: 'video', durationMin: 30, occurredOn: '2026-11-25', insight: 'ok' };
  const code = (over: Partial<typeof good> | Record<string, unknown>): string | null =>
    validateContactDraft(
      { ...good, ...over } as typeof good & { buyer: string | null; durationMin: number | null; insight: string | null },
      TODAY,
    )?.code ?? null;

  it('accepts a good draft, with or without optional fields', () => {
    assert.equal(code({}), null);
    assert.equal(code({ buyer: null, durationMin: null, insight: null }), null);
    assert.equal(code({ durationMin: 600, occurredOn: '2026-10-27', account: 'a'.repeat(120) }), null);
  });

  it('applies the same limits as the one-liner', () => {
    assert.equal(code({ account: '' }), 'account_missing');
    assert.equal(code({ account: '   ' }), 'account_missing');
    assert.equal(code({ account: 'a'.repeat(121) }), 'account_too_long');
    assert.equal(code({ buyer: '  ' }), 'buyer_missing');
    assert.equal(code({ buyer: 'b'.repeat(121) }), 'buyer_too_long');
    assert.equal(code({ kind: 'zoom' }), 'kind_unknown');
    assert.equal(code({ kind: 'Video' }), 'kind_unknown');
    assert.equal(code({ durationMin: 0 }), 'duration_invalid');
    assert.equal(code({ durationMin: 601 }), 'duration_invalid');
    assert.equal(code({ durationMin: 1.5 }), 'duration_invalid');
    assert.equal(code({ durationMin: Number.NaN }), 'duration_invalid');
    assert.equal(code({ occurredOn: '2026-02-30' }), 'date_invalid');
    assert.equal(code({ occurredOn: 'yesterday' }), 'date_invalid');
    assert.equal(code({ occurredOn: '2026-11-27' }), 'date_future');
    assert.equal(code({ occurredOn: '2026-10-26' }), 'date_too_old');
    assert.equal(code({ insight: 'i'.repeat(2001) }), 'insight_too_long');
  });

  it('words the duration error with the number given', () => {
    const e = validateContactDraft({ ...good, durationMin: 0 }, TODAY);
    assert.equal(e?.message, 'Duration must be between 1 and 600 minutes (you gave 0m).');
  });
});

describe('parseContactText — properties', () => {
  const words = [
    'Acme',
    'Corp',
    'Sunday',
    'with',
    'via',
    'on',
    'today',
    'yesterday',
    'tomorrow',
    'mon',
    'friday',
    'video',
    'call',
    'zoom',
    '30m',
    '1.5h',
    '0m',
    '601m',
    '2026-11-20',
    '2026-02-30',
    '2025-01-01',
    ':',
    'Dana',
    '(CFO)',
    'a'.repeat(70),
    'b'.repeat(119),
    '  ',
    '\n',
    '😀',
  ];
  const textArb = fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.array(fc.constantFrom(...words), { maxLength: 12 }).map((ws) => ws.join(' ')),
    fc
      .tuple(fc.array(fc.constantFrom(...words), { maxLength: 8 }), fc.string({ maxLength: 2100 }))
      .map(([ws, tail]) => `${ws.join(' ')}:${tail}`),
  );
  const todayArb = fc.integer({ min: 0, max: 365 * 20 }).map((n) => addDays('2015-01-01', n));

  it('never throws; ok drafts respect every limit, errors explain themselves', () => {
    fc.assert(
      fc.property(textArb, todayArb, (text, today) => {
        const r = parseContactText(text, today);
        if (r.ok) {
          const d = r.draft;
          assert.ok(d.account.length > 0 && d.account === d.account.trim());
          assert.ok(chars(d.account) <= CONTACT_LIMITS.accountMax);
          if (d.buyer !== null) assert.ok(d.buyer.trim() !== '' && chars(d.buyer) <= CONTACT_LIMITS.buyerMax);
          assert.ok((CONTACT_KINDS as readonly string[]).includes(d.kind));
          if (d.durationMin !== null) {
            assert.ok(Number.isInteger(d.durationMin));
            assert.ok(d.durationMin >= CONTACT_LIMITS.durationMin && d.durationMin <= CONTACT_LIMITS.durationMax);
          }
          assert.ok(isRealDate(d.occurredOn));
          const back = daysBetween(d.occurredOn, today);
          assert.ok(back >= 0 && back <= CONTACT_LIMITS.maxDaysBack);
          if (d.insight !== null) assert.ok(d.insight !== '' && chars(d.insight) <= CONTACT_LIMITS.insightMax);
          assert.equal(validateContactDraft(d, today), null);
        } else {
          assert.ok(r.error.code.length > 0);
          assert.ok(r.error.message.trim().length > 0);
          assert.ok(r.error.example.startsWith('/contact '));
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('firstColonOutsideMarkup', () => {
  for (const [text, at] of [
    ['<http://acme.io|acme.io>: renewal', 24],
    ['Acme: see <http://x|y>', 4],
    ['<mailto:a@b.io|a@b.io> with <@U1|x>', -1],
    ['Acme <#C1|sales> via video: ok', 26],
    ['no colon', -1],
    ['<tel:+15551234|call me>: now', 23],
    ['a < b: c', 5],
  ] as const) {
    it(`${JSON.stringify(text)} → ${at}`, () => assert.equal(firstColonOutsideMarkup(text), at));
  }
});
