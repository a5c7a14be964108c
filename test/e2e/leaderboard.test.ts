/**
 * `/leaderboard` (this week so far) and `/leaderboard last` end to end: the same standings as the
 * Monday post, ephemeral, nobody at zero named; help and bad input.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EXPECTED_IMPROVED, EXPECTED_LINES, enroll, seedTeam } from '../jobs/support.js';
import { harnessPerTest } from '../kit/harness.js';
import { ackMessage, allText, assertSurfacesValid, loneSurrogates } from './support.js';

const harness = harnessPerTest();

const ZEROES = ['UZERO', 'UNEVER'];

describe('/leaderboard', () => {
  it('last: the finished week as the Monday post showed it, to the caller only', async () => {
    const h = await harness({ now: '2026-12-03T15:00:00Z' }); // Thu of the week after
    await seedTeam(h);
    const m = ackMessage(await h.command('/leaderboard', 'last'));
    assert.equal(m.response_type, 'ephemeral');
    assert.equal(m.blocks![0].text.text, "Last week's leaderboard: week of Mon 23 Nov");
    assert.deepEqual(m.blocks![1].text.text.split('\n'), EXPECTED_LINES);
    assert.equal(m.blocks![2].text.text, EXPECTED_IMPROVED);
    assert.match(
      allText(m),
      /Team total: \*21\* :arrow_up_small: 1 vs 20 the week before · 7 managers · 2 managers still to log one that week/,
    );
    for (const z of ZEROES) assert.ok(!JSON.stringify(m).includes(z), `${z} is not named`);
    // Case and spaces do not matter.
    assert.deepEqual(ackMessage(await h.command('/leaderboard', '  LAST ')).blocks, m.blocks);
    assertSurfacesValid(h);
  });

  it('with no argument: this week so far, where a short week does not end a streak yet', async () => {
    const h = await harness({ now: '2026-11-26T15:00:00Z' }); // Thu of the week of 23 Nov
    await seedTeam(h);
    const m = ackMessage(await h.command('/leaderboard', ''));
    assert.equal(m.blocks![0].text.text, 'Leaderboard so far: week of Mon 23 Nov');
    // As the Monday post, except UD: 2 of 3 so far after two weeks at target, still a streak.
    assert.deepEqual(m.blocks![1].text.text.split('\n'), [
      ...EXPECTED_LINES.slice(0, 4),
      '5. <@UD>: *2 conversations* with 2 accounts  :fire: 2-week streak',
    ]);
    assert.equal(m.blocks![2].text.text, EXPECTED_IMPROVED);
    assert.match(allText(m), /· 2 managers still to log one · target 3 a week/);
    for (const z of ZEROES) assert.ok(!JSON.stringify(m).includes(z), `${z} is not named`);
    assertSurfacesValid(h);
  });

  it('in team time: Monday morning in Auckland is already the new week', async () => {
    const h = await harness({ now: '2026-11-29T21:00:00Z', env: { TEAM_TIMEZONE: 'Pacific/Auckland' } }); // Mon 10:00 NZDT
    await seedTeam(h);
    assert.equal(ackMessage(await h.command('/leaderboard', 'last')).blocks![0].text.text, "Last week's leaderboard: week of Mon 23 Nov");
    const now = ackMessage(await h.command('/leaderboard', ''));
    assert.equal(now.blocks![0].text.text, 'Leaderboard so far: week of Mon 30 Nov');
    assert.match(allText(now), /No conversations logged yet this week\. Be the first: `\/contact &lt;account&gt;`\./);
    assert.ok(!JSON.stringify(now).includes('<@'), 'nobody at zero is named');
    assertSurfacesValid(h);
  });

  it('with nobody logging last week: says so, counts the managers, names none', async () => {
    const h = await harness();
    await enroll(h, 'U1', '2026-10-01T00:00:00Z');
    const m = ackMessage(await h.command('/leaderboard', 'last'));
    const t = allText(m);
    assert.match(t, /No conversations were logged that week\./);
    assert.match(t, /Team total: \*0\* same as the week before \(0\) · 1 manager · 1 manager still to log one that week/);
    assert.ok(!JSON.stringify(m).includes('U1'));
  });

  it('help, and bad input explained with an example (escaped)', async () => {
    const h = await harness();
    const help = allText(ackMessage(await h.command('/leaderboard', 'help')));
    assert.match(help, /`\/leaderboard`\* — this week so far · \*`\/leaderboard last`\* — last week/);
    for (const text of ['previous', '<!channel>', 'last week']) {
      const t = allText(ackMessage(await h.command('/leaderboard', text)));
      assert.match(t, /isn't something \/leaderboard knows\. Use nothing \(this week\) or `last`\.\nTry: `\/leaderboard last`/, text);
    }
    assert.match(allText(ackMessage(await h.command('/leaderboard', '<!channel>'))), /"&lt;!channel&gt;"/);
    assertSurfacesValid(h);
  });
});

describe('/leaderboard bad input echo', () => {
  it('quotes what was typed without cutting an emoji in half', async () => {
    const h = await harness();
    const m = ackMessage(await h.command('/leaderboard', `a${'😀'.repeat(30)}`));
    assert.match(allText(m), /Try: `\/leaderboard last`/);
    assert.deepEqual(loneSurrogates(m), []);
  });
});
