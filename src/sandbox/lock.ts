/**
 * One sandbox per data folder: `sandbox.lock` holds the pid and page address of the sandbox using it.
 * A second sandbox on the same folder (another port, or a --reset) stops with one line instead of
 * re-seeding the files under the running one. A lock whose process is gone (a crash, kill -9) is
 * stale and taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = 'sandbox.lock';

/** Thrown when another live sandbox holds the folder; the message is the one line to print. */
export class DataFolderLockedError extends Error {
  readonly code = 'SANDBOX_DATA_LOCKED';
  override readonly name = 'DataFolderLockedError';
}

interface Holder {
  pid: number;
  url?: string;
}

/** Whether a process with this pid is running (EPERM: it is, under another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(file: string): Holder | null {
  try {
    const h = JSON.parse(readFileSync(file, 'utf8')) as Partial<Holder>;
    return Number.isInteger(h.pid) && (h.pid as number) > 0 ? { pid: h.pid as number, url: h.url } : null;
  } catch {
    return null;
  }
}

/**
 * Takes the folder's lock for this process (the folder must exist) and returns its release. Throws
 * DataFolderLockedError when a running process holds it. Example: a sandbox on 4455 holds ./data;
 * `SANDBOX_PORT=4456 npm run sandbox -- --reset` stops with "./data is in use by the sandbox at
 * http://127.0.0.1:4455 (pid 1234) …" and touches nothing.
 */
export function lockDataFolder(dir: string, url: string): () => void {
  const file = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    let fd: number;
    try {
      // 'wx': created only if absent, atomically, so two starts at once cannot both get it.
      fd = openSync(file, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readHolder(file);
      if (holder && alive(holder.pid)) {
        throw new DataFolderLockedError(
          `${dir} is in use by the sandbox at ${holder.url ?? 'another port'} (pid ${holder.pid}): stop it first, or give this one another data folder`,
        );
      }
      // An empty lock a moment old is one being written by a sandbox starting right now.
      const age = Date.now() - (statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0);
      if (!holder && age < 2000) break;
      // Stale (its process is gone) or unreadable (a crash while writing it): take it over.
      rmSync(file, { force: true });
      continue;
    }
    writeSync(fd, JSON.stringify({ pid: process.pid, url }));
    closeSync(fd);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // Only our own lock: never remove one a later sandbox took after ours was judged stale.
      if (readHolder(file)?.pid === process.pid) rmSync(file, { force: true });
    };
  }
  throw new DataFolderLockedError(`${dir} is being locked by another sandbox starting at the same moment: try again`);
}
