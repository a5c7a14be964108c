/**
 * fast-check generators for hostile user text: arbitrary Unicode, Slack markup (live mentions,
 * links, broadcasts), HTML entities, control characters, very long runs.
 */
import fc from 'fast-check';
import { addDays } from '../../src/lib/time.js';

/** Fragments an attacker (or a careless paste) would put in a message. */
export const markup = fc.constantFrom(
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<!subteam^S0123|@sales>',
  '<@U0123ABC>',
  '<@U0123ABC|dana>',
  '<#C0123|general>',
  '<http://evil.example|click me>',
  '<https://example.com>',
  '<mailto:a@b.c|mail>',
  '<!date^1392734382^{date}|Feb 18>',
  '&lt;!channel&gt;',
  '&amp;',
  '&lt;',
  '&gt;',
  '&amp;lt;',
  '&',
  '<',
  '>',
  '<<>>',
  '<!',
  '<@',
  '*bold*',
  '_it_',
  '`code`',
  '```',
  '> quote',
  '\u0000',
  '\u202e',
  '\r\n',
  '\t',
  '😀',
  '👩🏽‍💻',
  'é',
  'ﬃ',
);

/** Arbitrary text, biased towards Slack markup and the characters escaping must handle. */
export const hostileText = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }) },
  {
    weight: 3,
    arbitrary: fc
      .array(fc.oneof(markup, fc.string({ maxLength: 8 }), fc.constantFrom(' ', ':', 'Acme')), { maxLength: 12 })
      .map((p) => p.join('')),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constantFrom('a', '<', '&', '😀', ' '), fc.integer({ min: 100, max: 2600 })).map(([c, n]) => c.repeat(n)),
  },
);

/** A local date between 2000 and 2099 ('YYYY-MM-DD'). */
export const localDay = fc.integer({ min: 0, max: 36_500 }).map((n) => addDays('2000-01-01', n));

/** Every mrkdwn string of a message (top-level text and mrkdwn text objects, at any depth). */
export function mrkdwnOf(message: { text?: string; blocks?: unknown[] }): string[] {
  const out: string[] = message.text ? [message.text] : [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.type === 'mrkdwn' && typeof o.text === 'string') out.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk(message.blocks ?? []);
  return out;
}
