/**
 * `/trends` → **Show chart**, end to end: the ephemeral reply offers the button (only for your own
 * trend), and clicking it shares the clicker's chart in their DM with Gemba through the external
 * upload flow, then says so; a failing upload gets a clear ephemeral answer and no half-shared file.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { ActionId } from '../../src/blocks/ids.js';
import { CHART_REPEAT_WINDOW_MS } from '../../src/listeners/actions/trends-chart.js';
import { type Harness, harnessPerTest } from '../kit/harness.js';
import { ackMessage, ME, OTHER, TEAM } from './support.js';

const harness = harnessPerTest();

async function seed(h: Harness, userId: string, days: string[]): Promise<void> {
  for (const occurredOn of days)
    await h.ctx.services.contacts.logContact(
      TEAM,
      userId,
      { account: 'Acme', buyer: null, kind: 'call', durationMin: null, occurredOn, insight: null },
      h.clock.now(),
    );
}

const showChart = (m: { blocks?: any[] }) =>
  m.blocks?.flatMap((b) => (b.type === 'actions' ? b.elements : [])).find((e: any) => e.action_id === ActionId.trendsShowChart);

describe('/trends Show chart', () => {
  it('offers the button on your own trend and sends your chart to your DM with Gemba', async () => {
    const h = await harness();
    await seed(h, ME, ['2026-11-02', '2026-11-03', '2026-11-04', '2026-11-10', '2026-11-24']);
    await seed(h, OTHER, ['2026-11-24']);
    const reply = ackMessage(await h.command('/trends', '12'));
    const button = showChart(reply);
    assert.ok(button, 'the reply carries Show chart');
    assert.equal(button.value, '12');

    const before = h.fake.calls.length;
    await h.action({ actionId: ActionId.trendsShowChart, value: button.value, userId: ME });
    const responded = await h.fake.waitFor('response_url', (c) => /chart/.test(String(c.args.text)), 10_000);
    assert.equal(responded.args.text, ':bar_chart: Your chart is in your DM with Gemba.');
    assert.equal(responded.args.replace_original, false);
    const methods = h.fake.calls
      .slice(before)
      .map((c) => c.method)
      .filter((m) => m !== 'response_url' && m !== 'users.info');
    assert.deepEqual(methods, ['conversations.open', 'files.getUploadURLExternal', 'upload', 'files.completeUploadExternal']);
    const dm = h.fake.callsTo('conversations.open').at(-1)!;
    assert.equal(dm.args.users, ME);
    const [done] = h.fake.callsTo('files.completeUploadExternal');
    assert.equal(done.args.channel_id, dm.response.channel.id);
    assert.match(done.args.initial_comment, /^Your buyer conversations, last 12 weeks: 5 in total, 1 of 3 this week, streak 0\.$/);
    const [get] = h.fake.callsTo('files.getUploadURLExternal');
    assert.match(get.args.alt_txt, /^Your buyer conversations, last 12 weeks, against a target of 3 a week;/);
    assert.match(get.args.alt_txt, /2 Nov: 3; 9 Nov: 1; 16 Nov: 0; 23 Nov: 1 \(this week so far\)\.$/);
    const png = PNG.sync.read(h.fake.uploadBytes.get(get.response.file_id)!);
    assert.deepEqual([png.width, png.height], [1600, 800]);
    assert.deepEqual(h.fake.invalid, []);
  });

  it("no button on someone else's trend; a value from a forged click still draws only the clicker's own", async () => {
    const h = await harness({ env: { ADMIN_USER_IDS: ME } });
    await seed(h, OTHER, ['2026-11-24', '2026-11-25']);
    assert.equal(showChart(ackMessage(await h.command('/trends', `<@${OTHER}>`))), undefined);
    await h.action({ actionId: ActionId.trendsShowChart, value: '999', userId: ME });
    await h.fake.waitFor('response_url', (c) => /chart/.test(String(c.args.text)), 10_000);
    const [done] = h.fake.callsTo('files.completeUploadExternal');
    assert.match(done.args.initial_comment, /^Your buyer conversations, last 52 weeks: 0 in total/);
    assert.equal(h.fake.callsTo('conversations.open').at(-1)!.args.users, ME);
    // One week is "1 week", as the chart's own title says it.
    h.clock.advance(CHART_REPEAT_WINDOW_MS);
    await h.action({ actionId: ActionId.trendsShowChart, value: '1', userId: ME });
    await h.fake.waitFor('files.completeUploadExternal', (c) => /last 1 week\b/.test(c.args.initial_comment), 10_000);
    assert.match(
      h.fake.callsTo('files.completeUploadExternal').at(-1)!.args.initial_comment,
      /^Your buyer conversations, last 1 week: 0 in total/,
    );
  });

  it('an upload Slack refuses gets a clear ephemeral answer and shares nothing', async () => {
    const h = await harness();
    await seed(h, ME, ['2026-11-24']);
    h.fake.failNext('files.getUploadURLExternal', { error: 'missing_scope' });
    await h.action({ actionId: ActionId.trendsShowChart, value: '8', userId: ME });
    const responded = await h.fake.waitFor('response_url', (c) => /chart/.test(String(c.args.text)), 10_000);
    assert.match(responded.args.text, /I could not send your chart \(`missing_scope`\)\. The numbers above are complete without it\./);
    assert.equal(h.fake.callsTo('files.completeUploadExternal').length, 0);
    assert.equal(h.logs.filter((l) => l.msg === 'personal chart not shared').length, 1);
  });

  it('a double click sends one chart: one DM, one file; a failed one may be retried, and a later click sends anew', async () => {
    const h = await harness();
    await seed(h, ME, ['2026-11-24']);
    const click = () => h.action({ actionId: ActionId.trendsShowChart, value: '8', userId: ME });
    const answers = () => h.fake.callsTo('response_url').filter((c) => /chart/.test(String(c.args.text)));
    const answered = async (n: number) => {
      for (const deadline = Date.now() + 10_000; answers().length < n; ) {
        assert.ok(Date.now() < deadline, `waiting for answer ${n}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await Promise.all([click(), click()]);
    await answered(2);
    assert.deepEqual(
      answers().map((c) => c.args.text),
      [':bar_chart: Your chart is in your DM with Gemba.', ':bar_chart: Your chart is in your DM with Gemba.'],
    );
    assert.equal(h.fake.callsTo('conversations.open').length, 1, 'one DM opened');
    assert.equal(h.fake.callsTo('files.getUploadURLExternal').length, 1, 'one file uploaded');
    assert.equal(h.fake.callsTo('files.completeUploadExternal').length, 1, 'one file shared');

    // Once the window is over a click sends anew; a failure is not remembered, so the next click tries again.
    h.clock.advance(CHART_REPEAT_WINDOW_MS);
    h.fake.failNext('files.getUploadURLExternal', { error: 'internal_error' });
    await click();
    await answered(3);
    assert.match(answers()[2].args.text, /could not send your chart/);
    await click();
    await answered(4);
    assert.equal(answers()[3].args.text, ':bar_chart: Your chart is in your DM with Gemba.');
    assert.equal(h.fake.callsTo('files.completeUploadExternal').length, 2);
    assert.deepEqual(h.fake.invalid, []);
  });

  it('a 429 from the upload URL is waited out and the bytes sent again: the chart arrives once', async () => {
    const h = await harness();
    await seed(h, ME, ['2026-11-24']);
    h.fake.failNext('upload', { retryAfter: 1 });
    await h.action({ actionId: ActionId.trendsShowChart, value: '8', userId: ME });
    const responded = await h.fake.waitFor('response_url', (c) => /chart/.test(String(c.args.text)), 10_000);
    assert.equal(responded.args.text, ':bar_chart: Your chart is in your DM with Gemba.');
    assert.deepEqual(
      h.fake.calls.map((c) => c.method).filter((m) => ['files.getUploadURLExternal', 'upload', 'files.completeUploadExternal'].includes(m)),
      ['files.getUploadURLExternal', 'upload', 'upload', 'files.completeUploadExternal'],
    );
    assert.equal(h.logs.filter((l) => l.msg === 'personal chart not shared').length, 0);
  });
});
