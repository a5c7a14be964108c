/**
 * What the sandbox's people see: channel and DM timelines, ephemeral replies, open modals and Home
 * tabs. Built only from what the app sent — Web API calls observed on the Slack simulator and
 * response_url posts — the way Slack would show them. Saved to a JSON file beside the database.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { StoredFile } from './files.js';
import type { RecordedCall, SlackArgs } from './slack-simulator.js';

export interface Msg {
  ts: string;
  channel: string;
  /** Who wrote it: the bot ('UBOT') or a person (a slash command echoed in the channel). */
  author: string;
  text: string;
  blocks?: unknown[];
  /** Only this user sees it (ephemeral). */
  onlyFor?: string;
  /** Uploaded files shared in the channel: charts, the admin's CSV export. */
  files?: Array<{ id: string; title: string; alt: string; name?: string; type?: string }>;
  /** The message metadata the app posted it with (a nudge's day), so a restarted simulator can still read it back. */
  metadata?: Record<string, unknown>;
  /** Sandbox time it appeared. */
  at: number;
}

export interface OpenView {
  id: string;
  view: Record<string, unknown>;
  /** Inline errors from response_action: errors, by block_id. */
  errors?: Record<string, string>;
}

export interface ResponseTarget {
  user: string;
  channel: string;
  /** The message the button was on, for replace_original / delete_original. */
  messageTs?: string;
}

interface Saved {
  messages: Msg[];
  homes: Record<string, Record<string, unknown>>;
  clockOffsetMs: number;
  seq: number;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

export class Workspace {
  messages: Msg[] = [];
  homes = new Map<string, Record<string, unknown>>();
  /** Modal stacks by user. */
  modals = new Map<string, OpenView[]>();
  clockOffsetMs = 0;
  /** Bumped on every change; the page polls it. */
  version = 0;
  private seq = 0;
  private readonly triggers = new Map<string, string>();
  private readonly responses = new Map<string, ResponseTarget>();
  private saveTimer: NodeJS.Timeout | null = null;
  /** What the file store knows of an uploaded file (its name, type and the alt text its upload carried). */
  describeFile: (id: string) => StoredFile | undefined = () => undefined;

  constructor(
    private readonly file: string | null,
    private readonly now: () => number,
  ) {
    if (file && existsSync(file)) {
      const saved = JSON.parse(readFileSync(file, 'utf8')) as Saved;
      this.messages = saved.messages;
      this.homes = new Map(Object.entries(saved.homes));
      this.clockOffsetMs = saved.clockOffsetMs;
      this.seq = saved.seq;
    }
  }

  /** A ts unique in this workspace, ordered like Slack's. */
  nextTs(): string {
    this.seq += 1;
    return `${Math.floor(this.now() / 1000)}.${String(this.seq).padStart(6, '0')}`;
  }

  /** A trigger id that remembers who clicked, so views.open knows whose screen the modal goes on. */
  trigger(user: string): string {
    const id = `${Date.now()}.${this.seq++}.sandbox`;
    this.triggers.set(id, user);
    return id;
  }

  /** Registers where a response_url's posts go. */
  expectResponses(key: string, target: ResponseTarget): void {
    this.responses.set(key, target);
  }

  post(m: Omit<Msg, 'ts' | 'at'> & { ts?: string }): Msg {
    const msg: Msg = { ...m, ts: m.ts ?? this.nextTs(), at: this.now() };
    this.messages.push(msg);
    this.changed();
    return msg;
  }

  /** What `user` sees in `channel`, oldest first. */
  timeline(channel: string, user: string): Msg[] {
    return this.messages.filter((m) => m.channel === channel && (m.onlyFor === undefined || m.onlyFor === user));
  }

  topModal(user: string): OpenView | undefined {
    const stack = this.modals.get(user);
    return stack?.[stack.length - 1];
  }

  closeModal(user: string, all = false): void {
    const stack = this.modals.get(user) ?? [];
    if (all) stack.length = 0;
    else stack.pop();
    this.changed();
  }

  /** Applies a Web API call the app made (seen on the simulator). */
  apply(call: RecordedCall): void {
    const ok = isRecord(call.response) && call.response.ok === true;
    const a = call.args;
    if (call.method === 'response_url') {
      this.respond(a);
      return;
    }
    if (!ok || !isRecord(call.response)) return;
    const r = call.response;
    switch (call.method) {
      case 'chat.postMessage':
        this.post({
          ts: str(r.ts),
          channel: str(r.channel),
          author: 'UBOT',
          text: str(a.text),
          blocks: blocksOf(a),
          ...(isRecord(a.metadata) ? { metadata: a.metadata } : {}),
        });
        break;
      case 'chat.postEphemeral':
        this.post({ channel: dm(str(a.channel)), author: 'UBOT', text: str(a.text), blocks: blocksOf(a), onlyFor: str(a.user) });
        break;
      case 'chat.update': {
        const m = this.messages.find((x) => x.ts === str(a.ts));
        if (m) {
          m.text = str(a.text);
          m.blocks = blocksOf(a);
          this.changed();
        }
        break;
      }
      case 'chat.delete':
        this.messages = this.messages.filter((x) => x.ts !== str(a.ts));
        this.changed();
        break;
      case 'views.open':
      case 'views.push': {
        const user = this.triggers.get(str(a.trigger_id ?? a.interactivity_pointer));
        const view = isRecord(r.view) ? r.view : undefined;
        if (!user || !view) break;
        const stack = this.modals.get(user) ?? [];
        if (call.method === 'views.open') stack.length = 0;
        stack.push({ id: str(view.id), view });
        this.modals.set(user, stack);
        this.changed();
        break;
      }
      case 'views.update': {
        const view = isRecord(r.view) ? r.view : undefined;
        if (!view) break;
        for (const stack of this.modals.values()) {
          const i = stack.findIndex((v) => v.id === str(a.view_id));
          if (i >= 0) stack[i] = { id: stack[i].id, view: { ...view, id: stack[i].id } };
        }
        this.changed();
        break;
      }
      case 'views.publish':
        if (isRecord(a.view)) this.homes.set(str(a.user_id), a.view);
        this.changed();
        break;
      case 'files.completeUploadExternal': {
        const channel = str(a.channel_id);
        const files = (Array.isArray(a.files) ? a.files : []).filter(isRecord);
        if (!channel || files.length === 0) break;
        this.post({
          channel,
          author: 'UBOT',
          text: str(a.initial_comment),
          files: files.map((f) => {
            const known = this.describeFile(str(f.id));
            const title = str(f.title ?? known?.name);
            return { id: str(f.id), title, alt: known?.alt || title, ...(known ? { name: known.name, type: known.type } : {}) };
          }),
        });
        break;
      }
      default:
        break;
    }
  }

  /** A post to a response_url (from `respond()`). */
  private respond(a: SlackArgs): void {
    const target = this.responses.get(str(a._key));
    if (!target) return;
    const original = target.messageTs ? this.messages.find((m) => m.ts === target.messageTs) : undefined;
    if (a.delete_original === true || a.delete_original === 'true') {
      if (original) this.messages = this.messages.filter((m) => m !== original);
      this.changed();
      return;
    }
    if ((a.replace_original === true || a.replace_original === 'true') && original) {
      original.text = str(a.text);
      original.blocks = blocksOf(a);
      this.changed();
      return;
    }
    if (a.text === undefined && a.blocks === undefined) return;
    const inChannel = a.response_type === 'in_channel';
    this.post({
      channel: target.channel,
      author: 'UBOT',
      text: str(a.text),
      blocks: blocksOf(a),
      onlyFor: inChannel ? undefined : target.user,
    });
  }

  changed(): void {
    this.version += 1;
    if (!this.file || this.saveTimer) return;
    this.saveTimer = setTimeout(() => this.save(), 200);
  }

  save(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    if (!this.file) return;
    const saved: Saved = {
      messages: this.messages,
      homes: Object.fromEntries(this.homes),
      clockOffsetMs: this.clockOffsetMs,
      seq: this.seq,
    };
    writeFileSync(this.file, JSON.stringify(saved));
  }
}

function blocksOf(a: SlackArgs): unknown[] | undefined {
  return Array.isArray(a.blocks) ? a.blocks : undefined;
}

/** Posting to a user id lands in the DM with the bot. */
function dm(channel: string): string {
  return /^[UW]/.test(channel) ? `D${channel}` : channel;
}
