import type { App } from '@slack/bolt';
import type { AppContext } from '../../context.js';
import { appHomeOpened } from './app-home-opened.js';
import { appUninstalled, tokensRevoked } from './uninstalled.js';

/** Every Events API event Gemba subscribes to (the manifest's bot_events). */
export const eventHandlers = {
  app_home_opened: appHomeOpened,
  app_uninstalled: appUninstalled,
  tokens_revoked: tokensRevoked,
} as const;

/** Registers every event listener. Events are acked by Bolt before listeners run. */
export function register(app: App, ctx: AppContext): void {
  for (const [name, make] of Object.entries(eventHandlers)) {
    const handler = make(ctx);
    app.event(name as 'app_home_opened', async (args) => {
      try {
        await handler(args as any);
      } catch (err) {
        ctx.logger.error({ err, event: name }, `event ${name} failed`);
      }
    });
  }
}
