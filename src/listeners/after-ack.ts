import type { AppContext } from '../context.js';

/** Starts work that must not delay the ack (Slack look-ups, follow-ups); failures are logged. */
export function afterAck(ctx: AppContext, what: string, task: () => Promise<unknown>): void {
  ctx.background.run(task, (err) => ctx.logger.warn({ err }, `${what} failed after ack`));
}
