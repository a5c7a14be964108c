import type { App, ViewSubmitAction } from '@slack/bolt';
import { ViewId } from '../../blocks/ids.js';
import type { AppContext } from '../../context.js';
import { dispatchTable } from '../dispatch.js';
import { viewSurface } from '../errors.js';
import type { ViewArgs, ViewTable } from '../types.js';
import { contactModalSubmit } from './contact-modal.js';
import { flagTacticModalSubmit } from './flag-tactic-modal.js';

/** Every modal callback_id and its submission handler. */
export const viewHandlers = {
  [ViewId.contactModal]: contactModalSubmit,
  [ViewId.flagTacticModal]: flagTacticModalSubmit,
} as const satisfies ViewTable;

/** Registers every view submission. */
export function register(app: App, ctx: AppContext): void {
  const { pattern, listener } = dispatchTable<ViewArgs>(ctx, viewSurface, viewHandlers, (args) => args.view.callback_id);
  app.view<ViewSubmitAction>({ type: 'view_submission', callback_id: pattern }, listener);
}
