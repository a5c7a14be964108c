import type { SnoozeReason, SnoozeRow } from '../db/repos/snoozes.js';
import type { Storage } from '../db/storage.js';
import { addDays, weekStart } from '../lib/time.js';

/** The longest pause `/gemba snooze` accepts (PRODUCT.md: at most 8 weeks). */
export const MAX_SNOOZE_DAYS = 56;
/** MAX_SNOOZE_DAYS as the weeks users read in help and errors. */
export const MAX_SNOOZE_WEEKS = MAX_SNOOZE_DAYS / 7;
/** What "Snooze a week" and the reason buttons on a nudge give. */
export const NUDGE_SNOOZE_DAYS = 7;

export const REASON_LABEL: Record<SnoozeReason, string> = {
  snooze: 'snoozed',
  pto: 'on PTO',
  travelling: 'travelling',
  pipeline_reset: 'pipeline reset',
};

/**
 * The Mondays of weeks in which a snooze covered at least one working day (Mon–Fri).
 * Example: a snooze Sat 2026-11-21 … Sun 2026-11-22 freezes nothing; Fri 2026-11-20 … Tue
 * 2026-11-24 freezes the weeks of 2026-11-16 and 2026-11-23.
 */
export function frozenWeeksOf(snoozes: readonly Pick<SnoozeRow, 'startsOn' | 'endsOn'>[]): Set<string> {
  const weeks = new Set<string>();
  for (const s of snoozes) {
    // At most MAX_SNOOZE_DAYS per snooze, so walking day by day is cheap and obviously right.
    for (let d = s.startsOn, i = 0; d <= s.endsOn && i < 400; d = addDays(d, 1), i++) {
      const dow = new Date(`${d}T00:00:00Z`).getUTCDay();
      if (dow >= 1 && dow <= 5) weeks.add(weekStart(d));
    }
  }
  return weeks;
}

/** Pausing and resuming nudges. */
export function createSnoozeService(storage: Storage) {
  const { repos } = storage;
  return {
    /**
     * Pauses nudges for `days` days starting today (the manager's local date), replacing any running
     * snooze, in one transaction. From a nudge's buttons (`fromNudge`), the latest nudge is also
     * marked answered with the reason, which the digest shows. `atLeast` (the buttons' "a week") never
     * shortens a longer pause already running: it keeps that pause's last day, with the new reason.
     * Example: `/gemba snooze 3w` on Mon 30 Nov (through Sun 20 Dec), then **On PTO** on the nudge: still
     * through 20 Dec, now "on PTO". Returns the last snoozed day.
     */
    async snooze(
      teamId: string,
      userId: string,
      p: { days: number; reason: SnoozeReason; today: string; now: number; fromNudge?: boolean; atLeast?: boolean },
    ): Promise<{ endsOn: string }> {
      let endsOn = addDays(p.today, p.days - 1);
      await storage.transaction(async (tx) => {
        await tx.snoozes.lockSnoozesOf(teamId, userId);
        const running = p.atLeast ? await tx.snoozes.findActiveSnooze(teamId, userId, p.today) : undefined;
        if (running && running.endsOn > endsOn) endsOn = running.endsOn;
        await tx.snoozes.endSnoozes(teamId, userId, p.today, addDays(p.today, -1));
        await tx.snoozes.insertSnooze({ teamId, userId, startsOn: p.today, endsOn, reason: p.reason, createdAt: p.now });
        if (p.fromNudge) await tx.nudges.markLatestAnswered(teamId, userId, p.reason);
      });
      return { endsOn };
    },
    /** Ends any running snooze; false when there was none. */
    async unsnooze(teamId: string, userId: string, today: string): Promise<boolean> {
      return storage.transaction(async (tx) => {
        await tx.snoozes.lockSnoozesOf(teamId, userId);
        return (await tx.snoozes.endSnoozes(teamId, userId, today, addDays(today, -1))) > 0;
      });
    },
    /** The snooze covering today, if any. */
    activeSnooze(teamId: string, userId: string, today: string): Promise<SnoozeRow | undefined> {
      return repos.snoozes.findActiveSnooze(teamId, userId, today);
    },
  };
}

export type SnoozeService = ReturnType<typeof createSnoozeService>;

export type { SnoozeReason } from '../db/repos/snoozes.js';
