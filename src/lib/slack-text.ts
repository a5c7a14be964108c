/**
 * Escapes user-supplied text for Slack's mrkdwn: exactly `&`, `<` and `>` (Slack's own rule), so
 * text can never become a live mention (`<!channel>`, `<@U1>`), a link (`<http://x|y>`) or a
 * forged channel reference. Do not HTML-encode anything else: Slack would show the entities.
 */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** C0 control characters except tab, line feed and carriage return, plus DEL. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is this pattern's whole job.
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/**
 * Drops invisible control characters from user text before it is validated or stored. Besides
 * being meaningless, SQLite's length() stops at a NUL, so "\u0000" would pass our checks and then
 * fail the database's, turning bad input into an unexpected error.
 */
export function stripControlChars(text: string): string {
  return text.replace(CONTROL_CHARS, '');
}

/** Cuts text to at most `max` characters, ending with an ellipsis when it was cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  // Never cut an escape sequence (&amp; &lt; &gt;) in half: back up to before a dangling '&'.
  let cut = text.slice(0, Math.max(0, max - 1));
  const amp = cut.lastIndexOf('&');
  if (amp !== -1 && amp > cut.length - 5 && !cut.slice(amp).includes(';')) cut = cut.slice(0, amp);
  // Nor a character outside the BMP (an emoji is two UTF-16 units): a lone high surrogate is not valid text.
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** How many characters text has, counted in code points (an emoji is one), as Slack's length limits count them. */
export function charCount(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

/** The first `max` characters of text, counted in code points, so an emoji is never cut in half (for echoing what was typed). */
export function firstChars(text: string, max: number): string {
  return Array.from(text).slice(0, max).join('');
}

/** A Slack user mention. Ids come from Slack payloads, never from free text. */
export const mention = (userId: string): string => `<@${userId}>`;

/** A Slack channel link. */
export const channelLink = (channelId: string): string => `<#${channelId}>`;

/** Parses an escaped user mention (`<@U123|name>` or `<@U123>`) into its id, or null. */
export function parseUserMention(token: string): string | null {
  const m = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(token.trim());
  return m ? m[1] : null;
}

/** Parses an escaped channel link (`<#C123|name>` or `<#C123>`) into its id, or null. */
export function parseChannelMention(token: string): string | null {
  const m = /^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(token.trim());
  return m ? m[1] : null;
}

/** Parses an escaped user-group mention (`<!subteam^S123|@name>` or `<!subteam^S123>`) into its id, or null. */
export function parseUsergroupMention(token: string): string | null {
  const m = /^<!subteam\^([A-Z0-9]+)(?:\|[^>]*)?>$/.exec(token.trim());
  return m ? m[1] : null;
}

/**
 * Undoes the escaping Slack applies to slash-command text (`&amp;`, `&lt;`, `&gt;`), so what we
 * store is what the person typed ("AT&T", not "AT&amp;T"). Output is escaped again by escapeText.
 */
export function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * Turns Slack's markup in slash-command text into plain words, so a mention's id is never stored
 * and a link's `:` is not read as the one-liner's colon:
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
