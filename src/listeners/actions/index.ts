import { ActionId } from '../../blocks/ids.js';
import type { AppContext } from '../../context.js';
import { dispatchTable, type Probe, type Route } from '../dispatch.js';
import { actionSurface } from '../errors.js';
import type { ActionArgs, ActionTable } from '../types.js';
import { contactDeleteAction, contactEditAction, contactUndoAction, homeLogContactAction } from './contact-buttons.js';
import { homeSnoozeAction, nudgeLogContactAction, nudgeSnoozeAction } from './snooze-buttons.js';
import { tacticKeepAction, tacticPilotAction, tacticRetireAction } from './tactic-decision.js';
import { tacticMeTooAction } from './tactic-me-too.js';
import { trendsShowChartAction } from './trends-chart.js';

/** Every button action_id and its handler. */
export const actionHandlers = {
  [ActionId.contactEdit]: contactEditAction,
  [ActionId.contactUndo]: contactUndoAction,
  [ActionId.contactDelete]: contactDeleteAction,
  [ActionId.homeLogContact]: homeLogContactAction,
  [ActionId.homeSnooze]: homeSnoozeAction,
  [ActionId.homeResume]: homeSnoozeAction,
  [ActionId.nudgeLogContact]: nudgeLogContactAction,
  [ActionId.nudgeSnooze]: nudgeSnoozeAction,
  [ActionId.nudgeReasonPto]: nudgeSnoozeAction,
  [ActionId.nudgeReasonTravelling]: nudgeSnoozeAction,
  [ActionId.nudgeReasonPipelineReset]: nudgeSnoozeAction,
  [ActionId.tacticMeToo]: tacticMeTooAction,
  [ActionId.tacticRetire]: tacticRetireAction,
  [ActionId.tacticKeep]: tacticKeepAction,
  [ActionId.tacticPilot]: tacticPilotAction,
  [ActionId.trendsShowChart]: trendsShowChartAction,
} as const satisfies ActionTable;

/** A button in a Block Kit message, modal or Home tab (`block_actions`; every Gemba action is a button). */
const isButton = (args: object): args is ActionArgs =>
  (args as Probe).body.type === 'block_actions' && (args as Probe).action?.type === 'button';

/** Routes every button whose action_id is in the table. */
export function route(ctx: AppContext): Route {
  return dispatchTable<ActionArgs>(ctx, actionSurface, actionHandlers, isButton, (args) => args.action.action_id);
}
