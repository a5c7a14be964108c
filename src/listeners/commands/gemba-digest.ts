import { notice } from '../../blocks/common.js';
import type { AppContext } from '../../context.js';
import { composeDigest } from '../../jobs/digest.js';
import { weeklyWindow } from '../../services/schedule.js';
import type { GembaArgs } from './gemba.js';

/** `/gemba digest preview`: VPs and admins see the digest as it would be posted now. */
export async function digestPreview(ctx: AppContext, { command, ack }: GembaArgs): Promise<void> {
  const { team_id: teamId, user_id: userId } = command;
  if (!ctx.services.roles.can(teamId, userId, 'previewDigest')) {
    return ack(notice(':lock: The digest preview is for VPs and admins. Nothing about your team was shown.'));
  }
  const now = ctx.clock.now();
  const { reportWeek } = weeklyWindow(now, ctx.services.settings.forTeam(teamId).timezone, 9, 30);
  await ack({ ...composeDigest(ctx, teamId, reportWeek, now, { preview: true }), response_type: 'ephemeral' });
}
