/**
 * The bot scopes Gemba asks for: the install link requests exactly these, and the manifest test
 * checks that manifest.yml's oauth_config.scopes.bot is the same list and that the code needs them.
 */
export const BOT_SCOPES = ['commands', 'chat:write', 'im:write', 'im:history', 'users:read', 'usergroups:read', 'files:write'] as const;
