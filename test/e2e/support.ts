/**
 * Small assertions shared by the end-to-end tests (not a test file itself).
 */
import assert from 'node:assert/strict';
import { validateMessage } from '../kit/block-kit.js';
import type { RecordedCall } from '../kit/fake-slack.js';
import type { Harness } from '../kit/harness.js';
import type { PostSignedResult } from '../kit/sign.js';

/** Monday-start week helpers are the app's; tests spell dates out literally. */
export const TEAM = 'T0001';
export const ME = 'U0001';
export const OTHER = 'U0999';

/** Every mrkdwn/plain text string in a message or view (text, blocks, fields, elements), joined. */
export function allText(surface: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') return;
    if (Array.isArray(v)) {
      for (const x of v) walk(x);
      return;
    }
    if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'text' && typeof x === 'string') out.push(x);
        else walk(x);
      }
    }
  };
  walk(surface);
  return out.join('\n');
}

/**
 * Slack treats any `<…>` in mrkdwn as a control sequence (mention, link, broadcast). Gemba's own
 * messages may only carry the ones it built from ids; anything else is unescaped text.
 */
export function assertNoStrayControls(surface: unknown): void {
  const text = allText(surface);
  const stray = text.match(/<(?!@[UW][A-Z0-9]+>|#[CG][A-Z0-9]+>|!subteam\^[A-Z0-9]+>|!date\^)[^>]*>?/g);
  assert.equal(stray, null, `unescaped control sequence(s) ${JSON.stringify(stray)} in:\n${text}`);
}

/** A 200 answer whose body is a valid ephemeral message; returns the message. */
export function ackMessage(r: PostSignedResult): { text: string; blocks?: any[]; response_type?: string; [k: string]: any } {
  assert.equal(r.status, 200, `expected 200, got ${r.status}: ${r.text}`);
  assert.ok(r.json, `expected a JSON ack body, got ${JSON.stringify(r.text)}`);
  assert.deepEqual(validateMessage(r.json), [], 'ack body must be valid Block Kit');
  assertNoStrayControls(r.json);
  assert.equal(r.json.response_type, 'ephemeral', 'command replies are ephemeral');
  return r.json;
}

/** An ack that explains bad input and shows a correct example. Returns its text. */
export function assertBadInputReply(r: PostSignedResult, mentions?: RegExp): string {
  const m = ackMessage(r);
  const text = allText(m);
  assert.match(text, /Try: `\/(contact|trends)[^`]*`/, `reply must carry a correct example:\n${text}`);
  if (mentions) assert.match(text, mentions);
  return text;
}

export function contactCount(h: Harness): Promise<number> {
  return h.count('contacts');
}

export function managerCount(h: Harness): Promise<number> {
  return h.count('managers');
}

export function contactRows(h: Harness): Promise<any[]> {
  return h.rows('SELECT * FROM contacts ORDER BY id');
}

/** Asserts the fake Slack accepted every message and view the app produced. */
export function assertSurfacesValid(h: Harness): void {
  assert.deepEqual(h.fake.invalid, [], 'every Slack surface must be valid Block Kit');
}

/** The last response_url post. */
export function lastResponse(h: Harness): RecordedCall {
  const posts = h.fake.callsTo('response_url');
  assert.ok(posts.length > 0, 'expected a response_url post');
  return posts[posts.length - 1];
}

/** Ids of the rows a message's buttons act on, in order, for the given action id. */
export function buttonValues(surface: { blocks?: any[] }, actionId: string): string[] {
  const values: string[] = [];
  for (const b of surface.blocks ?? []) {
    const els = [...(b.elements ?? []), ...(b.accessory ? [b.accessory] : [])];
    for (const e of els) if (e.type === 'button' && e.action_id === actionId) values.push(e.value);
  }
  return values;
}

/** Every distinct team id stored in any table that has a team_id column (the anonymous store's too), sorted. */
export async function teamIdsInDatabase(h: Harness): Promise<string[]> {
  const ids = new Set<string>();
  for (const t of await h.tables()) {
    if (!t.columns.includes('team_id')) continue;
    // An org-wide installation has no team: null is no workspace.
    for (const id of await h.values<string>(`SELECT DISTINCT team_id FROM ${t.name} WHERE team_id IS NOT NULL`)) ids.add(id);
  }
  return [...ids].sort();
}

/** The strings in a message, view or call's arguments that hold half of a surrogate pair (half an emoji): not valid Unicode, which Slack may show as � or refuse. */
export function loneSurrogates(surface: unknown): string[] {
  const strings = (v: unknown): string[] =>
    typeof v === 'string' ? [v] : v && typeof v === 'object' ? Object.values(v).flatMap(strings) : [];
  return strings(surface).filter((s) => /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s));
}
