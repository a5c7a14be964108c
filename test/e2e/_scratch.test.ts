import { test } from 'node:test';
import { startHarness } from '../kit/harness.js';
test('scratch', async () => {
  const h = await startHarness();
  const r = await h.command('/contact', 'Acme Corp with Dana Lee (CFO) via video 30m yesterday: wants ROI proof');
  console.log(r.status, JSON.stringify(r.json, null, 1));
  await h.settle();
  console.log(h.fake.calls.map(c => c.method));
  console.log(h.ctx.db.prepare('select * from contacts').all());
  const t = await h.command('/trends', '');
  console.log(JSON.stringify(t.json, null, 1));
  await h.homeOpened('U0001');
  await h.settle();
  console.log(JSON.stringify(h.fake.callsTo('views.publish')[0]?.args, null, 1));
  await h.close();
});
