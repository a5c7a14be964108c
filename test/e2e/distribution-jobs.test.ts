/**
 * Jobs in distribution mode fan out over every installed workspace: one workspace whose token
 * cannot be had or is dead does not stop the others, and a token Slack says is revoked is not
 * tried again and again (the app_uninstalled event can be missed, e.g. while the app was down).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JOBS } from '../../src/jobs/index.js';
import { NUDGE_CONCURRENCY } from '../../src/jobs/nudges.js';
import { createTokenCipher } from '../../src/lib/token-cipher.js';
import { type Harness, harnessPerTest } from '../kit/harness.js';
import { installWorkspace } from '../kit/install.js';

const harness = harnessPerTest();

const ACME = { team: { id: 'T0ACME', name: 'Acme Sales' }, botToken: 'xoxb-acme-secret-token' };
const GLOBEX = { team: { id: 'T0GLOBEX', name: 'Globex' }, botToken: 'xoxb-globex-secret-token' };
const env = { LEADERBOARD_CHANNEL: 'C0LEADERS', DIGEST_CHANNEL: 'C0DIGEST' };

/** Managers with a conversation in each installed workspace (old enough that nudges are due). */
async function seed(h: Harness, teams: string[]): Promise<void> {
  for (const teamId of teams)
    for (const userId of ['U0001', 'U0002', 'U0003']) {
      const r = await h.command('/contact', 'Deal on 2026-11-01', { teamId, userId });
      assert.equal(r.status, 200);
    }
  await h.settle();
}

async function runJobs(h: Harness, names: Array<keyof typeof JOBS>, now = h.clock.now()) {
  const reports = [];
  for (const name of names) reports.push(await JOBS[name](h.ctx, now, { force: true }));
  return reports;
}

describe("distribution: one workspace's failure does not stop the others", () => {
  it('an installation that cannot be read (stored under another key): that workspace is reported failed, the others are served', async () => {
    const h = await harness({ distribution: true, env });
    assert.equal((await installWorkspace(h, ACME)).status, 200);
    assert.equal((await installWorkspace(h, GLOBEX)).status, 200);
    await seed(h, ['T0ACME', 'T0GLOBEX']);
    // Acme's row no longer decrypts (say it was restored from a backup taken under an older TOKEN_ENCRYPTION_KEY).
    const other = createTokenCipher(Buffer.alloc(32, 9)).encrypt('{}', 'T:T0ACME');
    await h.rows("UPDATE installations SET secret = ? WHERE install_key = 'T:T0ACME' RETURNING install_key", [other]);
    h.fake.reset();
    const reports = await runJobs(h, ['nudges', 'leaderboard', 'digest']);
    const globexPosts = h.fake.callsTo('chat.postMessage').filter((c) => c.token === GLOBEX.botToken);
    assert.ok(
      globexPosts.some((c) => c.args.channel === 'C0LEADERS'),
      "Globex's leaderboard goes out",
    );
    assert.ok(
      globexPosts.some((c) => c.args.channel === 'C0DIGEST'),
      "Globex's digest goes out",
    );
    assert.equal(globexPosts.filter((c) => c.args.channel === 'U0001').length, 1, "Globex's nudge goes out");
    for (const r of reports)
      assert.ok(
        r.failed.some((f) => f.startsWith('T0ACME:')),
        `${r.job} reports Acme failed: ${r.failed}`,
      );
  });
});

describe('distribution: a token Slack says is revoked is not used again', () => {
  it('without the app_uninstalled event, the first token_revoked marks the installation uninstalled; later runs skip it', async () => {
    const h = await harness({ distribution: true, env });
    assert.equal((await installWorkspace(h, ACME)).status, 200);
    assert.equal((await installWorkspace(h, GLOBEX)).status, 200);
    await seed(h, ['T0ACME', 'T0GLOBEX']);
    // Slack revoked Acme's token; the event never reached Gemba (it was down, or the delivery failed).
    h.fake.revokeToken(ACME.botToken);
    h.fake.reset();
    const first = await runJobs(h, ['nudges', 'leaderboard', 'digest']);
    const acmeCalls = () => h.fake.calls.filter((c) => c.token === ACME.botToken).length;
    assert.ok(acmeCalls() <= NUDGE_CONCURRENCY, `at most the DMs already in flight tried the dead token (${acmeCalls()})`);
    assert.notEqual(await h.value("SELECT uninstalled_at FROM installations WHERE install_key = 'T:T0ACME'"), null);
    assert.equal(await h.value("SELECT uninstalled_at FROM installations WHERE install_key = 'T:T0GLOBEX'"), null);
    const globexPosts = h.fake.callsTo('chat.postMessage').filter((c) => c.token === GLOBEX.botToken);
    assert.equal(globexPosts.length, 5, 'Globex: three nudges, the leaderboard and the digest');
    assert.ok(first[0].failed.some((f) => /T0ACME.*token_revoked/.test(f)));

    const before = acmeCalls();
    const later = await runJobs(h, ['nudges', 'leaderboard', 'digest'], h.clock.now() + 86_400_000);
    assert.equal(acmeCalls(), before, 'no call with the dead token on later runs');
    for (const r of later)
      assert.ok(
        r.notes.some((n) => n.startsWith('T0ACME: Gemba is not installed there')),
        r.job,
      );
    // Reinstalling brings the workspace back with its history.
    assert.equal((await installWorkspace(h, { ...ACME, botToken: 'xoxb-acme-new' })).status, 200);
    assert.equal(await h.value("SELECT uninstalled_at FROM installations WHERE install_key = 'T:T0ACME'"), null);
    assert.equal(await h.count('contacts', "team_id = 'T0ACME'"), 3);
  });
});

describe('distribution: a revoked token that a reinstall has replaced', () => {
  it("the old token's token_revoked (a call begun before the reinstall) leaves the new installation in place", async () => {
    const h = await harness({ distribution: true, env });
    assert.equal((await installWorkspace(h, ACME)).status, 200);
    const old = await h.ctx.workspaces.clientFor('T0ACME');
    assert.ok(old);
    // Reinstalled with a new token while a job still held a client on the old one, which Slack then revoked.
    assert.equal((await installWorkspace(h, { ...ACME, botToken: 'xoxb-acme-new' })).status, 200);
    h.fake.revokeToken(ACME.botToken);
    await assert.rejects(old.chat.postMessage({ channel: 'U0001', text: 'hi' }), /token_revoked/);
    assert.equal(await h.value("SELECT uninstalled_at FROM installations WHERE install_key = 'T:T0ACME'"), null, 'still installed');
    const current = await h.ctx.workspaces.clientFor('T0ACME');
    assert.ok(current);
    await current.chat.postMessage({ channel: 'U0001', text: 'hi' });
    assert.equal(h.fake.callsTo('chat.postMessage').at(-1)?.token, 'xoxb-acme-new');
  });
});
