/**
 * The VP digest over a scripted month: the service's numbers, the job (Monday 09:30 team time,
 * once a week, catch-up, force) posting to the channel an admin set, and `/gemba digest preview`.
 * Quiet managers (14 days; 3 ignored nudges; the reason they gave), the freshest insights with who
 * heard them and where, coverage, accounts touched, flagged tactics; user text arrives escaped;
 * an over-long digest is trimmed and still valid Block Kit.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { digestMessage } from '../../src/blocks/digest.js';
import type { ContactRow } from '../../src/db/repos/contacts.js';
import { composeDigest, runDigest } from '../../src/jobs/digest.js';
import type { DigestData } from '../../src/services/digest.js';
import { seedContact } from '../jobs/support.js';
import { validateMessage } from '../kit/block-kit.js';
import { populate, publishFlags, repsInDistinctCrowds } from '../kit/crowds.js';
import { checkAndClose, type Harness, startHarness } from '../kit/harness.js';
import { ackMessage, allText, assertNoStrayControls, TEAM } from './support.js';

const ADMIN = 'UENVADMIN';
const VP = 'UVP000001';
const A = 'UAAAA0001'; // active every week, the freshest insights
const B = 'UBBBB0002'; // quiet 20 days, on PTO
const C = 'UCCCC0003'; // enrolled long ago, never logged
const D = 'UDDDD0004'; // talked 10 days ago, then ignored 3 nudges; earlier said "travelling"
const E = 'UEEEE0005'; // enrolled last week, nothing yet: not quiet
const F = 'UFFFF0006'; // 3 nudges, but answered the last one: not ignoring
const G = 'UGGGG0007'; // removed as a manager: never listed
const H = 'UHHHH0008'; // last talked exactly 14 days before the digest: quiet
const I = 'UIIII0009'; // last talked 13 days before: not quiet; 2 unanswered nudges only

const ENROLLED = Date.parse('2026-10-01T10:00:00Z');
const MON_0829 = Date.parse('2026-11-30T08:29:00Z'); // 09:29 in Berlin
const MON_0930 = Date.parse('2026-11-30T08:30:00Z'); // 09:30 in Berlin
const DIGEST_CHANNEL = 'C0DIGEST';
const HOSTILE = 'Wants <!channel> gone, ask <@U999|bob>, see <http://x|y> & pricing';

/** Stores a conversation as if logged at noon UTC of its own day (so "logged after a nudge" is real). */
async function seed(h: Harness, userId: string, account: string, occurredOn: string, insight: string | null = null): Promise<void> {
  const saved = h.clock.now();
  h.clock.set(Date.parse(`${occurredOn}T12:00:00Z`));
  await seedContact(h, userId, account, occurredOn, { insight });
  h.clock.set(saved);
}

const at = (iso: string) => Date.parse(iso);
const nudge = async (h: Harness, userId: string, iso: string) =>
  await h.ctx.repos.nudges.insertNudge({
    teamId: TEAM,
    userId,
    sentAt: at(iso),
    localDate: iso.slice(0, 10),
    channel: `D${userId}`,
    ts: '1.1',
  });

function sectionsOf(m: { blocks?: any[] }): string[] {
  return (m.blocks ?? []).filter((b) => b.type === 'section').map((b) => b.text.text as string);
}

describe('the VP digest over a scripted month', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ env: { ADMIN_USER_IDS: ADMIN } }); // Thu 2026-11-26 15:00Z
    for (const u of [A, B, C, D, F, G, H, I]) await h.ctx.repos.managers.enrollManager(TEAM, u, ENROLLED);
    await h.ctx.repos.managers.enrollManager(TEAM, E, at('2026-11-25T09:00:00Z'));
    for (const text of [
      'admin timezone Europe/Berlin',
      `admin channel digest <#${DIGEST_CHANNEL}|vp-digest>`,
      `admin vps add <@${VP}|vera>`,
    ]) {
      ackMessage(await h.command('/gemba', text, { userId: ADMIN }));
    }

    await seed(h, A, 'Oldco', '2026-10-05');
    await seed(h, A, 'Acme', '2026-10-19');
    await seed(h, A, 'Acme', '2026-11-02');
    await seed(h, A, 'Acme', '2026-11-24', 'Wants ROI proof before renewal');
    await seed(h, A, 'Initech', '2026-11-25');
    await seed(h, B, 'Globex', '2026-10-12');
    await seed(h, B, 'Globex', '2026-11-10', 'A stale insight from three weeks ago');
    await seed(h, D, 'Hooli', '2026-11-09');
    await seed(h, D, 'Hooli', '2026-11-20', 'Security review comes first');
    await seed(h, F, 'Umbrella', '2026-11-23');
    await seed(h, H, 'Stark', '2026-11-16', 'Fourteen days ago, pushed out by fresher ones');
    await seed(h, I, 'Wayne', '2026-11-17', 'Prefers a short video to a call');
    await seed(h, G, 'Ghostco', '2026-11-18', 'From someone no longer a manager');
    await h.ctx.services.admin.changeManagers(TEAM, ADMIN, 'remove', [G]);
    // Friday: A logs through the real command (Slack escapes & < > in command text), then F.
    h.clock.set(at('2026-11-27T12:00:00Z'));
    ackMessage(
      await h.command('/contact', 'Acme &amp; Co on 2026-11-27: Wants <!channel> gone, ask <@U999|bob>, see <http://x|y> &amp; pricing', {
        userId: A,
      }),
    );
    await seed(h, F, 'Umbrella', '2026-11-27', 'Budget frozen until Q2');

    // Nudges: D ignored three (and logged nothing since); F answered the last; I has only two.
    for (const d of ['2026-11-23T08:00:00Z', '2026-11-26T08:00:00Z', '2026-11-27T08:00:00Z']) await nudge(h, D, d);
    for (const d of ['2026-11-20T08:00:00Z', '2026-11-23T08:00:00Z', '2026-11-26T08:00:00Z']) await nudge(h, F, d);
    await h.ctx.repos.nudges.markLatestAnswered(TEAM, F, 'log');
    for (const d of ['2026-11-24T08:00:00Z', '2026-11-27T08:00:00Z']) await nudge(h, I, d);
    // Reasons: B is on PTO now; D said "travelling" three weeks ago; A just snoozed (no reason).
    await h.ctx.repos.snoozes.insertSnooze({
      teamId: TEAM,
      userId: B,
      startsOn: '2026-11-27',
      endsOn: '2026-12-03',
      reason: 'pto',
      createdAt: at('2026-11-27T09:00:00Z'),
    });
    await h.ctx.repos.snoozes.insertSnooze({
      teamId: TEAM,
      userId: D,
      startsOn: '2026-11-05',
      endsOn: '2026-11-11',
      reason: 'travelling',
      createdAt: at('2026-11-05T09:00:00Z'),
    });
    await h.ctx.repos.snoozes.insertSnooze({
      teamId: TEAM,
      userId: A,
      startsOn: '2026-11-30',
      endsOn: '2026-12-06',
      reason: 'snooze',
      createdAt: at('2026-11-29T09:00:00Z'),
    });

    // Tactics: three reps behind one (with hostile text in the reason), one rep behind another.
    const tactics = h.ctx.services.tactics;
    const [UREPA, UREPB, UREPC] = await repsInDistinctCrowds(h, await populate(h), 3);
    await tactics.flagTactic(TEAM, UREPA, {
      tactic: 'Cold calling',
      why: 'nobody answers <!here> & hangs up',
      instead: 'a <b>short</b> video',
    });
    await tactics.flagTactic(TEAM, UREPB, { tactic: 'cold-calling!', why: null });
    await h.command('/flag-tactic', 'COLD calling: buyers screen unknown numbers', { userId: UREPC });
    await tactics.flagTactic(TEAM, UREPA, { tactic: 'Paid ad bursts', why: 'ignored' });
    await publishFlags(h);
    await h.settle();
  });
  after(() => checkAndClose(h));
  /** The digest's data as the Monday 09:30 (Berlin) run computes it: the report week of 23 Nov. */
  const computeMonday = () =>
    h.ctx.services.digest.compute(TEAM, {
      reportWeek: '2026-11-23',
      today: '2026-11-30',
      target: 3,
      now: MON_0930,
      timezone: 'Europe/Berlin',
    });

  it('compute: trend, coverage and accounts touched for the report week', async () => {
    const d = await computeMonday();
    assert.equal(d.reportWeek, '2026-11-23');
    assert.deepEqual(
      d.trend.weeks.map((w) => [w.weekStart, w.total, w.managersWithOne]),
      [
        ['2026-10-05', 1, 1],
        ['2026-10-12', 1, 1],
        ['2026-10-19', 1, 1],
        ['2026-10-26', 0, 0],
        ['2026-11-02', 1, 1],
        ['2026-11-09', 2, 2],
        ['2026-11-16', 3, 3], // H, I, D; G no longer counts
        ['2026-11-23', 5, 2], // A ×3, F ×2
      ],
    );
    assert.equal(d.trend.managerCount, 8);
    assert.deepEqual(
      d.trend.weeks.map((w) => w.coverage),
      [1 / 8, 1 / 8, 1 / 8, 0, 1 / 8, 2 / 8, 3 / 8, 2 / 8],
    );
    // Acme, Initech, Acme & Co, Umbrella.
    assert.equal(d.trend.accountsTouched, 4);
  });

  it('compute: quiet managers (14 days, or 3 ignored nudges) with the reason they gave, longest first', async () => {
    const d = await computeMonday();
    assert.deepEqual(d.quiet, [
      { userId: C, daysQuiet: null, ignoredNudges: false, reason: null },
      { userId: B, daysQuiet: 20, ignoredNudges: false, reason: 'pto' },
      { userId: H, daysQuiet: 14, ignoredNudges: false, reason: null },
      { userId: D, daysQuiet: 10, ignoredNudges: true, reason: 'travelling' },
    ]);
    assert.deepEqual(d.snoozed, [
      { userId: A, reason: 'snooze', endsOn: '2026-12-06' },
      { userId: B, reason: 'pto', endsOn: '2026-12-03' },
    ]);
    // A day earlier, H (13 days) was not quiet yet.
    const sunday = await h.ctx.services.digest.compute(TEAM, {
      reportWeek: '2026-11-16',
      today: '2026-11-29',
      target: 3,
      now: MON_0930 - 86_400_000,
      timezone: 'Europe/Berlin',
    });
    assert.ok(!sunday.quiet.some((q) => q.userId === H));
    // F answered its last nudge, I had only two, E is new, G was removed: none of them is quiet.
    assert.ok(
      !(await h.ctx.services.digest.quietManagers(TEAM, { today: '2026-11-30', now: MON_0930, timezone: 'Europe/Berlin' })).some(
        (q) => q.userId === F || q.userId === I || q.userId === E || q.userId === G,
      ),
    );
  });

  it('compute: the five freshest insights of the last 14 days, newest first', async () => {
    const d = await computeMonday();
    assert.deepEqual(
      d.insights.map((c: ContactRow) => [c.userId, c.occurredOn, c.account, c.insight]),
      [
        [F, '2026-11-27', 'Umbrella', 'Budget frozen until Q2'],
        [A, '2026-11-27', 'Acme & Co', HOSTILE],
        [A, '2026-11-24', 'Acme', 'Wants ROI proof before renewal'],
        [D, '2026-11-20', 'Hooli', 'Security review comes first'],
        [G, '2026-11-18', 'Ghostco', 'From someone no longer a manager'],
      ],
    );
  });

  it('is not posted before Monday 09:30 team time', async () => {
    h.fake.reset();
    const report = await runDigest(h.ctx, MON_0829);
    assert.deepEqual(report.posted, []);
    assert.match(report.notes.join('\n'), /not due until Monday 09:30 Europe\/Berlin/);
    assert.equal(h.fake.callsTo('chat.postMessage').length, 0);
  });

  it('posts at 09:30 to the digest channel the admin set, as of the job instant, escaped and valid', async () => {
    // The clock still says Friday: the digest must be computed as of the job's own `now`.
    assert.equal(h.clock.now(), at('2026-11-27T12:00:00Z'));
    const report = await runDigest(h.ctx, MON_0930);
    assert.equal(report.posted.length, 1, JSON.stringify(report));
    assert.match(report.posted[0], /digest for week of 2026-11-23 to C0DIGEST \(T0001, 2026-W49\)/);
    const posts = h.fake.callsTo('chat.postMessage');
    assert.equal(posts.length, 1);
    const m = posts[0].args;
    assert.equal(m.channel, DIGEST_CHANNEL);
    assert.deepEqual(validateMessage(m), []);
    assertNoStrayControls(m);
    assert.ok(m.blocks.length <= 50);
    for (const s of sectionsOf(m)) assert.ok([...s].length <= 3000);
    const text = allText(m);

    assert.match(m.blocks[0].text.text, /^Gemba digest, week of Mon 23 Nov$/);
    // Trend and coverage, 8 weeks.
    assert.match(text, /\*Team conversations, last 8 weeks\*\n`▂▂▂▁▂▄▅█` {2}1 · 1 · 1 · 0 · 1 · 2 · 3 · 5/);
    assert.match(text, /\*Coverage\* \(managers with at least one conversation\): 13% · 13% · 13% · 0% · 13% · 25% · 38% · 25%/);
    assert.match(text, /Week of Mon 23 Nov: \*5\* conversations · 2 of 8 managers \(25%\) · 4 accounts touched · target 3 each/);

    // Insights: escaped, attributed to who heard them and at which account, in order.
    const insights = sectionsOf(m).filter((s) => s.includes('— heard by'));
    assert.deepEqual(
      insights.map((s) => /— heard by (<@\w+>) at \*(.*)\*, (.*)$/.exec(s)!.slice(1)),
      [
        [`<@${F}>`, 'Umbrella', 'Fri 27 Nov'],
        [`<@${A}>`, 'Acme &amp; Co', 'Fri 27 Nov'],
        [`<@${A}>`, 'Acme', 'Tue 24 Nov'],
        [`<@${D}>`, 'Hooli', 'Fri 20 Nov'],
        [`<@${G}>`, 'Ghostco', 'Wed 18 Nov'],
      ],
    );
    assert.ok(
      insights[1].startsWith('> Wants &lt;!channel&gt; gone, ask &lt;@U999|bob&gt;, see &lt;http://x|y&gt; &amp; pricing\n'),
      insights[1],
    );
    assert.ok(!JSON.stringify(m).includes('<!channel>'), 'no live broadcast anywhere');
    assert.ok(!JSON.stringify(m).includes('<@U999'), 'no forged mention');
    assert.ok(!JSON.stringify(m).includes('<http://x'), 'no forged link');
    assert.doesNotMatch(text, /stale insight|Fourteen days ago/, 'older or crowded-out insights are not shown');

    // Quiet managers with reasons, and who paused nudges.
    assert.match(
      text,
      new RegExp(
        [
          '\\*Gone quiet\\* \\(no conversation in 14 days, or 3 nudges ignored\\)',
          `• <@${C}>: no conversation logged yet`,
          `• <@${B}>: 20 days without a conversation · said: on PTO`,
          `• <@${H}>: 14 days without a conversation`,
          `• <@${D}>: 10 days without a conversation · 3 nudges unanswered · said: travelling`,
        ].join('\\n'),
      ),
    );
    assert.doesNotMatch(text.split('*Gone quiet*')[1].split('*Paused nudges*')[0], new RegExp(`${E}|${F}|${G}|${I}|${A}`));
    assert.match(text, new RegExp(`\\*Paused nudges\\*\\n• <@${A}>: snoozed through Sun 6 Dec\\n• <@${B}>: on PTO through Thu 3 Dec`));

    // Tactics: the one at the threshold, with escaped reasons and decision buttons; the other counted.
    assert.match(text, /\*Tactics reps say no longer work\*/);
    assert.match(text, /\*COLD calling\* {2}`#\d+` · at least 3 reps/, 'the alphabetically first wording');
    assert.ok(text.includes('> nobody answers &lt;!here&gt; &amp; hangs up'), text);
    assert.ok(text.includes('&lt;b&gt;short&lt;/b&gt; video'));
    assert.match(text, /1 more tactic was flagged by fewer than 3 crowds of reps: counted, not shown/);
    assert.doesNotMatch(text, /Paid ad bursts/);
    const buttons = m.blocks.flatMap((b: any) => (b.type === 'actions' ? b.elements : [])).map((e: any) => e.text.text);
    assert.deepEqual(buttons, ['Retire', 'Keep', 'Pilot an alternative']);
    assert.match(m.text, /Gemba digest, week of Mon 23 Nov: 5 conversations, 2 of 8 managers, 4 quiet\./);
  });

  it('runs once per week: not again the same day, nor later in the week, unless forced', async () => {
    h.clock.set(MON_0930 + 30 * 60_000);
    h.fake.reset();
    let report = await runDigest(h.ctx, h.clock.now());
    assert.deepEqual(report.posted, []);
    assert.match(report.notes.join('\n'), /already posted this week/);
    h.clock.set(at('2026-12-02T10:00:00Z'));
    report = await runDigest(h.ctx, h.clock.now());
    assert.deepEqual(report.posted, []);
    assert.equal(h.fake.callsTo('chat.postMessage').length, 0);
    report = await runDigest(h.ctx, h.clock.now(), { force: true });
    assert.equal(report.posted.length, 1);
    assert.equal(h.fake.callsTo('chat.postMessage').length, 1);
    // The next Monday reports on the week of 30 Nov.
    h.clock.set(at('2026-12-07T08:30:00Z'));
    report = await runDigest(h.ctx, h.clock.now());
    assert.equal(report.posted.length, 1);
    assert.match(report.posted[0], /week of 2026-11-30 .*2026-W50/);
    assert.match(h.fake.callsTo('chat.postMessage').at(-1)!.args.blocks[0].text.text, /week of Mon 30 Nov/);
  });

  it('/gemba digest preview shows a VP exactly what would be posted, ephemerally; managers are refused', async () => {
    h.clock.set(MON_0930 + 60 * 60_000);
    const posted = await composeDigest(h.ctx, TEAM, '2026-11-23', h.clock.now());
    const m = ackMessage(await h.command('/gemba', 'digest preview', { userId: VP }));
    assert.equal(m.response_type, 'ephemeral');
    assert.equal(m.blocks![0].text.text, 'Preview: Gemba digest, week of Mon 23 Nov');
    assert.deepEqual(m.blocks!.slice(1), posted.blocks!.slice(1));
    assert.match(allText(m), /&lt;!channel&gt;/);
    const admin = ackMessage(await h.command('/gemba', 'digest preview', { userId: ADMIN }));
    assert.deepEqual(admin.blocks, m.blocks);
    const refused = allText(ackMessage(await h.command('/gemba', 'digest preview', { userId: A })));
    assert.match(refused, /digest preview is for VPs and admins/);
    assert.doesNotMatch(refused, /Acme|UCCCC0003|Gone quiet/);
  });

  it('a conversation logged after the ignored nudges takes a manager off the quiet list', async () => {
    const quietNow = async () =>
      (await h.ctx.services.digest.quietManagers(TEAM, { today: '2026-11-30', now: h.clock.now(), timezone: 'Europe/Berlin' })).map(
        (q) => q.userId,
      );
    assert.ok((await quietNow()).includes(D));
    await seed(h, D, 'Hooli', '2026-11-30');
    assert.ok(!(await quietNow()).includes(D));
  });
});

describe('the digest job catches up after downtime', () => {
  it('posts later in the week if Monday was missed, once, and not before the next Monday 09:30', async () => {
    const h = await startHarness({ env: { ADMIN_USER_IDS: ADMIN } });
    try {
      ackMessage(await h.command('/gemba', `admin channel digest <#${DIGEST_CHANNEL}|vp-digest>`, { userId: ADMIN }));
      await h.ctx.repos.managers.enrollManager(TEAM, A, ENROLLED);
      // The app was down on Monday; it comes back on Wednesday.
      for (const [iso, posted] of [
        ['2026-12-02T10:00:00Z', 1],
        ['2026-12-02T11:00:00Z', 0],
        ['2026-12-06T23:00:00Z', 0],
        ['2026-12-07T09:29:00Z', 0],
        ['2026-12-07T09:30:00Z', 1],
      ] as const) {
        h.clock.set(at(iso));
        const report = await runDigest(h.ctx, h.clock.now());
        assert.equal(report.posted.length, posted, `${iso}: ${JSON.stringify(report)}`);
      }
      const weeks = h.fake.callsTo('chat.postMessage').map((c) => c.args.blocks[0].text.text);
      assert.deepEqual(weeks, ['Gemba digest, week of Mon 23 Nov', 'Gemba digest, week of Mon 30 Nov']);
      assert.deepEqual(h.fake.invalid, []);
    } finally {
      await h.close();
    }
  });

  it('without a digest channel it posts nothing and tells the admins once a week', async () => {
    const h = await startHarness({ env: { ADMIN_USER_IDS: ADMIN } });
    try {
      await h.ctx.repos.managers.enrollManager(TEAM, A, ENROLLED);
      for (const iso of ['2026-11-30T09:30:00Z', '2026-11-30T10:30:00Z']) {
        const report = await runDigest(h.ctx, at(iso));
        assert.deepEqual(report.posted, []);
        assert.match(report.notes.join('\n'), /no digest channel set/);
      }
      const dms = h.fake.callsTo('chat.postMessage');
      assert.equal(dms.length, 1);
      assert.equal(dms[0].args.channel, ADMIN);
      assert.match(dms[0].args.text, /no channel is set for the weekly digest\. Set one with `\/gemba admin channel digest #channel`/);
    } finally {
      await h.close();
    }
  });
});

describe('an over-long digest', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ env: { ADMIN_USER_IDS: ADMIN, ANONYMITY_MIN_REPORTS: '3' } });
    ackMessage(await h.command('/gemba', `admin channel digest <#${DIGEST_CHANNEL}|vp-digest>`, { userId: ADMIN }));
    await h.ctx.storage.transaction(async (tx) => {
      // 300 managers with real-length ids, all quiet, half of them with a reason, all ignoring nudges.
      for (let i = 0; i < 300; i++) {
        const u = `U${String(1_000_000_000 + i)}`;
        await tx.managers.enrollManager(TEAM, u, ENROLLED);
        await tx.snoozes.insertSnooze({
          teamId: TEAM,
          userId: u,
          startsOn: '2026-11-25',
          endsOn: '2026-12-20',
          reason: i % 2 ? 'pipeline_reset' : 'travelling',
          createdAt: at('2026-11-25T09:00:00Z'),
        });
        for (const d of ['2026-11-10', '2026-11-17', '2026-11-24'])
          await tx.nudges.insertNudge({ teamId: TEAM, userId: u, sentAt: at(`${d}T08:00:00Z`), localDate: d, channel: `D${u}`, ts: '1.1' });
      }
    });
    // Insights at the 2,000-character limit, made of what escaping makes longer, with line breaks.
    const nasty = '<!channel> & <@U1> <http://x|y>\n'.repeat(80).slice(0, 2000);
    for (let i = 0; i < 8; i++) await seed(h, 'UWRITER01', `${'&<>'.repeat(40)}`.slice(0, 120), `2026-11-${20 + (i % 6)}`, nasty);
    // Many tactics past the threshold, each with long hostile reasons.
    const long = '<!here> & <b>x</b>\n'.repeat(40).slice(0, 500);
    // Nine reps from nine crowds share the 36 flags: each flags 4 (a rep may flag 5 a week), three crowds per tactic.
    const reps = await repsInDistinctCrowds(h, await populate(h, 120), 9);
    for (let t = 0; t < 12; t++) {
      for (let r = 0; r < 3; r++) {
        const result = await h.ctx.services.tactics.flagTactic(TEAM, reps[(t * 3 + r) % reps.length], {
          tactic: `Tactic ${t} ${'&'.repeat(60)}`.slice(0, 80),
          why: long,
          instead: long,
        });
        assert.equal(result.ok, true, JSON.stringify(result));
      }
    }
    await publishFlags(h);
  });
  after(async () => {
    await h.close();
  });

  async function assertFits(m: { text: string; blocks?: any[] }): Promise<void> {
    assert.deepEqual(validateMessage(m), []);
    assertNoStrayControls(m);
    assert.ok(m.blocks!.length <= 50, `${m.blocks!.length} blocks`);
    for (const b of m.blocks!) {
      if (b.type === 'section') assert.ok([...b.text.text].length <= 3000, `section of ${[...b.text.text].length} chars`);
      if (b.type === 'context') for (const e of b.elements) assert.ok([...e.text].length <= 3000);
    }
    assert.ok(!JSON.stringify(m).includes('<!channel>') && !JSON.stringify(m).includes('<!here>'));
  }

  it('is trimmed to Slack limits and posts as valid Block Kit', async () => {
    const m = await composeDigest(h.ctx, TEAM, '2026-11-23', MON_0930);
    await assertFits(m);
    const text = allText(m);
    assert.match(text, /…and 270 more/, 'quiet managers beyond 30 are counted');
    assert.match(text, /…and 7 more tactics past the threshold/);
    assert.match(m.text, /300 quiet/);
    // Posted for real, the fake Slack accepts it.
    const report = await runDigest(h.ctx, MON_0930, { force: true });
    assert.equal(report.posted.length, 1, JSON.stringify(report));
    assert.deepEqual(h.fake.invalid, []);
    await assertFits(h.fake.callsTo('chat.postMessage').at(-1)!.args as any);
    // And so is the preview.
    h.clock.set(MON_0930);
    await assertFits(ackMessage(await h.command('/gemba', 'digest preview', { userId: ADMIN })));
  });

  it('the builder trims any number of blocks to 50 and says so', async () => {
    const base = await h.ctx.services.digest.compute(TEAM, {
      reportWeek: '2026-11-23',
      today: '2026-11-30',
      target: 3,
      now: MON_0930,
      timezone: 'UTC',
    });
    const insight = base.insights[0];
    const many: DigestData = { ...base, insights: Array.from({ length: 80 }, (_, i) => ({ ...insight, id: i + 1 })) };
    const m = digestMessage(many, await h.ctx.services.tactics.digestTactics(TEAM, 3));
    await assertFits(m);
    assert.equal(m.blocks!.length, 49);
    assert.match(allText(m.blocks!.at(-1)), /Trimmed to fit Slack/);
  });
});
