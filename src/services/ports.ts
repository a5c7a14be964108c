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

/** Looks people up in the workspace directory. */
export interface UserDirectory {
  /** users.info for one person; null when Slack does not know them. */
  fetchUser(teamId: string, userId: string): Promise<SlackUserInfo | null>;
}
