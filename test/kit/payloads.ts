/**
 * Factories for the request bodies Slack sends to the app (slack-platform.md §1, §3, §4).
 * Each returns `{ body, contentType }`, ready to spread into `postSigned(url, { secret, ...payload })`.
 */
import { randomBytes } from 'node:crypto';
import type { SlackContentType } from './sign.js';

export interface SlackPayload {
  body: string;
  contentType: SlackContentType;
}

export const DEFAULT_TEAM_ID = 'T0001';
export const DEFAULT_USER_ID = 'U0001';
export const DEFAULT_CHANNEL_ID = 'C0001';
export const API_APP_ID = 'A0001';
export const VERIFICATION_TOKEN = 'legacy-verification-token';
/**
 * Used when a test gives no responseUrl. Nothing listens on port 1, so a stray
 * `respond()` fails fast and locally instead of reaching hooks.slack.com.
 */
export const UNSET_RESPONSE_URL = 'http://127.0.0.1:1/response-url-not-set';

let seq = 0;
const next = (): number => ++seq;

/** Unique trigger id in Slack's format, e.g. `1001.1700000000.3f9a1c`. */
export function newTriggerId(): string {
  return `${1000 + next()}.${Math.floor(Date.now() / 1000)}.${randomBytes(3).toString('hex')}`;
}

/** A Slack-style timestamp string, e.g. `1700000123.000100`. */
export function slackTs(date: Date = new Date()): string {
  return `${Math.floor(date.getTime() / 1000)}.${String(next() % 1_000_000).padStart(6, '0')}`;
}

/** `a=1&b=2` with encodeURIComponent on both sides (spaces become %20). */
export function formEncode(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
}

function interactive(payload: object): SlackPayload {
  return { body: formEncode({ payload: JSON.stringify(payload) }), contentType: 'application/x-www-form-urlencoded' };
}

function defaultUserName(userId: string): string {
  return `user_${userId.toLowerCase()}`;
}

function teamDomain(teamId: string): string {
  return `team-${teamId.toLowerCase()}`;
}

// ---------------------------------------------------------------- slash commands

export interface SlashCommandParams {
  command: string;
  text?: string;
  userId?: string;
  teamId?: string;
  channelId?: string;
  responseUrl?: string;
  triggerId?: string;
  userName?: string;
  channelName?: string;
  /** Enterprise Grid: the org of the workspace, and whether Gemba is installed org-wide. */
  enterpriseId?: string;
  isEnterpriseInstall?: boolean;
}

export function slashCommand(p: SlashCommandParams): SlackPayload {
  const teamId = p.teamId ?? DEFAULT_TEAM_ID;
  const userId = p.userId ?? DEFAULT_USER_ID;
  const channelId = p.channelId ?? DEFAULT_CHANNEL_ID;
  const fields: Record<string, string> = {
    token: VERIFICATION_TOKEN,
    team_id: teamId,
    team_domain: teamDomain(teamId),
    channel_id: channelId,
    channel_name: p.channelName ?? (channelId.startsWith('D') ? 'directmessage' : 'general'),
    user_id: userId,
    user_name: p.userName ?? defaultUserName(userId),
    command: p.command,
    text: p.text ?? '',
    api_app_id: API_APP_ID,
    is_enterprise_install: p.isEnterpriseInstall ? 'true' : 'false',
    ...(p.enterpriseId !== undefined ? { enterprise_id: p.enterpriseId, enterprise_name: `Org ${p.enterpriseId}` } : {}),
    response_url: p.responseUrl ?? UNSET_RESPONSE_URL,
    trigger_id: p.triggerId ?? newTriggerId(),
  };
  return { body: formEncode(fields), contentType: 'application/x-www-form-urlencoded' };
}

// ---------------------------------------------------------------- block_actions

export interface BlockActionsParams {
  actionId: string;
  value?: string;
  blockId?: string;
  userId?: string;
  teamId?: string;
  /** null: no response_url at all, as for buttons on the Home tab. */
  responseUrl?: string | null;
  triggerId?: string;
  /** The surface the button lives in (Home tab or modal). Adds `view`, `state` and a view container. */
  view?: object;
  /** Message-based action: adds `channel`, `message` and a message container. */
  channelId?: string;
  messageTs?: string;
  /** Merged into the action object, e.g. `{ type: 'static_select', selected_option: {...} }`. */
  action?: Record<string, unknown>;
}

export function blockActions(p: BlockActionsParams): SlackPayload {
  const teamId = p.teamId ?? DEFAULT_TEAM_ID;
  const userId = p.userId ?? DEFAULT_USER_ID;
  const messageTs = p.messageTs ?? slackTs();
  const action: Record<string, unknown> = {
    type: 'button',
    action_id: p.actionId,
    block_id: p.blockId ?? `b_${p.actionId}`,
    text: { type: 'plain_text', text: p.actionId, emoji: true },
    action_ts: slackTs(),
    ...(p.value !== undefined ? { value: p.value } : {}),
    ...(p.action ?? {}),
  };
  const payload: Record<string, unknown> = {
    type: 'block_actions',
    team: { id: teamId, domain: teamDomain(teamId) },
    user: { id: userId, username: defaultUserName(userId), name: defaultUserName(userId), team_id: teamId },
    api_app_id: API_APP_ID,
    token: VERIFICATION_TOKEN,
    is_enterprise_install: false,
    trigger_id: p.triggerId ?? newTriggerId(),
    ...(p.responseUrl === null ? {} : { response_url: p.responseUrl ?? UNSET_RESPONSE_URL }),
    actions: [action],
  };
  if (p.view !== undefined) {
    const given = p.view as Record<string, unknown>;
    const view = {
      id: `V${String(next()).padStart(8, '0')}`,
      team_id: teamId,
      type: 'home',
      blocks: [],
      private_metadata: '',
      callback_id: '',
      state: { values: {} },
      hash: `${Math.floor(Date.now() / 1000)}.abc`,
      app_id: API_APP_ID,
      bot_id: 'BBOT',
      ...given,
    };
    payload.view = view;
    payload.state = view.state;
    payload.container = { type: 'view', view_id: view.id };
  } else if (p.channelId !== undefined) {
    payload.container = { type: 'message', message_ts: messageTs, channel_id: p.channelId, is_ephemeral: false };
  } else {
    payload.container = { type: 'message', message_ts: messageTs, is_ephemeral: true };
  }
  if (p.channelId !== undefined) {
    payload.channel = { id: p.channelId, name: p.channelId.startsWith('D') ? 'directmessage' : 'general' };
    payload.message = { type: 'message', ts: messageTs, user: 'UBOT', bot_id: 'BBOT', text: '', blocks: [] };
  }
  return interactive(payload);
}

// ---------------------------------------------------------------- view_submission

export interface ViewSubmissionParams {
  callbackId: string;
  /** `view.state.values`: `{ [block_id]: { [action_id]: stateValue } }`. */
  values: Record<string, Record<string, any>>;
  privateMetadata?: string;
  userId?: string;
  teamId?: string;
  viewId?: string;
  /** Entries for `response_urls` (only present when an input block asked for one). */
  responseUrls?: Array<{ block_id: string; action_id: string; channel_id: string; response_url: string }>;
}

export function viewSubmission(p: ViewSubmissionParams): SlackPayload {
  const teamId = p.teamId ?? DEFAULT_TEAM_ID;
  const userId = p.userId ?? DEFAULT_USER_ID;
  const viewId = p.viewId ?? `V${String(next()).padStart(8, '0')}`;
  return interactive({
    type: 'view_submission',
    team: { id: teamId, domain: teamDomain(teamId) },
    user: { id: userId, username: defaultUserName(userId), name: defaultUserName(userId), team_id: teamId },
    api_app_id: API_APP_ID,
    token: VERIFICATION_TOKEN,
    trigger_id: newTriggerId(),
    is_enterprise_install: false,
    view: {
      id: viewId,
      team_id: teamId,
      type: 'modal',
      callback_id: p.callbackId,
      private_metadata: p.privateMetadata ?? '',
      state: { values: p.values },
      hash: `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`,
      title: { type: 'plain_text', text: 'Gemba', emoji: true },
      blocks: [],
      root_view_id: viewId,
      previous_view_id: null,
      external_id: '',
      clear_on_close: false,
      notify_on_close: false,
      app_id: API_APP_ID,
      bot_id: 'BBOT',
    },
    response_urls: p.responseUrls ?? [],
  });
}

/** State value of a `plain_text_input`. */
export function plainInput(value: string | null): { type: 'plain_text_input'; value: string | null } {
  return { type: 'plain_text_input', value };
}

/** State value of a `static_select` (null = nothing selected). */
export function staticSelect(value: string | null): {
  type: 'static_select';
  selected_option: { text: { type: 'plain_text'; text: string }; value: string } | null;
} {
  return {
    type: 'static_select',
    selected_option: value !== null ? { text: { type: 'plain_text', text: value }, value } : null,
  };
}

/** State value of a `datepicker` (`YYYY-MM-DD` or null). */
export function datePicker(date: string | null): { type: 'datepicker'; selected_date: string | null } {
  return { type: 'datepicker', selected_date: date };
}

// ---------------------------------------------------------------- Events API

export function eventCallback(event: object, p: { teamId?: string; eventId?: string } = {}): SlackPayload {
  const teamId = p.teamId ?? DEFAULT_TEAM_ID;
  const envelope = {
    token: VERIFICATION_TOKEN,
    team_id: teamId,
    api_app_id: API_APP_ID,
    event,
    type: 'event_callback',
    event_id: p.eventId ?? `Ev${String(next()).padStart(8, '0')}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: teamId, user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  };
  return { body: JSON.stringify(envelope), contentType: 'application/json' };
}

export function appHomeOpened(userId: string, teamId?: string): SlackPayload {
  return eventCallback({ type: 'app_home_opened', user: userId, channel: `D${userId}`, tab: 'home', event_ts: slackTs() }, { teamId });
}

/** Slack's URL verification handshake (must be signed for Bolt). */
export function urlVerification(challenge: string): SlackPayload {
  return {
    body: JSON.stringify({ token: VERIFICATION_TOKEN, challenge, type: 'url_verification' }),
    contentType: 'application/json',
  };
}
