/**
 * Start-up cost of the ways to run the server: `tsx src/main.ts` (the old `npm start`),
 * `node --import tsx src/main.ts` (transpiles at start, in one process) and `node dist/main.js`
 * (compiled by `npm run build`). For each: time from spawn to the first 200 from /healthz, and the
 * resident memory of every process involved once it answers. Needs `npm run build` first.
 *
 *   node --import tsx bench/start.ts [--runs 5]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SlackSimulator } from '../src/sandbox/slack-simulator.js';
import { freePort } from '../test/kit/net.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const TSX_CLI = join(ROOT, 'node_modules/tsx/dist/cli.mjs');

const variants: Array<{ name: string; args: string[] }> = [
  { name: 'tsx src/main.ts (tsx CLI: two node processes)', args: [TSX_CLI, 'src/main.ts'] },
  { name: 'node --import tsx src/main.ts', args: ['--import', 'tsx', 'src/main.ts'] },
  { name: 'node dist/main.js (npm run build)', args: ['dist/main.js'] },
];

/** VmRSS of a process and all its descendants, in MB (Linux /proc). */
function treeRssMb(pid: number): number {
  const status = (p: number) => {
    try {
      return readFileSync(`/proc/${p}/status`, 'utf8');
    } catch {
      return '';
    }
  };
  const children = (p: number): number[] => {
    try {
      return readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  };
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status(pid))?.[1] ?? 0);
  return kb / 1024 + children(pid).reduce((sum, c) => sum + treeRssMb(c), 0);
}

async function once(args: string[], apiUrl: string): Promise<{ ms: number; rss: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'gemba-startbench-'));
  const port = await freePort();
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: 'ignore',
    env: {
      PATH: process.env.PATH ?? '',
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: 'bench-secret',
      SLACK_API_URL: apiUrl,
      PORT: String(port),
      DATABASE_PATH: join(dir, 'gemba.db'),
      ANONYMITY_KEY: 'bench-anonymity-key-0123456789',
      SCHEDULER_ENABLED: 'false',
      LOG_FORMAT: 'json',
    },
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`);
        if (res.ok) break;
      } catch {
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    const ms = performance.now() - started;
    await new Promise((r) => setTimeout(r, 500));
    return { ms, rss: treeRssMb(child.pid!) };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (!existsSync(join(ROOT, 'dist/main.js'))) throw new Error('run `npm run build` first');
  const i = process.argv.indexOf('--runs');
  const runs = i === -1 ? 5 : Number(process.argv[i + 1]);
  const slack = new SlackSimulator();
  await slack.listen();
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  process.stdout.write(`| how | start to first /healthz 200 (median of ${runs}) | RSS once up (median) |\n|---|---|---|\n`);
  try {
    for (const v of variants) {
      const results = [];
      for (let r = 0; r < runs; r += 1) results.push(await once(v.args, slack.apiUrl));
      const ms = median(results.map((x) => x.ms));
      const rss = median(results.map((x) => x.rss));
      process.stdout.write(`| \`${v.name}\` | ${ms.toFixed(0)} ms | ${rss.toFixed(0)} MB |\n`);
    }
  } finally {
    await slack.close();
  }
}

await main();
