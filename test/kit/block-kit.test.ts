import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateMessage, validateView } from './block-kit.js';

const x = (n: number): string => 'x'.repeat(n);
const plain = (text: string) => ({ type: 'plain_text', text });
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const option = (value: string, text = value) => ({ text: plain(text), value });
const button = (action_id: string, extra: Record<string, unknown> = {}) => ({ type: 'button', action_id, text: plain('Go'), ...extra });

/** A message using every block type the app is likely to send. */
function validMessage(): any {
  return {
    text: 'Weekly gemba summary',
    blocks: [
      { type: 'header', block_id: 'h', text: plain('Your week') },
      {
        type: 'section',
        block_id: 's1',
        text: mrkdwn('*Hi* <@U123>, you had <!date^1700000000^{date_short}|a date>'),
        accessory: button('acc', { value: 'v', style: 'primary' }),
      },
      { type: 'section', block_id: 's2', fields: [mrkdwn('*A*'), plain('B')] },
      { type: 'divider' },
      { type: 'context', elements: [mrkdwn('ctx'), { type: 'image', image_url: 'https://x/y.png', alt_text: 'pic' }] },
      {
        type: 'actions',
        block_id: 'acts',
        elements: [
          button('b1', {
            style: 'danger',
            confirm: { title: plain('Sure?'), text: mrkdwn('Really'), confirm: plain('Yes'), deny: plain('No') },
          }),
          {
            type: 'static_select',
            action_id: 'sel',
            placeholder: plain('Pick'),
            options: [option('a'), option('b')],
            initial_option: option('b'),
          },
          { type: 'overflow', action_id: 'ovf', options: [option('1'), option('2')] },
          { type: 'datepicker', action_id: 'dp', initial_date: '2024-02-29' },
        ],
      },
      { type: 'image', image_url: 'https://x/y.png', alt_text: 'chart' },
      { type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'hi' }] }] },
      { type: 'markdown', text: '**bold**' },
    ],
  };
}

function validModal(): any {
  return {
    type: 'modal',
    callback_id: 'log_visit',
    private_metadata: JSON.stringify({ a: 1 }),
    title: plain('Log a visit'),
    submit: plain('Save'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'input',
        block_id: 'who',
        label: plain('Customer'),
        element: { type: 'plain_text_input', action_id: 'v', min_length: 1, max_length: 200, initial_value: 'Acme' },
      },
      { type: 'input', block_id: 'when', label: plain('Date'), element: { type: 'datepicker', action_id: 'v2' }, optional: true },
      {
        type: 'input',
        block_id: 'kind',
        label: plain('Kind'),
        element: { type: 'static_select', action_id: 'v3', option_groups: [{ label: plain('G'), options: [option('call')] }] },
      },
      { type: 'input', block_id: 'who2', label: plain('Rep'), element: { type: 'users_select', action_id: 'v4' }, hint: plain('pick one') },
      { type: 'section', text: mrkdwn('note') },
    ],
  };
}

function validHome(): any {
  return {
    type: 'home',
    blocks: [
      { type: 'header', text: plain('Gemba') },
      { type: 'actions', elements: [button('new_visit', { value: 'x' }), button('settings', { url: 'https://example.com' })] },
    ],
  };
}

test('accepts valid message, modal and home views', () => {
  assert.deepEqual(validateMessage(validMessage()), []);
  assert.deepEqual(validateMessage({ text: 'plain text only' }), []);
  assert.deepEqual(validateView(validModal()), []);
  assert.deepEqual(validateView(validHome()), []);
  // A modal with no input blocks needs no submit.
  assert.deepEqual(validateView({ type: 'modal', title: plain('Info'), blocks: [{ type: 'section', text: plain('hi') }] }), []);
});

type Case = [name: string, kind: 'message' | 'view' | 'home', mutate: (s: any) => void, expected: string];

const cases: Case[] = [
  // message-level
  [
    '51 blocks in a message',
    'message',
    (m) => (m.blocks = Array.from({ length: 51 }, () => ({ type: 'divider' }))),
    'blocks: 51 items > 50',
  ],
  ['text over 40000', 'message', (m) => (m.text = x(40001)), 'text: 40001 chars > 40000'],
  ['blocks without fallback text', 'message', (m) => delete m.text, 'text: missing fallback text'],
  [
    'empty message',
    'message',
    (m) => {
      delete m.text;
      delete m.blocks;
    },
    'message: needs text or blocks',
  ],
  ['blocks not an array', 'message', (m) => (m.blocks = {}), 'blocks: must be an array'],
  ['unknown block type', 'message', (m) => m.blocks.push({ type: 'video' }), 'blocks[9].type: unknown block type "video"'],
  ['block_id too long', 'message', (m) => (m.blocks[0].block_id = x(256)), 'blocks[0].block_id: 256 chars > 255'],
  [
    'duplicate block_id',
    'message',
    (m) => (m.blocks[2].block_id = 's1'),
    'blocks[2].block_id: duplicate block_id "s1" (first used at blocks[1].block_id)',
  ],
  // section
  ['section text over 3000', 'message', (m) => (m.blocks[1].text.text = x(3001)), 'blocks[1].text.text: 3001 chars > 3000'],
  ['section text empty', 'message', (m) => (m.blocks[1].text.text = ''), 'blocks[1].text.text: must not be empty'],
  ['section without text or fields', 'message', (m) => delete m.blocks[2].fields, 'blocks[2]: section needs text or fields'],
  [
    '11 section fields',
    'message',
    (m) => (m.blocks[2].fields = Array.from({ length: 11 }, () => plain('f'))),
    'blocks[2].fields: 11 items > 10',
  ],
  ['section field over 2000', 'message', (m) => (m.blocks[2].fields[1].text = x(2001)), 'blocks[2].fields[1].text: 2001 chars > 2000'],
  ['bad text object type', 'message', (m) => (m.blocks[1].text.type = 'markdown'), 'blocks[1].text.type: must be "plain_text" or "mrkdwn"'],
  ['text object not an object', 'message', (m) => (m.blocks[1].text = 'hi'), 'blocks[1].text: must be a text object'],
  // header
  ['header over 150', 'message', (m) => (m.blocks[0].text.text = x(151)), 'blocks[0].text.text: 151 chars > 150'],
  ['header mrkdwn', 'message', (m) => (m.blocks[0].text.type = 'mrkdwn'), 'blocks[0].text.type: must be "plain_text"'],
  // context
  ['context with 0 elements', 'message', (m) => (m.blocks[4].elements = []), 'blocks[4].elements: 0 items < 1'],
  [
    'context with 11 elements',
    'message',
    (m) => (m.blocks[4].elements = Array.from({ length: 11 }, () => plain('c'))),
    'blocks[4].elements: 11 items > 10',
  ],
  ['context empty text', 'message', (m) => (m.blocks[4].elements[0].text = ''), 'blocks[4].elements[0].text: must not be empty'],
  [
    'context image without alt',
    'message',
    (m) => delete m.blocks[4].elements[1].alt_text,
    'blocks[4].elements[1].alt_text: must be a string',
  ],
  // actions and elements
  ['actions with 0 elements', 'message', (m) => (m.blocks[5].elements = []), 'blocks[5].elements: 0 items < 1'],
  [
    'actions with 26 elements',
    'message',
    (m) => (m.blocks[5].elements = Array.from({ length: 26 }, (_, i) => button(`a${i}`))),
    'blocks[5].elements: 26 items > 25',
  ],
  ['button text over 75', 'message', (m) => (m.blocks[5].elements[0].text.text = x(76)), 'blocks[5].elements[0].text.text: 76 chars > 75'],
  [
    'button text mrkdwn',
    'message',
    (m) => (m.blocks[5].elements[0].text = mrkdwn('Go')),
    'blocks[5].elements[0].text.type: must be "plain_text"',
  ],
  ['button value over 2000', 'message', (m) => (m.blocks[5].elements[0].value = x(2001)), 'blocks[5].elements[0].value: 2001 chars > 2000'],
  ['button url over 3000', 'message', (m) => (m.blocks[5].elements[0].url = x(3001)), 'blocks[5].elements[0].url: 3001 chars > 3000'],
  [
    'button bad style',
    'message',
    (m) => (m.blocks[5].elements[0].style = 'default'),
    'blocks[5].elements[0].style: must be one of "primary", "danger"',
  ],
  [
    'action_id over 255',
    'message',
    (m) => (m.blocks[5].elements[0].action_id = x(256)),
    'blocks[5].elements[0].action_id: 256 chars > 255',
  ],
  [
    'duplicate action_id in one block',
    'message',
    (m) => (m.blocks[5].elements[1].action_id = 'b1'),
    'blocks[5].elements[1].action_id: duplicate action_id "b1" (first used at blocks[5].elements[0].action_id)',
  ],
  [
    'unknown element',
    'message',
    (m) => (m.blocks[5].elements[0] = { type: 'slider', action_id: 'z' }),
    'blocks[5].elements[0].type: unknown element type "slider"',
  ],
  [
    'plain_text_input in actions',
    'message',
    (m) => m.blocks[5].elements.push({ type: 'plain_text_input', action_id: 'pti' }),
    'blocks[5].elements[4].type: "plain_text_input" is not allowed in an actions block',
  ],
  [
    'confirm title over 100',
    'message',
    (m) => (m.blocks[5].elements[0].confirm.title.text = x(101)),
    'blocks[5].elements[0].confirm.title.text: 101 chars > 100',
  ],
  [
    'confirm text over 300',
    'message',
    (m) => (m.blocks[5].elements[0].confirm.text.text = x(301)),
    'blocks[5].elements[0].confirm.text.text: 301 chars > 300',
  ],
  [
    'confirm button over 30',
    'message',
    (m) => (m.blocks[5].elements[0].confirm.confirm.text = x(31)),
    'blocks[5].elements[0].confirm.confirm.text: 31 chars > 30',
  ],
  [
    'confirm deny over 30',
    'message',
    (m) => (m.blocks[5].elements[0].confirm.deny.text = x(31)),
    'blocks[5].elements[0].confirm.deny.text: 31 chars > 30',
  ],
  [
    'select with 0 options',
    'message',
    (m) => {
      m.blocks[5].elements[1].options = [];
      delete m.blocks[5].elements[1].initial_option;
    },
    'blocks[5].elements[1].options: 0 items < 1',
  ],
  [
    'select with 101 options',
    'message',
    (m) => (m.blocks[5].elements[1].options = Array.from({ length: 101 }, (_, i) => option(`o${i}`))),
    'blocks[5].elements[1].options: 101 items > 100',
  ],
  [
    'option text over 75',
    'message',
    (m) => (m.blocks[5].elements[1].options[0].text.text = x(76)),
    'blocks[5].elements[1].options[0].text.text: 76 chars > 75',
  ],
  [
    'option value over 150',
    'message',
    (m) => (m.blocks[5].elements[1].options[0].value = x(151)),
    'blocks[5].elements[1].options[0].value: 151 chars > 150',
  ],
  [
    'initial_option not in options',
    'message',
    (m) => (m.blocks[5].elements[1].initial_option = option('zzz')),
    'blocks[5].elements[1].initial_option: must be one of the options',
  ],
  [
    'select placeholder over 150',
    'message',
    (m) => (m.blocks[5].elements[1].placeholder.text = x(151)),
    'blocks[5].elements[1].placeholder.text: 151 chars > 150',
  ],
  [
    'overflow with 6 options',
    'message',
    (m) => (m.blocks[5].elements[2].options = Array.from({ length: 6 }, (_, i) => option(`o${i}`))),
    'blocks[5].elements[2].options: 6 items > 5',
  ],
  [
    'overflow option text over 75',
    'message',
    (m) => (m.blocks[5].elements[2].options[0].text.text = x(76)),
    'blocks[5].elements[2].options[0].text.text: 76 chars > 75',
  ],
  [
    'datepicker bad format',
    'message',
    (m) => (m.blocks[5].elements[3].initial_date = '2024-2-1'),
    'blocks[5].elements[3].initial_date: must be a real date YYYY-MM-DD',
  ],
  [
    'datepicker impossible date',
    'message',
    (m) => (m.blocks[5].elements[3].initial_date = '2023-02-29'),
    'blocks[5].elements[3].initial_date: must be a real date YYYY-MM-DD',
  ],
  ['image block without alt_text', 'message', (m) => delete m.blocks[6].alt_text, 'blocks[6].alt_text: must be a string'],
  ['markdown block over 12000', 'message', (m) => (m.blocks[8].text = x(12001)), 'blocks[8].text: 12001 chars > 12000'],
  // broadcast mentions
  [
    '<!channel> in section mrkdwn',
    'message',
    (m) => (m.blocks[1].text.text = 'hey <!channel>'),
    'blocks[1].text.text: unescaped broadcast mention <!channel>',
  ],
  [
    '<!here> in context',
    'message',
    (m) => (m.blocks[4].elements[0].text = '<!here|here> look'),
    'blocks[4].elements[0].text: unescaped broadcast mention <!here|here>',
  ],
  ['<!everyone> in fallback text', 'message', (m) => (m.text = 'hi <!everyone>'), 'text: unescaped broadcast mention <!everyone>'],
  [
    '<!channel> in markdown block',
    'message',
    (m) => (m.blocks[8].text = '<!channel>'),
    'blocks[8].text: unescaped broadcast mention <!channel>',
  ],
  [
    'broadcast in rich_text',
    'message',
    (m) => m.blocks[7].elements[0].elements.push({ type: 'broadcast', range: 'here' }),
    'blocks[7].elements[0].elements[1]: unescaped broadcast mention <!here>',
  ],
  // views
  ['view type', 'view', (v) => (v.type = 'workflow_step'), 'type: must be one of "modal", "home"'],
  ['101 blocks in a view', 'home', (v) => (v.blocks = Array.from({ length: 101 }, () => ({ type: 'divider' }))), 'blocks: 101 items > 100'],
  ['modal without title', 'view', (v) => delete v.title, 'title: must be a text object'],
  ['modal title over 24', 'view', (v) => (v.title.text = x(25)), 'title.text: 25 chars > 24'],
  ['modal submit over 24', 'view', (v) => (v.submit.text = x(25)), 'submit.text: 25 chars > 24'],
  ['modal close over 24', 'view', (v) => (v.close.text = x(25)), 'close.text: 25 chars > 24'],
  ['modal title mrkdwn', 'view', (v) => (v.title.type = 'mrkdwn'), 'title.type: must be "plain_text"'],
  ['input block without submit', 'view', (v) => delete v.submit, 'submit: must define submit to use input blocks'],
  ['callback_id over 255', 'view', (v) => (v.callback_id = x(256)), 'callback_id: 256 chars > 255'],
  ['private_metadata over 3000', 'view', (v) => (v.private_metadata = x(3001)), 'private_metadata: 3001 chars > 3000'],
  ['input without label', 'view', (v) => delete v.blocks[0].label, 'blocks[0].label: must be a text object'],
  ['input label over 2000', 'view', (v) => (v.blocks[0].label.text = x(2001)), 'blocks[0].label.text: 2001 chars > 2000'],
  ['input without element', 'view', (v) => delete v.blocks[0].element, 'blocks[0].element: input block needs an element'],
  [
    'button inside input',
    'view',
    (v) => (v.blocks[0].element = button('bb')),
    'blocks[0].element.type: "button" is not allowed in an input block',
  ],
  ['min_length over 3000', 'view', (v) => (v.blocks[0].element.min_length = 3001), 'blocks[0].element.min_length: 3001 is outside 0..3000'],
  ['max_length 0', 'view', (v) => (v.blocks[0].element.max_length = 0), 'blocks[0].element.max_length: 0 is outside 1..3000'],
  ['max_length over 3000', 'view', (v) => (v.blocks[0].element.max_length = 3001), 'blocks[0].element.max_length: 3001 is outside 1..3000'],
  [
    'initial_value over max_length',
    'view',
    (v) => (v.blocks[0].element.initial_value = x(201)),
    'blocks[0].element.initial_value: 201 chars > 200',
  ],
  [
    'option group label over 75',
    'view',
    (v) => (v.blocks[2].element.option_groups[0].label.text = x(76)),
    'blocks[2].element.option_groups[0].label.text: 76 chars > 75',
  ],
  [
    'home with duplicate block ids',
    'home',
    (v) => {
      v.blocks[0].block_id = 'a';
      v.blocks[1].block_id = 'a';
    },
    'blocks[1].block_id: duplicate block_id "a"',
  ],
  ['home button text empty', 'home', (v) => (v.blocks[1].elements[0].text.text = ''), 'blocks[1].elements[0].text.text: must not be empty'],
];

for (const [name, kind, mutate, expected] of cases) {
  test(`rejects: ${name}`, () => {
    const surface = kind === 'message' ? validMessage() : kind === 'view' ? validModal() : validHome();
    mutate(surface);
    const errors = kind === 'message' ? validateMessage(surface) : validateView(surface);
    assert.ok(
      errors.some((e) => e.startsWith(expected)),
      `expected an error starting with ${JSON.stringify(expected)}, got ${JSON.stringify(errors, null, 2)}`,
    );
  });
}

test('counts characters, not UTF-16 units', () => {
  const emoji = '😀'.repeat(3000); // 6000 UTF-16 units, 3000 characters
  assert.deepEqual(validateMessage({ text: 'x', blocks: [{ type: 'section', text: plain(emoji) }] }), []);
});

test('non-objects are rejected without throwing', () => {
  assert.deepEqual(validateView(null), ['view: must be an object']);
  assert.deepEqual(validateView('modal'), ['view: must be an object']);
  assert.ok(validateMessage({ text: 'x', blocks: [null, 3, 'a'] }).length === 3);
  assert.ok(validateView({ type: 'home' }).some((e) => e.startsWith('blocks: must be an array')));
});

test('plain_text may contain <!channel> literally (it is not parsed)', () => {
  assert.deepEqual(validateMessage({ text: 'x', blocks: [{ type: 'section', text: plain('<!channel>') }] }), []);
});

test('action_ids only need to be unique within their block (Slack: "in the containing block")', () => {
  const modal = validModal();
  for (const b of modal.blocks) if (b.element) b.element.action_id = 'value';
  assert.deepEqual(validateView(modal), []);
  const rows = [1, 2, 3].map((i) => ({ type: 'section', text: mrkdwn(`row ${i}`), accessory: button('delete', { value: String(i) }) }));
  assert.deepEqual(validateMessage({ text: 'list', blocks: rows }), []);
  const home = validHome();
  home.blocks[1].elements[1].action_id = 'new_visit';
  assert.ok(validateView(home).some((e) => e.startsWith('blocks[1].elements[1].action_id: duplicate action_id "new_visit"')));
});
