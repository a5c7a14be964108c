/**
 * Property tests of escaping (CONVENTIONS rule 7): user text that reaches a Slack message can never
 * become a live broadcast (`<!channel>`), mention (`<@U1>`, `<#C1>`) or link (`<http…>`).
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type Message, quote } from '../../src/blocks/common.js';
import { contactConfirmation, contactList } from '../../src/blocks/contact.js';
import { digestMessage } from '../../src/blocks/digest.js';
import { nudgeMessage } from '../../src/blocks/nudge.js';
import { tacticList } from '../../src/blocks/tactics.js';
import type { ContactRow } from '../../src/db/repos/contacts.js';
import { escapeText, truncate, unescapeSlack } from '../../src/lib/slack-text.js';
import { hostileText, mrkdwnOf } from './arbitraries.js';

const RUNS = { numRuns: 300 };
/** Every `&` starts one of the three entities Slack decodes. */
const ENTITIES_ONLY = /&(?!amp;|lt;|gt;)/;

/**
 * Asserts no live markup is left once our own, intentional mentions of known ids are removed: no
 * `<` at all (every mention, broadcast and link starts with one). A `>` may remain: at the start of
 * a line it is our block quote.
 */
function assertInert(message: Message, ownMentions: RegExp = /<@UM\d+>/g): void {
  for (const text of mrkdwnOf(message)) {
    const rest = text.replace(ownMentions, '');
    assert.ok(!rest.includes('<'), `live markup in ${JSON.stringify(text.slice(0, 200))}`);
    assert.ok(!/[^\n]>/.test(rest.replace(/^> /gm, '')), `a bare > in ${JSON.stringify(text.slice(0, 200))}`);
    assert.ok(!ENTITIES_ONLY.test(rest), `a bare & in ${JSON.stringify(text.slice(0, 200))}`);
  }
}

const contact = (account: string, buyer: string | null, insight: string | null, id = 1): ContactRow => ({
  id,
  teamId: 'T0001',
  userId: 'UM1',
  account,
  buyer,
  kind: 'video',
  durationMin: 30,
  occurredOn: '2026-11-25',
  weekStart: '2026-11-23',
  insight,
  createdAt: 0,
  updatedAt: 0,
});

describe('property: escapeText', () => {
  it('leaves no < or >, only the three entities, and round-trips through unescapeSlack', () => {
    fc.assert(
      fc.property(hostileText, (s) => {
        const e = escapeText(s);
        assert.ok(!/[<>]/.test(e));
        assert.ok(!ENTITIES_ONLY.test(e));
        assert.equal(unescapeSlack(e), s);
      }),
      RUNS,
    );
  });

  it('truncating escaped text never cuts an entity in half', () => {
    fc.assert(
      fc.property(hostileText, fc.integer({ min: 1, max: 300 }), (s, max) => {
        const t = truncate(escapeText(s), max);
        assert.ok(t.length <= max);
        assert.ok(!ENTITIES_ONLY.test(t), JSON.stringify(t));
        // A quote is escaped text behind '> ' block-quote markers.
        assert.ok(!quote(s, max).replace(/^> /gm, '').includes('<') && !/[<>]/.test(quote(s, max).replace(/^> /gm, '')));
      }),
      RUNS,
    );
  });
});

describe('property: messages built from user text carry no live markup', () => {
  it('the /contact confirmation and list', () => {
    fc.assert(
      fc.property(hostileText, fc.option(hostileText, { nil: null }), fc.option(hostileText, { nil: null }), (account, buyer, insight) => {
        const c = contact(account || 'x', buyer, insight);
        assertInert(contactConfirmation(c, { today: '2026-11-26', thisWeek: 2, target: 3, streak: 1, enrolled: false }));
        assertInert(contactList([c, contact(account, null, null, 2)], '2026-11-26'));
      }),
      RUNS,
    );
  });

  it('the nudge DM (dormant account names)', () => {
    fc.assert(
      fc.property(fc.array(hostileText, { maxLength: 3 }), (accounts) => {
        assertInert(
          nudgeMessage({
            teamId: 'T0001',
            userId: 'UM1',
            localDate: '2026-11-30',
            daysQuiet: 9,
            hasLoggedBefore: true,
            dormantAccounts: accounts,
            prompt: 'Ask a buyer.',
          }),
        );
      }),
      RUNS,
    );
  });

  it('the tactic list and the VP digest (tactics, reasons, insights, accounts)', () => {
    fc.assert(
      fc.property(
        hostileText,
        fc.option(hostileText, { nil: null }),
        fc.option(hostileText, { nil: null }),
        hostileText,
        (text, why, instead, insight) => {
          const tactic = { id: 7, text: text || 'cold calling', reporters: 4, createdWeek: '2026-W48', decision: null, decidedWeek: null };
          assertInert(tacticList([tactic], { minReports: 3, crowdSize: 5 }));
          const weeks = ['2026-11-16', '2026-11-23'].map((weekStart) => ({ weekStart, total: 3, managersWithOne: 2, coverage: 0.5 }));
          const digest = digestMessage(
            {
              reportWeek: '2026-11-23',
              trend: { weeks, managerCount: 4, managers: [], accountsTouched: 3, target: 3 },
              insights: [contact(text || 'Acme', null, insight || 'wants proof')],
              quiet: [{ userId: 'UM2', daysQuiet: 20, ignoredNudges: true, reason: 'pto' }],
              snoozed: [],
            },
            { shown: [{ ...tactic, reasons: [{ why, instead }] }], belowThresholdCount: 1, minReports: 3 },
          );
          assertInert(digest);
        },
      ),
      RUNS,
    );
  });
});
