import { mkdtempSync, mkdirSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { openDatabase } from '../../src/db/open.ts';
import { migrate } from '../../src/db/migrate.ts';
for (const withAgg of [false, true, false, true]) {
  const dir = mkdtempSync(join(tmpdir(), 'w-'));
  const mig = join(dir, 'mig'); mkdirSync(mig);
  cpSync('migrations', mig, { recursive: true });
  if (!withAgg) { const { rmSync } = await import('node:fs'); rmSync(join(mig, '0006_weekly_aggregates.sql')); }
  const db = openDatabase(join(dir, 'db.sqlite')); migrate(db, mig);
  const ins = db.prepare(`INSERT INTO contacts (team_id, user_id, account, account_key, buyer, kind, duration_min, occurred_on, week_start, insight, created_at, updated_at) VALUES ('T1', ?, ?, ?, 'Dana', 'video', 30, '2026-11-26', '2026-11-23', 'roi', 1, 1)`);
  const N = 3000; const s = performance.now();
  for (let i = 0; i < N; i++) db.transaction(() => ins.run(`U${i % 256}`, `Acct ${i}`, `acct ${i}`)).immediate();
  console.log(withAgg ? 'with 0006' : 'without  ', ((performance.now() - s) / N * 1000).toFixed(1), 'µs per logContact');
}
