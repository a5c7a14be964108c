import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { ActionId } from '../../blocks/ids.js';
import type { AppContext } from '../../context.js';
import { dispatchTable } from '../dispatch.js';
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

/** Registers every block action. */
export function register(app: App, ctx: AppContext): void {
  const { pattern, listener } = dispatchTable<ActionArgs>(ctx, actionSurface, actionHandlers, (args) => args.action.action_id);
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: pattern }, listener);
}
