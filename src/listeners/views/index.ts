import { ViewId } from '../../blocks/ids.js';
import type { AppContext } from '../../context.js';
import { dispatchTable, type Probe, type Route } from '../dispatch.js';
import { viewSurface } from '../errors.js';
import type { ViewArgs, ViewTable } from '../types.js';
import { contactModalSubmit } from './contact-modal.js';
import { flagTacticModalSubmit } from './flag-tactic-modal.js';

/** Every modal callback_id and its submission handler. */
export const viewHandlers = {
  [ViewId.contactModal]: contactModalSubmit,
  [ViewId.flagTacticModal]: flagTacticModalSubmit,
} as const satisfies ViewTable;

/** A modal's submission (a `view_closed` is not one: Gemba asks for none). */
const isSubmission = (args: object): args is ViewArgs =>
  (args as Probe).body.type === 'view_submission' && (args as Probe).view !== undefined;

/** Routes every modal submission whose callback_id is in the table. */
export function route(ctx: AppContext): Route {
  return dispatchTable<ViewArgs>(ctx, viewSurface, viewHandlers, isSubmission, (args) => args.view.callback_id);
}
