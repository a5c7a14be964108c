import type { App } from '@slack/bolt';
import type { AppContext } from '../context.js';
import * as actions from './actions/index.js';
import * as commands from './commands/index.js';
import type { Route } from './dispatch.js';
import * as events from './events/index.js';
import { answerUnowned } from './unowned.js';
import * as views from './views/index.js';

/**
 * Every surface's table behind ONE Bolt global middleware that routes the request to its handler.
 * Bolt runs the matchers of every registered listener on every request (App.processEvent), about 6 µs
 * each here; with a listener per surface (six) that was ~30 µs and a tenth of the /contact ack's
 * distance to bare Bolt (docs/performance.md "The lean ack"). With no listener registered at all, the
 * request is routed once. A request no table owns is answered at once (unowned.ts); what is left (events) goes
 * on down Bolt's chain. The tables keep Bolt's middleware types (types.ts): a wrong handler still fails `tsc`.
 */
export function registerListeners(app: App, ctx: AppContext): void {
  const routes: Route[] = [commands.route(ctx), actions.route(ctx), views.route(ctx), events.route(ctx)];
  app.use(async (args) => {
    for (const route of routes) if (await route(args)) return;
    if (await answerUnowned(ctx, args)) return;
    await args.next();
  });
}
