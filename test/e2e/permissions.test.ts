/**
 * The permission matrix, end to end: every `/gemba admin` sub-command tried by a manager, a VP, a
 * rep, an env admin (ADMIN_USER_IDS), a Slack admin and a Slack owner (users.info, looked up after
 * the ack); only admins change anything. Then what each person can see: managers never see
 * another person's data through any command, button or the Home tab; VPs and admins do.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN_ONLY } from '../../src/blocks/admin.js';
import { ActionId } from '../../src/blocks/ids.js';
import { validateMessage } from '../kit/block-kit.js';
import { populate, publishFlags, repsInDistinctCrowds } from '../kit/crowds.js';
import { checkAndClose, type Harness, startHarness } from '../kit/harness.js';
import { ackMessage, allText, assertNoStrayControls, TEAM } from './support.js';

const ENV_ADMIN = 'UENVADMIN';
const SLACK_ADMIN = 'USLACKADMIN';
const SLACK_OWNER = 'USLACKOWNER';
const VP = 'UVP000001';
const MGR = 'UMGR00001';
const OTHER = 'UMGR00002';
const REP = 'UREP00001';

/** Runs a command with its own response_url; returns the ack, the response_url posts, and all their text. */
async function run(
  h: Harness,
  command: string,
  userId: string,
  text: string,
): Promise<{ ack: any; responses: any[]; text: string; messages: any[] }> {
  const key = `${userId}-${Math.random().toString(36).slice(2)}`;
  const r = await h.command(command, text, { userId, responseUrl: h.fake.responseUrl(key) });
  assert.equal(r.status, 200, r.text);
  await h.settle();
  const responses = h.fake
    .callsTo('response_url')
    .filter((c) => c.args._key === key)
    .map((c) => c.args);
  const messages = [r.json, ...responses].filter(Boolean);
  assert.ok(messages.length > 0, `"${command} ${text}" by ${userId} got an answer`);
  for (const m of messages) {
    assert.deepEqual(validateMessage(m), [], 'valid Block Kit');
    assertNoStrayControls(m);
    assert.notEqual(m.response_type, 'in_channel', 'never posted to the channel');
  }
  return { ack: r.json, responses, messages, text: messages.map(allText).join('\n') };
}

/** Every row of every table but the profile cache (refused callers may get looked up), as JSON. */
async function snapshot(h: Harness): Promise<string> {
  const tables = (await h.tables()).filter((t) => t.name !== 'user_profiles' && t.name !== 'seen_requests');
  const out: Array<[string, unknown[]]> = [];
  for (const t of tables) out.push([t.name, await h.rows(`SELECT * FROM ${t.name} ORDER BY ${t.columns.map((_, i) => i + 1).join(', ')}`)]);
  return JSON.stringify(out);
}

/** A team with managers, a VP, conversations, a tactic at the threshold and a user group. */
async function seedTeam(h: Harness): Promise<{ tacticId: number; otherContactId: number }> {
  await h.command('/gemba', `admin vps add <@${VP}|vera>`, { userId: ENV_ADMIN });
  for (const line of ['Acme on 2026-11-24: my own insight', 'Initech on 2026-11-17'])
    ackMessage(await h.command('/contact', line, { userId: MGR }));
  for (const line of ['SecretCo on 2026-11-25: secret plan to switch vendors', 'Hushhush Ltd on 2026-11-18'])
    ackMessage(await h.command('/contact', line, { userId: OTHER }));
  const members = await populate(h);
  for (const rep of await repsInDistinctCrowds(h, members, 3))
    await h.command('/flag-tactic', 'cold calling: nobody answers', { userId: rep });
  await publishFlags(h);
  h.fake.setUsergroup('S0SALES', ['UGROUP001', 'UGROUP002']);
  await h.settle();
  const otherContactId = (await h.ctx.repos.contacts.listRecentContacts(TEAM, OTHER, 1))[0].id;
  return { tacticId: (await h.ctx.services.tactics.listTactics(TEAM))[0].id, otherContactId };
}

/** Every admin sub-command in PRODUCT.md. */
const adminCommands = (tacticId: number): string[] => [
  'admin help',
  'admin managers add <@UNEW00001|newbie>',
  `admin managers remove <@${MGR}|dana>`,
  'admin managers sync <!subteam^S0SALES|@sales>',
  'admin vps add <@UNEW00002|newvp>',
  `admin vps remove <@${VP}|vera>`,
  'admin channel leaderboard <#C0WINS|sales-wins>',
  'admin channel digest <#C0VPS|vp-digest>',
  'admin target 7',
  'admin nudge-after 3d',
  'admin timezone Asia/Tokyo',
  'admin export',
  `admin forget <@${OTHER}|lee>`,
  `admin tactics hide ${tacticId}`,
  // Malformed: refused like the rest, not answered with the syntax (that is for admins).
  'admin forget',
  'admin target 0',
  'admin timezone Mars/Olympus',
  'admin tactics hide x',
  'admin bogus',
];

/** Slack calls that only an admin command makes. */
const ADMIN_SIDE_EFFECTS = [
  'usergroups.users.list',
  'conversations.open',
  'files.getUploadURLExternal',
  'files.completeUploadExternal',
  'upload',
  'chat.postMessage',
];

describe('permission matrix: /gemba admin by people who are not admins', () => {
  let h: Harness;
  let tacticId: number;
  before(async () => {
    h = await startHarness({ env: { ADMIN_USER_IDS: ENV_ADMIN } });
    ({ tacticId } = await seedTeam(h));
  });
  after(() => checkAndClose(h));

  for (const [who, userId] of [
    ['a manager', MGR],
    ['a VP', VP],
    ['a rep who never used Gemba', REP],
  ] as const) {
    it(`${who} is refused every admin sub-command and nothing changes`, async () => {
      const before = await snapshot(h);
      h.fake.reset();
      for (const text of adminCommands(tacticId)) {
        const r = await run(h, '/gemba', userId, text);
        assert.ok(r.text.includes(ADMIN_ONLY), `"${text}" by ${who} must be refused; got:\n${r.text}`);
        assert.doesNotMatch(r.text, /white_check_mark|Forgot|Export sent|Synced|is hidden/, text);
      }
      assert.equal(await snapshot(h), before, `${who} changed nothing: no data, setting, role or audit entry`);
      for (const m of ADMIN_SIDE_EFFECTS) assert.deepEqual(h.fake.callsTo(m), [], `${who} caused no ${m}`);
      assert.equal(h.fake.uploads.size, 0);
      // A refused caller is looked up in Slack (they might have been a Slack admin): once when the
      // answer is cached (managers, VPs), at every command for a rep, who gets no cache row.
      assert.ok(h.fake.callsTo('users.info').length <= (userId === REP ? adminCommands(tacticId).length : 1));
      if (userId === REP) assert.equal(await h.value('SELECT COUNT(*) FROM user_profiles WHERE user_id = ?', [REP]), 0);
      assert.ok(!h.logs.some((l) => l.msg === 'admin change' && l.actor === userId));
    });
  }

  it('someone Slack no longer knows is refused too', async () => {
    h.fake.removeUser('UGHOST001');
    const before = await snapshot(h);
    const r = await run(h, '/gemba', 'UGHOST001', 'admin target 9');
    assert.equal(r.ack, undefined, 'acked empty while Slack was asked');
    assert.ok(r.text.includes(ADMIN_ONLY));
    assert.equal(await snapshot(h), before);
  });

  it('the help a non-admin sees does not offer admin commands; a VP sees the digest preview', async () => {
    assert.doesNotMatch((await run(h, '/gemba', MGR, 'help')).text, /admin help|digest preview/);
    const vp = (await run(h, '/gemba', VP, 'help')).text;
    assert.match(vp, /digest preview/);
    assert.doesNotMatch(vp, /admin help/);
  });
});

describe('permission matrix: /gemba admin by admins', () => {
  for (const kind of ['env', 'slack-admin', 'slack-owner'] as const) {
    it(`${kind}: every admin sub-command is carried out, confirmed and audited under their name`, async () => {
      const h = await startHarness({ env: { ADMIN_USER_IDS: ENV_ADMIN } });
      try {
        const { tacticId } = await seedTeam(h);
        const actor = kind === 'env' ? ENV_ADMIN : kind === 'slack-admin' ? SLACK_ADMIN : SLACK_OWNER;
        if (kind === 'slack-admin') h.fake.setUser(SLACK_ADMIN, { isAdmin: true });
        if (kind === 'slack-owner') h.fake.setUser(SLACK_OWNER, { isOwner: true });
        assert.equal(await h.ctx.services.profiles.cached(TEAM, actor), undefined, 'no profile cached before the first command');
        h.fake.reset();
        const auditBefore = (await h.ctx.repos.audit.listRecentAuditEntries(TEAM, 1000)).length;

        const commands = adminCommands(tacticId);
        // Slack admins are not known until looked up: their first command is acknowledged empty,
        // users.info is asked after the ack, and the answer goes through response_url. The owner
        // starts with the export and the Slack admin with the sync: both need Slack after the ack.
        if (kind !== 'env') {
          const first = kind === 'slack-admin' ? 'admin managers sync <!subteam^S0SALES|@sales>' : 'admin export';
          commands.splice(commands.indexOf(first), 1);
          commands.unshift(first);
        }
        const replies: Record<string, string> = {};
        for (const [i, text] of commands.entries()) {
          const r = await run(h, '/gemba', actor, text);
          replies[text] = r.text;
          assert.ok(!r.text.includes(ADMIN_ONLY), `${kind} must be allowed "${text}":\n${r.text}`);
          if (i === 0 && kind !== 'env') {
            assert.equal(r.ack, undefined, 'the first ack is empty: it never waits on Slack');
            assert.equal(h.fake.callsTo('users.info').filter((c) => c.args.user === actor).length, 1, 'looked up once');
            assert.ok(r.responses.length >= 1, 'answered through response_url');
          }
        }
        assert.ok(h.fake.callsTo('users.info').filter((c) => c.args.user === actor).length <= 1, 'cached after the first look-up');

        // Every change happened.
        assert.match(replies['admin help'], /`\/gemba admin export`/);
        const managers = (await h.ctx.repos.managers.listActiveManagers(TEAM)).map((m) => m.userId);
        assert.deepEqual(managers, ['UGROUP001', 'UGROUP002', 'UNEW00001']);
        assert.equal((await h.ctx.repos.managers.findManager(TEAM, MGR))?.active, false);
        assert.deepEqual(await h.ctx.repos.vps.listVps(TEAM), ['UNEW00002']);
        assert.deepEqual(await h.ctx.services.settings.forTeam(TEAM), {
          weeklyTarget: 7,
          nudgeAfterDays: 3,
          nudgeHour: 9,
          timezone: 'Asia/Tokyo',
          leaderboardChannel: 'C0WINS',
          digestChannel: 'C0VPS',
        });
        assert.equal((await h.ctx.services.tactics.listTactics(TEAM)).length, 0, 'the tactic is hidden');
        assert.equal((await h.ctx.repos.contacts.listRecentContacts(TEAM, OTHER, 10)).length, 0, 'forgotten');
        const complete = h.fake.callsTo('files.completeUploadExternal');
        assert.equal(complete.length, 1);
        assert.equal(complete[0].args.channel_id, `D${actor}`, "the export goes to the admin's own DM");
        assert.match(replies['admin export'], /Export sent to your DM: \d+ conversations/);
        assert.match(replies[`admin forget <@${OTHER}|lee>`], /Forgot <@UMGR00002>: deleted 2 conversations/);

        // Every change is in the audit trail under the actor's name, and in the log.
        const entries = await h.ctx.repos.audit.listRecentAuditEntries(TEAM, 1000);
        const actions = entries
          .slice(0, entries.length - auditBefore)
          .filter((e) => e.actorId === actor)
          .map((e) => e.action)
          .sort();
        assert.deepEqual(actions, [
          'export',
          'forget',
          'managers.add',
          'managers.add',
          'managers.remove',
          'settings.digestChannel',
          'settings.leaderboardChannel',
          'settings.nudgeAfterDays',
          'settings.timezone',
          'settings.weeklyTarget',
          'tactics.hide',
          'vps.add',
          'vps.remove',
        ]);
        assert.ok(
          entries.slice(0, entries.length - auditBefore).every((e) => e.actorId === actor),
          'nobody else changed anything',
        );
        const logged = new Set(h.logs.filter((l) => l.msg === 'admin change' && l.actor === actor).map((l) => l.action));
        for (const a of [
          'managers.add',
          'managers.remove',
          'managers.sync',
          'vps.add',
          'vps.remove',
          'channel.leaderboard',
          'channel.digest',
          'target',
          'nudge-after',
          'timezone',
          'export',
          'forget',
        ]) {
          assert.ok(logged.has(a), `${a} logged with the actor`);
        }
        await h.settle();
        assert.deepEqual(h.fake.invalid, []);
      } finally {
        await h.close();
      }
    });
  }
});

describe('who sees whose data', () => {
  let h: Harness;
  let otherContactId: number;
  let tacticId: number;
  before(async () => {
    h = await startHarness({ env: { ADMIN_USER_IDS: ENV_ADMIN } });
    ({ otherContactId, tacticId } = await seedTeam(h));
    h.fake.setUser(SLACK_ADMIN, { isAdmin: true });
    h.fake.setUser(SLACK_OWNER, { isOwner: true });
  });
  after(() => checkAndClose(h));

  /** Anything that would reveal the other manager: their id, accounts or insight. */
  const OTHERS_DATA = /UMGR00002|SecretCo|Hushhush|secret plan/;

  async function openHome(userId: string): Promise<string> {
    const before = h.fake.callsTo('views.publish').length;
    assert.equal((await h.homeOpened(userId)).status, 200);
    await h.settle();
    const published = h.fake.callsTo('views.publish');
    assert.equal(published.length, before + 1);
    assertNoStrayControls(published[before].args.view);
    return allText(published[before].args.view);
  }

  it('a manager never sees another manager through any command', async () => {
    for (const [command, text] of [
      ['/trends', ''],
      ['/trends', '52'],
      ['/trends', 'team'],
      ['/trends', 'team 12'],
      ['/trends', `<@${OTHER}|lee>`],
      ['/trends', `<@${OTHER}> 4`],
      ['/gemba', 'digest preview'],
      ['/gemba', 'settings'],
      ['/gemba', 'help'],
      ['/contact', 'list'],
      ['/contact', 'help'],
      ['/flag-tactic', 'list'],
    ] as const) {
      const r = await run(h, command, MGR, text);
      assert.doesNotMatch(r.text, OTHERS_DATA, `${command} ${text}`);
    }
    assert.match((await run(h, '/trends', MGR, 'team')).text, /for VPs and admins/);
    assert.match((await run(h, '/trends', MGR, `<@${OTHER}|lee>`)).text, /for VPs and admins/);
    assert.match((await run(h, '/gemba', MGR, 'digest preview')).text, /digest preview is for VPs and admins/);
    // Their own data is there.
    assert.match((await run(h, '/contact', MGR, 'list')).text, /Acme/);
    // The public leaderboard celebrates counts; it never shows accounts or insights.
    assert.doesNotMatch((await run(h, '/leaderboard', MGR, '')).text, /SecretCo|Hushhush|secret plan/);
  });

  it("a manager's Home tab has no team snapshot and nothing of anyone else", async () => {
    const text = await openHome(MGR);
    assert.match(text, /Acme/);
    assert.doesNotMatch(text, OTHERS_DATA);
    assert.doesNotMatch(text, /Team this week/);
  });

  it("a manager cannot act on another manager's conversation or decide on tactics", async () => {
    for (const actionId of [ActionId.contactEdit, ActionId.contactUndo, ActionId.contactDelete]) {
      const key = `btn-${actionId}`;
      await h.action({ actionId, value: String(otherContactId), userId: MGR, responseUrl: h.fake.responseUrl(key) });
      await h.settle();
      const reply = h.fake.callsTo('response_url').find((c) => c.args._key === key);
      assert.ok(reply, actionId);
      assert.match(allText(reply!.args), /belongs to someone else/);
      assert.doesNotMatch(allText(reply!.args), OTHERS_DATA);
    }
    assert.equal(h.fake.callsTo('views.open').length, 0, 'no prefilled modal of their conversation');
    assert.equal((await h.ctx.repos.contacts.listRecentContacts(TEAM, OTHER, 10)).length, 2, 'still there');

    const key = 'decide-mgr';
    await h.action({ actionId: ActionId.tacticRetire, value: String(tacticId), userId: MGR, responseUrl: h.fake.responseUrl(key) });
    assert.match(allText(h.fake.callsTo('response_url').find((c) => c.args._key === key)!.args), /Only VPs and admins can decide/);
    assert.equal((await h.ctx.services.tactics.listTactics(TEAM))[0].decision, null);
  });

  it('a VP sees the team, other managers, the digest preview and the Home snapshot, and decides on tactics', async () => {
    const team = (await run(h, '/trends', VP, 'team')).text;
    assert.match(team, /<@UMGR00001>/);
    assert.match(team, /<@UMGR00002>/);
    assert.match((await run(h, '/trends', VP, `<@${OTHER}|lee>`)).text, /<@UMGR00002>[\s\S]*2 in 8 weeks/);
    const preview = await run(h, '/gemba', VP, 'digest preview');
    assert.match(preview.text, /Preview: Gemba digest/);
    assert.match(preview.text, /secret plan to switch vendors/);
    assert.match(await openHome(VP), /Team this week/);
    const key = 'decide-vp';
    await h.action({ actionId: ActionId.tacticRetire, value: String(tacticId), userId: VP, responseUrl: h.fake.responseUrl(key) });
    assert.match(allText(h.fake.callsTo('response_url').find((c) => c.args._key === key)!.args), /Recorded \*Retire\*/);
  });

  it('an env admin sees the team without any look-up', async () => {
    h.fake.reset();
    const r = await run(h, '/trends', ENV_ADMIN, 'team');
    assert.match(r.text, /<@UMGR00002>/);
    assert.ok(r.ack, 'answered in the ack');
    assert.match(await openHome(ENV_ADMIN), /Team this week/);
    assert.equal(h.fake.callsTo('users.info').length, 0);
  });

  it('a Slack admin not looked up yet gets /trends team after a users.info look-up, via response_url', async () => {
    h.fake.reset();
    const r = await run(h, '/trends', SLACK_ADMIN, 'team');
    assert.equal(r.ack, undefined, 'acked empty: the ack never waits on Slack');
    assert.equal(h.fake.callsTo('users.info').length, 1);
    assert.equal(r.responses.length, 1);
    assert.match(r.text, /Team conversations[\s\S]*<@UMGR00002>/);
    // Now cached: answered straight away, and the Home tab has the team snapshot.
    const again = await run(h, '/trends', SLACK_ADMIN, `<@${OTHER}>`);
    assert.ok(again.ack);
    assert.match(again.text, /2 in 8 weeks/);
    assert.match(await openHome(SLACK_ADMIN), /Team this week/);
    assert.equal(h.fake.callsTo('users.info').length, 1);
  });

  it('a Slack owner not looked up yet gets the digest preview after a look-up', async () => {
    const r = await run(h, '/gemba', SLACK_OWNER, 'digest preview');
    assert.equal(r.ack, undefined);
    assert.match(r.text, /Preview: Gemba digest/);
  });

  it('a rep asking for the team is looked up, refused, and left without a profile row (so looked up again next time)', async () => {
    h.fake.reset();
    const first = await run(h, '/trends', REP, 'team');
    assert.equal(first.ack, undefined);
    assert.match(first.text, /for VPs and admins/);
    assert.doesNotMatch(first.text, OTHERS_DATA);
    const second = await run(h, '/trends', REP, 'team');
    assert.match(second.text, /for VPs and admins/);
    const preview = await run(h, '/gemba', REP, 'digest preview');
    assert.match(preview.text, /digest preview is for VPs and admins/);
    // PRODUCT.md "No trace of the rep": no cache row, even for a refused command.
    assert.equal(h.fake.callsTo('users.info').length, 3);
    assert.equal(await h.value('SELECT COUNT(*) FROM user_profiles WHERE user_id = ?', [REP]), 0);
  });
});

describe('Slack admins over time: the cached admin flag is checked again', () => {
  const WEEK_AND_A_DAY = 8 * 86_400_000;

  it('an admin Slack demoted loses Gemba admin once their look-up is a week old (commands and Home)', async () => {
    const h = await startHarness({ env: { ADMIN_USER_IDS: ENV_ADMIN } });
    try {
      await seedTeam(h);
      h.fake.setUser(SLACK_ADMIN, { isAdmin: true });
      assert.match((await run(h, '/gemba', SLACK_ADMIN, 'admin target 4')).text, /target is now \*4\*/);
      assert.match(await homeText(h, SLACK_ADMIN), /Team this week/);
      // Demoted in Slack. A week later the old look-up no longer grants anything: they are asked about again.
      h.fake.setUser(SLACK_ADMIN, { isAdmin: false });
      h.clock.set(h.clock.now() + WEEK_AND_A_DAY);
      h.fake.reset();
      const r = await run(h, '/gemba', SLACK_ADMIN, 'admin target 5');
      assert.ok(r.text.includes(ADMIN_ONLY), r.text);
      assert.equal(h.fake.callsTo('users.info').length, 1, 'looked up again');
      assert.equal((await h.ctx.services.settings.forTeam(TEAM)).weeklyTarget, 4, 'nothing changed');
      assert.match((await run(h, '/trends', SLACK_ADMIN, 'team')).text, /for VPs and admins/);
      assert.equal(await h.value('SELECT COUNT(*) FROM user_profiles WHERE user_id = ?', [SLACK_ADMIN]), 0, 'no row left for a rep');
    } finally {
      await checkAndClose(h);
    }
  });

  it('a Slack admin whose look-up is old opens Home: looked up again, no snapshot once demoted', async () => {
    const h = await startHarness({ env: { ADMIN_USER_IDS: ENV_ADMIN } });
    try {
      await seedTeam(h);
      h.fake.setUser(SLACK_ADMIN, { isAdmin: true });
      h.fake.setUser(SLACK_OWNER, { isOwner: true });
      for (const u of [SLACK_ADMIN, SLACK_OWNER]) await run(h, '/gemba', u, 'digest preview');
      h.fake.setUser(SLACK_ADMIN, { isAdmin: false });
      h.clock.set(h.clock.now() + WEEK_AND_A_DAY);
      h.fake.reset();
      assert.doesNotMatch(await homeText(h, SLACK_ADMIN), /Team this week/);
      assert.match(await homeText(h, SLACK_OWNER), /Team this week/, 'still an owner: the snapshot stays');
      assert.deepEqual(
        h.fake.callsTo('users.info').map((c) => c.args.user),
        [SLACK_ADMIN, SLACK_OWNER],
      );
    } finally {
      await checkAndClose(h);
    }
  });

  it('a Slack admin whose look-up is a week old still answers Retire / Keep / Pilot in the digest (looked up again)', async () => {
    const h = await startHarness({ env: { ADMIN_USER_IDS: ENV_ADMIN } });
    try {
      const { tacticId } = await seedTeam(h);
      h.fake.setUser(SLACK_ADMIN, { isAdmin: true });
      await run(h, '/gemba', SLACK_ADMIN, 'digest preview');
      h.clock.set(h.clock.now() + WEEK_AND_A_DAY);
      h.fake.reset();
      const key = 'decide-slack-admin';
      await h.action({ actionId: ActionId.tacticKeep, value: String(tacticId), userId: SLACK_ADMIN, responseUrl: h.fake.responseUrl(key) });
      await h.settle();
      assert.match(allText(h.fake.callsTo('response_url').find((c) => c.args._key === key)!.args), /Recorded \*Keep\*/);
      assert.equal((await h.ctx.services.tactics.listTactics(TEAM))[0].decision, 'keep');
      assert.equal(h.fake.callsTo('users.info').length, 1);
    } finally {
      await checkAndClose(h);
    }
  });
});

async function homeText(h: Harness, userId: string): Promise<string> {
  const before = h.fake.callsTo('views.publish').length;
  assert.equal((await h.homeOpened(userId)).status, 200);
  await h.settle();
  const published = h.fake.callsTo('views.publish');
  assert.equal(published.length, before + 1);
  return allText(published[before].args.view);
}
