/**
 * The real entry points (src/main.ts, src/cli/job.ts) as child processes, for tests that start the app
 * the way `npm start` does: spawned with tsx, stdout and stderr captured, /healthz polled.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** tsx's loader, resolved from here: children run in a temp folder (no stray .env), which has no node_modules. */
const TSX = import.meta.resolve('tsx');

export interface Child {
  proc: ChildProcess;
  output(): string;
  /** Resolves with the exit code (or the signal name) once the process has ended. */
  exited: Promise<number | string>;
}

/** Starts `node --import tsx [--import <preload>…] <script> …args` in `cwd`. */
export function spawnScript(script: string, args: string[], env: Record<string, string>, cwd: string, preload: string[] = []): Child {
  const imports = ['--import', TSX, ...preload.flatMap((p) => ['--import', p])];
  const proc = spawn(process.execPath, [...imports, join(ROOT, script), ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | string>((resolve) => proc.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  return { proc, output: () => out, exited };
}

export type AppChild = Child & { url: string };

/** Starts src/main.ts (`preload` modules imported first) listening on `port`, with `env`; does not wait for it. */
export function spawnApp(p: { env: Record<string, string>; cwd: string; port: number; preload?: string[] }): AppChild {
  const child = spawnScript('src/main.ts', [], { ...p.env, PORT: String(p.port) }, p.cwd, p.preload);
  return { ...child, url: `http://127.0.0.1:${p.port}` };
}

/** Waits until the app answers 200 on /healthz; throws with its output if it exits first or does not answer in time. */
export async function waitHealthy(app: AppChild, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (app.proc.exitCode !== null) throw new Error(`app exited with ${app.proc.exitCode}:\n${app.output()}`);
    try {
      if ((await fetch(`${app.url}/healthz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`app did not answer /healthz:\n${app.output()}`);
}
