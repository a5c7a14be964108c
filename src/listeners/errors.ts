import { failureMessage, type Message } from '../blocks/common.js';
import { ActionId, Command, ViewId } from '../blocks/ids.js';
import type { AppContext } from '../context.js';
import { asGembaError, type GembaError, reportFailure } from '../lib/errors.js';
import type { ActionArgs, CommandArgs, ViewArgs } from './types.js';

/**
 * The one error path for Slack surfaces. A handler that throws (a GembaError where the problem was
 * found, or anything else) leaves one log line (lib/errors.ts `reportFailure`) and, where there is a
 * user to answer, a clear ephemeral message: never silence, never a stack trace.
 * - commands: in the ack when it has not been sent, else through response_url;
 * - actions: acknowledged, then answered ephemerally (see `tellUser`);
 * - views: the form is replaced by the message when not acknowledged yet, else the user is told by DM;
 * - events: logged only (Slack acked them already and nobody is waiting for an answer).
 */
export interface Surface<A> {
  name: 'command' | 'action' | 'view' | 'event';
  /** Answers the user about a failure; `acked` says whether the handler had acknowledged already. */
  answer(args: A, message: Message, acked: boolean): Promise<void>;
}

export const commandSurface: Surface<CommandArgs> = {
  name: 'command',
  answer: async (args, message, acked) => {
    if (!acked) await args.ack(message);
    else await args.respond(message);
  },
};

export const actionSurface: Surface<ActionArgs> = {
  name: 'action',
  answer: async (args, message, acked) => {
    if (!acked) await args.ack();
    await tellUser(args, message);
  },
};

export const viewSurface: Surface<ViewArgs> = {
  name: 'view',
  answer: async (args, message, acked) => {
    if (!acked) await args.ack({ response_action: 'update', view: errorView(message.text) });
    else await args.client.chat.postMessage({ channel: args.body.user.id, text: message.text, blocks: message.blocks });
  },
};

/** Events: logged only. Any event's arguments will do, so it serves every event type. */
export const eventSurface: Surface<object> = { name: 'event', answer: async () => {} };

/**
 * Answers a button press. Buttons in messages carry a response_url (the answer replaces the message
 * unless it says otherwise); those on the Home tab do not, and neither does Bolt's `respond` then, so
 * the answer goes to the user's DM with the app.
 */
export async function answerButton(args: ActionArgs, message: Message): Promise<void> {
  if (args.body.response_url) await args.respond(message);
  else await args.client.chat.postMessage({ channel: args.body.user.id, text: message.text, blocks: message.blocks });
}

/** Tells the user something beside the message they clicked in (never replacing it). */
export const tellUser = (args: ActionArgs, message: Message): Promise<void> => answerButton(args, { ...message, replace_original: false });

type Ack = (...response: unknown[]) => Promise<void>;

/**
 * The anonymous surfaces' handlers: `/flag-tactic`, **Me too** and the flag form. Their failures and refusals are
 * not logged when they happen but held until the publish of their day (lib/held-failures.ts): a log line is dated,
 * and one written as someone flags dates the flag (PRODUCT.md "No trace of the rep").
 */
export const ANONYMOUS_LISTENERS: ReadonlySet<string> = new Set([Command.flagTactic, ActionId.tacticMeToo, ViewId.flagTacticModal]);

/** Holds an anonymous surface's failure for the publish (see ANONYMOUS_LISTENERS); returns it classified. */
async function holdFailure(ctx: AppContext, args: object, where: string, err: unknown): Promise<GembaError> {
  const e = asGembaError(err);
  const teamId = (args as { context?: { teamId?: string } }).context?.teamId ?? 'unknown';
  await ctx.services.tactics.holdFailure(teamId, { where, code: e.code, err: e.cause ?? e });
  return e;
}

/** Wraps a handler so every failure is logged once and answered to the user. */
export function withErrorPath<A extends object>(
  ctx: AppContext,
  surface: Surface<A>,
  id: string,
  handler: (args: A) => Promise<void>,
): (args: A) => Promise<void> {
  return async (args: A): Promise<void> => {
    let acked = false;
    // Events carry no ack (Bolt acked them); every other surface's ack is watched so the answer knows.
    const ack = 'ack' in args && typeof args.ack === 'function' ? (args.ack as Ack) : null;
    const watched = ack
      ? ({
          ...args,
          ack: async (...response: unknown[]) => {
            acked = true;
            await ack(...response);
          },
        } as A)
      : args;
    const anonymous = ANONYMOUS_LISTENERS.has(id);
    try {
      await handler(watched);
    } catch (err) {
      const failure = anonymous
        ? await holdFailure(ctx, args, `${surface.name} ${id}`, err)
        : reportFailure(ctx.logger, err, { surface: surface.name, listener: id });
      try {
        await surface.answer(args, failureMessage(failure), acked);
      } catch (replyErr) {
        if (anonymous) await holdFailure(ctx, args, `${surface.name} ${id}: telling the user about a failure`, replyErr);
        else ctx.logger.warn({ err: replyErr, listener: id }, 'could not tell the user about a failure');
      }
    }
  };
}

/** A one-section modal that replaces a form whose submission failed. */
function errorView(text: string) {
  return {
    type: 'modal' as const,
    title: { type: 'plain_text' as const, text: 'Gemba' },
    close: { type: 'plain_text' as const, text: 'Close' },
    blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text } }],
  };
}
