/**
 * Eight weeks of believable history for the demo team, made the way it would be made in Slack:
 * people type the real slash commands (signed requests to the app) while the sandbox clock walks
 * forward day by day, and the scheduler ticks at 09:05, 09:35 and 18:05 so the nudges, weekly
 * leaderboards, digests and flag publishing of those weeks happen too.
 */
import { addDays, localDate, localDateTimeToMs, weekdayOf, weekStart } from '../lib/time.js';
import { ACCOUNTS, ADMIN_ID, BUYERS, FLAGS, INSIGHTS, KINDS, PEOPLE, TEAM_TIMEZONE, VP_ID } from './demo-team.js';
import type { Actor } from './sandbox.js';
import type { Workspace } from './workspace.js';

const WEEKS = 8;

/** A small deterministic PRNG, so every fresh sandbox has the same history. */
function prng(seed: number): () => number {
  let t = seed;
  return () => {
    t = (t + 0x6d2b79f5) | 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

const mention = (id: string) => `<@${id}>`;

export async function seedDemo(actor: Actor, workspace: Workspace): Promise<void> {
  const realNow = Date.now();
  const today = localDate(realNow, TEAM_TIMEZONE);
  const first = addDays(weekStart(today), -7 * WEEKS);
  const at = (date: string, hour: number, minute = 0) => localDateTimeToMs(date, hour, TEAM_TIMEZONE) + minute * 60_000;
  const rand = prng(14);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const managers = PEOPLE.filter((p) => p.role === 'manager');
  const dm = (id: string) => `D${id}`;
  const quietly = { showAck: false };

  // Day one: the admin enrols the managers and names the VP.
  workspace.clockOffsetMs = at(first, 8, 30) - Date.now();
  await actor.command(ADMIN_ID, dm(ADMIN_ID), `/gemba admin managers add ${managers.map((m) => mention(m.id)).join(' ')}`, quietly);
  await actor.command(ADMIN_ID, dm(ADMIN_ID), `/gemba admin vps add ${mention(VP_ID)}`, quietly);

  // Each manager's accounts: a few of their own, so dormant accounts show up in nudges.
  const accountsOf = new Map(managers.map((m, i) => [m.id, [0, 1, 2, 3, 4].map((k) => ACCOUNTS[(i * 3 + k) % ACCOUNTS.length])]));
  const flagDays = new Map<string, typeof FLAGS>();
  for (const [i, f] of FLAGS.entries()) {
    const d = addDays(weekStart(today), -7 - (i % 5));
    flagDays.set(d, [...(flagDays.get(d) ?? []), f]);
  }

  for (let d = first; at(d, 18, 5) < realNow; d = addDays(d, 1)) {
    const weekday = weekdayOf(d);
    const weekIndex = Math.floor((at(d, 12) - at(first, 12)) / (7 * 86_400_000));
    if (weekday <= 5) {
      // Scheduled work from the second week on (the first Monday would report an empty week).
      if (weekIndex > 0) {
        await actor.moveClockTo(at(d, 9, 5));
        if (weekday === 1) await actor.moveClockTo(at(d, 9, 35));
      }
      for (const m of managers) {
        if ((m.quietForWeeks ?? 0) > 0 && weekIndex >= WEEKS - (m.quietForWeeks ?? 0)) continue;
        // perWeek conversations spread over five days, with a little week-to-week variation.
        const expected = ((m.perWeek ?? 2) * (0.7 + 0.6 * rand())) / 5;
        const count = Math.floor(expected + rand());
        for (let k = 0; k < count; k += 1) {
          workspace.clockOffsetMs = at(d, 10 + Math.floor(rand() * 7), Math.floor(rand() * 60)) - Date.now();
          const account = rand() < 0.8 ? pick(accountsOf.get(m.id) ?? ACCOUNTS) : pick(ACCOUNTS);
          const minutes = pick([15, 20, 30, 45, 60]);
          const insight = rand() < 0.6 ? `: ${pick(INSIGHTS)}` : '';
          await actor.command(m.id, dm(m.id), `/contact ${account} with ${pick(BUYERS)} via ${pick(KINDS)} ${minutes}m${insight}`, quietly);
        }
      }
      for (const f of flagDays.get(d) ?? []) {
        workspace.clockOffsetMs = at(d, 15) - Date.now();
        await actor.command(f.rep, dm(f.rep), `/flag-tactic ${f.text}`, quietly);
      }
    }
    if (weekIndex > 0) await actor.moveClockTo(at(d, 18, 5));
  }
  await actor.moveClockTo(realNow);
}
