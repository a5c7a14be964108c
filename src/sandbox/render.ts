/**
 * Block Kit and mrkdwn to HTML for the sandbox page, close enough to Slack's rendering that what
 * you see is what Slack would show. Interactive elements carry data attributes the page's script
 * sends back as real block_actions / view_submission payloads.
 */

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/** HTML-escapes text for element content and attribute values. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** The emoji names Gemba sends, as characters (test/sandbox checks every `:name:` in src/blocks and src/listeners is here). */
export const EMOJI: Record<string, string> = {
  white_check_mark: '✅',
  warning: '⚠️',
  raised_hands: '🙌',
  zzz: '💤',
  wastebasket: '🗑️',
  tada: '🎉',
  lock: '🔒',
  wave: '👋',
  first_place_medal: '🥇',
  second_place_medal: '🥈',
  third_place_medal: '🥉',
  test_tube: '🧪',
  shield: '🛡️',
  rocket: '🚀',
  ok_hand: '👌',
  leftwards_arrow_with_hook: '↩️',
  floppy_disk: '💾',
  fire: '🔥',
  bell: '🔔',
  bar_chart: '📊',
  arrow_up_small: '🔼',
  arrow_down_small: '🔽',
  chart_with_upwards_trend: '📈',
  telephone_receiver: '📞',
  speech_balloon: '💬',
  calendar: '📅',
  memo: '📝',
  x: '❌',
  no_entry_sign: '🚫',
  eyes: '👀',
  trophy: '🏆',
  star: '⭐',
  handshake: '🤝',
  bulb: '💡',
  mag: '🔍',
  hourglass: '⌛',
  hourglass_flowing_sand: '⏳',
  see_no_evil: '🙈',
  palm_tree: '🌴',
  airplane: '✈️',
  arrows_counterclockwise: '🔄',
  point_right: '👉',
  information_source: 'ℹ️',
};

/** Slack-escaped text (`&amp;` `&lt;` `&gt;`) as HTML text: entities kept, stray `&` escaped. */
function textToHtml(s: string): string {
  return s
    .replace(/&(?!(amp|lt|gt|quot|#\d+);)/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function emoji(s: string): string {
  return s.replace(/:([a-z0-9_+-]+):/g, (m, name: string) => EMOJI[name] ?? m);
}

/** mrkdwn to HTML: mentions, links, *bold*, _italic_, ~strike~, `code`, ```blocks```, > quotes, emoji. */
export function mrkdwn(text: string, names: (id: string) => string = (id) => id): string {
  const tokens: string[] = [];
  const hold = (html: string): string => {
    tokens.push(html);
    return `\u0000${tokens.length - 1}\u0000`;
  };
  let s = text.replace(/```([\s\S]*?)```/g, (_m, code: string) => hold(`<pre>${textToHtml(code)}</pre>`));
  s = s.replace(/`([^`\n]+)`/g, (_m, code: string) => hold(`<code>${textToHtml(code)}</code>`));
  s = s.replace(/<([^<>]+)>/g, (_m, inner: string) => {
    const [target, label] = inner.split('|', 2) as [string, string | undefined];
    if (target.startsWith('@')) return hold(`<span class="mention">@${textToHtml(label ?? names(target.slice(1)))}</span>`);
    if (target.startsWith('#')) return hold(`<span class="mention">#${textToHtml(label ?? names(target.slice(1)))}</span>`);
    if (target.startsWith('!subteam^')) {
      // Slack shows a user group by its handle (`<!subteam^S1>` → @sales-reps), as it shows a person by name.
      const id = target.slice('!subteam^'.length);
      const handle = names(id);
      return hold(`<span class="mention">${textToHtml(label ?? (handle !== id ? `@${handle}` : '@group'))}</span>`);
    }
    if (target.startsWith('!date^')) return hold(textToHtml(label ?? ''));
    if (target.startsWith('!')) return hold(`<span class="mention">@${textToHtml(target.slice(1))}</span>`);
    return hold(`<a href="${esc(target)}" target="_blank" rel="noreferrer">${textToHtml(label ?? target)}</a>`);
  });
  s = textToHtml(s);
  s = s.replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,!?:;])/gm, '$1<b>$2</b>');
  s = s.replace(/(^|[\s(])_([^_\n]+)_(?=$|[\s).,!?:;])/gm, '$1<i>$2</i>');
  s = s.replace(/(^|[\s(])~([^~\n]+)~(?=$|[\s).,!?:;])/gm, '$1<s>$2</s>');
  s = s.replace(/^&gt; ?(.*)$/gm, '<span class="quote">$1</span>');
  s = emoji(s).replace(/\n/g, '<br>');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the placeholders are NUL-delimited on purpose
  return s.replace(/\u0000(\d+)\u0000/g, (_m, i: string) => tokens[Number(i)]);
}

/** A text object (plain_text or mrkdwn). */
export function textObj(t: unknown, names?: (id: string) => string): string {
  if (!isRecord(t)) return '';
  return t.type === 'mrkdwn' ? mrkdwn(str(t.text), names) : emoji(textToHtml(str(t.text)));
}

/** Where an interactive element lives, echoed back by the page script. */
export interface Surface {
  kind: 'message' | 'home' | 'modal';
  channel?: string;
  ts?: string;
  viewId?: string;
}

function surfaceAttrs(s: Surface): string {
  return `data-surface="${s.kind}" data-channel="${esc(s.channel ?? '')}" data-ts="${esc(s.ts ?? '')}" data-view="${esc(s.viewId ?? '')}"`;
}

function button(el: Json, blockId: string, surface: Surface, names?: (id: string) => string): string {
  const style = el.style === 'primary' ? ' primary' : el.style === 'danger' ? ' danger' : '';
  const confirm = isRecord(el.confirm)
    ? ` data-confirm="${esc(
        JSON.stringify({
          title: textObj(el.confirm.title),
          text: textObj(el.confirm.text, names),
          confirm: textObj(el.confirm.confirm) || 'Yes',
          deny: textObj(el.confirm.deny) || 'Cancel',
          danger: el.confirm.style === 'danger',
        }),
      )}"`
    : '';
  if (typeof el.url === 'string') {
    return `<a class="btn${style}" href="${esc(el.url)}" target="_blank" rel="noreferrer">${textObj(el.text)}</a>`;
  }
  return `<button type="button" class="btn${style}" data-action="${esc(str(el.action_id))}" data-block="${esc(blockId)}" data-value="${esc(
    str(el.value),
  )}" ${surfaceAttrs(surface)}${confirm}>${textObj(el.text)}</button>`;
}

function optionText(o: unknown): string {
  return isRecord(o) ? textObj(o.text) : '';
}

/** The id of a modal input's field (its label's `for`), and of its hint and error: `in-<block_id>`. */
const fieldId = (blockId: string): string => `in-${blockId.replace(/\s/g, '_')}`;

/**
 * An input element in a modal; the page reads it back into view.state.values. It is named by its
 * label and described by its hint and error, as a screen reader reads Slack's modals.
 */
function inputElement(el: Json, blockId: string, error: string | undefined, hint: boolean): string {
  const name = `${blockId}::${str(el.action_id)}`;
  const id = fieldId(blockId);
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  const attrs = `data-input="${esc(str(el.type))}" name="${esc(name)}" id="${esc(id)}"${described ? ` aria-describedby="${esc(described)}"` : ''}`;
  const placeholder = isRecord(el.placeholder) ? ` placeholder="${esc(str(el.placeholder.text))}"` : '';
  const bad = error ? ' aria-invalid="true"' : '';
  switch (el.type) {
    case 'plain_text_input': {
      const value = esc(str(el.initial_value));
      const max = el.max_length ? ` maxlength="${Number(el.max_length)}"` : '';
      return el.multiline
        ? `<textarea ${attrs}${placeholder}${max}${bad} rows="3">${value}</textarea>`
        : `<input type="text" ${attrs}${placeholder}${max}${bad} value="${value}">`;
    }
    case 'static_select': {
      const initial = isRecord(el.initial_option) ? str(el.initial_option.value) : '';
      const opts = (Array.isArray(el.options) ? el.options : []).filter(isRecord);
      return `<select ${attrs}${bad}><option value="">${placeholder ? esc(str((el.placeholder as Json).text)) : 'Select…'}</option>${opts
        .map((o) => `<option value="${esc(str(o.value))}"${str(o.value) === initial ? ' selected' : ''}>${optionText(o)}</option>`)
        .join('')}</select>`;
    }
    case 'datepicker':
      return `<input type="date" ${attrs}${bad} value="${esc(str(el.initial_date))}">`;
    case 'number_input':
      return `<input type="number" ${attrs}${placeholder}${bad} value="${esc(str(el.initial_value))}">`;
    default:
      return `<span class="unsupported">[${esc(str(el.type))}]</span>`;
  }
}

function imageSrc(b: Json, fileUrl: (id: string) => string): string {
  if (typeof b.image_url === 'string') return b.image_url;
  if (isRecord(b.slack_file)) return typeof b.slack_file.id === 'string' ? fileUrl(b.slack_file.id) : str(b.slack_file.url);
  return '';
}

export interface RenderOptions {
  surface: Surface;
  names?: (id: string) => string;
  /** Inline errors by block_id (modal submissions answered with response_action: errors). */
  errors?: Record<string, string>;
  /** URL of an uploaded file's bytes. */
  fileUrl?: (id: string) => string;
}

/** Renders a list of blocks. */
export function renderBlocks(blocks: unknown, o: RenderOptions): string {
  const list = (Array.isArray(blocks) ? blocks : []).filter(isRecord);
  const fileUrl = o.fileUrl ?? ((id: string) => `/files/${encodeURIComponent(id)}`);
  return list
    .map((b) => {
      const blockId = str(b.block_id);
      switch (b.type) {
        case 'header':
          return `<div class="b-header">${textObj(b.text)}</div>`;
        case 'divider':
          return '<hr class="b-divider">';
        case 'section': {
          const fields = Array.isArray(b.fields)
            ? `<div class="b-fields">${b.fields.map((f) => `<div>${textObj(f, o.names)}</div>`).join('')}</div>`
            : '';
          let accessory = '';
          if (isRecord(b.accessory)) {
            const a = b.accessory;
            if (a.type === 'button') accessory = button(a, blockId, o.surface, o.names);
            else if (a.type === 'image')
              accessory = `<img class="b-thumb" src="${esc(imageSrc(a, fileUrl))}" alt="${esc(str(a.alt_text))}">`;
            else accessory = `<span class="unsupported">[${esc(str(a.type))}]</span>`;
          }
          return `<div class="b-section"><div class="b-section-main">${b.text ? `<div>${textObj(b.text, o.names)}</div>` : ''}${fields}</div>${
            accessory ? `<div class="b-accessory">${accessory}</div>` : ''
          }</div>`;
        }
        case 'context':
          return `<div class="b-context">${(Array.isArray(b.elements) ? b.elements : [])
            .filter(isRecord)
            .map((e) =>
              e.type === 'image'
                ? `<img src="${esc(imageSrc(e, fileUrl))}" alt="${esc(str(e.alt_text))}">`
                : `<span>${textObj(e, o.names)}</span>`,
            )
            .join('')}</div>`;
        case 'actions':
          return `<div class="b-actions">${(Array.isArray(b.elements) ? b.elements : [])
            .filter(isRecord)
            .map((e) =>
              e.type === 'button' ? button(e, blockId, o.surface, o.names) : `<span class="unsupported">[${esc(str(e.type))}]</span>`,
            )
            .join('')}</div>`;
        case 'image':
          return `<figure class="b-image">${b.title ? `<figcaption>${textObj(b.title)}</figcaption>` : ''}<img src="${esc(
            imageSrc(b, fileUrl),
          )}" alt="${esc(str(b.alt_text))}"></figure>`;
        case 'input': {
          const error = o.errors?.[blockId];
          const el = isRecord(b.element) ? b.element : {};
          const id = fieldId(blockId);
          return `<div class="b-input${error ? ' has-error' : ''}"><label for="${esc(id)}">${textObj(b.label)}${
            b.optional ? ' <span class="optional">(optional)</span>' : ''
          }</label>${inputElement(el, blockId, error, Boolean(b.hint))}${
            b.hint ? `<div class="hint" id="${esc(id)}-hint">${textObj(b.hint)}</div>` : ''
          }${error ? `<div class="error" id="${esc(id)}-error" role="alert">${esc(error)}</div>` : ''}</div>`;
        }
        case 'markdown':
          return `<div class="b-section">${mrkdwn(str(b.text), o.names)}</div>`;
        default:
          return `<div class="unsupported">[${esc(str(b.type))} block]</div>`;
      }
    })
    .join('');
}
