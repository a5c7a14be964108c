import type { Storage } from '../db/storage.js';
import type { Clock } from '../lib/clock.js';

/** Which installation an uninstall or revocation event is about (as Bolt resolved it from the envelope). */
export interface InstallationRef {
  teamId?: string;
  enterpriseId?: string;
  isEnterpriseInstall?: boolean;
}

const DAY_MS = 86_400_000;

/** The key of the installation an event names: the workspace's, or the org's when no workspace is named. */
function keyOf(ref: InstallationRef): string | null {
  if (ref.isEnterpriseInstall && ref.enterpriseId) return `E:${ref.enterpriseId}`;
  if (ref.teamId) return `T:${ref.teamId}`;
  if (ref.enterpriseId) return `E:${ref.enterpriseId}`;
  return null;
}

/**
 * Installations over time (distribution mode): an uninstall stops every use of the tokens at once
 * (the store no longer hands them out); the workspace's data stays for `retentionDays`, so
 * reinstalling within the window keeps the history, and is then erased.
 */
export function createInstallationService(storage: Storage, clock: Clock, retentionDays: number) {
  const { installations, workspaceData } = storage.repos;
  return {
    /** Marks the installation uninstalled; returns its key, or null when it was unknown or already gone. */
    async uninstall(ref: InstallationRef): Promise<string | null> {
      const key = keyOf(ref);
      if (!key) return null;
      return (await installations.markUninstalled(key, clock.now())) ? key : null;
    },

    /**
     * Erases the data of every installation uninstalled more than `retentionDays` before `now`, and
     * the installation itself. An org-wide install's workspaces go with it, except one that has its
     * own active installation; a workspace whose org still has Gemba keeps its data.
     */
    async eraseExpired(now: number): Promise<Array<{ installKey: string; workspaces: string[] }>> {
      const done: Array<{ installKey: string; workspaces: string[] }> = [];
      for (const inst of await installations.listUninstalledBefore(now - retentionDays * DAY_MS)) {
        const candidates = inst.isEnterpriseInstall
          ? await installations.listWorkspacesOfEnterprise(inst.enterpriseId ?? '')
          : inst.teamId
            ? [inst.teamId]
            : [];
        const erased: string[] = [];
        for (const teamId of candidates) {
          if (await stillServed(teamId, inst.installKey)) continue;
          await workspaceData.eraseWorkspace(teamId);
          erased.push(teamId);
        }
        // Deleting is erasing: the rows were overwritten; the checkpoint drops the old copies the WAL kept.
        if (erased.length > 0) await storage.eraseCheckpoint();
        await installations.deleteInstallation(inst.installKey);
        done.push({ installKey: inst.installKey, workspaces: erased });
      }
      return done;
    },
  };

  /** True when another active installation (the workspace's own, or its org's) still serves the workspace. */
  async function stillServed(teamId: string, except: string): Promise<boolean> {
    const enterpriseId = await installations.findWorkspaceEnterprise(teamId);
    const keys = [`T:${teamId}`, ...(enterpriseId ? [`E:${enterpriseId}`] : [])].filter((k) => k !== except);
    for (const k of keys) if (await installations.findActiveInstallation(k)) return true;
    return false;
  }
}

export type InstallationService = ReturnType<typeof createInstallationService>;
