import type { AppContext } from '../context.js';
import { guarded } from './guard.js';

type Surface = Parameters<typeof guarded>[1];
type Make<A> = (ctx: AppContext) => (args: A) => Promise<void>;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * One Bolt listener per surface that dispatches on the id (command name, action_id, callback_id)
 * through a table. Bolt runs every registered listener's middleware on every request, so two dozen
 * registrations cost more per request than one; profiled under load, that matching was the largest
 * single cost of a `/contact` ack (docs/performance.md). Each handler is still guarded on its own.
 */
export function dispatchTable<A>(ctx: AppContext, surface: Surface, handlers: Record<string, Make<A>>, idOf: (args: A) => string) {
  const table = new Map(Object.entries(handlers).map(([id, make]) => [id, guarded(ctx, surface, id, make(ctx) as any)]));
  return {
    /** Matches exactly the ids in the table. */
    pattern: new RegExp(`^(?:${[...table.keys()].map(escapeRegExp).join('|')})$`),
    listener: async (args: A): Promise<void> => {
      // The pattern only lets table ids through, so the handler exists.
      await table.get(idOf(args))!(args as any);
    },
  };
}
