import type { AppContext } from '../context.js';
import { type Surface, withErrorPath } from './errors.js';
import type { Make } from './types.js';

/**
 * The few fields the routes look at to tell the surfaces apart, as Bolt's matchers do (`onlyCommands`
 * checks `command`, and so on). Narrowing Bolt's AnyMiddlewareArgs union with `in` makes the compiler expand
 * every Slack event type ("excessively deep"), so a route takes the arguments as a plain object,
 * reads these, and states the surface in a type predicate.
 */
export interface Probe {
  body: { type?: string };
  command?: unknown;
  action?: { type?: string };
  view?: unknown;
  event?: { type?: string };
}

/** Runs the handler when the request (a Bolt global middleware's arguments) is this surface's, and says whether it did. */
export type Route = (args: object) => Promise<boolean>;

/**
 * A surface's route: when `owns` recognises the request as this surface's (Bolt's own argument shape,
 * narrowed to the table's type) and its id (command name, action_id, callback_id) is in the table,
 * the handler runs, through the error path; anything else is left to the next surface.
 */
export function dispatchTable<A extends object>(
  ctx: AppContext,
  surface: Surface<A>,
  handlers: Record<string, Make<(args: A) => Promise<void>>>,
  owns: (args: object) => args is A,
  idOf: (args: A) => string,
): Route {
  const table = new Map(Object.entries(handlers).map(([id, make]) => [id, withErrorPath(ctx, surface, id, make(ctx))]));
  return async (args) => {
    if (!owns(args)) return false;
    const handler = table.get(idOf(args));
    if (!handler) return false;
    await handler(args);
    return true;
  };
}
