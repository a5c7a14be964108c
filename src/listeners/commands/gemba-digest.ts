import { type Message, notice } from '../../blocks/common.js';
import { digestMessage } from '../../blocks/digest.js';
import type { AppContext } from '../../context.js';
import { workspaceOf } from '../workspace.js';
import type { GembaArgs } from './gemba.js';

/** `/gemba digest preview`: VPs and admins see the digest as it would be posted now. */
export async function digestPreview(ctx: AppContext, { command, ack, respond, context }: GembaArgs): Promise<void> {
  const teamId = workspaceOf(context);
  const userId = command.user_id;
  const { roles, profiles } = ctx.services;
  const preview = async (): Promise<Message> => {
    const { data, tactics } = await ctx.services.digest.current(teamId, ctx.clock.now());
    return { ...digestMessage(data, tactics, { preview: true }), response_type: 'ephemeral' };
  };
  if (await roles.can(teamId, userId, 'previewDigest')) return ack(await preview());
  if (!(await roles.worthLookingUp(teamId, userId, 'previewDigest'))) return ack(notice(PREVIEW_REFUSAL));
  // Maybe a Slack admin or owner not looked up yet: acknowledge, ask Slack, answer via response_url.
  await ack();
  await profiles.refresh(teamId, userId);
  await respond((await roles.can(teamId, userId, 'previewDigest')) ? await preview() : notice(PREVIEW_REFUSAL));
}

export const PREVIEW_REFUSAL = ':lock: The digest preview is for VPs and admins. Nothing about your team was shown.';
