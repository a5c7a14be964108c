import type { AppContext } from '../../context.js';
import type { Probe, Route } from '../dispatch.js';
import { eventSurface, withErrorPath } from '../errors.js';
import type { EventArgs, EventTable } from '../types.js';
import { appHomeOpened } from './app-home-opened.js';
import { appUninstalled, tokensRevoked } from './uninstalled.js';

/** Every Events API event Gemba subscribes to (the manifest's bot_events). */
export const eventHandlers = {
  app_home_opened: appHomeOpened,
  app_uninstalled: appUninstalled,
  tokens_revoked: tokensRevoked,
} as const satisfies EventTable;

/** An Events API event of type `type` (Bolt sets `event` for events alone). */
const isEvent = <E extends keyof typeof eventHandlers>(args: object, type: E): args is EventArgs<E> => (args as Probe).event?.type === type;

/**
 * Routes every event in the table, each to the handler for exactly its type. Events are acked by Bolt
 * before any middleware runs; failures go through the error path.
 */
export function route(ctx: AppContext): Route {
  const { app_home_opened, app_uninstalled, tokens_revoked } = eventHandlers;
  const homeOpened = withErrorPath<EventArgs<'app_home_opened'>>(ctx, eventSurface, 'app_home_opened', app_home_opened(ctx));
  const uninstalled = withErrorPath<EventArgs<'app_uninstalled'>>(ctx, eventSurface, 'app_uninstalled', app_uninstalled(ctx));
  const revoked = withErrorPath<EventArgs<'tokens_revoked'>>(ctx, eventSurface, 'tokens_revoked', tokens_revoked(ctx));
  return async (args) => {
    if (isEvent(args, 'app_home_opened')) await homeOpened(args);
    else if (isEvent(args, 'app_uninstalled')) await uninstalled(args);
    else if (isEvent(args, 'tokens_revoked')) await revoked(args);
    else return false;
    return true;
  };
}
