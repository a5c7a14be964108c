import type { ServerResponse } from 'node:http';
import type { CallbackOptions, Installation } from '@slack/oauth';

/**
 * The pages a person installing Gemba sees in their browser: the Add to Slack page
 * (GET /slack/install) and the outcome of the redirect back from Slack (GET /slack/oauth_redirect).
 * Plain HTML, no script, everything interpolated is escaped.
 */

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 36rem; margin: 4rem auto; padding: 0 1rem; color: #1d1c1d; line-height: 1.5; }
a.add { display: inline-block; padding: .7rem 1.2rem; background: #4a154b; color: #fff; border-radius: .3rem; text-decoration: none; font-weight: 600; }
</style>
</head>
<body>
${body}
</body>
</html>
`;
}

/** The Add to Slack page: `authorizeUrl` is Slack's authorize URL (client id, scopes, state). */
export function installPage(authorizeUrl: string): string {
  return page(
    'Add Gemba to Slack',
    `<h1>Add Gemba to Slack</h1>
<p>Gemba gets sales leaders back in direct conversation with buyers: managers log each conversation with
<code>/contact</code>, see their trend, get a nudge when they go quiet, and VPs get a weekly digest.</p>
<p><a class="add" id="add-to-slack" href="${escapeHtml(authorizeUrl)}">Add to Slack</a></p>
<p>Slack will ask you to choose a workspace and to allow Gemba's permissions. This link works once and for ten minutes.</p>`,
  );
}

/** Why an install did not complete, in words for the person installing, and the HTTP status. */
export function describeInstallFailure(error: { code?: string; message?: string; data?: { error?: string } }): {
  status: number;
  reason: string;
} {
  switch (error.code) {
    case 'slack_oauth_installer_authorization_error':
      return { status: 403, reason: 'The installation was cancelled in Slack, so Gemba was not installed. Nothing was stored.' };
    case 'slack_oauth_invalid_state':
    case 'slack_oauth_missing_state':
      return {
        status: 400,
        reason:
          'This install link has expired, was already used, or was opened in another browser. Nothing was stored. Start again from the Add to Slack page.',
      };
    case 'slack_oauth_missing_code':
      return {
        status: 400,
        reason: 'Slack did not send back an authorization code. Nothing was stored. Start again from the Add to Slack page.',
      };
    case 'slack_webapi_platform_error':
      return {
        status: 502,
        reason: `Slack refused to complete the installation (${error.data?.error ?? 'unknown error'}). Nothing was stored. Start again from the Add to Slack page; if it keeps happening, tell whoever runs Gemba.`,
      };
    default:
      return {
        status: 500,
        reason:
          'Something went wrong while completing the installation. Nothing was stored. Please start again from the Add to Slack page.',
      };
  }
}

function send(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

/** What the redirect shows: which workspace (or org) now has Gemba, or why it does not. */
export const installCallbacks: CallbackOptions = {
  success(installation: Installation, _options, _req, res) {
    const where = installation.isEnterpriseInstall
      ? `your organisation ${installation.enterprise?.name ?? installation.enterprise?.id ?? ''}`
      : `the workspace ${installation.team?.name ?? installation.team?.id ?? ''}`;
    send(
      res,
      200,
      page(
        'Gemba is installed',
        `<h1>Gemba is installed</h1>
<p>Gemba is now installed in ${escapeHtml(where.trim())}.</p>
<p>Back in Slack, type <code>/contact</code> to log your first conversation with a buyer, or <code>/gemba help</code> to see what Gemba does.</p>`,
      ),
    );
  },
  failure(error, _options, _req, res) {
    const { status, reason } = describeInstallFailure(error as { code?: string; data?: { error?: string } });
    send(res, status, page('Gemba was not installed', `<h1>Gemba was not installed</h1>\n<p>${escapeHtml(reason)}</p>`));
  },
};
