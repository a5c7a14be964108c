/**
 * What Slack's composer does to a slash command before sending it, when the command sets
 * `should_escape: true` (Gemba's manifest does): a person, channel or user group picked from the
 * autocomplete arrives escaped, `<@U123|ben.carter>`, `<#C123|sales-leaderboard>`,
 * `<!subteam^S123|@sales-reps>`, and the `&`, `<` and `>` a person typed arrive as `&amp;`, `&lt;`
 * and `&gt;`. The sandbox's composer has no picker, so it matches what was typed against the
 * simulated workspace instead.
 */
import { CHANNELS, PEOPLE, USERGROUPS, usernameOf } from './demo-team.js';

export interface Directory {
  /** Each person with every name they can be mentioned by (display name, real name, username). */
  people: Array<{ id: string; username: string; names: string[] }>;
  channels: Array<{ id: string; name: string }>;
  groups: Array<{ id: string; handle: string }>;
}

/** The demo workspace's people, channels and user groups. */
export function demoDirectory(): Directory {
  return {
    people: PEOPLE.map((p) => ({ id: p.id, username: usernameOf(p), names: [...new Set([p.name, usernameOf(p)])] })),
    channels: CHANNELS.map((c) => ({ id: c.id, name: c.name })),
    groups: USERGROUPS.map((g) => ({ id: g.id, handle: g.handle })),
  };
}

/** A character that continues a name: a mention must not end in the middle of a word ('@Ben Carters'). */
const NAME_CHAR = /[\p{L}\p{N}_-]/u;

/**
 * Slack's markup typed in its escaped form: a mention (`<@U1|x>`, `<#C1>`, `<!subteam^S1>`,
 * `<!here>`) or a link with a scheme (`<http://acme.io|acme.io>`, `<mailto:…>`). What else starts
 * with `<` (`<b>`, `<unknown>`, `a < b`) is text, which Slack sends as `&lt;`.
 */
const SLACK_MARKUP = /^<(?:[a-z][a-z0-9+.-]*:|[@#!])[^<>]*>/i;

/** Slack's escaping of typed text. */
const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * Turns `@<display name, real name or username>`, `@<user group handle>` and `#<channel name>` into
 * Slack's escaped forms, the longest name first and case-insensitively; leaves what matches nothing,
 * and Slack markup already typed (`<@U1>`, `<http://x|y>`), as typed. A mark inside a word (an
 * e-mail address) is not one. Every other `&`, `<` and `>` is escaped, as Slack escapes them.
 * Example: `/trends @ben carter 4` → `/trends <@UMGR07|ben.carter> 4`; `@Ben` alone stays `@Ben`;
 * `/flag-tactic <b>blitz</b> & more` → `/flag-tactic &lt;b&gt;blitz&lt;/b&gt; &amp; more`.
 */
export function escapeMentions(text: string, dir: Directory): string {
  const at = [
    ...dir.people.flatMap((p) => p.names.map((name) => ({ name, escaped: `<@${p.id}|${p.username}>` }))),
    ...dir.groups.map((g) => ({ name: g.handle, escaped: `<!subteam^${g.id}|@${g.handle}>` })),
  ];
  const hash = dir.channels.map((c) => ({ name: c.name, escaped: `<#${c.id}|${c.name}>` }));
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    const markup = ch === '<' ? SLACK_MARKUP.exec(text.slice(i)) : null;
    if (markup) {
      // Slack markup already (a mention typed in its escaped form, a link): copied whole.
      out += markup[0];
      i += markup[0].length;
      continue;
    }
    if (Object.hasOwn(ENTITY, ch)) {
      out += ENTITY[ch];
      i += 1;
      continue;
    }
    const before = i > 0 ? text[i - 1] : ' ';
    if ((ch === '@' || ch === '#') && !NAME_CHAR.test(before) && before !== '@' && before !== '#') {
      const rest = text.slice(i + 1);
      const lower = rest.toLowerCase();
      const match = (ch === '@' ? at : hash)
        .filter(({ name }) => lower.startsWith(name.toLowerCase()) && !NAME_CHAR.test(rest[name.length] ?? ' '))
        .sort((a, b) => b.name.length - a.name.length)[0];
      if (match) {
        out += match.escaped;
        i += 1 + match.name.length;
        continue;
      }
    }
    out += ch;
    i += 1;
  }
  return out;
}

/** What the page's autocomplete offers after `@` or `#`: the label to insert and a note. */
export function mentionChoices(): Array<{ mark: '@' | '#'; label: string; note: string }> {
  return [
    ...PEOPLE.map((p) => ({ mark: '@' as const, label: p.name, note: p.title })),
    ...USERGROUPS.map((g) => ({ mark: '@' as const, label: g.handle, note: `${g.name} (user group, ${g.members.length})` })),
    ...CHANNELS.map((c) => ({ mark: '#' as const, label: c.name, note: 'channel' })),
  ];
}
