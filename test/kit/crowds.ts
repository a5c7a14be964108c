/**
 * Helpers for tests that flag tactics: a workspace big enough to hold several crowds, reps picked
 * from distinct crowds (so each counts once), and the daily publish run on demand.
 */
import assert from 'node:assert/strict';
import { codeOf, crowdHash } from '../../src/services/crowds.js';
import type { Harness } from './harness.js';

export const CROWD_TEAM = 'T0001';

/** Adds `n` active members to the fake workspace and cuts them into crowds. Returns their ids. */
export async function populate(h: Harness, n = 60, teamId = CROWD_TEAM): Promise<string[]> {
  const ids = Array.from({ length: n }, (_, i) => `UCROWD${String(i).padStart(4, '0')}`);
  for (const id of ids) h.fake.setUser(id, {});
  await h.ctx.services.tactics.refreshPopulation(teamId);
  return ids;
}

/** The crowd code a user falls in right now. */
export async function crowdCodeOf(h: Harness, userId: string, teamId = CROWD_TEAM): Promise<string> {
  const leaves = (await h.ctx.repos.tactics.findPopulation(teamId))?.leaves.map((l) => l.code) ?? [];
  return codeOf(crowdHash(teamId, userId), leaves);
}

/** `k` members from `k` different crowds (call populate first). */
export async function repsInDistinctCrowds(h: Harness, members: readonly string[], k: number, teamId = CROWD_TEAM): Promise<string[]> {
  const byCode = new Map<string, string>();
  for (const m of members) {
    const code = await crowdCodeOf(h, m, teamId);
    if (!byCode.has(code)) byCode.set(code, m);
  }
  assert.ok(byCode.size >= k, `need ${k} crowds, the workspace has ${byCode.size}`);
  return [...byCode.values()].slice(0, k);
}

/** Runs the daily publish for everything recorded so far (as the `publish` job would at the hour). */
export async function publishFlags(h: Harness, teamId = CROWD_TEAM): Promise<void> {
  await h.ctx.services.tactics.publish(teamId, (await h.ctx.services.tactics.nextPublish(teamId)).day);
}
