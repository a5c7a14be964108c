/**
 * End-to-end properties over signed HTTP against the real app: arbitrary command text never gets
 * silence or a stack trace, never stores anything on a refusal, and never echoes live markup.
 */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { unescapeSlack } from '../../src/lib/slack-text.js';
import { parseContactText } from '../../src/services/contact-grammar.js';
import { type Harness, startHarness } from '../kit/harness.js';
import { hostileText, mrkdwnOf } from './arbitraries.js';

const assertNoLiveMarkup = (reply: { text?: string; blocks?: unknown[] }, input: string) => {
  for (const text of mrkdwnOf(reply))
    assert.ok(!text.includes('<'), `live markup for ${JSON.stringify(input)}: ${JSON.stringify(text.slice(0, 300))}`);
};

const SUBCOMMANDS = new Set(['', 'help', 'list']);
const UNEXPECTED = 'Something went wrong';
const contactText = fc
  .oneof(
    hostileText,
    fc
      .tuple(
        fc.constantFrom('Acme', 'AT&amp;T', '&lt;!channel&gt;', '<!channel>', '<@U0123|dana>', 'Initech'),
        fc.constantFrom('', ' with Dana', ' via video 30m', ' yesterday', ' on 2026-11-20', ' with <@U9|x>', ' via zoom'),
        fc.option(hostileText, { nil: null }),
      )
      .map(([a, o, i]) => `${a}${o}${i === null ? '' : `: ${i}`}`),
  )
  .filter((t) => !SUBCOMMANDS.has(t.trim().toLowerCase()));

describe('property (e2e): arbitrary command text', () => {
  let h: Harness;
  const count = () => h.count('contacts');

  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });

  it('/contact: a confirmation and exactly one row, or a :warning: and nothing stored', async () => {
    await fc.assert(
      fc.asyncProperty(contactText, async (text) => {
        const before = await count();
        const res = await h.command('/contact', text);
        assert.equal(res.status, 200);
        const reply = res.json as { text: string; blocks?: unknown[] };
        assert.ok(reply && typeof reply.text === 'string', `a reply for ${JSON.stringify(text)}`);
        assert.ok(!reply.text.includes(UNEXPECTED), `bad input is explained, not an unexpected error: ${JSON.stringify(text)}`);
        const expected = parseContactText(unescapeSlack(text.trim()), '2026-11-26');
        if (reply.text.startsWith(':warning:')) {
          assert.equal(await count(), before, `nothing stored for ${JSON.stringify(text)}`);
          assert.equal(expected.ok, false);
        } else {
          assert.match(reply.text, /^Logged a conversation/);
          assert.equal(await count(), before + 1, `one row for ${JSON.stringify(text)}`);
          assert.ok(expected.ok);
          const row = (await h.row('SELECT account, insight FROM contacts ORDER BY id DESC LIMIT 1')) as {
            account: string;
            insight: string | null;
          };
          assert.deepEqual(row, { account: expected.draft.account, insight: expected.draft.insight });
        }
        assertNoLiveMarkup(reply, text);
      }),
      { numRuns: 40 },
    );
    await h.settle();
  });

  it('/flag-tactic: a confirmation, or a :warning: and nothing stored', async () => {
    const reports = () =>
      h.value<number>(
        'SELECT (SELECT COUNT(*) FROM anon.tactics) + (SELECT COUNT(*) FROM anon.tactic_reports) + (SELECT COUNT(*) FROM anon.tactic_reasons)',
      );
    const flagText = fc
      .oneof(
        hostileText,
        fc.tuple(hostileText, hostileText).map(([a, b]) => `${a}: ${b}`),
      )
      .filter((t) => !SUBCOMMANDS.has(t.trim().toLowerCase()));
    await fc.assert(
      fc.asyncProperty(flagText, fc.integer({ min: 1, max: 9999 }), async (text, user) => {
        const before = await reports();
        // A different rep each time, so the weekly allowance is not what refuses.
        const res = await h.command('/flag-tactic', text, { userId: `UREP${user}` });
        assert.equal(res.status, 200);
        const reply = res.json as { text: string; blocks?: unknown[] };
        assert.ok(!reply.text.includes(UNEXPECTED), `bad input is explained, not an unexpected error: ${JSON.stringify(text)}`);
        if (reply.text.startsWith(':warning:')) assert.equal(await reports(), before, `nothing stored for ${JSON.stringify(text)}`);
        else {
          // The reply is the same whether or not the rep's crowd already counted (nothing new is then stored).
          assert.ok(reply.text.startsWith('Recorded anonymously'), `recorded for ${JSON.stringify(text)}: ${reply.text}`);
          assert.ok((await reports()) >= before);
        }
        assertNoLiveMarkup(reply, text);
      }),
      { numRuns: 40 },
    );
  });

  it('/trends and /gemba: refusals echo what was typed without live markup, and change nothing', async () => {
    const words = fc
      .array(
        fc.oneof(
          hostileText,
          fc.constantFrom('<!channel>', '<!here>', '<@U0123|dana>', '<http://evil.example|x>', 'team', 'admin', 'snooze', '99'),
        ),
        { minLength: 1, maxLength: 3 },
      )
      .map((w) => w.join(' '));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/trends', '/gemba'), words, async (command, text) => {
        const changes = () =>
          h.value('SELECT (SELECT COUNT(*) FROM snoozes) + (SELECT COUNT(*) FROM audit_log) + (SELECT COUNT(*) FROM teams)');
        const before = await changes();
        const res = await h.command(command, text);
        assert.equal(res.status, 200);
        const reply = res.json as { text: string; blocks?: unknown[] } | undefined;
        if (!reply?.text.startsWith(':warning:')) return;
        assertNoLiveMarkup(reply, text);
        assert.equal(await changes(), before);
      }),
      { numRuns: 40 },
    );
    await h.settle();
  });
});
