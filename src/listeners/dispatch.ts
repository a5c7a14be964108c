import type { AppContext } from '../context.js';
import { type Surface, withErrorPath } from './errors.js';
import type { Make } from './types.js';

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * One Bolt listener per surface that dispatches on the id (command name, action_id, callback_id)
 * through a table. Bolt runs every registered listener's middleware on every request, so two dozen
 * registrations cost more per request than one; profiled under load, that matching was the largest
 * single cost of a `/contact` ack (docs/performance.md). Each handler goes through the error path.
 */
export function dispatchTable<A extends object>(
  ctx: AppContext,
  surface: Surface<A>,
  handlers: Record<string, Make<(args: A) => Promise<void>>>,
  idOf: (args: A) => string,
) {
  const table = new Map(Object.entries(handlers).map(([id, make]) => [id, withErrorPath(ctx, surface, id, make(ctx))]));
  return {
    /** Matches exactly the ids in the table. */
    pattern: new RegExp(`^(?:${[...table.keys()].map(escapeRegExp).join('|')})$`),
    listener: async (args: A): Promise<void> => {
      const handler = table.get(idOf(args));
      // The pattern only lets table ids through; a miss would be a bug in the pattern.
      if (!handler) throw new Error(`no ${surface.name} handler for ${idOf(args)}`);
      await handler(args);
    },
  };
}
