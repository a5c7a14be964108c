import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { AppContext } from '../../context.js';

type UninstalledArgs = SlackEventMiddlewareArgs<'app_uninstalled'> & AllMiddlewareArgs;
type RevokedArgs = SlackEventMiddlewareArgs<'tokens_revoked'> & AllMiddlewareArgs;

/**
 * Slack says the workspace's (or org's) tokens are gone: stop every use of them at once. In
 * distribution mode the installation is marked uninstalled (jobs skip the workspace; its data is
 * erased after UNINSTALL_RETENTION_DAYS, or at once with 0); with a single bot token, the token is
 * no longer used by this process and the operator is told. Bolt runs no authorization for these events.
 */
async function tokensGone(ctx: AppContext, context: AllMiddlewareArgs['context'], why: string): Promise<void> {
  const ref = { teamId: context.teamId, enterpriseId: context.enterpriseId, isEnterpriseInstall: context.isEnterpriseInstall };
  ctx.workspaces.stopUsing(context.teamId);
  if (!ctx.oauth) {
    ctx.logger.error(
      { teamId: context.teamId, event: why },
      'Slack revoked the bot token: nothing is sent any more. Reinstall the app, set the new SLACK_BOT_TOKEN and restart',
    );
    return;
  }
  const key = await ctx.services.installations.uninstall(ref);
  ctx.logger.info({ installKey: key, event: why, retentionDays: ctx.config.uninstallRetentionDays }, 'installation removed by Slack');
  // 0 days: erase now rather than at the next tick.
  if (key && ctx.config.uninstallRetentionDays === 0) await ctx.services.installations.eraseExpired(ctx.clock.now());
}

/** `app_uninstalled`: the app was removed from the workspace or org. */
export function appUninstalled(ctx: AppContext) {
  return async ({ context }: UninstalledArgs): Promise<void> => tokensGone(ctx, context, 'app_uninstalled');
}

/** `tokens_revoked`: only the bot token matters (Gemba keeps no user tokens). */
export function tokensRevoked(ctx: AppContext) {
  return async ({ event, context }: RevokedArgs): Promise<void> => {
    if ((event.tokens.bot ?? []).length === 0) return;
    await tokensGone(ctx, context, 'tokens_revoked');
  };
}
