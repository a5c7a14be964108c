/**
 * `/gemba` grammar: every sub-command in PRODUCT.md, with mentions escaped the way Slack sends
 * them (should_escape), and a clear error with a correct example for everything else.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type GembaRequest, parseGembaText } from '../../src/services/gemba-grammar.js';

const ok = (text: string, expected: GembaRequest) => it(`"${text}"`, () => assert.deepEqual(parseGembaText(text), expected));

function bad(text: string, why: RegExp, example: RegExp): void {
  it(`"${text}" is refused`, () => {
    const r = parseGembaText(text);
    assert.equal(r.kind, 'error', JSON.stringify(r));
    if (r.kind !== 'error') return;
    assert.match(r.message, why);
    assert.match(r.example, /^\/gemba /, 'the example is a whole command');
    assert.match(r.example, example);
    // The example itself parses (it is what we tell people to type), bar its placeholder mentions.
    const runnable = r.example
      .replace(/^\/gemba /, '')
      .replace(/@sales-managers/, '<!subteam^S1|@sales-managers>')
      .replace(/@(dana|lee)/g, '<@U1|$1>')
      .replace(/#sales-wins/, '<#C1|sales-wins>');
    assert.notEqual(parseGembaText(runnable).kind, 'error', `example "${r.example}" must be valid`);
  });
}

describe('/gemba personal sub-commands', () => {
  ok('', { kind: 'help' });
  ok('help', { kind: 'help' });
  ok('  HELP  ', { kind: 'help' });
  ok('settings', { kind: 'settings' });
  ok('snooze 5d', { kind: 'snooze', days: 5 });
  ok('snooze 2W', { kind: 'snooze', days: 14 });
  ok('snooze 8w', { kind: 'snooze', days: 56 });
  ok('snooze off', { kind: 'snooze_off' });
  ok('digest preview', { kind: 'digest_preview' });
  ok('Digest Preview', { kind: 'digest_preview' });
  bad('help me', /takes no more words/, /\/gemba help/);
  bad('snooze', /how long/, /snooze 2w/);
  bad('snooze 9w', /1 day to 8 weeks \(you asked for 63 days\)/, /snooze 2w/);
  bad('snooze 0d', /1 day to 8 weeks/, /snooze/);
  bad('snooze tomorrow', /isn't a duration/, /snooze/);
  // A duration too long is said to be too long, not "not a duration".
  bad('snooze 1000d', /1 day to 8 weeks \(you asked for 1000 days\)/, /snooze 2w/);
  bad('snooze 9999999w', /1 day to 8 weeks \(you asked for "9999999w"\)/, /snooze 2w/);
  bad('digest', /digest preview/, /digest preview/);
  bad('digest post', /digest preview/, /digest preview/);
  bad('frobnicate', /"frobnicate" isn't a \/gemba command/, /snooze 1w/);
});

describe('/gemba admin sub-commands', () => {
  ok('admin', { kind: 'admin_help' });
  ok('admin help', { kind: 'admin_help' });

  // managers / vps add|remove: escaped mentions with or without the name part, de-duplicated.
  ok('admin managers add <@U0123ABCD|dana> <@W0456EFGH>', {
    kind: 'admin_members',
    role: 'managers',
    op: 'add',
    userIds: ['U0123ABCD', 'W0456EFGH'],
  });
  ok('admin managers add <@U1|dana> <@U1>', { kind: 'admin_members', role: 'managers', op: 'add', userIds: ['U1'] });
  ok('ADMIN Managers REMOVE <@U1|dana>', { kind: 'admin_members', role: 'managers', op: 'remove', userIds: ['U1'] });
  ok('admin vps add <@U7|vera>', { kind: 'admin_members', role: 'vps', op: 'add', userIds: ['U7'] });
  ok('admin vps remove <@U7|vera> <@U8|vic>', { kind: 'admin_members', role: 'vps', op: 'remove', userIds: ['U7', 'U8'] });
  bad('admin managers add', /Mention at least one person/, /managers add @dana/);
  bad('admin managers add dana', /"dana" isn't a person/, /managers add/);
  bad('admin managers add <@U1|dana> <#C1|general>', /"<#C1\|general>" isn't a person/, /managers add/);
  bad('admin managers promote <@U1>', /Use `add` or `remove` or `sync`/, /managers add/);
  bad('admin vps sync <!subteam^S1|@vps>', /Use `add` or `remove` after `vps`/, /vps add/);

  // managers sync from a user group.
  ok('admin managers sync <!subteam^S0123|@sales-managers>', { kind: 'admin_managers_sync', usergroupId: 'S0123' });
  ok('admin managers sync <!subteam^S0123>', { kind: 'admin_managers_sync', usergroupId: 'S0123' });
  bad('admin managers sync', /Name one Slack user group/, /managers sync @sales-managers/);
  bad('admin managers sync @sales', /Name one Slack user group/, /managers sync/);
  bad('admin managers sync <!subteam^S1> <!subteam^S2>', /Name one Slack user group/, /managers sync/);

  // channels.
  ok('admin channel leaderboard <#C0123|sales-wins>', { kind: 'admin_channel', which: 'leaderboard', channelId: 'C0123' });
  ok('admin channel DIGEST <#G0456>', { kind: 'admin_channel', which: 'digest', channelId: 'G0456' });
  bad('admin channel digest', /Say which post/, /channel leaderboard #sales-wins/);
  bad('admin channel nudges <#C1|x>', /Say which post/, /channel leaderboard/);
  bad('admin channel digest #general', /"#general" isn't a channel/, /channel leaderboard/);
  bad('admin channel digest <@U1|dana>', /isn't a channel/, /channel/);

  // numbers.
  ok('admin target 1', { kind: 'admin_target', target: 1 });
  ok('admin target 100', { kind: 'admin_target', target: 100 });
  bad('admin target 0', /whole number from 1 to 100/, /target 3/);
  bad('admin target 101', /whole number from 1 to 100/, /target 3/);
  bad('admin target 2.5', /whole number/, /target 3/);
  bad('admin target', /whole number/, /target 3/);
  ok('admin nudge-after 7d', { kind: 'admin_nudge_after', days: 7 });
  ok('admin nudge-after 14', { kind: 'admin_nudge_after', days: 14 });
  ok('admin nudge-after 90D', { kind: 'admin_nudge_after', days: 90 });
  bad('admin nudge-after 0d', /from 1d to 90d/, /nudge-after 7d/);
  bad('admin nudge-after 91d', /from 1d to 90d/, /nudge-after 7d/);
  bad('admin nudge-after 2w', /from 1d to 90d/, /nudge-after 7d/);

  // time zones: IANA names only, stored in their canonical spelling.
  ok('admin timezone Europe/Berlin', { kind: 'admin_timezone', timezone: 'Europe/Berlin' });
  ok('admin timezone america/argentina/buenos_aires', {
    kind: 'admin_timezone',
    timezone: parseCanonical('America/Argentina/Buenos_Aires'),
  });
  ok('admin timezone europe/berlin', { kind: 'admin_timezone', timezone: 'Europe/Berlin' });
  ok('admin timezone UTC', { kind: 'admin_timezone', timezone: 'UTC' });
  ok('admin timezone utc', { kind: 'admin_timezone', timezone: 'UTC' });
  bad('admin timezone Mars/Olympus_Mons', /"Mars\/Olympus_Mons" isn't an IANA time zone name/, /timezone Europe\/Berlin/);
  bad('admin timezone EST', /isn't an IANA time zone name/, /timezone Europe\/Berlin/);
  bad('admin timezone +02:00', /isn't an IANA/, /timezone/);
  bad('admin timezone', /isn't an IANA/, /timezone/);
  // Two valid names are not "not an IANA name": the problem is the second word.
  bad('admin timezone Europe/Berlin Europe/Paris', /^Give one time zone name/, /timezone/);
  bad('admin timezone America/New York', /^Give one time zone name/, /timezone/);

  // export, forget, tactics hide.
  ok('admin export', { kind: 'admin_export' });
  bad('admin export now', /takes no more words/, /admin export/);
  ok('admin forget <@U0123ABCD|dana>', { kind: 'admin_forget', userId: 'U0123ABCD' });
  ok('admin forget <@U0123ABCD>', { kind: 'admin_forget', userId: 'U0123ABCD' });
  bad('admin forget', /exactly one person/, /forget @dana/);
  bad('admin forget dana', /exactly one person/, /forget @dana/);
  bad('admin forget <@U1> <@U2>', /exactly one person/, /forget/);
  bad('admin forget <!subteam^S1|@sales>', /exactly one person/, /forget/);
  ok('admin tactics hide 12', { kind: 'admin_tactics_hide', tacticId: 12 });
  bad('admin tactics hide', /number of the tactic/, /tactics hide 12/);
  bad('admin tactics hide 0', /number of the tactic/, /tactics hide 12/);
  bad('admin tactics show 12', /number of the tactic/, /tactics hide 12/);
  bad('admin tactics hide 99999999999999999999', /number of the tactic/, /tactics hide/);

  bad('admin reboot', /"reboot" isn't an admin command/, /admin target 3/);
});

describe('error messages never echo unbounded input', () => {
  it('long words are cut', () => {
    const r = parseGembaText(`admin ${'x'.repeat(5000)}`);
    assert.equal(r.kind, 'error');
    if (r.kind === 'error') assert.ok(r.message.length < 200, r.message);
    const t = parseGembaText(`admin timezone ${'Y'.repeat(5000)}`);
    if (t.kind === 'error') assert.ok(t.message.length < 200, t.message);
  });
});

/** What this runtime's Intl calls a zone (ICU data differs between Node builds). */
function parseCanonical(tz: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone;
}
