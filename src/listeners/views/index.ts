import type { App } from '@slack/bolt';
import { ViewId } from '../../blocks/ids.js';
import type { AppContext } from '../../context.js';
import { guarded } from '../guard.js';
import { contactModalSubmit } from './contact-modal.js';
import { flagTacticModalSubmit } from './flag-tactic-modal.js';

/** Every modal callback_id and its submission handler. */
export const viewHandlers = {
  [ViewId.contactModal]: contactModalSubmit,
  [ViewId.flagTacticModal]: flagTacticModalSubmit,
} as const;

/** Registers every view submission. */
export function register(app: App, ctx: AppContext): void {
  for (const [callbackId, make] of Object.entries(viewHandlers)) {
    app.view({ type: 'view_submission', callback_id: callbackId }, guarded(ctx, 'view', callbackId, make(ctx) as any));
  }
}
