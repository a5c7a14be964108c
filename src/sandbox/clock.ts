/**
 * Sandbox time and the clock control. Moving the clock runs the scheduler at every instant on the
 * way at which a job becomes due, as the real heartbeat would have while that time passed: a jump
 * from Thursday 15:00 to Friday 09:00 publishes Thursday's tactic flags at 18:00 on the way.
 */

import { addDays, localDate, localDateTimeToMs, weekdayOf } from '../lib/time.js';
import { WEEKLY_POSTS } from '../services/schedule.js';

/** The clock control's buttons, in the order the page shows them. */
export const CLOCK_MOVES = ['day', 'monday', 'publish', 'week'] as const;
export type ClockMove = (typeof CLOCK_MOVES)[number];

/** When jobs become due (team and managers' time zones, the nudge and publish hours). */
export interface DueTimes {
  /** Every time zone a due time is read in: the team's, and each manager's. */
  zones: string[];
  nudgeHour: number;
  publishHour: number;
}

/**
 * Every instant strictly between `fromMs` and `toMs` at which a scheduled job becomes due, oldest
 * first: each day's nudge hour and publish hour, and Monday's leaderboard and digest times, in each
 * zone. Example (America/New_York, nudges 09:00, publish 18:00): from Thu 26 Nov 15:00 to Fri 27 Nov
 * 09:00 the only stop is Thu 26 Nov 18:00; from Sun 29 Nov 12:00 to Mon 30 Nov 10:00 the stops are
 * Sun 18:00, Mon 09:00 (nudges, leaderboard) and Mon 09:30 (digest).
 */
export function dueStops(fromMs: number, toMs: number, due: DueTimes): number[] {
  const stops = new Set<number>();
  for (const tz of new Set(due.zones)) {
    const last = localDate(toMs, tz);
    for (let d = localDate(fromMs, tz); d <= last; d = addDays(d, 1)) {
      const at = (hour: number, minute = 0) => localDateTimeToMs(d, hour, tz) + minute * 60_000;
      const times = [at(due.nudgeHour), at(due.publishHour)];
      if (weekdayOf(d) === 1) for (const p of Object.values(WEEKLY_POSTS)) times.push(at(p.hour, p.minute));
      for (const t of times) if (t > fromMs && t < toMs) stops.add(t);
    }
  }
  return [...stops].sort((a, b) => a - b);
}

/**
 * Where a clock button moves sandbox time, in team time `tz`. Example: on Thu 2026-11-26 15:00
 * New York time, 'day' (next working day 09:00) is Fri 2026-11-27 09:00, 'monday' is Mon
 * 2026-11-30 09:30, 'publish' (the next flag publish) is Thu 2026-11-26 18:00, 'week' is Thu
 * 2026-12-03 15:00.
 */
export function clockTarget(move: ClockMove, nowMs: number, tz: string, publishHour: number): number {
  const today = localDate(nowMs, tz);
  const at = (date: string, hour: number, minute = 0) => localDateTimeToMs(date, hour, tz) + minute * 60_000;
  const next = (ok: (date: string, ms: number) => boolean, hour: number, minute = 0) => {
    let d = today;
    while (at(d, hour, minute) <= nowMs || !ok(d, at(d, hour, minute))) d = addDays(d, 1);
    return at(d, hour, minute);
  };
  switch (move) {
    case 'week':
      return nowMs + 7 * 86_400_000;
    case 'monday':
      return next((d) => weekdayOf(d) === 1, WEEKLY_POSTS.digest.hour, WEEKLY_POSTS.digest.minute);
    case 'publish':
      return next(() => true, publishHour);
    default:
      return next((d) => weekdayOf(d) <= 5, 9);
  }
}
