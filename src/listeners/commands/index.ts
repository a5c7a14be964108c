import type { App } from '@slack/bolt';
import { Command } from '../../blocks/ids.js';
import type { AppContext } from '../../context.js';
import { dispatchTable } from '../dispatch.js';
import { commandSurface } from '../errors.js';
import type { CommandArgs, CommandTable } from '../types.js';
import { contactCommand } from './contact.js';
import { flagTacticCommand } from './flag-tactic.js';
import { gembaCommand } from './gemba.js';
import { leaderboardCommand } from './leaderboard.js';
import { trendsCommand } from './trends.js';

/** Every slash command and its handler; the manifest test checks this against manifest.yml. */
export const commandHandlers = {
  [Command.contact]: contactCommand,
  [Command.trends]: trendsCommand,
  [Command.flagTactic]: flagTacticCommand,
  [Command.leaderboard]: leaderboardCommand,
  [Command.gemba]: gembaCommand,
} as const satisfies CommandTable;

/** Registers every slash command. */
export function register(app: App, ctx: AppContext): void {
  const { pattern, listener } = dispatchTable<CommandArgs>(ctx, commandSurface, commandHandlers, (args) => args.command.command);
  app.command(pattern, listener);
}
