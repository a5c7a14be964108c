import { ADMIN_ONLY, channelValue, forgotten, managersSynced, membersChanged, repsSynced, settingChanged } from '../../blocks/admin.js';
import type { Message } from '../../blocks/common.js';
import { errorMessage, notice, plural } from '../../blocks/common.js';
import { gembaAdminHelp } from '../../blocks/gemba.js';
import type { AppContext } from '../../context.js';
import type { GembaRequest } from '../../services/gemba-grammar.js';
import { workspaceOf } from '../workspace.js';
import type { GembaArgs } from './gemba.js';
import { hideTacticMessage } from './gemba-tactics.js';

type AdminRequest = Extract<GembaRequest, { kind: `admin${string}` }>;
type Reply = (m: Message) => Promise<unknown>;

/**
 * `/gemba admin …`. Only admins change anything. A Slack admin whose profile is not cached yet is
 * looked up after the ack (the ack never waits on Slack) and answered through response_url.
 */
export function adminCommand(ctx: AppContext, args: GembaArgs, req: AdminRequest): Promise<void> {
  return asAdmin(ctx, args, (reply, acked) => run(ctx, args, req, reply, acked));
}

/**
 * Runs `work` only for an admin; anyone else gets the refusal, whatever they typed after `admin` (a
 * malformed admin command is refused too, not taught). A Slack admin whose profile is not cached yet is
 * looked up after the ack and answered through response_url (`acked` true).
 */
export async function asAdmin(ctx: AppContext, args: GembaArgs, work: (reply: Reply, acked: boolean) => Promise<void>): Promise<void> {
  const { command, ack, respond, context } = args;
  const teamId = workspaceOf(context);
  const userId = command.user_id;
  const { roles, profiles } = ctx.services;
  if (await roles.can(teamId, userId, 'administer')) return work((m) => ack(m), false);
  if (!(await roles.worthLookingUp(teamId, userId, 'administer'))) return ack(notice(ADMIN_ONLY));
  await ack();
  await profiles.refresh(teamId, userId);
  if (!(await roles.can(teamId, userId, 'administer'))) {
    await respond(notice(ADMIN_ONLY));
    return;
  }
  await work((m) => respond(m), true);
}

async function run(ctx: AppContext, args: GembaArgs, req: AdminRequest, reply: Reply, acked: boolean): Promise<void> {
  const { command, client, respond, ack, context } = args;
  const teamId = workspaceOf(context);
  const actor = command.user_id;
  const admin = ctx.services.admin;
  const log = (action: string, detail: object) => ctx.logger.info({ teamId, actor, action, ...detail }, 'admin change');
  switch (req.kind) {
    case 'admin_help':
      await reply(gembaAdminHelp());
      return;
    case 'admin_members': {
      const result =
        req.role === 'managers'
          ? await admin.changeManagers(teamId, actor, req.op, req.userIds)
          : await admin.changeVps(teamId, actor, req.op, req.userIds);
      log(`${req.role}.${req.op}`, result);
      await reply(membersChanged(req.role, req.op, result));
      return;
    }
    case 'admin_channel': {
      await admin.setTeamSetting(teamId, actor, req.which === 'leaderboard' ? 'leaderboardChannel' : 'digestChannel', req.channelId);
      log(`channel.${req.which}`, { channel: req.channelId });
      await reply(settingChanged(`The ${req.which} channel`, `${channelValue(req.channelId)} (invite the app there if it is private)`));
      return;
    }
    case 'admin_target':
      await admin.setTeamSetting(teamId, actor, 'weeklyTarget', req.target);
      log('target', { target: req.target });
      await reply(settingChanged('The weekly target', `*${req.target}* conversations per manager`));
      return;
    case 'admin_nudge_after':
      await admin.setTeamSetting(teamId, actor, 'nudgeAfterDays', req.days);
      log('nudge-after', { days: req.days });
      await reply(settingChanged('Nudge after', `*${req.days} days* without a conversation`));
      return;
    case 'admin_timezone':
      await admin.setTeamSetting(teamId, actor, 'timezone', req.timezone);
      log('timezone', { timezone: req.timezone });
      await reply(settingChanged('The team time zone', `*${req.timezone}*`));
      return;
    case 'admin_forget': {
      // Let after-ack work (a profile look-up started by their last command) finish first, so it
      // cannot write a row about them back after they were forgotten. Bounded: the ack must not wait long.
      await Promise.race([ctx.background.drain(), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
      const counts = await admin.forget(teamId, actor, req.userId);
      log('forget', counts);
      await reply(forgotten(req.userId, counts));
      return;
    }
    case 'admin_tactics_hide':
      await reply(await hideTacticMessage(ctx, teamId, actor, req.tacticId));
      return;
    case 'admin_managers_sync': {
      // Needs Slack (usergroups.users.list): acknowledge first, answer through response_url.
      if (!acked) await ack(notice(':hourglass_flowing_sand: Syncing managers from the user group…'));
      let members: string[];
      try {
        members = (await client.usergroups.users.list({ usergroup: req.usergroupId })).users ?? [];
      } catch (err) {
        const code = (err as { data?: { error?: string } }).data?.error ?? 'unknown_error';
        await respond(
          errorMessage(
            `Slack could not list that user group (\`${code}\`). Nothing was changed.`,
            '/gemba admin managers sync @sales-managers',
          ),
        );
        return;
      }
      const result = await admin.changeManagers(teamId, actor, 'add', members);
      log('managers.sync', { usergroup: req.usergroupId, added: result.changed.length });
      await respond(managersSynced(result.changed, result.unchanged.length, req.usergroupId));
      return;
    }
    case 'admin_reps_sync': {
      // Needs Slack (users.list, usergroups.users.list): acknowledge first, answer through response_url.
      if (!acked) await ack(notice(':hourglass_flowing_sand: Reading the reps group and recomputing the crowds…'));
      let crowds: Awaited<ReturnType<typeof ctx.services.tactics.refreshPopulation>>;
      try {
        crowds = await ctx.services.tactics.refreshPopulation(teamId, { groupId: req.usergroupId });
      } catch (err) {
        const code = (err as { data?: { error?: string } }).data?.error ?? 'unknown_error';
        await respond(
          errorMessage(`Slack could not list the members (\`${code}\`). Nothing was changed.`, '/gemba admin reps sync @sales-reps'),
        );
        return;
      }
      if (!crowds) {
        await respond(errorMessage('Slack does not know that user group. Nothing was changed.', '/gemba admin reps sync @sales-reps'));
        return;
      }
      await ctx.services.admin.recordAudit(teamId, actor, 'reps.sync', {
        usergroup: req.usergroupId,
        eligible: crowds.eligible,
        crowds: crowds.crowds,
      });
      log('reps.sync', { usergroup: req.usergroupId, eligible: crowds.eligible, crowds: crowds.crowds });
      await respond(repsSynced(req.usergroupId, crowds));
      return;
    }
    case 'admin_export': {
      if (!acked) await ack(notice(':hourglass_flowing_sand: Preparing the export; it will arrive in your DM with Gemba.'));
      const { csv, rows } = await admin.exportCsv(teamId, actor);
      log('export', { rows });
      const dm = await client.conversations.open({ users: actor });
      const channel = dm.channel?.id;
      if (!channel) throw new Error('conversations.open returned no channel');
      const date = new Date(ctx.clock.now()).toISOString().slice(0, 10);
      await client.filesUploadV2({
        channel_id: channel,
        file: Buffer.from(csv, 'utf8'),
        filename: `gemba-conversations-${date}.csv`,
        title: `Gemba conversations export ${date}`,
        initial_comment: `Here is the export: ${rows} conversations (CSV, RFC 4180).`,
      });
      await respond(notice(`:white_check_mark: Export sent to your DM: ${plural(rows, 'conversation')}.`));
      return;
    }
  }
}
