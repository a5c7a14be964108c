import type {
  AllMiddlewareArgs,
  BlockAction,
  ButtonAction,
  Middleware,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';
import type { AppContext } from '../context.js';

/**
 * The listener types, Bolt's own. Each handler table is typed by the surface it serves, so an action
 * handler in the command table (or a modal handler in the action table) fails `tsc`.
 */
export type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;
/** Every Gemba action is a button. */
export type ActionArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;
export type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;
export type EventArgs<E extends string = string> = SlackEventMiddlewareArgs<E> & AllMiddlewareArgs;

export type CommandHandler = Middleware<SlackCommandMiddlewareArgs>;
export type ActionHandler = Middleware<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>>;
export type ViewHandler = Middleware<SlackViewMiddlewareArgs<ViewSubmitAction>>;
export type EventHandler<E extends string> = Middleware<SlackEventMiddlewareArgs<E>>;

/** A table entry: makes the handler from the context, once, when listeners are registered. */
export type Make<H> = (ctx: AppContext) => H;

/** Command name (`/contact`) → handler. */
export type CommandTable = Record<string, Make<CommandHandler>>;
/** action_id → handler. */
export type ActionTable = Record<string, Make<ActionHandler>>;
/** callback_id → submission handler. */
export type ViewTable = Record<string, Make<ViewHandler>>;
/** Events API event type → handler for exactly that event. */
export type EventTable = { [E in 'app_home_opened' | 'app_uninstalled' | 'tokens_revoked']?: Make<EventHandler<E>> };
