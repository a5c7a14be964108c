/**
 * The sandbox in a real browser: Debian's Chromium driven by playwright-core. A manager logs a
 * conversation and undoes it, submits the modal with a bad value and sees the inline error, a rep
 * flags a tactic, and a VP reads the digest after moving the clock to Monday 09:30. What the page
 * itself does: a half-filled modal survives a redraw, the keyboard works in modals and in the person
 * picker, the composer offers mentions, a channel opens at its end once its charts have loaded, and a
 * narrow window keeps the composer on screen. Screenshots are kept in test-artifacts/sandbox/ (not committed).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { createLogger } from '../../src/lib/logger.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/sandbox.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/sandbox/', import.meta.url));
const present = existsSync(CHROMIUM);
if (!present && process.env.CI) throw new Error(`${CHROMIUM} is missing in CI: .ci/run installs it (apt-get install -y chromium)`);
const skip = present ? false : `Chromium not found at ${CHROMIUM}: browser tests skipped (apt-get install -y chromium)`;

describe('the sandbox in Chromium', { skip, timeout: 240_000 }, () => {
  let sandbox: Sandbox;
  let browser: BrowserContext;
  let page: Page;
  let dir: string;
  let profile: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gemba-sandbox-'));
    profile = mkdtempSync(join(tmpdir(), 'gemba-chromium-'));
    mkdirSync(ARTIFACTS, { recursive: true });
    sandbox = await startSandbox({ dataDir: dir, port: 0, logger: createLogger('warn', { write: () => undefined }) });
    // A fresh profile each run (playwright passes it to Chromium as --user-data-dir).
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1200, height: 800 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = browser.pages()[0] ?? (await browser.newPage());
  });

  after(async () => {
    await browser?.close();
    await sandbox?.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  });

  const open = async (as: string, pane: string) => {
    await page.goto(`${sandbox.url}/?as=${as}&pane=${pane}`);
  };
  const idle = () => page.waitForFunction("document.body.dataset.busy === '0'");
  const type = async (line: string) => {
    await page.fill('#composer-input', line);
    await page.press('#composer-input', 'Enter');
    await idle();
  };
  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });

  it('a manager logs a conversation, sees the confirmation, and undoes it', async () => {
    await open('UMGR01', 'DUMGR01');
    await type('/contact Initech with Raj Patel (VP Ops) via video 30m: wants a pilot before budget season');
    const confirmation = page.locator('.msg.ephemeral').filter({ hasText: 'Initech' }).last();
    await confirmation.waitFor();
    assert.match(await confirmation.innerText(), /Logged: Initech · with Raj Patel \(VP Ops\) · video · 30 min/);
    assert.match(await confirmation.innerText(), /Only visible to you/);
    await shot('1-contact-confirmation');

    await confirmation.getByRole('button', { name: 'Undo' }).click();
    if (await page.locator('dialog[open]').isVisible()) await page.locator('dialog[open] button[value="ok"]').click();
    await idle();
    await page.locator('.msg.ephemeral').filter({ hasText: 'Removed' }).last().waitFor();
    await shot('2-contact-undone');
  });

  it('the /contact modal shows an inline error for a bad value and keeps what was typed', async () => {
    await open('UMGR02', 'DUMGR02');
    await type('/contact');
    const modal = page.locator('form.modal');
    await modal.waitFor();
    await modal.locator('.b-input').filter({ hasText: 'Account' }).locator('input').fill('Globex');
    await modal.locator('.b-input').filter({ hasText: 'Duration' }).locator('input').fill('999');
    await modal.locator('button[type="submit"]').click();
    await idle();
    const error = modal.locator('.b-input.has-error .error');
    await error.waitFor();
    assert.match(await error.innerText(), /600|minutes|duration/i);
    assert.equal(await modal.locator('.b-input').filter({ hasText: 'Account' }).locator('input').inputValue(), 'Globex');
    await shot('3-modal-inline-error');
  });

  it('a rep flags a tactic anonymously', async () => {
    await open('UREP01', 'DUREP01');
    await type('/flag-tactic trade-show giveaways: nobody we meet there buys');
    const reply = page.locator('.msg.ephemeral').last();
    await reply.waitFor();
    assert.match(await reply.innerText(), /trade-show giveaways/i);
    await shot('4-rep-flag');
  });

  it('a VP reads the digest after moving the clock to Monday 09:30', async () => {
    await open('UVP001', 'C0SALESVP');
    const before = await page.locator('.msg').count();
    await page.getByRole('button', { name: 'Monday 09:30' }).click();
    await idle();
    await page.waitForFunction(`document.querySelectorAll('.msg').length > ${before}`);
    const digest = page
      .locator('.msg')
      .filter({ has: page.locator('.b-header', { hasText: /digest/i }) })
      .last();
    assert.ok(Number(await digest.getAttribute('data-index')) >= before, 'a new digest was posted');
    assert.match(await page.locator('#now').innerText(), /Monday/);
    await digest.scrollIntoViewIfNeeded();
    await shot('5-vp-digest');
  });

  const version = (): Promise<number> => page.evaluate("Number(document.getElementById('pane-inner').dataset.version)");
  /** What someone else does meanwhile (in another tab): a command sent to the page server. */
  const elsewhere = async (user: string, text: string) => {
    const res = await fetch(`${sandbox.url}/do/command`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user, channel: `D${user}`, text }),
    });
    assert.equal(res.status, 200);
    await res.text();
  };
  const focusInModal = (): Promise<boolean> => page.evaluate("Boolean(document.getElementById('modal')?.contains(document.activeElement))");

  it("a half-filled modal keeps what was typed, and the caret, when another person's action redraws the pane", async () => {
    await open('UMGR03', 'DUMGR03');
    await type('/contact');
    const modal = page.locator('form.modal');
    await modal.waitFor();
    const account = modal.locator('.b-input').filter({ hasText: 'Account' }).locator('input');
    await account.click();
    await page.keyboard.type('Glob');
    const before = await version();
    await elsewhere('UMGR04', '/contact Hooli');
    await page.waitForFunction(`Number(document.getElementById('pane-inner').dataset.version) > ${before}`);
    assert.equal(await account.inputValue(), 'Glob', 'what was typed is kept');
    await page.keyboard.type('ex');
    assert.equal(await account.inputValue(), 'Globex', 'typing goes on where it was');
    await shot('6-modal-kept-across-redraw');
  });

  it('keyboard: a modal takes the focus, Tab stays in it, Escape cancels it', async () => {
    await open('UMGR05', 'DUMGR05');
    await type('/contact');
    const modal = page.locator('form.modal');
    await modal.waitFor();
    await page.waitForFunction("document.activeElement?.hasAttribute('data-input') === true");
    assert.ok(await focusInModal(), 'the first input has the focus');
    for (let i = 0; i < 15; i += 1) {
      await page.keyboard.press('Tab');
      assert.ok(await focusInModal(), `Tab ${i + 1} stays in the modal`);
    }
    for (let i = 0; i < 4; i += 1) {
      await page.keyboard.press('Shift+Tab');
      assert.ok(await focusInModal(), `Shift+Tab ${i + 1} stays in the modal`);
    }
    await page.keyboard.press('Escape');
    await modal.waitFor({ state: 'detached' });
    await idle();
    assert.equal(await page.locator('form.modal').count(), 0, 'closed, nothing submitted');
    assert.doesNotMatch(await page.locator('.msg').last().innerText(), /Logged/);
  });

  it("a modal's fields are named by their labels, and a field's hint and error describe it", async () => {
    await open('UMGR08', 'DUMGR08');
    await type('/contact');
    const modal = page.locator('form.modal');
    await modal.waitFor();
    await page.getByLabel('Account').fill('Globex');
    await page.getByLabel('Duration').fill('999');
    await modal.locator('button[type="submit"]').click();
    await idle();
    await modal.locator('.b-input.has-error .error').waitFor();
    /** The texts that describe a field (aria-describedby), joined with ' | '. */
    const described = async (label: string): Promise<string> => {
      const ids = ((await page.getByLabel(label).getAttribute('aria-describedby')) ?? '').split(' ');
      return page.evaluate(
        `${JSON.stringify(ids)}.map((id) => document.getElementById(id)?.textContent ?? '(no #' + id + ')').join(' | ')`,
      );
    };
    assert.match(await described('Duration'), /up to 600 minutes\. \| .*600/);
    assert.equal(await page.getByLabel('Duration').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByLabel('Account').inputValue(), 'Globex');
    await page.keyboard.press('Escape');
    await modal.waitFor({ state: 'detached' });
    await idle();
  });

  it('keyboard: a button pressed in the timeline leaves the focus where the person is, not on the page', async () => {
    await open('UMGR09', 'DUMGR09');
    await type('/contact Hooli: wants a pilot');
    const confirmation = () => page.locator('.msg.ephemeral').filter({ hasText: 'Logged' }).last();
    const focused = (): Promise<string> =>
      page.evaluate("(a => a === document.body ? 'body' : (a.id || a.textContent.trim()))(document.activeElement)");
    // Edit opens the modal; Escape closes it and gives the focus back to Edit, as Slack does.
    await confirmation().getByRole('button', { name: 'Edit' }).focus();
    await page.keyboard.press('Enter');
    await page.locator('form.modal').waitFor();
    await idle();
    await page.keyboard.press('Escape');
    await page.locator('form.modal').waitFor({ state: 'detached' });
    await idle();
    assert.equal(await focused(), 'Edit');
    // Someone else's action redraws the pane: the focus stays on Edit.
    const before = await version();
    await elsewhere('UMGR10', '/contact Hooli');
    await page.waitForFunction(`Number(document.getElementById('pane-inner').dataset.version) > ${before}`);
    await idle();
    assert.equal(await focused(), 'Edit');
    // Undo replaces its message, buttons and all: the focus goes to the composer.
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'Undo');
    await page.keyboard.press('Enter');
    await idle();
    await page.locator('.msg.ephemeral').filter({ hasText: 'Removed' }).last().waitFor();
    assert.equal(await focused(), 'composer-input');
    // On the Home tab, a button that becomes another keeps the focus in its place.
    await open('UMGR12', 'home');
    await page.locator('.home').getByRole('button', { name: 'Snooze a week' }).focus();
    await page.keyboard.press('Enter');
    await idle();
    await page.locator('.home').getByRole('button', { name: 'Resume nudges' }).waitFor();
    assert.equal(await focused(), 'Resume nudges');
    await page.keyboard.press('Enter');
    await idle();
    await page.locator('.home').getByRole('button', { name: 'Snooze a week' }).waitFor();
    assert.equal(await focused(), 'Snooze a week');
  });

  it('every request the page sends is answered and read: none is left pending, or failed when the page moves on', async () => {
    const failed: string[] = [];
    const finished: string[] = [];
    const onFailed = (r: { url(): string; failure(): { errorText: string } | null }) => failed.push(`${r.url()} ${r.failure()?.errorText}`);
    const onFinished = (r: { url(): string }) => finished.push(new URL(r.url()).pathname);
    page.on('requestfailed', onFailed);
    page.on('requestfinished', onFinished);
    try {
      await open('UMGR10', 'DUMGR10');
      await type('/gemba help');
      await page.getByRole('button', { name: '+1 week' }).click();
      await idle();
      await open('UMGR10', 'C0SALESLB');
      await page.waitForTimeout(200);
      assert.deepEqual(failed, []);
      assert.ok(finished.includes('/do/command') && finished.includes('/do/clock'), `finished: ${finished.join(' ')}`);
    } finally {
      page.off('requestfailed', onFailed);
      page.off('requestfinished', onFinished);
    }
  });

  it('keyboard: Acting as moves with the arrows and switches on Enter, without a reload per arrow', async () => {
    await open('UMGR05', 'DUMGR05');
    await page.focus('#as');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.waitForTimeout(300);
    assert.match(page.url(), /as=UMGR05/, 'still the same person');
    assert.equal(await page.inputValue('#as'), 'UMGR07');
    await Promise.all([page.waitForURL(/as=UMGR07&pane=DUMGR07/), page.keyboard.press('Enter')]);
    assert.match(await page.locator('.role').innerText(), /Sales manager/);
  });

  it('the composer offers mentions after @ and #, and what is picked is sent as a mention', async () => {
    await open('UVP001', 'DUVP001');
    assert.match(await page.locator('#composer-hint').innerText(), /@Dana Lee.*@sales-reps.*#sales-leaderboard/);
    await page.locator('#composer-input').pressSequentially('/trends @ben');
    const list = page.locator('#mention-list');
    await list.waitFor();
    assert.match(await list.innerText(), /@Ben Carter/);
    await shot('7-mention-list');
    await page.press('#composer-input', 'Enter');
    assert.equal(await page.inputValue('#composer-input'), '/trends @Ben Carter ');
    assert.ok(await list.isHidden());
    await page.press('#composer-input', 'Enter');
    await idle();
    const reply = page.locator('.msg.ephemeral').last();
    assert.match(await reply.innerText(), /@Ben Carter's buyer conversations, last 8 weeks/);
  });

  it('#sales-leaderboard opens at its end, once its charts have loaded', async () => {
    await open('UMGR01', 'C0SALESLB');
    await page.waitForFunction('document.images.length > 0 && [...document.images].every((i) => i.complete)');
    await page.waitForTimeout(100);
    const gap: number = await page.evaluate("(p => p.scrollHeight - p.scrollTop - p.clientHeight)(document.getElementById('pane'))");
    assert.ok(gap <= 2, `${gap}px short of the end`);
  });

  it('at 420 px wide the composer is on screen and works', async () => {
    await page.setViewportSize({ width: 420, height: 800 });
    try {
      await open('UMGR06', 'DUMGR06');
      for (const el of ['#composer-input', '#composer button[type="submit"]']) {
        const box = await page.locator(el).boundingBox();
        assert.ok(box, `${el} is laid out`);
        assert.ok(
          box.x >= 0 && box.x + box.width <= 420 && box.y >= 0 && box.y + box.height <= 800,
          `${el} on screen: ${JSON.stringify(box)}`,
        );
      }
      await type('/leaderboard');
      await page.locator('.msg.ephemeral').last().waitFor();
      await shot('8-narrow');
    } finally {
      await page.setViewportSize({ width: 1200, height: 800 });
    }
  });
});
