import { errorMessage, type Message, notice } from '../blocks/common.js';
import type { AppContext } from '../context.js';
import { isStorageUnavailable, UserFacingError } from '../lib/errors.js';

/**
 * The one place listener errors are handled. A handler that throws still leaves the user with a
 * clear ephemeral message (never silence, never a stack trace) and the error in the log:
 * - before ack: the message goes in the ack (commands) or as an error view (modals);
 * - after ack: it goes through respond() when the surface has a response_url.
 */
type Surface = 'command' | 'action' | 'view';

interface GuardableArgs {
  ack: (response?: any) => Promise<void>;
  respond?: (message: any) => Promise<unknown>;
  body: any;
}

export const STORAGE_DOWN =
  ":floppy_disk: Gemba couldn't save that: its database is unavailable right now (read-only or full). Nothing was recorded. Please try again in a few minutes.";
export const UNEXPECTED =
  ':warning: Something went wrong on our side and nothing was changed. Please try again; if it keeps happening, tell your Gemba admin.';

/** The message a user sees for an error thrown by a handler. */
export function messageForError(err: unknown): Message {
  if (err instanceof UserFacingError) return errorMessage(err.message, err.example);
  if (isStorageUnavailable(err)) return notice(STORAGE_DOWN);
  return notice(UNEXPECTED);
}

/** Wraps a listener so every failure is logged once and answered to the user. */
export function guarded<A extends GuardableArgs>(ctx: AppContext, surface: Surface, name: string, handler: (args: A) => Promise<void>) {
  return async (args: A): Promise<void> => {
    let acked = false;
    const ack = async (response?: unknown) => {
      acked = true;
      await args.ack(response);
    };
    try {
      await handler({ ...args, ack });
    } catch (err) {
      const level = err instanceof UserFacingError ? 'info' : 'error';
      // Storage trouble is an operator's problem, not a bug: say so plainly so the log line is actionable.
      const what = isStorageUnavailable(err) ? ': the database refused the write (read-only, full or locked); nothing was recorded' : '';
      ctx.logger[level]({ err, listener: name, code: (err as { code?: string })?.code }, `listener ${name} failed${what}`);
      const message = messageForError(err);
      try {
        if (!acked) {
          if (surface === 'command') await args.ack(message);
          else if (surface === 'view') await args.ack({ response_action: 'update', view: errorView(message.text) });
          else await args.ack();
        }
        if ((acked || surface === 'action') && args.respond) await args.respond({ ...message, replace_original: false });
      } catch (replyErr) {
        ctx.logger.warn({ err: replyErr, listener: name }, 'could not tell the user about a failure');
      }
    }
  };
}

/** A one-section modal that replaces a form whose submission failed unexpectedly. */
function errorView(text: string) {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: 'Gemba' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
  };
}
