/**
 * The requests Slack sends the app (slash commands, block_actions, view_submission, app_home_opened),
 * built and signed the way Slack does (v0 HMAC-SHA256 over `v0:ts:body`) with the sandbox's own
 * signing secret, and posted to the app's `/slack/events`.
 */
import { createHmac } from 'node:crypto';

export interface SignedAnswer {
  status: number;
  /** The acknowledgement body, parsed when JSON. */
  body: unknown;
}

const form = (fields: Record<string, string>): string =>
  Object.entries(fields)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');

export class SlackRequests {
  constructor(
    private readonly appUrl: string,
    private readonly secret: string,
    private readonly teamId: string,
  ) {}

  private async post(body: string, contentType: string): Promise<SignedAnswer> {
    const ts = Math.floor(Date.now() / 1000);
    const signature = `v0=${createHmac('sha256', this.secret).update(`v0:${ts}:${body}`).digest('hex')}`;
    const res = await fetch(`${this.appUrl}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': contentType, 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signature },
      body,
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // plain text acknowledgement
    }
    return { status: res.status, body: parsed };
  }

  private user(id: string, name: string) {
    return { id, username: name, name, team_id: this.teamId };
  }

  command(p: {
    command: string;
    text: string;
    userId: string;
    userName: string;
    channelId: string;
    channelName: string;
    responseUrl: string;
    triggerId: string;
  }) {
    return this.post(
      form({
        team_id: this.teamId,
        team_domain: 'gemba-sandbox',
        channel_id: p.channelId,
        channel_name: p.channelName,
        user_id: p.userId,
        user_name: p.userName,
        command: p.command,
        text: p.text,
        api_app_id: 'A0001',
        is_enterprise_install: 'false',
        response_url: p.responseUrl,
        trigger_id: p.triggerId,
      }),
      'application/x-www-form-urlencoded',
    );
  }

  blockActions(p: {
    userId: string;
    userName: string;
    triggerId: string;
    action: Record<string, unknown>;
    responseUrl?: string;
    channelId?: string;
    messageTs?: string;
    ephemeral?: boolean;
    view?: Record<string, unknown>;
  }) {
    const payload: Record<string, unknown> = {
      type: 'block_actions',
      team: { id: this.teamId, domain: 'gemba-sandbox' },
      user: this.user(p.userId, p.userName),
      api_app_id: 'A0001',
      is_enterprise_install: false,
      trigger_id: p.triggerId,
      actions: [{ ...p.action, action_ts: String(Date.now() / 1000) }],
      ...(p.responseUrl ? { response_url: p.responseUrl } : {}),
    };
    if (p.view) {
      payload.view = p.view;
      payload.container = { type: 'view', view_id: p.view.id };
      payload.state = p.view.state;
    } else {
      payload.container = { type: 'message', message_ts: p.messageTs, channel_id: p.channelId, is_ephemeral: p.ephemeral === true };
      payload.channel = { id: p.channelId, name: p.channelId?.startsWith('D') ? 'directmessage' : p.channelId };
      if (!p.ephemeral) payload.message = { type: 'message', ts: p.messageTs, user: 'UBOT', bot_id: 'BBOT', text: '', blocks: [] };
    }
    return this.post(form({ payload: JSON.stringify(payload) }), 'application/x-www-form-urlencoded');
  }

  viewSubmission(p: { userId: string; userName: string; triggerId: string; view: Record<string, unknown> }) {
    return this.post(
      form({
        payload: JSON.stringify({
          type: 'view_submission',
          team: { id: this.teamId, domain: 'gemba-sandbox' },
          user: this.user(p.userId, p.userName),
          api_app_id: 'A0001',
          trigger_id: p.triggerId,
          is_enterprise_install: false,
          view: p.view,
          response_urls: [],
        }),
      }),
      'application/x-www-form-urlencoded',
    );
  }

  homeOpened(userId: string) {
    return this.post(
      JSON.stringify({
        team_id: this.teamId,
        api_app_id: 'A0001',
        type: 'event_callback',
        event_id: `Ev${Date.now()}`,
        event_time: Math.floor(Date.now() / 1000),
        event: { type: 'app_home_opened', user: userId, channel: `D${userId}`, tab: 'home', event_ts: String(Date.now() / 1000) },
      }),
      'application/json',
    );
  }
}
