/**
 * The sandbox page: server-rendered HTML with a little script (no framework, nothing fetched from
 * elsewhere). A sidebar of channels, the DM with Gemba and the Home tab; a person picker; a
 * composer for slash commands; the clock control; modals and confirm dialogs.
 */
import { CHANNELS, PEOPLE, personById, TEAM_TIMEZONE, USERGROUPS } from './demo-team.js';
import { isPicture } from './files.js';
import { mentionChoices } from './mentions.js';
import { esc, renderBlocks } from './render.js';
import type { Actor } from './sandbox.js';
import type { Msg } from './workspace.js';

/** The tab's icon, inline so the browser asks the page server for nothing (no /favicon.ico 404). */
const FAVICON = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#4a154b"/><text x="16" y="23" font-family="sans-serif" font-size="20" font-weight="700" fill="#fff" text-anchor="middle">G</text></svg>',
)}`;

/** How Slack shows an id in a mention: a person's name, a channel's name, a user group's handle. */
export const names = (id: string): string =>
  personById(id)?.name ?? CHANNELS.find((c) => c.id === id)?.name ?? USERGROUPS.find((g) => g.id === id)?.handle ?? id;

/** A time as the viewer's Slack shows it, in their own time zone (every demo person's is the team's default). */
const fmt = (ms: number, o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('en-GB', { timeZone: TEAM_TIMEZONE, ...o }).format(ms);

/**
 * Sandbox time as the clock control shows it: in the team's time zone, which its buttons' hours are
 * read in (an admin may change it), named. Example: 'Monday, 14 Dec, 09:30 New York time'.
 */
export function clockNow(ms: number, teamTz: string): string {
  const place = (teamTz.split('/').pop() ?? teamTz).replace(/_/g, ' ');
  return `${fmt(ms, { timeZone: teamTz, weekday: 'long', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' })} ${place} time`;
}

function paneTitle(pane: string, user: string): string {
  if (pane === 'home') return 'Gemba — Home';
  if (pane === `D${user}`) return 'Gemba';
  const ch = CHANNELS.find((c) => c.id === pane);
  return ch ? `# ${ch.name}` : pane;
}

/** `12345` bytes → '12 KB'. */
const size = (n: number): string =>
  n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${Math.round(n / 1024)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;

/** A shared file as Slack shows it: a picture inline (alt text from its upload), anything else as a named download. */
function file(actor: Actor, f: NonNullable<Msg['files']>[number]): string {
  const known = actor.workspace.describeFile(f.id);
  if (!known) return `<div class="file missing">${esc(f.title)}: this file is no longer kept (the sandbox was reset since)</div>`;
  const href = `/files/${encodeURIComponent(f.id)}`;
  if (isPicture(known))
    return `<figure class="b-image"><figcaption>${esc(f.title)}</figcaption><img src="${href}" alt="${esc(known.alt || f.alt)}"${
      known.width && known.height ? ` width="${known.width}" height="${known.height}"` : ''
    }></figure>`;
  return `<a class="file" href="${href}" download="${esc(known.name)}"><span class="file-icon" aria-hidden="true">📄</span><span><b>${esc(
    f.title,
  )}</b><br><span class="file-meta">${esc(known.name)} · ${size(known.size)} · download</span></span></a>`;
}

function message(actor: Actor, m: Msg, index: number): string {
  const bot = m.author === 'UBOT';
  const who = bot ? 'Gemba' : names(m.author);
  const surface = { kind: 'message' as const, channel: m.channel, ts: m.ts };
  const body = m.blocks?.length
    ? renderBlocks(m.blocks, { surface, names })
    : `<div class="b-section">${renderBlocks([{ type: 'section', text: { type: 'mrkdwn', text: m.text } }], { surface, names })}</div>`;
  const files = (m.files ?? []).map((f) => file(actor, f)).join('');
  return `<div class="msg${m.onlyFor ? ' ephemeral' : ''}" data-ts="${esc(m.ts)}" data-index="${index}">
  <div class="avatar${bot ? ' bot' : ''}">${bot ? 'G' : esc(who.slice(0, 1))}</div>
  <div class="msg-body"><div class="msg-head"><b>${esc(who)}</b>${bot ? ' <span class="app">APP</span>' : ''} <span class="time">${fmt(
    m.at,
    {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
    },
  )}</span></div>${body}${files}${m.onlyFor ? '<div class="only-you">👁 Only visible to you</div>' : ''}</div></div>`;
}

function modal(actor: Actor, user: string): string {
  const open = actor.workspace.topModal(user);
  if (!open) return '';
  const v = open.view as { title?: { text?: string }; submit?: { text?: string }; close?: { text?: string }; blocks?: unknown[] };
  const general = open.errors?._ ? `<div class="error" role="alert">${esc(open.errors._)}</div>` : '';
  return `<div class="overlay"><form class="modal" id="modal" data-view="${esc(open.id)}" role="dialog" aria-modal="true" aria-labelledby="modal-title">
  <div class="modal-head"><span id="modal-title">${esc(v.title?.text ?? '')}</span><button type="button" class="x" data-close aria-label="Close">×</button></div>
  <div class="modal-body">${general}${renderBlocks(v.blocks, { surface: { kind: 'modal', viewId: open.id }, names, errors: open.errors })}</div>
  <div class="modal-foot"><button type="button" class="btn" data-close>${esc(v.close?.text ?? 'Cancel')}</button>${
    v.submit ? `<button type="submit" class="btn primary">${esc(v.submit.text ?? 'Submit')}</button>` : ''
  }</div></form></div>`;
}

/** The main pane (timeline or Home tab) and any open modal; the script swaps it in when something changes. */
export function renderPane(actor: Actor, user: string, pane: string, teamTz: string): string {
  let main: string;
  if (pane === 'home') {
    const view = actor.workspace.homes.get(user) as { blocks?: unknown[] } | undefined;
    main = `<div class="home">${view ? renderBlocks(view.blocks, { surface: { kind: 'home' }, names }) : '<p class="empty">Opening the Home tab…</p>'}</div>`;
  } else {
    const msgs = actor.workspace.timeline(pane, user).slice(-200);
    main = `<div class="timeline" id="timeline">${msgs.length ? msgs.map((m, i) => message(actor, m, i)).join('') : '<p class="empty">No messages yet.</p>'}</div>`;
  }
  const now = actor.ctx.clock.now();
  return `<div id="pane-inner" data-version="${actor.workspace.version}" data-now="${esc(clockNow(now, teamTz))}">${main}${modal(
    actor,
    user,
  )}</div>`;
}

/** JSON inside a <script> element: `<` escaped so no text in it can close the element. */
const scriptJson = (v: unknown): string => JSON.stringify(v).replace(/</g, '\\u003c');

export function renderPage(actor: Actor, user: string, pane: string, teamTz: string): string {
  const me = personById(user);
  const link = (p: string, label: string) =>
    `<a class="nav${p === pane ? ' active' : ''}" href="/?as=${encodeURIComponent(user)}&amp;pane=${encodeURIComponent(p)}"${
      p === pane ? ' aria-current="page"' : ''
    }>${label}</a>`;
  const people = ['manager', 'vp', 'rep', 'admin']
    .map(
      (role) =>
        `<optgroup label="${{ manager: 'Managers', vp: 'VP', rep: 'Reps', admin: 'Admin' }[role]}">${PEOPLE.filter((p) => p.role === role)
          .map((p) => `<option value="${p.id}"${p.id === user ? ' selected' : ''}>${esc(p.name)} — ${esc(p.title)}</option>`)
          .join('')}</optgroup>`,
    )
    .join('');
  const publish = `${String(actor.ctx.config.flagPublishHour).padStart(2, '0')}:00`;
  const choices = mentionChoices();
  const example = (mark: '@' | '#', note?: string) =>
    choices.find((c) => c.mark === mark && (note === undefined || c.note.includes(note)))?.label ?? '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Gemba sandbox</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="${FAVICON}">
<style>${CSS}</style></head>
<body data-user="${esc(user)}" data-pane="${esc(pane)}">
<header class="top"><div class="brand">Gemba <span>sandbox — a simulated Slack workspace; nothing leaves this machine</span></div>
<div class="clock" role="group" aria-label="Move the clock (the scheduled jobs it passes run, as they would have)"><span id="now"></span>
<button class="btn small" data-clock="day">Next working day 09:00</button>
<button class="btn small" data-clock="monday">Monday 09:30</button>
<button class="btn small" data-clock="publish" title="The next ${publish} team time: new tactic flags and Me toos are published">${publish}: flags publish</button>
<button class="btn small" data-clock="week">+1 week</button></div></header>
<div class="layout">
<nav class="side">
<form class="picker" method="get" action="/"><label for="as">Acting as</label><span class="picker-row"><select id="as" name="as">${people}</select><button class="btn small" type="submit">Switch</button></span><input type="hidden" name="pane" value="${esc(pane)}"></form>
<div class="role">${esc(me?.title ?? '')}</div>
<div class="section">Channels</div>
${CHANNELS.map((c) => link(c.id, `# ${esc(c.name)}`)).join('')}
<div class="section">Apps</div>
${link(`D${user}`, 'Gemba — Messages')}
${link('home', 'Gemba — Home')}
</nav>
<main>
<div class="pane-title">${esc(paneTitle(pane, user))}</div>
<div id="pane">${renderPane(actor, user, pane, teamTz)}</div>
${
  pane === 'home'
    ? ''
    : `<form id="composer" class="composer" autocomplete="off"><div class="composer-row"><input id="composer-input" name="text" autocomplete="off" role="combobox" aria-autocomplete="list" aria-expanded="false" aria-controls="mention-list" aria-describedby="composer-hint" aria-label="Slash command" placeholder="Type a slash command: /contact Acme Corp: wants ROI proof · /trends · /leaderboard · /flag-tactic · /gemba help"><button class="btn primary" type="submit">Send</button></div>
<ul id="mention-list" class="mentions" role="listbox" aria-label="Mention" hidden></ul>
<div id="composer-hint" class="hint">Mention as in Slack, with @ and # (a list opens as you type): people by name (@${esc(
        example('@'),
      )}), user groups (@${esc(example('@', 'user group'))}), channels (#${esc(example('#'))}).</div></form>
<script type="application/json" id="mention-data">${scriptJson(choices)}</script>`
}
</main></div>
<dialog id="confirm"><h3></h3><p></p><div class="foot"><button class="btn" value="deny"></button><button class="btn primary" value="ok"></button></div></dialog>
<script>${SCRIPT}</script>
</body></html>`;
}

const CSS = `
*{box-sizing:border-box}html,body{height:100%}
body{margin:0;font:15px/1.46 -apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1d1c1d;background:#fff;display:flex;flex-direction:column;height:100vh;height:100dvh}
.top{display:flex;justify-content:space-between;align-items:center;background:#3f0e40;color:#fff;padding:8px 16px;gap:8px 12px;flex-wrap:wrap;flex-shrink:0}
.brand{font-weight:700;font-size:17px}.brand span{font-weight:400;font-size:13px;opacity:.75;margin-left:8px}
.clock{display:flex;align-items:center;gap:6px 8px;font-size:13px;flex-wrap:wrap}#now{margin-right:4px}
.layout{display:flex;flex:1;min-height:0}
.side{width:250px;background:#4a154b;color:#e9dfea;padding:12px 8px;overflow:auto;flex-shrink:0}
.side .section{margin:16px 8px 4px;font-size:13px;opacity:.8}
.nav{display:block;color:#e9dfea;text-decoration:none;padding:4px 10px;border-radius:6px}.nav:hover{background:#350d36}.nav.active{background:#1164a3;color:#fff}
.picker{display:block;font-size:12px;margin:0 8px}.picker-row{display:flex;gap:4px;margin-top:4px}.picker select{flex:1;min-width:0;padding:5px;border-radius:6px;border:0;font-size:13px}
.role{font-size:12px;opacity:.7;margin:4px 8px}
main{flex:1;display:flex;flex-direction:column;min-width:0;min-height:0}
.pane-title{font-weight:700;font-size:17px;padding:12px 20px;border-bottom:1px solid #ddd}
#pane{flex:1;overflow:auto;min-height:0;overflow-anchor:none}
.timeline{padding:8px 0}.empty{color:#616061;padding:20px}
.msg{display:flex;gap:10px;padding:8px 20px}.msg:hover{background:#f8f8f8}
.msg.ephemeral{background:#f4f8fb;border-left:3px solid #1d9bd1}
.avatar{width:36px;height:36px;border-radius:6px;background:#e8912d;color:#fff;display:flex;align-items:center;justify-content:center;font-weight:700;flex-shrink:0}.avatar.bot{background:#2eb67d}
.msg-body{min-width:0;flex:1}.msg-head{font-size:15px}.app{font-size:10px;background:#ddd;border-radius:3px;padding:1px 3px;color:#555}.time{color:#616061;font-size:12px}
.only-you{color:#616061;font-size:12px;margin-top:4px}
.b-section{display:flex;gap:12px;margin:4px 0;justify-content:space-between}.b-section-main{flex:1;min-width:0;overflow-wrap:anywhere}
.b-fields{display:grid;grid-template-columns:1fr 1fr;gap:6px 16px;margin-top:6px}
.b-header{font-weight:900;font-size:18px;margin:8px 0 4px}.b-divider{border:0;border-top:1px solid #ddd;margin:10px 0}
.b-context{display:flex;gap:8px;align-items:center;color:#616061;font-size:12px;margin:4px 0;flex-wrap:wrap}.b-context img{width:20px;height:20px}
.b-actions{display:flex;gap:8px;flex-wrap:wrap;margin:8px 0}
.b-image{margin:8px 0}.b-image img{max-width:min(480px,100%);height:auto;border:1px solid #ddd;border-radius:8px}.b-image figcaption{font-size:13px;color:#616061}
.file{display:inline-flex;gap:10px;align-items:center;margin:8px 0;padding:8px 12px;border:1px solid #ddd;border-radius:8px;color:#1d1c1d;text-decoration:none;max-width:100%}.file:hover{background:#f8f8f8}
.file-icon{font-size:24px}.file-meta{font-size:12px;color:#616061}.file.missing{color:#616061;font-size:13px}
.b-thumb{width:72px;height:72px;border-radius:6px}
.mention{background:#e8f5fa;color:#1264a3;border-radius:3px;padding:0 2px}
code{background:#f6f6f6;border:1px solid #ddd;border-radius:3px;padding:0 3px;color:#e01e5a;font-size:13px}pre{background:#f8f8f8;border:1px solid #ddd;border-radius:4px;padding:8px;white-space:pre-wrap;font-size:13px}
.quote{border-left:4px solid #ddd;padding-left:8px;display:inline-block}
.btn{font:inherit;font-size:14px;font-weight:700;border:1px solid #bbb;background:#fff;color:#1d1c1d;border-radius:6px;padding:4px 12px;cursor:pointer;text-decoration:none}
.btn:hover{background:#f4f4f4}.btn.primary{background:#007a5a;border-color:#007a5a;color:#fff}.btn.danger{background:#fff;color:#e01e5a;border-color:#e01e5a}
.btn.small{font-size:12px;padding:2px 8px}.top .btn{background:#fff}
:focus-visible{outline:2px solid #1d9bd1;outline-offset:2px}
.composer{position:relative;padding:10px 20px 8px;border-top:1px solid #ddd;flex-shrink:0}
.composer-row{display:flex;gap:8px}.composer input{flex:1;min-width:0;font:inherit;padding:8px 10px;border:1px solid #bbb;border-radius:8px}
.composer .hint{margin-top:4px}
.mentions{position:absolute;bottom:100%;left:20px;right:20px;margin:0 0 4px;padding:4px 0;list-style:none;background:#fff;border:1px solid #bbb;border-radius:8px;box-shadow:0 4px 16px rgba(0,0,0,.15);max-height:260px;overflow:auto;z-index:5}
.mentions li{padding:4px 12px;cursor:pointer}.mentions li[aria-selected="true"]{background:#1164a3;color:#fff}.mentions li small{opacity:.75;margin-left:8px}
.home{padding:12px 20px;max-width:760px}
.overlay{position:fixed;inset:0;background:rgba(0,0,0,.45);display:flex;align-items:center;justify-content:center;z-index:10}
.modal{background:#fff;border-radius:10px;width:min(520px,95vw);max-height:90vh;display:flex;flex-direction:column;box-shadow:0 10px 40px rgba(0,0,0,.3)}
.modal-head{display:flex;justify-content:space-between;align-items:center;padding:16px 20px;font-weight:900;font-size:20px}
.modal-head .x{border:0;background:none;font-size:24px;cursor:pointer}
.modal-body{padding:0 20px;overflow:auto}.modal-foot{display:flex;justify-content:flex-end;gap:8px;padding:16px 20px;border-top:1px solid #ddd}
.b-input{margin:12px 0}.b-input label{display:block;font-weight:700;margin-bottom:4px}.optional{font-weight:400;color:#616061}
.b-input input,.b-input select,.b-input textarea{width:100%;font:inherit;padding:8px;border:1px solid #bbb;border-radius:6px}
.b-input.has-error input,.b-input.has-error select,.b-input.has-error textarea{border-color:#e01e5a}
.hint{font-size:13px;color:#616061;margin-top:2px}.error{color:#e01e5a;font-size:13px;margin-top:4px}
.unsupported{color:#999;font-size:12px}
dialog{border:0;border-radius:10px;padding:20px;width:min(420px,90vw);box-shadow:0 10px 40px rgba(0,0,0,.3)}dialog h3{margin:0 0 8px}dialog .foot{display:flex;justify-content:flex-end;gap:8px}
dialog::backdrop{background:rgba(0,0,0,.45)}
@media (max-width:700px){
.brand span{display:none}.top{padding:6px 10px}
.layout{flex-direction:column}
.side{width:auto;display:flex;flex-wrap:wrap;align-items:center;gap:4px 6px;padding:6px 8px;max-height:30vh}
.side .section,.role{display:none}.picker{margin:0 4px 0 0;flex:1 1 100%}.nav{padding:2px 8px;font-size:14px}
.pane-title{padding:8px 12px;font-size:15px}.msg{padding:8px 12px}.composer{padding:8px 12px 6px}.mentions{left:12px;right:12px}
.composer .hint{display:none}.b-fields{grid-template-columns:1fr}
}
`;

/**
 * The page's script: sends what you do to the sandbox server and swaps the pane when the workspace
 * changes, keeping what is being typed into an open modal; the keyboard works as in Slack's modals
 * (focus moves in, Tab stays in, Escape cancels); the composer offers @ and # mentions.
 */
const SCRIPT = `
const user = document.body.dataset.user, pane = document.body.dataset.pane;
const holder = document.getElementById('pane');
let version = Number(document.getElementById('pane-inner').dataset.version);
let busy = 0;
document.body.dataset.busy = '0';
function setBusy(d){ busy += d; document.body.dataset.busy = String(busy); }
function showNow(){ const p = document.getElementById('pane-inner'); document.getElementById('now').textContent = p ? p.dataset.now : ''; }
// Whether the timeline follows its end: true until the reader scrolls up, and again once they are back at the end.
let stick = true;
holder.addEventListener('scroll', () => { stick = holder.scrollHeight - holder.scrollTop - holder.clientHeight < 40; });
function scrollDown(){
  if (pane === 'home') return;
  holder.scrollTop = holder.scrollHeight;
  stick = true;
  // Charts load after the first layout and make the timeline taller: follow them to the end.
  for (const img of holder.querySelectorAll('img')) {
    if (!img.complete) img.addEventListener('load', () => { if (stick) holder.scrollTop = holder.scrollHeight; }, { once: true });
  }
}
const FOCUSABLE = 'input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled]), button:not([disabled]), a[href], [tabindex]:not([tabindex="-1"])';
function focusables(root){ return [...root.querySelectorAll(FOCUSABLE)].filter((el) => el.offsetParent !== null || el === document.activeElement); }
function modalForm(){ return document.getElementById('modal'); }
// While a modal is open the rest of the page is inert, as behind Slack's modals.
function markInert(){
  const open = Boolean(modalForm());
  for (const el of [document.querySelector('.top'), document.querySelector('.side'), document.querySelector('.pane-title'), document.getElementById('composer'), document.getElementById('timeline'), document.querySelector('.home')]) if (el) el.inert = open;
}
function focusFirst(form){
  const first = form.querySelector('[data-input]') || focusables(form)[0];
  if (first) first.focus();
}
/** What is typed in the open modal, and where the caret is, to put back after the pane is redrawn. */
function modalState(){
  const form = modalForm();
  if (!form) return null;
  const values = {};
  for (const el of form.querySelectorAll('[data-input]')) values[el.name] = el.value;
  const a = document.activeElement;
  let focus = null;
  if (a && form.contains(a)) focus = { name: a.name || null, index: focusables(form).indexOf(a), start: typeof a.selectionStart === 'number' ? a.selectionStart : null, end: typeof a.selectionEnd === 'number' ? a.selectionEnd : null };
  const body = form.querySelector('.modal-body');
  return { view: form.dataset.view, values, focus, scroll: body ? body.scrollTop : 0 };
}
/** The pane's buttons (the timeline's or the Home tab's, not an open modal's). */
function paneButtons(){ return [...holder.querySelectorAll('button[data-action]')].filter((b) => !b.closest('#modal')); }
/** A button in the timeline or the Home tab, by what it does and where it is: the same button after the pane is redrawn. */
function buttonKey(el){ return el && el.matches && el.matches('button[data-action]') && !el.closest('#modal') ? { action: el.dataset.action, value: el.dataset.value, ts: el.dataset.ts, surface: el.dataset.surface, index: paneButtons().indexOf(el) } : null; }
function findButton(k){ return k ? paneButtons().find((b) => b.dataset.action === k.action && b.dataset.value === k.value && b.dataset.ts === k.ts && b.dataset.surface === k.surface) : undefined; }
// The button that opened the open modal: the focus goes back to it when the modal closes, as in Slack.
let opener = null;
/**
 * Gives the focus back to a button after a redraw. When that button is gone, the Home tab's button in
 * its place (Snooze a week becomes Resume nudges), or else the composer (an Undo replaced its message).
 */
function focusBack(k, o){
  const b = findButton(k) || (k && k.surface === 'home' ? paneButtons()[Math.min(k.index, paneButtons().length - 1)] : undefined);
  if (b) { b.focus(o); return; }
  const c = document.getElementById('composer-input');
  if (c) c.focus(o);
}
function restoreModal(before, keepValues){
  const form = modalForm();
  markInert();
  if (!form) { if (before) { focusBack(opener); opener = null; } return; }
  if (!before || before.view !== form.dataset.view) { focusFirst(form); return; }
  if (keepValues) for (const el of form.querySelectorAll('[data-input]')) if (Object.prototype.hasOwnProperty.call(before.values, el.name)) el.value = before.values[el.name];
  const body = form.querySelector('.modal-body');
  if (body) body.scrollTop = before.scroll;
  if (!before.focus) return;
  const el = (before.focus.name && form.querySelector('[name="' + CSS.escape(before.focus.name) + '"]')) || focusables(form)[before.focus.index];
  if (!el) return;
  el.focus();
  if (before.focus.start !== null && typeof el.setSelectionRange === 'function') { try { el.setSelectionRange(before.focus.start, before.focus.end); } catch {} }
}
showNow(); scrollDown(); restoreModal(null, false);
/** Redraws the pane. After a submit the server's view is the truth; otherwise what is being typed in the same modal stays. */
async function refresh(after){
  const r = await fetch('/pane?as=' + encodeURIComponent(user) + '&pane=' + encodeURIComponent(pane));
  const html = await r.text();
  const before = modalState();
  const follow = stick || after !== 'poll';
  // A focused button in the pane is about to be replaced: keyboard users keep their place.
  const focused = buttonKey(document.activeElement);
  holder.innerHTML = html;
  version = Number(document.getElementById('pane-inner').dataset.version);
  showNow();
  if (follow) scrollDown();
  restoreModal(before, after !== 'submit');
  if (focused && !modalForm() && (!document.activeElement || document.activeElement === document.body)) focusBack(focused, { preventScroll: after === 'poll' });
}
async function act(what, body){
  setBusy(1);
  try {
    const r = await fetch('/do/' + what, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(Object.assign({ user }, body)) });
    // Read whatever comes back: an unread body stays pending, and is shown as a failed request once the page moves on.
    const answer = await r.text();
    if (!r.ok) alert(answer);
    await refresh(what);
  } finally { setBusy(-1); }
}
setInterval(async () => {
  if (busy) return;
  try { const r = await fetch('/version'); const v = (await r.json()).version; if (v !== version && !busy) await refresh('poll'); } catch {}
}, 1500);
// Acting as: a pick with the mouse switches at once; with the keyboard, arrows only move the choice and Enter (or Switch) switches.
const as = document.getElementById('as');
let keyed = false;
as.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); as.form.requestSubmit(); } else keyed = true; });
as.addEventListener('pointerdown', () => { keyed = false; });
as.addEventListener('change', () => { if (!keyed) as.form.requestSubmit(); });
const composer = document.getElementById('composer');
const input = document.getElementById('composer-input');
const list = document.getElementById('mention-list');
const choices = composer ? JSON.parse(document.getElementById('mention-data').textContent) : [];
let matches = [], active = 0, token = null;
/** The @name or #channel being typed before the caret, if any. */
function mentionToken(){
  const upto = input.value.slice(0, input.selectionStart);
  const m = /(^|[^\\p{L}\\p{N}_@#<-])([@#])([^@#<>]{0,40})$/u.exec(upto);
  return m ? { start: upto.length - m[2].length - m[3].length, mark: m[2], query: m[3].toLowerCase() } : null;
}
function closeList(){ matches = []; list.hidden = true; list.innerHTML = ''; input.setAttribute('aria-expanded', 'false'); input.removeAttribute('aria-activedescendant'); }
function showList(){
  token = mentionToken();
  matches = token ? choices.filter((c) => c.mark === token.mark && (c.label.toLowerCase().startsWith(token.query) || (!token.query.includes(' ') && c.label.toLowerCase().split(/[\\s.-]/).some((w) => w.startsWith(token.query))))).slice(0, 8) : [];
  if (!matches.length || (matches.length === 1 && matches[0].label.toLowerCase() === token.query)) { closeList(); return; }
  active = Math.min(active, matches.length - 1);
  list.innerHTML = matches.map((c, i) => '<li role="option" id="mention-' + i + '" aria-selected="' + (i === active) + '" data-i="' + i + '"></li>').join('');
  list.querySelectorAll('li').forEach((li, i) => { li.textContent = matches[i].mark + matches[i].label; const n = document.createElement('small'); n.textContent = matches[i].note; li.appendChild(n); });
  list.hidden = false;
  input.setAttribute('aria-expanded', 'true');
  input.setAttribute('aria-activedescendant', 'mention-' + active);
}
function pick(i){
  const c = matches[i];
  if (!c || !token) return;
  const caret = input.selectionStart;
  const text = c.mark + c.label + ' ';
  input.value = input.value.slice(0, token.start) + text + input.value.slice(caret);
  const at = token.start + text.length;
  input.setSelectionRange(at, at);
  closeList();
  input.focus();
}
if (composer) {
  input.addEventListener('input', () => { active = 0; showList(); });
  input.addEventListener('blur', () => setTimeout(closeList, 150));
  input.addEventListener('keydown', (e) => {
    if (list.hidden) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') { e.preventDefault(); active = (active + (e.key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length; showList(); }
    else if (e.key === 'Enter' || e.key === 'Tab') { e.preventDefault(); pick(active); }
    else if (e.key === 'Escape') { e.preventDefault(); closeList(); }
  });
  list.addEventListener('mousedown', (e) => { const li = e.target.closest('li'); if (li) { e.preventDefault(); pick(Number(li.dataset.i)); } });
  composer.addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    if (!text.startsWith('/')) { alert('The sandbox only takes slash commands, e.g. /contact Acme Corp'); return; }
    input.value = '';
    closeList();
    opener = null;
    await act('command', { channel: pane, text });
  });
}
function confirmFirst(spec){
  return new Promise((resolve) => {
    const d = document.getElementById('confirm');
    d.querySelector('h3').innerHTML = spec.title; d.querySelector('p').innerHTML = spec.text;
    const [deny, ok] = d.querySelectorAll('button');
    deny.innerHTML = spec.deny; ok.innerHTML = spec.confirm; ok.className = 'btn ' + (spec.danger ? 'danger' : 'primary');
    let answered = false;
    const answer = (yes) => { if (answered) return; answered = true; if (d.open) d.close(); resolve(yes); };
    deny.onclick = () => answer(false); ok.onclick = () => answer(true);
    // Escape closes the dialog: that is a No.
    d.onclose = () => answer(false);
    d.showModal();
  });
}
document.addEventListener('keydown', (e) => {
  const form = modalForm();
  if (!form || document.getElementById('confirm').open) return;
  if (e.key === 'Escape') { e.preventDefault(); act('close', {}); return; }
  if (e.key !== 'Tab') return;
  const f = focusables(form);
  if (!f.length) return;
  const first = f[0], last = f[f.length - 1];
  if (!form.contains(document.activeElement)) { e.preventDefault(); (e.shiftKey ? last : first).focus(); }
  else if (e.shiftKey && document.activeElement === first) { e.preventDefault(); last.focus(); }
  else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); first.focus(); }
});
document.addEventListener('click', async (e) => {
  const clock = e.target.closest('[data-clock]');
  if (clock) { await act('clock', { to: clock.dataset.clock }); return; }
  const close = e.target.closest('[data-close]');
  if (close) { await act('close', {}); return; }
  const b = e.target.closest('button[data-action]');
  if (!b) return;
  if (b.dataset.confirm && !(await confirmFirst(JSON.parse(b.dataset.confirm)))) return;
  if (!b.closest('#modal')) opener = buttonKey(b);
  await act('click', { actionId: b.dataset.action, blockId: b.dataset.block, value: b.dataset.value, surface: b.dataset.surface, channel: b.dataset.channel, ts: b.dataset.ts, viewId: b.dataset.view, text: b.textContent });
});
document.addEventListener('submit', async (e) => {
  if (e.target.id !== 'modal') return;
  e.preventDefault();
  const values = {};
  for (const el of e.target.querySelectorAll('[data-input]')) {
    const [block, action] = el.name.split('::');
    const type = el.dataset.input;
    let state;
    if (type === 'static_select') state = { type, selected_option: el.value ? { text: { type: 'plain_text', text: el.selectedOptions[0].textContent }, value: el.value } : null };
    else if (type === 'datepicker') state = { type, selected_date: el.value || null };
    else state = { type, value: el.value === '' ? null : el.value };
    (values[block] = values[block] || {})[action] = state;
  }
  await act('submit', { values });
});
`;
