/**
 * Team views for VPs and admins, end to end: `/trends team [weeks]` (team totals, coverage, the
 * per-manager table), `/trends <@user>`, and the Home tab's team snapshot, over a scripted team.
 * A big team with real-length ids stays within Slack's limits.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TEAM_TABLE_TEXT_BUDGET, teamTableSize } from '../../src/blocks/team.js';
import type { ContactKind } from '../../src/db/repos/contacts.js';
import { seedContact } from '../jobs/support.js';
import { validateMessage } from '../kit/block-kit.js';
import { checkAndClose, type Harness, startHarness } from '../kit/harness.js';
import { ackMessage, allText, assertNoStrayControls, TEAM } from './support.js';

const ADMIN = 'UENVADMIN';
const VP = 'UVP000001';
const A = 'UAAAA0001';
const B = 'UBBBB0002';
const C = 'UCCCC0003';
const GONE = 'UGONE0004';
const ENROLLED = Date.parse('2026-09-01T12:00:00Z');

const seed = (h: Harness, userId: string, account: string, occurredOn: string, kind: ContactKind = 'call'): Promise<void> =>
  seedContact(h, userId, account, occurredOn, { kind });

describe('/trends team and the team snapshot over a scripted team', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ env: { ADMIN_USER_IDS: ADMIN } }); // Thu 2026-11-26
    for (const u of [A, B, C, GONE]) await h.ctx.repos.managers.enrollManager(TEAM, u, ENROLLED);
    await h.ctx.services.admin.changeVps(TEAM, ADMIN, 'add', [VP]);
    // A: 1 (5 Oct), 1 (9 Nov), 2 (16 Nov), 3 this week (Acme twice under two spellings, Initech).
    await seed(h, A, 'Oldco', '2026-10-05');
    await seed(h, A, 'Acme', '2026-11-10');
    await seed(h, A, 'Acme', '2026-11-16');
    await seed(h, A, 'Initech', '2026-11-18');
    await seed(h, A, 'Acme', '2026-11-23');
    await seed(h, A, 'ACME ', '2026-11-24', 'video');
    await seed(h, A, 'Initech', '2026-11-25');
    // B: 4 (9 Nov), 1 this week.
    for (const d of ['2026-11-09', '2026-11-10', '2026-11-11', '2026-11-12']) await seed(h, B, 'Hooli', d);
    await seed(h, B, 'Globex', '2026-11-26');
    // C: nothing at all. GONE: talked to buyers, then was removed as a manager.
    await seed(h, GONE, 'Umbrella', '2026-10-12');
    await seed(h, GONE, 'Umbrella', '2026-11-20');
    await h.ctx.services.admin.changeManagers(TEAM, ADMIN, 'remove', [GONE]);
  });
  after(() => checkAndClose(h));

  it('shows team totals per week, coverage, accounts touched and the per-manager table', async () => {
    const m = ackMessage(await h.command('/trends', 'team', { userId: VP }));
    const text = allText(m);
    // Totals, oldest first: 5 Oct 1, then nothing until 9 Nov 5, 16 Nov 2, 23 Nov 4 (GONE excluded).
    assert.match(text, /\*Team conversations, last 8 weeks\*\n`▂▁▁▁▁█▄▇` {2}1 · 0 · 0 · 0 · 0 · 5 · 2 · 4/);
    // Coverage over the 3 active managers.
    assert.match(text, /\*Coverage\* \(managers with at least one conversation\): 33% · 0% · 0% · 0% · 0% · 67% · 33% · 67%/);
    // Acme/ACME count once: Acme, Initech, Globex.
    assert.match(text, /Week of Mon 23 Nov: \*4\* conversations · 2 of 3 managers \(67%\) · 3 accounts touched · target 3 each/);
    // Latest week first, then total; the target mark for those at target.
    const rows = text.split('\n').filter((l) => l.startsWith('<@'));
    assert.deepEqual(rows, [
      `<@${A}>  \`▃▁▁▁▁▃▆█\`  7 total · 3 in the latest week :white_check_mark:`,
      `<@${B}>  \`▁▁▁▁▁█▁▃\`  5 total · 1 in the latest week`,
      `<@${C}>  \`▁▁▁▁▁▁▁▁\`  0 total · 0 in the latest week`,
    ]);
    assert.doesNotMatch(text, new RegExp(GONE), 'a removed manager is not in the team table');
    assert.match(m.text, /Team trend: 4 conversations this week, coverage 67%\./);
  });

  it('/trends team <weeks> widens or narrows the window; admins see it too', async () => {
    const four = allText(ackMessage(await h.command('/trends', 'team 4', { userId: ADMIN })));
    assert.match(four, /last 4 weeks\*\n`[^`]{4}` {2}0 · 5 · 2 · 4\n/);
    assert.match(four, /67% · 33% · 67%$/m);
    assert.ok(four.includes(`<@${A}>  \`▁▃▆█\`  6 total · 3 in the latest week`));
    const twelve = allText(ackMessage(await h.command('/trends', 'team 12', { userId: ADMIN })));
    assert.match(twelve, /last 12 weeks\*\n`[^`]{12}` {2}0 · 0 · 0 · 0 · 1 · 0 · 0 · 0 · 0 · 5 · 2 · 4\n/);
  });

  it("/trends <@user> shows that manager's own trend to a VP, in their weeks", async () => {
    const text = allText(ackMessage(await h.command('/trends', `<@${B}|bee>`, { userId: VP })));
    assert.match(text, new RegExp(`<@${B}>`));
    assert.match(text, /5 in 8 weeks/);
    assert.match(text, /\*This week:\* 1 of 3/);
    assert.match(text, /\*Distinct accounts:\* 2/);
    assert.doesNotMatch(text, /Initech|Acme/, "nobody else's accounts");
  });

  it('the Home tab gives VPs a team snapshot whose quiet count matches the digest', async () => {
    await h.homeOpened(VP);
    await h.settle();
    const view = h.fake.callsTo('views.publish').at(-1)!.args.view;
    assertNoStrayControls(view);
    const text = allText(view);
    assert.match(text, /\*Team this week\*\n4 conversations · 2 of 3 managers \(67%\) · `▂▁▁▁▁█▄▇`/);
    // Only C: GONE talked to a buyer recently but is no longer a manager and must not hide C.
    assert.match(text, /1 manager gone quiet \(no conversation in 14 days, or 3 nudges ignored\)/);
    const quiet = await h.ctx.services.digest.quietManagers(TEAM, { today: '2026-11-26', now: h.clock.now(), timezone: 'UTC' });
    assert.deepEqual(
      quiet.map((q) => q.userId),
      [C],
    );
    // A manager's Home has no snapshot.
    await h.homeOpened(A);
    await h.settle();
    assert.doesNotMatch(allText(h.fake.callsTo('views.publish').at(-1)!.args.view), /Team this week|UBBBB0002/);
  });
});

describe('/trends team for a big team', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ env: { ADMIN_USER_IDS: ADMIN } });
    // 250 managers with 11-character ids, active in many weeks: long sparklines, double-digit totals.
    const ids = Array.from({ length: 250 }, (_, i) => `U${String(1_000_000_000 + i)}`);
    for (const [i, u] of ids.entries()) {
      await h.ctx.repos.managers.enrollManager(TEAM, u, ENROLLED);
      for (let w = 0; w < 12; w++) {
        const day = new Date(Date.parse('2026-09-07T00:00:00Z') + (w * 7 + (i % 5)) * 86_400_000).toISOString().slice(0, 10);
        for (let k = 0; k <= (i + w) % 4; k++) await seed(h, u, `Account ${i}-${k}`, day);
      }
    }
  });
  after(() => checkAndClose(h));

  for (const weeks of [8, 52]) {
    it(`/trends team ${weeks}: ≤ 50 blocks, every section ≤ 3000 characters, no mention cut in half`, async () => {
      const m = ackMessage(await h.command('/trends', `team ${weeks}`, { userId: ADMIN }));
      assert.deepEqual(validateMessage(m), []);
      assert.ok(m.blocks!.length <= 50, `${m.blocks!.length} blocks`);
      for (const b of m.blocks!) if (b.type === 'section') assert.ok([...b.text.text].length <= 3000, `${[...b.text.text].length} chars`);
      const rows = allText(m)
        .split('\n')
        .filter((l) => l.startsWith('<@'));
      // As many as fit Slack's practical text budget for this window, each whole; the rest counted.
      const listed = teamTableSize(weeks);
      assert.equal(rows.length, listed, `the first ${listed} managers are listed, each whole`);
      for (const r of rows) assert.match(r, /^<@U\d{10}> {2}`[▁▂▃▄▅▆▇█]+` {2}\d+ total · \d+ in the latest week/);
      assert.ok(rows.join('\n').length <= TEAM_TABLE_TEXT_BUDGET, 'the table stays within its text budget');
      assert.match(allText(m), new RegExp(`…and ${250 - listed} more managers\\. \`/gemba admin export\` has everyone\\.`));
    });
  }
});
