/**
 * The real entry points (src/main.ts, src/cli/job.ts) as child processes, for tests that start the app
 * the way `npm start` does: spawned with tsx, stdout and stderr captured, /healthz polled.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
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

/**
 * Waits until the app answers 200 on /healthz; throws with its output if it exits first or does not answer in time.
 * The 200 must come from this child: a free port can be taken by another suite's server between freePort() and
 * the child's listen (two suites on one machine), and that server's 200 would otherwise pass for ours.
 */
export async function waitHealthy(app: AppChild, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const port = Number(new URL(app.url).port);
  while (Date.now() < deadline) {
    if (app.proc.exitCode !== null) throw new Error(`app exited with ${app.proc.exitCode}:\n${app.output()}`);
    try {
      if ((await fetch(`${app.url}/healthz`)).status === 200 && listensOn(app.proc.pid, port) !== false) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`app did not answer /healthz:\n${app.output()}`);
}

/**
 * Whether process `pid` holds the TCP socket listening on `port` (Linux: the LISTEN row of /proc/net/tcp{,6}
 * for the port, and `socket:[inode]` among the process's open files); undefined where /proc cannot tell.
 */
export function listensOn(pid: number | undefined, port: number): boolean | undefined {
  if (pid === undefined) return false;
  try {
    const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
    const inodes = new Set<string>();
    for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
      for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
        const f = line.trim().split(/\s+/);
        // local_address is HEXIP:HEXPORT; state 0A is LISTEN; the inode is the tenth field.
        if (f.length > 9 && f[1].endsWith(`:${hexPort}`) && f[3] === '0A') inodes.add(f[9]);
      }
    }
    if (inodes.size === 0) return false;
    const fds = `/proc/${pid}/fd`;
    return readdirSync(fds).some((fd) => {
      try {
        return inodes.has(/^socket:\[(\d+)\]$/.exec(readlinkSync(join(fds, fd)))?.[1] ?? '');
      } catch {
        return false;
      }
    });
  } catch {
    return undefined;
  }
}
