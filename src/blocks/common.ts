import type { types } from '@slack/bolt';
import { ErrorCode, type GembaError } from '../lib/errors.js';
import { escapeText, truncate } from '../lib/slack-text.js';
import { INPUT_ACTION } from './ids.js';

export type Block = types.KnownBlock;
export type Button = types.Button;
export type ModalView = types.ModalView;
export type HomeView = types.HomeView;

/** An input element as a builder writes it; input() adds the action_id. */
type InputElement = types.InputBlock['element'];
export type InputElementDraft = InputElement extends infer E ? (E extends unknown ? Omit<E, 'action_id'> : never) : never;

/** An ephemeral message body: what ack(), respond() and chat.postEphemeral take. */
export interface Message {
  text: string;
  blocks?: Block[];
  response_type?: 'ephemeral' | 'in_channel';
  replace_original?: boolean;
}

/** Slack's per-section text limit. */
export const SECTION_MAX = 3000;

export const plain = (text: string) => ({ type: 'plain_text' as const, text: truncate(text, 2000), emoji: true });
export const md = (text: string) => ({ type: 'mrkdwn' as const, text: truncate(text, SECTION_MAX) });

export const section = (text: string, accessory?: Button): Block =>
  accessory ? { type: 'section', text: md(text), accessory } : { type: 'section', text: md(text) };
export const header = (text: string): Block => ({ type: 'header', text: { type: 'plain_text', text: truncate(text, 150), emoji: true } });
export const divider = (): Block => ({ type: 'divider' });
export const context = (text: string): Block => ({ type: 'context', elements: [md(text)] });
export const actions = (elements: Button[], blockId?: string): Block =>
  blockId ? { type: 'actions', block_id: blockId, elements } : { type: 'actions', elements };

/**
 * A modal input block. Each holds one element whose action_id is INPUT_ACTION, so a submission's
 * values read as `state.values[blockId][INPUT_ACTION]`.
 */
export function input(
  blockId: string,
  label: string,
  element: InputElementDraft,
  opts: { optional?: boolean; hint?: string } = {},
): types.InputBlock {
  return {
    type: 'input',
    block_id: blockId,
    label: plain(label),
    optional: opts.optional ?? false,
    element: { ...element, action_id: INPUT_ACTION } as InputElement,
    ...(opts.hint ? { hint: plain(opts.hint) } : {}),
  };
}

/** A button; `value` carries the id the listener acts on. */
export function button(
  text: string,
  actionId: string,
  value?: string,
  opts: { style?: 'primary' | 'danger'; confirm?: { title: string; text: string; confirm: string; deny: string } } = {},
): Button {
  const b: Button = { type: 'button', text: { type: 'plain_text', text: truncate(text, 75), emoji: true }, action_id: actionId };
  if (value !== undefined) b.value = value;
  if (opts.style) b.style = opts.style;
  if (opts.confirm) {
    b.confirm = {
      title: { type: 'plain_text', text: opts.confirm.title },
      text: { type: 'plain_text', text: opts.confirm.text },
      confirm: { type: 'plain_text', text: opts.confirm.confirm },
      deny: { type: 'plain_text', text: opts.confirm.deny },
    };
  }
  return b;
}

/** Quotes user text as a mrkdwn block quote, escaped and trimmed to fit a section. */
export function quote(text: string, max = 1500): string {
  return truncate(escapeText(text), max)
    .split('\n')
    .map((l) => `> ${l}`)
    .join('\n');
}

/**
 * An ephemeral reply to bad input: what was wrong, and a correct example to copy. `problem` is plain
 * words that may quote what the user typed, so it is escaped here, once, for every caller.
 */
export function errorMessage(problem: string, example?: string): Message {
  const text = example ? `${escapeText(problem)}\nTry: \`${escapeText(example)}\`` : escapeText(problem);
  return { response_type: 'ephemeral', text: `:warning: ${text}`, blocks: [section(`:warning: ${text}`)] };
}

/** A button no handler knows (on a message an older Gemba posted): said to the person, the message left as it is. */
export function retiredButtonMessage(): Message {
  const text =
    ':information_source: That button is from an older Gemba message and no longer does anything. `/gemba help` lists what Gemba can do now.';
  return { response_type: 'ephemeral', replace_original: false, text, blocks: [section(text)] };
}

export const STORAGE_DOWN =
  ":floppy_disk: Gemba couldn't save that: its database is unavailable right now (read-only or full). Nothing was recorded. Please try again in a few minutes.";
export const UNEXPECTED =
  ':warning: Something went wrong on our side and nothing was changed. Please try again; if it keeps happening, tell your Gemba admin.';

/** What the user reads about a failure: their words for refusals, a plain apology for everything else. */
export function failureMessage(err: GembaError): Message {
  switch (err.code) {
    case ErrorCode.UserInput:
      return errorMessage(err.message, err.example);
    case ErrorCode.Forbidden:
      return notice(err.message);
    case ErrorCode.StorageUnavailable:
      return notice(STORAGE_DOWN);
    default:
      return notice(UNEXPECTED);
  }
}

/** A plain ephemeral notice. */
export function notice(text: string): Message {
  return { response_type: 'ephemeral', text, blocks: [section(text)] };
}

/** "Wed 25 Nov" for a local date 'YYYY-MM-DD' (no timezone involved: it is already local). */
export function shortDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const day = new Date(Date.UTC(y, m - 1, d));
  const wd = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][day.getUTCDay()];
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][m - 1];
  return `${wd} ${d} ${mon}`;
}

/** "1 conversation" / "3 conversations". */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
