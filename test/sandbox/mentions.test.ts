/**
 * The sandbox composer's stand-in for Slack's mention picker: names typed after @ and # become
 * Slack's escaped mentions (the manifest's should_escape), the longest name first, case-insensitively.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { demoDirectory, escapeMentions } from '../../src/sandbox/mentions.js';

const dir = demoDirectory();
const esc = (text: string) => escapeMentions(text, dir);

describe('sandbox: mentions typed by name', () => {
  it('people by display name, real name or username, case-insensitively', () => {
    assert.equal(esc('/trends @Ben Carter'), '/trends <@UMGR07|ben.carter>');
    assert.equal(esc('/trends @ben carter 4'), '/trends <@UMGR07|ben.carter> 4');
    assert.equal(esc('/trends @ben.carter'), '/trends <@UMGR07|ben.carter>');
    assert.equal(
      esc('/gemba admin managers add @Jordan Blake @Sam Patel'),
      '/gemba admin managers add <@UREP01|jordan.blake> <@UREP02|sam.patel>',
    );
  });

  it('channels and user groups', () => {
    assert.equal(
      esc('/gemba admin channel leaderboard #sales-leaderboard'),
      '/gemba admin channel leaderboard <#C0SALESLB|sales-leaderboard>',
    );
    assert.equal(esc('/gemba admin reps sync @sales-reps'), '/gemba admin reps sync <!subteam^S0REPS|@sales-reps>');
    assert.equal(esc('/gemba admin managers sync @Sales-Managers'), '/gemba admin managers sync <!subteam^S0MGRS|@sales-managers>');
  });

  it('the longest name wins, and a name must end where a word ends', () => {
    const two = { ...dir, people: [...dir.people, { id: 'UBEN', username: 'ben', names: ['Ben'] }] };
    assert.equal(escapeMentions('@Ben Carter', two), '<@UMGR07|ben.carter>');
    assert.equal(escapeMentions('@Ben Carpenter', two), '<@UBEN|ben> Carpenter');
    assert.equal(esc('@Ben Carters'), '@Ben Carters');
    assert.equal(esc('#sales-leaderboards'), '#sales-leaderboards');
  });

  it('leaves as typed what names nobody, marks inside a word and Slack markup already there', () => {
    for (const text of [
      '/trends @Nobody',
      '/trends @Ben',
      '/contact Acme: wrote to dana@acme.com',
      '/contact Acme #1 account',
      '/trends <@UMGR07|ben.carter>',
      '/contact <http://acme.io|acme.io>',
      '/contact Acme: <mailto:dana@acme.com|dana@acme.com> and <!here>',
      '/trends @@Ben Carter',
    ])
      assert.equal(esc(text), text);
    assert.equal(esc('/trends <@UMGR07> and @Dana Lee'), '/trends <@UMGR07> and <@UMGR01|dana.lee>');
  });

  it('escapes the &, < and > a person typed, as Slack sends them, and nothing that is markup', () => {
    assert.equal(esc('/contact AT&T: wants <b>SSO</b> & SCIM'), '/contact AT&amp;T: wants &lt;b&gt;SSO&lt;/b&gt; &amp; SCIM');
    assert.equal(
      esc('/flag-tactic cold calling: buyers ignore <unknown> numbers'),
      '/flag-tactic cold calling: buyers ignore &lt;unknown&gt; numbers',
    );
    assert.equal(esc('/contact Acme: 3 < 5 > 4 &amp;'), '/contact Acme: 3 &lt; 5 &gt; 4 &amp;amp;');
    assert.equal(esc('/contact Acme: <@Dana Lee'), '/contact Acme: &lt;<@UMGR01|dana.lee>');
    assert.equal(esc('/trends <@UMGR07> & @Dana Lee'), '/trends <@UMGR07> &amp; <@UMGR01|dana.lee>');
  });
});
