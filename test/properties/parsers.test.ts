/**
 * Property tests of the text parsers users can reach with arbitrary input: they never throw, a
 * success is always within the documented limits, and a refusal always explains itself.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { stripControlChars } from '../../src/lib/slack-text.js';
import { addDays, daysBetween, isRealDate } from '../../src/lib/time.js';
import { parseTrendsText } from '../../src/listeners/commands/trends.js';
import { CONTACT_KINDS, CONTACT_LIMITS, parseContactText, validateContactDraft } from '../../src/services/contact-grammar.js';
import { parseGembaText } from '../../src/services/gemba-grammar.js';
import { MAX_SNOOZE_DAYS } from '../../src/services/snoozes.js';
import { parseFlagText, TACTIC_LIMITS } from '../../src/services/tactics.js';
import { hostileText, localDay } from './arbitraries.js';

const RUNS = { numRuns: 500 };
const chars = (s: string) => Array.from(s).length;

/** Words the /contact grammar treats specially, so generated text exercises its options, not just accounts. */
const contactWord = fc.constantFrom(
  'with',
  'via',
  'on',
  'today',
  'yesterday',
  'tomorrow',
  'mon',
  'Friday',
  'sun',
  ...CONTACT_KINDS,
  'zoom',
  '30m',
  '1.5h',
  '45min',
  '0m',
  '601m',
  '1.33h',
  '2026-11-20',
  '2026-02-30',
  '2031-01-01',
  '1999-12-31',
  ':',
  '::',
);
const contactText = fc.oneof(
  hostileText,
  fc
    .array(fc.oneof(contactWord, hostileText, fc.constantFrom('Acme', 'Dana Lee (CFO)', 'AT&T', '<!channel>', '<@U123|bob>')), {
      maxLength: 12,
    })
    .map((w) => w.join(' ')),
);

describe('property: /contact one-liner grammar', () => {
  it('never throws, and a success is a draft within every limit', () => {
    fc.assert(
      fc.property(contactText, localDay, (text, today) => {
        const r = parseContactText(text, today);
        if (!r.ok) {
          assert.ok(r.error.code && r.error.message && r.error.example, 'a refusal names a code, says what is wrong and shows an example');
          return;
        }
        const d = r.draft;
        assert.equal(validateContactDraft(d, today), null);
        assert.ok(chars(d.account) >= 1 && chars(d.account) <= CONTACT_LIMITS.accountMax);
        assert.equal(d.account, d.account.trim());
        assert.ok(d.buyer === null || (chars(d.buyer) >= 1 && chars(d.buyer) <= CONTACT_LIMITS.buyerMax));
        assert.ok(d.insight === null || (d.insight.length > 0 && chars(d.insight) <= CONTACT_LIMITS.insightMax));
        assert.ok((CONTACT_KINDS as readonly string[]).includes(d.kind));
        assert.ok(d.durationMin === null || (Number.isInteger(d.durationMin) && d.durationMin >= 1 && d.durationMin <= 600));
        assert.ok(isRealDate(d.occurredOn));
        const back = daysBetween(d.occurredOn, today);
        assert.ok(back >= 0 && back <= CONTACT_LIMITS.maxDaysBack, `${d.occurredOn} is within 30 days before ${today}`);
      }),
      RUNS,
    );
  });

  it('keeps everything after the first colon as the insight (invisible control characters dropped)', () => {
    fc.assert(
      fc.property(fc.constantFrom('Acme Corp', 'Initech with Dana', 'Globex via video 30m'), hostileText, (head, insight) => {
        const r = parseContactText(`${head}: ${insight}`, '2026-11-26');
        const expected = stripControlChars(insight).trim();
        if (r.ok) assert.equal(r.draft.insight, expected === '' ? null : expected);
      }),
      RUNS,
    );
  });

  it('a date outside the last 30 days is always refused', () => {
    fc.assert(
      fc.property(
        localDay,
        fc.integer({ min: -400, max: 400 }).filter((n) => n < 0 || n > 30),
        (today, back) => {
          const r = parseContactText(`Acme on ${addDays(today, -back)}`, today);
          assert.equal(r.ok, false);
        },
      ),
      RUNS,
    );
  });
});

describe('property: /gemba parser', () => {
  const gembaText = fc.oneof(
    hostileText,
    fc
      .array(
        fc.oneof(
          fc.constantFrom(
            'snooze',
            'admin',
            'managers',
            'vps',
            'add',
            'remove',
            'sync',
            'channel',
            'digest',
            'leaderboard',
            'target',
            'nudge-after',
            'timezone',
            'export',
            'forget',
            'tactics',
            'hide',
            'help',
            'settings',
            'preview',
            'off',
            '2w',
            '9w',
            '57d',
            '0d',
            '3',
            '101',
            'Europe/Berlin',
            'EST',
            '<@U123|dana>',
            '<#C1|sales>',
            '<!subteam^S1|@ae>',
            '<!channel>',
          ),
          hostileText,
        ),
        { maxLength: 6 },
      )
      .map((w) => w.join(' ')),
  );
  it('never throws; every request is well-formed', () => {
    fc.assert(
      fc.property(gembaText, (text) => {
        const r = parseGembaText(text);
        assert.equal(typeof r.kind, 'string');
        if (r.kind === 'error') assert.ok(r.message.length > 0 && r.example.startsWith('/gemba'));
        if (r.kind === 'snooze') assert.ok(Number.isInteger(r.days) && r.days >= 1 && r.days <= MAX_SNOOZE_DAYS);
        if (r.kind === 'admin_target') assert.ok(r.target >= 1 && r.target <= 100);
        if (r.kind === 'admin_nudge_after') assert.ok(r.days >= 1 && r.days <= 90);
        if (r.kind === 'admin_members') assert.ok(r.userIds.length > 0 && r.userIds.every((u) => /^[UW][A-Z0-9]+$/.test(u)));
        if (r.kind === 'admin_channel') assert.match(r.channelId, /^[CG][A-Z0-9]+$/);
        if (r.kind === 'admin_tactics_hide') assert.ok(Number.isSafeInteger(r.tacticId) && r.tacticId > 0);
      }),
      RUNS,
    );
  });
});

describe('property: /flag-tactic parser', () => {
  it('never throws; a success is within the limits', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          hostileText,
          fc.tuple(hostileText, hostileText).map(([a, b]) => `${a}: ${b}`),
        ),
        (text) => {
          const r = parseFlagText(text);
          if (!r.ok) {
            assert.ok(r.problem.message.length > 0);
            return;
          }
          assert.ok(chars(r.input.tactic) >= TACTIC_LIMITS.tacticMin && chars(r.input.tactic) <= TACTIC_LIMITS.tacticMax);
          assert.ok(r.input.why === null || chars(r.input.why) <= TACTIC_LIMITS.whyMax);
        },
      ),
      RUNS,
    );
  });

  it('never keeps the Slack id of a mentioned person or channel (anonymity)', () => {
    const mention = fc.oneof(
      fc.nat(9999).map((n) => `<@UQX9${n}>`),
      fc.tuple(fc.nat(9999), fc.constantFrom('dana', '', '@lee')).map(([n, name]) => `<@UQX9${n}|${name}>`),
      fc.nat(9999).map((n) => `<#CQX9${n}|sales>`),
      fc.nat(9999).map((n) => `<!subteam^SQX9${n}|@ae>`),
    );
    // Plain parts never contain "QX9", so any "QX9" in the result came from a mention's id.
    const plain = fc.string({ unit: fc.constantFrom(...'abc de :&;<>|@!#'.split('')), maxLength: 30 });
    fc.assert(
      fc.property(fc.array(fc.oneof(mention, plain), { minLength: 1, maxLength: 6 }), (parts) => {
        const r = parseFlagText(parts.join(' '));
        if (r.ok) assert.ok(!`${r.input.tactic} ${r.input.why ?? ''}`.includes('QX9'), JSON.stringify(r.input));
      }),
      RUNS,
    );
  });
});

describe('property: /trends parser', () => {
  it('never throws; weeks are always 1–52', () => {
    const trendsText = fc.oneof(
      hostileText,
      fc
        .array(fc.oneof(fc.constantFrom('team', 'TEAM', 'help', '0', '1', '52', '53', '08', '<@U1|x>', '<@W2>', '<!here>'), hostileText), {
          maxLength: 4,
        })
        .map((w) => w.join(' ')),
    );
    fc.assert(
      fc.property(trendsText, (text) => {
        const r = parseTrendsText(text);
        if (r.kind === 'error') assert.ok(r.message.length > 0 && r.example.startsWith('/trends'));
        else if (r.kind !== 'help') assert.ok(Number.isInteger(r.weeks) && r.weeks >= 1 && r.weeks <= 52);
        if (r.kind === 'user') assert.match(r.userId, /^[UW][A-Z0-9]+$/);
      }),
      RUNS,
    );
  });
});
