/**
 * A browser going through the Add to Slack flow against the running app: GET /slack/install, follow
 * the authorize link to the fake Slack (which grants a code for the given workspace), then GET
 * /slack/oauth_redirect with the state cookie, as Slack's redirect would.
 */
import assert from 'node:assert/strict';
import type { FakeInstallGrant } from './fake-slack.js';
import type { Harness } from './harness.js';

export interface InstallPage {
  status: number;
  html: string;
  /** The Add to Slack link (Slack's authorize URL). */
  authorizeUrl: URL;
  /** `name=value` of the state cookie the page set. */
  cookie: string;
}

/** GET /slack/install: the page, its authorize link and its state cookie. */
export async function openInstallPage(h: Harness): Promise<InstallPage> {
  const res = await fetch(`${h.url}/slack/install`);
  const html = await res.text();
  const href = /id="add-to-slack" href="([^"]+)"/.exec(html)?.[1];
  assert.ok(href, `no Add to Slack link in:\n${html}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  return { status: res.status, html, authorizeUrl: new URL(href.replace(/&amp;/g, '&')), cookie };
}

export interface RedirectResult {
  status: number;
  html: string;
}

/** GET /slack/oauth_redirect with these query parameters and cookie. */
export async function redirectBack(h: Harness, query: Record<string, string>, cookie?: string): Promise<RedirectResult> {
  const res = await fetch(`${h.url}/slack/oauth_redirect?${new URLSearchParams(query)}`, { headers: cookie ? { cookie } : {} });
  return { status: res.status, html: await res.text() };
}

let codes = 0;

/** The whole flow for one workspace or org; returns the redirect's page. */
export async function installWorkspace(h: Harness, grant: FakeInstallGrant): Promise<RedirectResult> {
  const page = await openInstallPage(h);
  const code = `code-${++codes}`;
  h.fake.grantInstall(code, grant);
  const state = page.authorizeUrl.searchParams.get('state') ?? '';
  return redirectBack(h, { code, state }, page.cookie);
}
