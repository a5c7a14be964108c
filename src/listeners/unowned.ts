import { errorMessage, retiredButtonMessage } from '../blocks/common.js';
import type { AppContext } from '../context.js';
import { afterAck } from './after-ack.js';

/** What the router reads of a request no table owns (Bolt's own argument shape, read as data: see dispatch.ts `Probe`). */
interface Unowned {
  body: { type?: string; response_url?: string };
  ack?: (response?: unknown) => Promise<void>;
  respond?: (message: unknown) => Promise<unknown>;
  command?: { command?: string };
  action?: { action_id?: string };
  view?: { callback_id?: string };
}

/**
 * Answers a request no handler table owns, at once: left to Bolt, it would wait 3 s, log an error and send a
 * 404, and Slack would show the person an error. An unknown slash command gets a reply naming it; a button
 * Gemba no longer has (on a message an older version posted) is acknowledged and, where Slack gave a
 * response_url, explained in an ephemeral note; a modal no handler knows is closed. Events need nothing:
 * Bolt acknowledges them before any middleware runs. Returns false when there was nothing to answer.
 */
export async function answerUnowned(ctx: AppContext, args: object): Promise<boolean> {
  const a = args as Unowned;
  if (!a.ack) return false;
  const type = a.body.type ?? 'slash_command';
  const id = a.command?.command ?? a.action?.action_id ?? a.view?.callback_id ?? '(none)';
  ctx.logger.warn({ type, id }, `no handler for ${type} ${id}: answered`);
  if (a.command) {
    await a.ack(errorMessage(`Gemba has no ${id} command.`, '/gemba help'));
    return true;
  }
  await a.ack();
  const { respond } = a;
  if (a.body.type === 'block_actions' && a.body.response_url && respond) {
    afterAck(ctx, 'the note on a retired button', () => respond(retiredButtonMessage()));
  }
  return true;
}
