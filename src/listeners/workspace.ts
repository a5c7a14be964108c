import type { Context } from '@slack/bolt';

/**
 * The workspace a request is filed under: the team Bolt resolved for the installation
 * (`context.teamId`), never the payload's `team` alone. In a Slack Connect channel the payload's
 * `team` is the *other* organisation's; Bolt takes `view.app_installed_team_id` for modals, and an
 * org-wide (Enterprise Grid) install gets the workspace the user acted in, so settings,
 * leaderboards and digests stay per workspace.
 */
export function workspaceOf(context: Context): string {
  const teamId = context.teamId;
  // Only an org-level event without any workspace (none that Gemba handles) lacks one: refuse rather than file it under the org.
  if (!teamId) throw new Error(`no workspace for this request (enterprise ${context.enterpriseId ?? 'none'})`);
  return teamId;
}
