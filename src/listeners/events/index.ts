import type { App } from '@slack/bolt';
import type { AppContext } from '../../context.js';
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

/** Registers every event listener. Events are acked by Bolt before listeners run; failures go through the error path. */
export function register(app: App, ctx: AppContext): void {
  const { app_home_opened, app_uninstalled, tokens_revoked } = eventHandlers;
  app.event('app_home_opened', withErrorPath<EventArgs<'app_home_opened'>>(ctx, eventSurface, 'app_home_opened', app_home_opened(ctx)));
  app.event('app_uninstalled', withErrorPath<EventArgs<'app_uninstalled'>>(ctx, eventSurface, 'app_uninstalled', app_uninstalled(ctx)));
  app.event('tokens_revoked', withErrorPath<EventArgs<'tokens_revoked'>>(ctx, eventSurface, 'tokens_revoked', tokens_revoked(ctx)));
}
