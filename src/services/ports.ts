/**
 * What services need from Slack, expressed without Slack types so services stay testable
 * without Slack. Implemented over the Web API in src/slack/.
 */

/** The parts of users.info that Gemba uses. */
export interface SlackUserInfo {
  tz: string | null;
  isAdmin: boolean;
  isOwner: boolean;
  displayName: string | null;
  deleted: boolean;
}

/** An active human member of the workspace (users.list). */
export interface SlackMember {
  id: string;
  tz: string | null;
  isAdmin: boolean;
  isOwner: boolean;
  displayName: string | null;
}

/** Looks people up in the workspace directory. */
export interface UserDirectory {
  /** users.info for one person; null when Slack does not know them. */
  fetchUser(teamId: string, userId: string): Promise<SlackUserInfo | null>;
  /** Every active human member (users.list, all pages): not deleted, not a bot or app user, not Slackbot. */
  listMembers(teamId: string): Promise<SlackMember[]>;
  /** The members of a user group (usergroups.users.list); null when Slack does not know the group. */
  listGroupMembers(teamId: string, groupId: string): Promise<string[] | null>;
}
