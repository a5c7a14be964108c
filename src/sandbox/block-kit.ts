/**
 * Offline Block Kit validator (the Slack simulator and the tests use it). It enforces the documented limits from
 * slack-platform.md §7, plus one app rule: mrkdwn must never carry a broadcast
 * mention (`<!channel>`, `<!here>`, `<!everyone>`).
 *
 * Every function returns a list of errors. An empty list means the surface is valid.
 * Each error starts with the JSON path, e.g. `blocks[3].text.text: 3001 chars > 3000`.
 */

type Json = Record<string, unknown>;
type Container = 'actions' | 'accessory' | 'input';

const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  messageText: 40_000,
  markdownTotal: 12_000,
  id: 255, // block_id, action_id, callback_id, external_id
  privateMetadata: 3000,
  viewTitle: 24, // title, submit, close
  sectionText: 3000,
  sectionFields: 10,
  sectionField: 2000,
  headerText: 150,
  contextElements: 10,
  contextText: 3000,
  actionsElements: 25,
  label: 2000, // input label and hint
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  placeholder: 150,
  inputLength: 3000,
  selectOptions: 100,
  overflowOptions: 5,
  choiceOptions: 10, // checkboxes, radio_buttons
  optionText: 75,
  optionValue: 150,
  altText: 2000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
} as const;

// ----------------------------------------------------------------- plumbing

class Checker {
  readonly errors: string[] = [];
  private readonly blockIds = new Map<string, string>();
  private readonly actionIds = new Map<string, string>();
  markdownChars = 0;

  err(path: string, message: string): void {
    this.errors.push(`${path}: ${message}`);
  }

  /**
   * Record an id and report it when it was already used: a block_id on this surface, an action_id
   * in its containing block (Slack's rule; the same action_id in two blocks is fine, e.g. one
   * `value` element per input block, or one Delete button per listed row).
   */
  unique(kind: 'block_id' | 'action_id', path: string, id: string): void {
    const seen = kind === 'block_id' ? this.blockIds : this.actionIds;
    const first = seen.get(id);
    if (first !== undefined) this.err(path, `duplicate ${kind} "${id}" (first used at ${first})`);
    else seen.set(id, path);
  }

  /** A new block starts: action_ids only have to be unique within one block. */
  enterBlock(): void {
    this.actionIds.clear();
  }
}

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Length in characters (code points), so an emoji counts once. */
const chars = (s: string): number => [...s].length;

function checkString(c: Checker, path: string, v: unknown, min: number, max: number): v is string {
  if (typeof v !== 'string') {
    c.err(path, `must be a string, got ${v === undefined ? 'nothing' : typeof v}`);
    return false;
  }
  const n = chars(v);
  if (n < min) c.err(path, min === 1 ? 'must not be empty' : `${n} chars < ${min}`);
  if (n > max) c.err(path, `${n} chars > ${max}`);
  return true;
}

function optionalString(c: Checker, path: string, v: unknown, max: number): void {
  if (v !== undefined) checkString(c, path, v, 0, max);
}

function checkArray(c: Checker, path: string, v: unknown, min: number, max: number): unknown[] {
  if (!Array.isArray(v)) {
    c.err(path, 'must be an array');
    return [];
  }
  if (v.length < min) c.err(path, `${v.length} items < ${min}`);
  if (v.length > max) c.err(path, `${v.length} items > ${max}`);
  return v;
}

function checkInt(c: Checker, path: string, v: unknown, min: number, max: number): void {
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isInteger(v)) c.err(path, 'must be an integer');
  else if (v < min || v > max) c.err(path, `${v} is outside ${min}..${max}`);
}

function checkOneOf(c: Checker, path: string, v: unknown, allowed: readonly string[]): void {
  if (v !== undefined && !allowed.includes(v as string)) {
    c.err(path, `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}, got ${JSON.stringify(v)}`);
  }
}

const BROADCAST = /<!(channel|here|everyone)(\|[^>]*)?>/g;

function checkNoBroadcast(c: Checker, path: string, text: string): void {
  for (const m of new Set(text.match(BROADCAST) ?? [])) c.err(path, `unescaped broadcast mention ${m}`);
}

/** A composition text object: `{ type: 'plain_text' | 'mrkdwn', text }`. */
function checkText(c: Checker, path: string, v: unknown, max: number, plainOnly = false): void {
  if (!isObj(v)) {
    c.err(path, 'must be a text object { type, text }');
    return;
  }
  if (v.type !== 'plain_text' && v.type !== 'mrkdwn') {
    c.err(`${path}.type`, `must be "plain_text" or "mrkdwn", got ${JSON.stringify(v.type)}`);
  } else if (plainOnly && v.type !== 'plain_text') {
    c.err(`${path}.type`, `must be "plain_text", got "${v.type}"`);
  }
  if (checkString(c, `${path}.text`, v.text, 1, max) && v.type === 'mrkdwn') {
    checkNoBroadcast(c, `${path}.text`, v.text);
  }
}

const checkPlain = (c: Checker, path: string, v: unknown, max: number): void => checkText(c, path, v, max, true);

function optionalText(c: Checker, path: string, v: unknown, max: number, plainOnly = false): void {
  if (v !== undefined) checkText(c, path, v, max, plainOnly);
}

// ----------------------------------------------------------------- composition objects

function checkConfirm(c: Checker, path: string, v: unknown): void {
  if (!isObj(v)) {
    c.err(path, 'must be a confirmation dialog object');
    return;
  }
  checkPlain(c, `${path}.title`, v.title, LIMITS.confirmTitle);
  checkText(c, `${path}.text`, v.text, LIMITS.confirmText);
  checkPlain(c, `${path}.confirm`, v.confirm, LIMITS.confirmButton);
  checkPlain(c, `${path}.deny`, v.deny, LIMITS.confirmButton);
  checkOneOf(c, `${path}.style`, v.style, ['primary', 'danger']);
}

function checkOption(c: Checker, path: string, v: unknown, plainOnly: boolean): void {
  if (!isObj(v)) {
    c.err(path, 'must be an option object { text, value }');
    return;
  }
  checkText(c, `${path}.text`, v.text, LIMITS.optionText, plainOnly);
  checkString(c, `${path}.value`, v.value, 1, LIMITS.optionValue);
  optionalText(c, `${path}.description`, v.description, LIMITS.optionText, plainOnly);
  optionalString(c, `${path}.url`, v.url, LIMITS.url);
}

function checkOptions(c: Checker, path: string, v: unknown, max: number, plainOnly: boolean): Json[] {
  const options = checkArray(c, path, v, 1, max);
  for (const [i, o] of options.entries()) checkOption(c, `${path}[${i}]`, o, plainOnly);
  return options.filter(isObj);
}

const sameOption = (a: unknown, b: Json): boolean => isObj(a) && a.value === b.value;

/** `initial_option` / `initial_options` must be taken from the element's options. */
function checkInitialOptions(c: Checker, path: string, el: Json, options: Json[]): void {
  if (el.initial_option !== undefined) {
    const init = el.initial_option;
    if (!isObj(init) || !options.some((o) => sameOption(init, o))) {
      c.err(`${path}.initial_option`, 'must be one of the options');
    }
  }
  if (el.initial_options !== undefined) {
    checkArray(c, `${path}.initial_options`, el.initial_options, 0, options.length).forEach((init, i) => {
      if (!isObj(init) || !options.some((o) => sameOption(init, o))) {
        c.err(`${path}.initial_options[${i}]`, 'must be one of the options');
      }
    });
  }
}

function checkImageSource(c: Checker, path: string, v: Json): void {
  if (v.image_url === undefined && v.slack_file === undefined) c.err(path, 'needs image_url or slack_file');
  optionalString(c, `${path}.image_url`, v.image_url, LIMITS.url);
  checkString(c, `${path}.alt_text`, v.alt_text, 1, LIMITS.altText);
}

// ----------------------------------------------------------------- elements

interface ElementRule {
  /** Where the element may appear. */
  in: readonly Container[];
  /** False for non-interactive elements (image), which carry no action_id. */
  interactive?: boolean;
  check?: (c: Checker, path: string, el: Json) => void;
}

const ANYWHERE: readonly Container[] = ['actions', 'accessory', 'input'];
const INPUT_ONLY: readonly Container[] = ['input'];

function checkStaticSelect(c: Checker, path: string, el: Json): void {
  let options: Json[] = [];
  if (el.options !== undefined && el.option_groups !== undefined) {
    c.err(path, 'use options or option_groups, not both');
  }
  if (el.option_groups !== undefined) {
    checkArray(c, `${path}.option_groups`, el.option_groups, 1, LIMITS.selectOptions).forEach((g, i) => {
      const gp = `${path}.option_groups[${i}]`;
      if (!isObj(g)) {
        c.err(gp, 'must be an option group object');
        return;
      }
      checkPlain(c, `${gp}.label`, g.label, LIMITS.optionText);
      options = options.concat(checkOptions(c, `${gp}.options`, g.options, LIMITS.selectOptions, true));
    });
  } else {
    options = checkOptions(c, `${path}.options`, el.options, LIMITS.selectOptions, true);
  }
  checkInitialOptions(c, path, el, options);
}

const ELEMENTS: Record<string, ElementRule> = {
  button: {
    in: ['actions', 'accessory'],
    check(c, p, el) {
      checkPlain(c, `${p}.text`, el.text, LIMITS.buttonText);
      optionalString(c, `${p}.value`, el.value, LIMITS.buttonValue);
      optionalString(c, `${p}.url`, el.url, LIMITS.url);
      checkOneOf(c, `${p}.style`, el.style, ['primary', 'danger']);
    },
  },
  static_select: { in: ANYWHERE, check: checkStaticSelect },
  multi_static_select: { in: ANYWHERE, check: checkStaticSelect },
  overflow: {
    in: ['actions', 'accessory'],
    check: (c, p, el) => void checkOptions(c, `${p}.options`, el.options, LIMITS.overflowOptions, true),
  },
  datepicker: {
    in: ANYWHERE,
    check(c, p, el) {
      if (el.initial_date === undefined) return;
      const d = el.initial_date;
      const ok = typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d) && new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d;
      if (!ok) c.err(`${p}.initial_date`, `must be a real date YYYY-MM-DD, got ${JSON.stringify(d)}`);
    },
  },
  timepicker: {
    in: ANYWHERE,
    check(c, p, el) {
      const t = el.initial_time;
      if (t !== undefined && !(typeof t === 'string' && /^([01]\d|2[0-3]):[0-5]\d$/.test(t))) {
        c.err(`${p}.initial_time`, `must be HH:mm, got ${JSON.stringify(t)}`);
      }
    },
  },
  datetimepicker: { in: ['actions', 'input'] },
  plain_text_input: {
    in: INPUT_ONLY,
    check(c, p, el) {
      checkInt(c, `${p}.min_length`, el.min_length, 0, LIMITS.inputLength);
      checkInt(c, `${p}.max_length`, el.max_length, 1, LIMITS.inputLength);
      const min = typeof el.min_length === 'number' ? el.min_length : 0;
      const max = typeof el.max_length === 'number' ? el.max_length : LIMITS.inputLength;
      if (min > max) c.err(`${p}.min_length`, `${min} > max_length ${max}`);
      optionalString(c, `${p}.initial_value`, el.initial_value, max);
    },
  },
  checkboxes: {
    in: ANYWHERE,
    check: (c, p, el) => checkInitialOptions(c, p, el, checkOptions(c, `${p}.options`, el.options, LIMITS.choiceOptions, false)),
  },
  radio_buttons: {
    in: ANYWHERE,
    check: (c, p, el) => checkInitialOptions(c, p, el, checkOptions(c, `${p}.options`, el.options, LIMITS.choiceOptions, false)),
  },
  users_select: { in: ANYWHERE },
  multi_users_select: { in: ANYWHERE },
  conversations_select: { in: ANYWHERE },
  multi_conversations_select: { in: ANYWHERE },
  channels_select: { in: ANYWHERE },
  multi_channels_select: { in: ANYWHERE },
  external_select: { in: ANYWHERE },
  multi_external_select: { in: ANYWHERE },
  workflow_button: { in: ['actions', 'accessory'] },
  number_input: { in: INPUT_ONLY },
  email_text_input: { in: INPUT_ONLY },
  url_text_input: { in: INPUT_ONLY },
  rich_text_input: { in: INPUT_ONLY },
  file_input: { in: INPUT_ONLY },
  image: { in: ['accessory'], interactive: false, check: checkImageSource },
};

function checkElement(c: Checker, path: string, el: unknown, where: Container): void {
  if (!isObj(el)) {
    c.err(path, 'must be an element object');
    return;
  }
  const rule = typeof el.type === 'string' ? ELEMENTS[el.type] : undefined;
  if (rule === undefined) {
    c.err(`${path}.type`, `unknown element type ${JSON.stringify(el.type)}`);
    return;
  }
  if (!rule.in.includes(where))
    c.err(`${path}.type`, `"${el.type}" is not allowed in ${where === 'accessory' ? 'a section accessory' : `an ${where} block`}`);
  if (rule.interactive !== false && el.action_id !== undefined) {
    if (checkString(c, `${path}.action_id`, el.action_id, 1, LIMITS.id)) c.unique('action_id', `${path}.action_id`, el.action_id);
  }
  optionalText(c, `${path}.placeholder`, el.placeholder, LIMITS.placeholder, true);
  if (el.confirm !== undefined) checkConfirm(c, `${path}.confirm`, el.confirm);
  rule.check?.(c, path, el);
}

// ----------------------------------------------------------------- blocks

/** rich_text broadcasts are elements `{ type: 'broadcast', range: 'channel' | 'here' | 'everyone' }`. */
function findRichBroadcasts(c: Checker, path: string, v: unknown): void {
  if (Array.isArray(v)) {
    for (const [i, x] of v.entries()) findRichBroadcasts(c, `${path}[${i}]`, x);
  } else if (isObj(v)) {
    if (v.type === 'broadcast') c.err(path, `unescaped broadcast mention <!${String(v.range)}>`);
    if (v.elements !== undefined) findRichBroadcasts(c, `${path}.elements`, v.elements);
  }
}

const BLOCKS: Record<string, (c: Checker, path: string, b: Json) => void> = {
  section(c, p, b) {
    if (b.text === undefined && b.fields === undefined) c.err(p, 'section needs text or fields');
    optionalText(c, `${p}.text`, b.text, LIMITS.sectionText);
    if (b.fields !== undefined) {
      for (const [i, f] of checkArray(c, `${p}.fields`, b.fields, 1, LIMITS.sectionFields).entries()) {
        checkText(c, `${p}.fields[${i}]`, f, LIMITS.sectionField);
      }
    }
    if (b.accessory !== undefined) checkElement(c, `${p}.accessory`, b.accessory, 'accessory');
  },
  header(c, p, b) {
    checkPlain(c, `${p}.text`, b.text, LIMITS.headerText);
  },
  divider() {},
  context(c, p, b) {
    checkArray(c, `${p}.elements`, b.elements, 1, LIMITS.contextElements).forEach((el, i) => {
      const ep = `${p}.elements[${i}]`;
      if (isObj(el) && el.type === 'image') checkImageSource(c, ep, el);
      else checkText(c, ep, el, LIMITS.contextText);
    });
  },
  actions(c, p, b) {
    for (const [i, el] of checkArray(c, `${p}.elements`, b.elements, 1, LIMITS.actionsElements).entries()) {
      checkElement(c, `${p}.elements[${i}]`, el, 'actions');
    }
  },
  input(c, p, b) {
    checkPlain(c, `${p}.label`, b.label, LIMITS.label);
    if (b.element === undefined) c.err(`${p}.element`, 'input block needs an element');
    else checkElement(c, `${p}.element`, b.element, 'input');
    optionalText(c, `${p}.hint`, b.hint, LIMITS.label, true);
  },
  image(c, p, b) {
    checkImageSource(c, p, b);
    optionalText(c, `${p}.title`, b.title, LIMITS.altText, true);
  },
  rich_text(c, p, b) {
    checkArray(c, `${p}.elements`, b.elements, 1, Number.POSITIVE_INFINITY);
    findRichBroadcasts(c, `${p}.elements`, b.elements);
  },
  markdown(c, p, b) {
    if (checkString(c, `${p}.text`, b.text, 1, LIMITS.markdownTotal)) {
      c.markdownChars += chars(b.text);
      checkNoBroadcast(c, `${p}.text`, b.text);
    }
  },
};

function checkBlocks(c: Checker, blocks: unknown, max: number): Json[] {
  const list = checkArray(c, 'blocks', blocks, 0, max);
  list.forEach((b, i) => {
    const p = `blocks[${i}]`;
    if (!isObj(b)) {
      c.err(p, 'must be a block object');
      return;
    }
    const check = typeof b.type === 'string' ? BLOCKS[b.type] : undefined;
    if (check === undefined) {
      c.err(`${p}.type`, `unknown block type ${JSON.stringify(b.type)}`);
      return;
    }
    if (b.block_id !== undefined && checkString(c, `${p}.block_id`, b.block_id, 1, LIMITS.id)) {
      c.unique('block_id', `${p}.block_id`, b.block_id);
    }
    c.enterBlock();
    check(c, p, b);
  });
  if (c.markdownChars > LIMITS.markdownTotal) {
    c.err('blocks', `markdown blocks total ${c.markdownChars} chars > ${LIMITS.markdownTotal}`);
  }
  return list.filter(isObj);
}

// ----------------------------------------------------------------- surfaces

/**
 * Validate a message (chat.postMessage/postEphemeral/update/scheduleMessage args,
 * a response_url body, or an ack body).
 */
export function validateMessage(msg: { text?: unknown; blocks?: unknown; [key: string]: unknown }): string[] {
  const c = new Checker();
  if (!isObj(msg)) return ['message: must be an object'];
  const hasText = typeof msg.text === 'string' && msg.text.trim().length > 0;
  if (msg.text !== undefined && checkString(c, 'text', msg.text, 0, LIMITS.messageText)) {
    checkNoBroadcast(c, 'text', msg.text);
  }
  const hasBlocks = msg.blocks !== undefined && checkBlocks(c, msg.blocks, LIMITS.messageBlocks).length > 0;
  if (hasBlocks && !hasText) c.err('text', 'missing fallback text (required alongside blocks for notifications and screen readers)');
  if (!hasBlocks && !hasText && msg.attachments === undefined && msg.markdown_text === undefined) {
    c.err('message', 'needs text or blocks');
  }
  return c.errors;
}

/** Validate a modal or Home tab view (views.open/push/update/publish `view`). */
export function validateView(view: unknown): string[] {
  const c = new Checker();
  if (!isObj(view)) return ['view: must be an object'];
  checkOneOf(c, 'type', view.type, ['modal', 'home']);
  if (view.type === undefined) c.err('type', 'must be "modal" or "home"');
  const blocks = checkBlocks(c, view.blocks, LIMITS.viewBlocks);
  if (view.type === 'modal') {
    checkPlain(c, 'title', view.title, LIMITS.viewTitle);
    optionalText(c, 'submit', view.submit, LIMITS.viewTitle, true);
    optionalText(c, 'close', view.close, LIMITS.viewTitle, true);
    if (view.submit === undefined && blocks.some((b) => b.type === 'input')) {
      c.err('submit', 'must define submit to use input blocks');
    }
  }
  optionalString(c, 'callback_id', view.callback_id, LIMITS.id);
  optionalString(c, 'external_id', view.external_id, LIMITS.id);
  optionalString(c, 'private_metadata', view.private_metadata, LIMITS.privateMetadata);
  return c.errors;
}
