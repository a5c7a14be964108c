import { Command } from '../../blocks/ids.js';
import type { AppContext } from '../../context.js';
import { dispatchTable, type Probe, type Route } from '../dispatch.js';
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

/** A slash command's arguments (Bolt sets `command` for those alone; read through `Probe`, see dispatch.ts). */
const isCommand = (args: object): args is CommandArgs => (args as Probe).command !== undefined;

/** Routes every slash command in the table. */
export function route(ctx: AppContext): Route {
  return dispatchTable<CommandArgs>(ctx, commandSurface, commandHandlers, isCommand, (args) => args.command.command);
}
