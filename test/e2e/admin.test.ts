/**
 * `/gemba admin …` end to end, by an admin: every sub-command in PRODUCT.md is confirmed, shows in
 * `/gemba settings`, and is audited and logged with who made it. The export arrives in the admin's
 * DM through Slack's external upload flow and parses back to exactly the stored rows; forget
 * leaves no row anywhere in the database that names the person.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ActionId } from '../../src/blocks/ids.js';
import { runDigest } from '../../src/jobs/digest.js';
import { runNudges } from '../../src/jobs/nudges.js';
import { EXPORT_HEADER, FORGOTTEN } from '../../src/services/admin.js';
import { validateMessage } from '../kit/block-kit.js';
import { publishFlags } from '../kit/crowds.js';
import { parseCsv, restoreCell } from '../kit/csv.js';
import { checkAndClose, type Harness, startHarness } from '../kit/harness.js';
import { ackMessage, allText, assertNoStrayControls, TEAM } from './support.js';

const ADMIN = 'UENVADMIN';

/** Runs `/gemba <text>` with its own response_url; returns the ack body and what went to response_url. */
async function gemba(h: Harness, userId: string, text: string): Promise<{ ack: any; responses: any[]; text: string }> {
  const key = `${userId}-${Math.random().toString(36).slice(2)}`;
  const r = await h.command('/gemba', text, { userId, responseUrl: h.fake.responseUrl(key) });
  assert.equal(r.status, 200, r.text);
  const responses = h.fake
    .callsTo('response_url')
    .filter((c) => c.args._key === key)
    .map((c) => c.args);
  for (const m of [r.json, ...responses].filter(Boolean)) {
    assert.deepEqual(validateMessage(m), [], 'valid Block Kit');
    assertNoStrayControls(m);
  }
  return { ack: r.json, responses, text: [r.json, ...responses].filter(Boolean).map(allText).join('\n') };
}

const audit = (h: Harness, n = 100) => h.ctx.repos.audit.listRecentAuditEntries(TEAM, n);
const adminLogs = (h: Harness) => h.logs.filter((l) => l.msg === 'admin change');

/** Every row of every table, as JSON, by table. */
async function dump(h: Harness): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const { name, columns } of await h.tables()) {
    out[name] = (await h.rows(`SELECT * FROM ${name} ORDER BY ${columns.map((_, i) => i + 1).join(', ')}`)).map((r) => JSON.stringify(r));
  }
  return out;
}

describe('/gemba admin by an env admin', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ env: { ADMIN_USER_IDS: ADMIN } });
  });
  after(() => checkAndClose(h));

  it('admin help lists every sub-command', async () => {
    const { text } = await gemba(h, ADMIN, 'admin help');
    for (const sub of [
      'managers add|remove',
      'managers sync',
      'vps add|remove',
      'channel leaderboard|digest',
      'target 3',
      'nudge-after 7d',
      'timezone Europe/Berlin',
      'export',
      'forget @user',
      'tactics hide 12',
    ]) {
      assert.ok(text.includes(`/gemba admin ${sub}`), `help mentions ${sub}`);
    }
    assert.match((await gemba(h, ADMIN, 'help')).text, /`\/gemba admin help`/, 'admins see where the admin help is');
  });

  it('managers add/remove with escaped mentions: confirmed, counted in settings, audited and logged', async () => {
    let r = await gemba(h, ADMIN, 'admin managers add <@UMGR0001|dana> <@UMGR0002> <@UMGR0001|dana>');
    assert.match(r.text, /:white_check_mark: Added 2 managers: <@UMGR0001>, <@UMGR0002>\./);
    assert.deepEqual(
      (await h.ctx.repos.managers.listActiveManagers(TEAM)).map((m) => m.userId),
      ['UMGR0001', 'UMGR0002'],
    );
    assert.match((await gemba(h, ADMIN, 'settings')).text, /Managers: \*2\*/);

    r = await gemba(h, ADMIN, 'admin managers add <@UMGR0002|lee> <@UMGR0003|kim>');
    assert.match(r.text, /Added 1 manager: <@UMGR0003>\. <@UMGR0002> was already a manager, so nothing changed for them\./);
    r = await gemba(h, ADMIN, 'admin managers remove <@UMGR0003|kim> <@UNOTAMGR>');
    assert.match(r.text, /Removed 1 manager: <@UMGR0003>\. <@UNOTAMGR> was not a manager, so nothing changed for them\./);
    assert.match((await gemba(h, ADMIN, 'settings')).text, /Managers: \*2\*/);

    const entries = (await audit(h)).filter((e) => e.action.startsWith('managers.')).reverse();
    assert.deepEqual(
      entries.map((e) => [e.actorId, e.action, JSON.parse(e.detail!)]),
      [
        [ADMIN, 'managers.add', { changed: ['UMGR0001', 'UMGR0002'], unchanged: [] }],
        [ADMIN, 'managers.add', { changed: ['UMGR0003'], unchanged: ['UMGR0002'] }],
        [ADMIN, 'managers.remove', { changed: ['UMGR0003'], unchanged: ['UNOTAMGR'] }],
      ],
    );
    const logged = adminLogs(h).filter((l) => String(l.action).startsWith('managers.'));
    assert.deepEqual(
      logged.map((l) => [l.actor, l.action, l.teamId]),
      [
        [ADMIN, 'managers.add', TEAM],
        [ADMIN, 'managers.add', TEAM],
        [ADMIN, 'managers.remove', TEAM],
      ],
    );
  });

  it('vps add/remove: confirmed, listed in settings, audited and logged', async () => {
    let r = await gemba(h, ADMIN, 'admin vps add <@UVP0001|vera> <@UVP0002|vic>');
    assert.match(r.text, /Added 2 VPs: <@UVP0001>, <@UVP0002>\./);
    assert.match((await gemba(h, ADMIN, 'settings')).text, /VPs: <@UVP0001>, <@UVP0002>/);
    r = await gemba(h, ADMIN, 'admin vps remove <@UVP0002|vic>');
    assert.match(r.text, /Removed 1 VP: <@UVP0002>\./);
    assert.match((await gemba(h, ADMIN, 'settings')).text, /VPs: <@UVP0001>\n/);
    assert.deepEqual(await h.ctx.repos.vps.listVps(TEAM), ['UVP0001']);
    assert.deepEqual(await h.values('SELECT added_by FROM vps'), [ADMIN]);
    assert.deepEqual(
      (await audit(h, 2)).map((e) => [e.actorId, e.action]),
      [
        [ADMIN, 'vps.remove'],
        [ADMIN, 'vps.add'],
      ],
    );
    assert.ok(adminLogs(h).some((l) => l.action === 'vps.remove' && l.actor === ADMIN));
  });

  it('managers sync: acknowledges, lists the user group, adds its members, answers via response_url', async () => {
    h.fake.setUsergroup('S0SALES', ['UMGR0001', 'USYNC001', 'USYNC002']);
    const r = await gemba(h, ADMIN, 'admin managers sync <!subteam^S0SALES|@sales-managers>');
    assert.match(allText(r.ack), /Syncing managers from the user group/);
    const listed = h.fake.callsTo('usergroups.users.list');
    assert.equal(listed.length, 1);
    assert.equal(listed[0].args.usergroup, 'S0SALES');
    assert.equal(r.responses.length, 1);
    assert.match(
      allText(r.responses[0]),
      /Synced <!subteam\^S0SALES>: added 2 managers \(<@USYNC001>, <@USYNC002>\)\. 1 member already was one\./,
    );
    assert.deepEqual(
      (await h.ctx.repos.managers.listActiveManagers(TEAM)).map((m) => m.userId),
      ['UMGR0001', 'UMGR0002', 'USYNC001', 'USYNC002'],
    );
    assert.deepEqual(JSON.parse((await audit(h, 1))[0].detail!), { changed: ['USYNC001', 'USYNC002'], unchanged: ['UMGR0001'] });
    assert.equal((await audit(h, 1))[0].actorId, ADMIN);
    assert.ok(adminLogs(h).some((l) => l.action === 'managers.sync' && l.actor === ADMIN && l.usergroup === 'S0SALES' && l.added === 2));
  });

  it('managers sync from a big user group names 50 and counts the rest, within Slack limits', async () => {
    const members = Array.from({ length: 400 }, (_, i) => `UBIG${String(i).padStart(7, '0')}`);
    h.fake.setUsergroup('S0BIG', members);
    const r = await gemba(h, ADMIN, 'admin managers sync <!subteam^S0BIG>');
    const text = allText(r.responses[0]);
    assert.match(text, /added 400 managers \(<@UBIG0000000>, .* and 350 more\)/);
    assert.equal((await h.ctx.repos.managers.listActiveManagers(TEAM)).length, 404);
    // Put the team back as it was for the tests below.
    await h.ctx.services.admin.changeManagers(TEAM, ADMIN, 'remove', members);
  });

  it('managers sync from a group Slack does not know changes nothing', async () => {
    const before = (await h.ctx.repos.managers.listActiveManagers(TEAM)).length;
    const auditBefore = (await audit(h)).length;
    const r = await gemba(h, ADMIN, 'admin managers sync <!subteam^S0NOPE|@ghosts>');
    assert.match(allText(r.responses[0]), /Slack could not list that user group \(`no_such_subteam`\)\. Nothing was changed\./);
    assert.equal((await h.ctx.repos.managers.listActiveManagers(TEAM)).length, before);
    assert.equal((await audit(h)).length, auditBefore);
    h.fake.setUsergroup('S0EMPTY', []);
    const empty = await gemba(h, ADMIN, 'admin managers sync <!subteam^S0EMPTY>');
    assert.match(allText(empty.responses[0]), /Synced <!subteam\^S0EMPTY>: the group has no members, so nothing changed\./);
    assert.equal((await h.ctx.repos.managers.listActiveManagers(TEAM)).length, before);
  });

  it('channels, target, nudge-after and timezone: confirmed, shown by settings, audited and logged', async () => {
    const cases: Array<[string, RegExp, string, unknown]> = [
      [
        'admin channel leaderboard <#C0WINS|sales-wins>',
        /The leaderboard channel is now <#C0WINS>/,
        'settings.leaderboardChannel',
        'C0WINS',
      ],
      ['admin channel digest <#G0VPS|vp-digest>', /The digest channel is now <#G0VPS>/, 'settings.digestChannel', 'G0VPS'],
      ['admin target 5', /The weekly target is now \*5\* conversations per manager/, 'settings.weeklyTarget', 5],
      ['admin nudge-after 10d', /Nudge after is now \*10 days\* without a conversation/, 'settings.nudgeAfterDays', 10],
      ['admin timezone america/chicago', /The team time zone is now \*America\/Chicago\*/, 'settings.timezone', 'America/Chicago'],
    ];
    for (const [text, confirmed, action, value] of cases) {
      const r = await gemba(h, ADMIN, text);
      assert.match(r.text, confirmed, text);
      assert.match(r.text, /See everything with `\/gemba settings`/);
      const [entry] = await audit(h, 1);
      assert.deepEqual([entry.actorId, entry.action, JSON.parse(entry.detail!)], [ADMIN, action, { value }], text);
    }
    const settings = (await gemba(h, ADMIN, 'settings')).text;
    assert.match(settings, /Weekly target: \*5\* conversations per manager/);
    assert.match(settings, /Nudge after: \*10 days\*/);
    assert.match(settings, /Team time zone: \*America\/Chicago\*/);
    assert.match(settings, /Leaderboard channel: <#C0WINS>/);
    assert.match(settings, /Digest channel: <#G0VPS>/);
    assert.deepEqual(
      adminLogs(h)
        .slice(-5)
        .map((l) => [l.actor, l.action]),
      [
        [ADMIN, 'channel.leaderboard'],
        [ADMIN, 'channel.digest'],
        [ADMIN, 'target'],
        [ADMIN, 'nudge-after'],
        [ADMIN, 'timezone'],
      ],
    );
    // The log line carries the new value and who set it.
    assert.match(h.logText(), /"actor":"UENVADMIN","action":"timezone","timezone":"America\/Chicago"/);
  });

  it('bad values are refused with an example, and nothing is stored', async () => {
    const before = JSON.stringify(await h.ctx.services.settings.forTeam(TEAM));
    const auditBefore = (await audit(h)).length;
    for (const [text, why] of [
      ['admin timezone Mars/Olympus', /isn't an IANA time zone name[\s\S]*Try: `\/gemba admin timezone Europe\/Berlin`/],
      ['admin timezone EST', /isn't an IANA time zone name/],
      ['admin timezone Europe/Berlin Europe/Paris', /Give one time zone name[\s\S]*Try: `\/gemba admin timezone Europe\/Berlin`/],
      ['admin target 0', /whole number from 1 to 100[\s\S]*Try: `\/gemba admin target 3`/],
      ['admin nudge-after 100d', /from 1d to 90d/],
      ['admin channel digest #vp', /isn't a channel/],
      ['admin managers add dana', /isn't a person/],
      ['admin forget', /exactly one person/],
    ] as const) {
      const r = await gemba(h, ADMIN, text);
      assert.match(r.text, why, text);
      assert.equal(r.ack.response_type, 'ephemeral');
      assert.deepEqual(r.responses, [], 'answered in the ack');
    }
    assert.equal(JSON.stringify(await h.ctx.services.settings.forTeam(TEAM)), before);
    assert.equal((await audit(h)).length, auditBefore);
  });

  it('tactics hide: confirmed, audited with the admin, logged', async () => {
    for (const rep of ['UREP1', 'UREP2']) await h.command('/flag-tactic', 'zoom everything: buyers want to meet', { userId: rep });
    await publishFlags(h);
    const id = (await h.ctx.services.tactics.listTactics(TEAM))[0].id;
    assert.match((await gemba(h, ADMIN, `admin tactics hide ${id}`)).text, new RegExp(`Tactic ${id} is hidden`));
    assert.match((await gemba(h, ADMIN, `admin tactics hide ${id}`)).text, new RegExp(`Tactic ${id} was already hidden`));
    const missing = (await gemba(h, ADMIN, 'admin tactics hide 999')).text;
    assert.match(missing, /There is no tactic number 999/);
    assert.match(missing, /Try: `\/gemba admin tactics hide 12`/, 'a correct example is shown');
    assert.deepEqual([(await audit(h, 1))[0].actorId, (await audit(h, 1))[0].action], [ADMIN, 'tactics.hide']);
    assert.ok(h.logs.some((l) => l.msg === 'tactic hidden by an admin' && l.actorId === ADMIN));
  });
});

describe('/gemba admin export', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ env: { ADMIN_USER_IDS: ADMIN } });
  });
  after(() => checkAndClose(h));

  it("uploads a CSV of every conversation to the admin's DM that parses back to exactly the stored rows", async () => {
    // Through the real command: Slack escapes &, < and > in command text.
    const lines = [
      'Acme, Inc. with Dana "DJ" Lee via video 30m on 2026-11-20: wants ROI proof, "soon", &amp; cheaper',
      'Initech on 2026-11-23: =HYPERLINK("http://evil.example","click")',
      'Globex via meeting on 2026-11-24: +1 555 0100 is the CFO line',
      '-Dash Corp on 2026-11-25: -20% budget next year',
      'Hooli on 2026-11-25: @CFO wants a pilot &lt;now&gt;',
    ];
    for (const [i, line] of lines.entries()) ackMessage(await h.command('/contact', line, { userId: i % 2 ? 'UMGR0002' : 'UMGR0001' }));
    // And what a modal allows but a one-liner cannot: line breaks and leading tabs.
    await h.ctx.services.contacts.logContact(
      TEAM,
      'UMGR0002',
      {
        account: '@Umbrella',
        buyer: '=cmd|calc',
        kind: 'visit',
        durationMin: 600,
        occurredOn: '2026-11-26',
        insight: 'line one\nline two, "quoted"\r\n\tline three',
      },
      h.clock.now(),
    );
    await h.ctx.services.contacts.logContact(
      'T0THER',
      'UMGR0009',
      { account: 'Elsewhere', buyer: null, kind: 'call', durationMin: null, occurredOn: '2026-11-26', insight: 'other team' },
      h.clock.now(),
    );
    h.fake.reset();

    const key = 'export-1';
    const r = await h.command('/gemba', 'admin export', { userId: ADMIN, responseUrl: h.fake.responseUrl(key) });
    assert.match(allText(ackMessage(r)), /Preparing the export; it will arrive in your DM with Gemba/);
    const done = h.fake.callsTo('response_url').find((c) => c.args._key === key);
    assert.ok(done, 'the admin is told when the export has arrived');
    assert.match(allText(done!.args), /Export sent to your DM: 6 conversations/);

    // Slack's external upload flow, into the admin's DM.
    const methods = h.fake.calls.map((c) => c.method).filter((m) => m !== 'response_url' && m !== 'users.info');
    assert.deepEqual(methods, ['conversations.open', 'files.getUploadURLExternal', 'upload', 'files.completeUploadExternal']);
    assert.equal(h.fake.callsTo('conversations.open')[0].args.users, ADMIN);
    const get = h.fake.callsTo('files.getUploadURLExternal')[0].args;
    assert.equal(get.filename, 'gemba-conversations-2026-11-26.csv');
    const complete = h.fake.callsTo('files.completeUploadExternal')[0].args;
    assert.equal(complete.channel_id, `D${ADMIN}`);
    assert.match(complete.initial_comment, /6 conversations/);
    assert.equal(complete.files.length, 1);
    const upload = h.fake.uploads.get(complete.files[0].id);
    assert.ok(upload);
    assert.equal(upload!.filename, 'gemba-conversations-2026-11-26.csv');
    assert.equal(Buffer.byteLength(upload!.content), Number(get.length), 'the announced length is the uploaded length');

    // The CSV parses back to exactly the team's stored rows (neutralised cells restored).
    const parsed = parseCsv(upload!.content);
    assert.deepEqual(parsed[0], [...EXPORT_HEADER]);
    const stored = (
      await h.rows(
        'SELECT id, user_id, occurred_on, week_start, account, buyer, kind, duration_min, insight, created_at FROM contacts WHERE team_id = ? ORDER BY occurred_on, id',
        [TEAM],
      )
    ).map((r) => Object.values(r));
    assert.equal(stored.length, 6);
    const cells = stored.map((row) => row.map((v, i) => (v === null ? '' : i === 9 ? new Date(v as number).toISOString() : String(v))));
    assert.deepEqual(
      parsed.slice(1).map((row) => row.map(restoreCell)),
      cells,
    );
    assert.ok(
      stored.some((row) => row[8] === 'wants ROI proof, "soon", & cheaper'),
      'stored as typed, not Slack-escaped',
    );
    assert.ok(stored.some((row) => row[8] === '@CFO wants a pilot <now>'));
    // In the file itself no cell can start a formula; the risky ones carry the apostrophe.
    for (const row of parsed.slice(1)) for (const cell of row) assert.doesNotMatch(cell, /^[=+\-@\t\r]/);
    const raw = parsed.slice(1).flat();
    for (const risky of [
      '=HYPERLINK("http://evil.example","click")',
      '+1 555 0100 is the CFO line',
      '-20% budget next year',
      '@CFO wants a pilot <now>',
      '@Umbrella',
      '=cmd|calc',
      '-Dash Corp',
    ]) {
      assert.ok(raw.includes(`'${risky}`), `${risky} is neutralised`);
    }
    assert.doesNotMatch(upload!.content, /Elsewhere|other team/, "another team's rows are not exported");

    // Audited and logged with who asked.
    assert.deepEqual(
      (await h.ctx.repos.audit.listRecentAuditEntries(TEAM, 1)).map((e) => [e.actorId, e.action, e.detail]),
      [[ADMIN, 'export', '{"rows":6}']],
    );
    assert.ok(h.logs.some((l) => l.msg === 'admin change' && l.action === 'export' && l.actor === ADMIN && l.rows === 6));
  });
});

describe('/gemba admin forget', () => {
  const DANA = 'UDANA0001';
  const LEE = 'ULEE00002';
  const VERA = 'UVERA0003';
  let h: Harness;
  before(async () => {
    h = await startHarness({ env: { ADMIN_USER_IDS: ADMIN } });
    h.fake.setUser(DANA, { isAdmin: true, name: 'dana' });
  });
  after(() => checkAndClose(h));

  it('deletes every row about the person, confirms counts, and leaves everyone else alone', async () => {
    // Dana and Lee log conversations (their profiles get cached after the ack).
    for (const d of ['2026-11-10', '2026-11-12']) ackMessage(await h.command('/contact', `Acme on ${d}: Dana heard it`, { userId: DANA }));
    ackMessage(await h.command('/contact', 'Initech on 2026-11-12: Lee heard it', { userId: LEE }));
    await h.settle();
    // Both have been quiet for two weeks: the nudge job DMs them; Dana answers "On PTO".
    const nudged = await runNudges(h.ctx, h.clock.now());
    assert.equal(nudged.posted.length, 2, JSON.stringify(nudged));
    await h.action({ actionId: ActionId.nudgeReasonPto, userId: DANA });
    // An admin makes Dana a VP; Dana (a Slack admin) makes Vera one and changes a setting.
    await gemba(h, ADMIN, `admin vps add <@${DANA}|dana> <@${LEE}|lee>`);
    await gemba(h, DANA, `admin vps add <@${VERA}|vera>`);
    await gemba(h, DANA, 'admin target 4');
    await gemba(h, ADMIN, `admin managers add <@${DANA}|dana> <@${VERA}|vera>`);
    // A rep flags a tactic (anonymous: nothing to forget; Dana, a VP, may not flag) and the digest goes out naming her.
    await h.command('/flag-tactic', 'cold calling: nobody answers', { userId: 'UREPZED01' });
    await gemba(h, ADMIN, 'admin channel digest <#C0DIGEST|vp-digest>');
    assert.equal((await runDigest(h.ctx, h.clock.now(), { force: true })).posted.length, 1);
    await h.settle();

    const has = (rows: string[]) => rows.filter((r) => r.includes(DANA)).length;
    const before = await dump(h);
    for (const t of ['contacts', 'managers', 'user_profiles', 'vps', 'nudges', 'snoozes', 'job_claims', 'audit_log'])
      assert.ok(has(before[t]) > 0, `Dana is in ${t} before`);

    const r = await gemba(h, ADMIN, `admin forget <@${DANA}|dana>`);
    assert.match(
      r.text,
      /:wastebasket: Forgot <@UDANA0001>: deleted 2 conversations, 1 nudge, 1 snooze, 2 role records, 1 cached profile and 1 schedule record \(8 rows\), and removed their id from \d+ audit entries and 1 VP record they created\./,
    );

    // Nothing, in any table, still holds her id.
    const after = await dump(h);
    for (const [table, rows] of Object.entries(after)) {
      for (const row of rows) assert.ok(!row.includes(DANA), `${table} still holds ${DANA}: ${row}`);
    }
    // Everyone else keeps their rows.
    for (const t of ['contacts', 'nudges', 'user_profiles'])
      assert.equal(after[t].filter((x) => x.includes(LEE)).length, before[t].filter((x) => x.includes(LEE)).length, `${t} of Lee`);
    assert.deepEqual(await h.ctx.repos.vps.listVps(TEAM), [LEE, VERA]);
    assert.deepEqual(await h.values('SELECT added_by FROM vps WHERE user_id = ?', [VERA]), [FORGOTTEN]);
    assert.equal((await h.ctx.services.settings.forTeam(TEAM)).weeklyTarget, 4, 'her settings stay; only her id goes');
    await publishFlags(h);
    assert.equal((await h.ctx.services.tactics.listTactics(TEAM)).length, 1, 'anonymous flags stay');
    // The forget is audited with who did it, never whom, and logged.
    const [entry] = await h.ctx.repos.audit.listRecentAuditEntries(TEAM, 1);
    assert.deepEqual([entry.actorId, entry.action], [ADMIN, 'forget']);
    assert.ok(h.logs.some((l) => l.msg === 'admin change' && l.action === 'forget' && l.actor === ADMIN && l.conversations === 2));

    // The team views and the digest no longer know her.
    assert.doesNotMatch((await gemba(h, ADMIN, 'digest preview')).text, /UDANA0001|Dana heard it/);
    assert.doesNotMatch(allText(ackMessage(await h.command('/trends', 'team', { userId: ADMIN }))), /UDANA0001/);
    // Forgetting again finds nothing.
    assert.match(
      (await gemba(h, ADMIN, `admin forget <@${DANA}>`)).text,
      /deleted 0 conversations, 0 nudges, 0 snoozes, 0 role records, 0 cached profiles and 0 schedule records \(0 rows\)\./,
    );
  });
});
