import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startFakeSlack } from '/work/main/test/kit/fake-slack.ts';
import { slashCommand } from '/work/main/test/kit/payloads.ts';
import { signSlackRequest } from '/work/main/test/kit/sign.ts';
const fake = await startFakeSlack({ defaultTz: 'UTC' });
const dir = mkdtempSync(join(tmpdir(), 'profack-'));
const script = process.argv[2] ?? '/work/main/src/main.ts';
const child = spawn(process.execPath, ['--cpu-prof', '--cpu-prof-dir=/tmp/gbench/prof', '--import', import.meta.resolve('tsx'), script], { cwd: dir, env: { ...process.env, SLACK_BOT_TOKEN: 'xoxb-x', SLACK_SIGNING_SECRET: 's3cret', SLACK_API_URL: fake.apiUrl, DATABASE_PATH: join(dir, 'db.sqlite'), ANONYMITY_KEY: 'k'.repeat(20), SCHEDULER_ENABLED: 'false', LOG_LEVEL: 'warn', PORT: '39123' }, stdio: 'inherit' });
for (;;) { try { if ((await fetch('http://127.0.0.1:39123/healthz')).ok) break; } catch {} await new Promise(r => setTimeout(r, 100)); }
let n = 0;
const worker = async () => { while (n < 4000) { const i = ++n; const p = slashCommand({ command: '/contact', text: `Acct ${i} with Dana via video 30m: roi`, userId: `UB${i % 256}`, responseUrl: fake.responseUrl() }); const r = await fetch('http://127.0.0.1:39123/slack/events', { method: 'POST', headers: { ...signSlackRequest('s3cret', p.body), 'content-type': p.contentType }, body: p.body }); await r.text(); } };
const s = performance.now();
await Promise.all(Array.from({ length: 16 }, worker));
console.log('rps', 4000 / ((performance.now() - s) / 1000));
child.kill('SIGTERM'); await new Promise(r => child.once('exit', r)); await fake.close();
