import { errorMessage, type Message, notice } from '../../blocks/common.js';
import { gembaAdminHelp, gembaHelp, settingsMessage, snoozeConfirmation } from '../../blocks/gemba.js';
import type { AppContext } from '../../context.js';
import { unescapeSlack } from '../../lib/slack-text.js';
import { type GembaRequest, parseGembaText } from '../../services/gemba-grammar.js';
import type { CommandArgs } from '../types.js';
import { workspaceOf } from '../workspace.js';
import { adminCommand, asAdmin } from './gemba-admin.js';
import { digestPreview } from './gemba-digest.js';

export type GembaArgs = CommandArgs;

/** `/gemba`: personal settings, snooze, the digest preview and administration. */
export function gembaCommand(ctx: AppContext) {
  return async (args: CommandArgs): Promise<void> => {
    const { command, ack, context } = args;
    const teamId = workspaceOf(context);
    const userId = command.user_id;
    const req = parseGembaText(command.text);
    if (req.kind === 'error') {
      // The message may echo what the user typed, Slack markup included: show it literally, never as a live mention.
      const problem = errorMessage(unescapeSlack(req.message), req.example);
      // A malformed admin command is an admin's to correct: anyone else is refused, not taught the syntax.
      if (/^admin(\s|$)/i.test(command.text.trim())) return asAdmin(ctx, args, async (reply) => void (await reply(problem)));
      return ack(problem);
    }
    if (req.kind === 'digest_preview') return digestPreview(ctx, args);
    if (req.kind.startsWith('admin')) return adminCommand(ctx, args, req as Extract<GembaRequest, { kind: `admin${string}` }>);
    return ack(await personal(ctx, teamId, userId, req));
  };
}

/** The sub-commands anyone may use. */
async function personal(ctx: AppContext, teamId: string, userId: string, req: GembaRequest): Promise<Message> {
  const { services, clock } = ctx;
  const [role, today] = await Promise.all([services.roles.roleOf(teamId, userId), services.profiles.todayOf(teamId, userId)]);
  switch (req.kind) {
    case 'help':
      return gembaHelp(role);
    case 'admin_help':
      return gembaAdminHelp();
    case 'settings':
      return settingsMessage({
        settings: await services.settings.forTeam(teamId),
        role,
        timezone: await services.profiles.timezoneOf(teamId, userId),
        snoozedUntil: (await services.snoozes.activeSnooze(teamId, userId, today))?.endsOn ?? null,
        ...(await services.roles.people(teamId)),
        flags: { crowds: await services.tactics.crowdStatus(teamId), publishHour: ctx.config.flagPublishHour },
      });
    case 'snooze': {
      const { endsOn } = await services.snoozes.snooze(teamId, userId, { days: req.days, reason: 'snooze', today, now: clock.now() });
      return snoozeConfirmation(endsOn);
    }
    case 'snooze_off':
      return (await services.snoozes.unsnooze(teamId, userId, today))
        ? snoozeConfirmation(null)
        : notice(`Nudges weren't snoozed, so nothing changed. Pause them with \`/gemba snooze 1w\`.`);
    default:
      return gembaHelp(role);
  }
}
