import { addDays, isoWeekKey, localDate, localDateTimeToMs, localHour, localWeekday, weekStart } from '../lib/time.js';

/**
 * When scheduled work is due. Everything is computed from an instant and a time zone with
 * dayjs-free wall-clock arithmetic (src/lib/time.ts), never from cron expressions, so DST
 * changes neither skip nor repeat anything: a period is a local date or an ISO week, and each
 * period runs once.
 */

/**
 * A manager's nudge for the local day: due on Mon–Fri once the local hour reaches `nudgeHour`,
 * and for the rest of that day (catch-up after downtime). The period is the local date.
 * Example: America/Chicago, nudge hour 9, now 2026-03-09T14:05Z → local Mon 09:05 CDT → due,
 * period '2026-03-09'. On 2026-03-08 (Sunday, spring-forward day) it is never due.
 */
export function nudgeWindow(nowMs: number, tz: string, nudgeHour: number): { due: boolean; localDate: string } {
  const day = localDate(nowMs, tz);
  const weekday = localWeekday(nowMs, tz);
  return { due: weekday <= 5 && localHour(nowMs, tz) >= nudgeHour, localDate: day };
}

/** When each weekly channel post is due: Monday, team time. Jobs and the commands that show the same week read these. */
export const WEEKLY_POSTS = {
  leaderboard: { hour: 9, minute: 0 },
  digest: { hour: 9, minute: 30 },
} as const;

/**
 * A weekly team post: due from Monday `hour:minute` (team time) until the week ends. The period
 * is the ISO week of that Monday; the post reports on `reportWeek`, the Monday of the week before.
 * Example: Europe/Berlin, Monday 09:30, now 2026-11-30T08:29Z (09:29 local) → not due;
 * at 08:30Z → due, period '2026-W49', reportWeek '2026-11-23'.
 */
export function weeklyWindow(
  nowMs: number,
  tz: string,
  hour: number,
  minute: number,
): { due: boolean; period: string; weekStart: string; reportWeek: string } {
  const today = localDate(nowMs, tz);
  const monday = weekStart(today);
  const dueAt = localDateTimeToMs(monday, hour, tz) + minute * 60_000;
  return { due: nowMs >= dueAt, period: isoWeekKey(monday), weekStart: monday, reportWeek: addDays(monday, -7) };
}

/**
 * The daily publish of tactic flags (PRODUCT.md "Published daily, not live"): due from `hour`
 * team time until midnight; the period is the local date, and what it publishes is everything
 * dated that day or earlier. A flag made before the hour is dated today, one made at or after it
 * tomorrow: `arrivalDay` is the publish day a flag made now waits for.
 * Example: Europe/Berlin, hour 18, now 2026-11-26T16:59Z (17:59 local) → not due, arrivalDay
 * '2026-11-26'; at 17:00Z (18:00 local) → due, period '2026-11-26', arrivalDay '2026-11-27'.
 */
export function publishWindow(nowMs: number, tz: string, hour: number): { due: boolean; period: string; arrivalDay: string } {
  const today = localDate(nowMs, tz);
  const due = localHour(nowMs, tz) >= hour;
  return { due, period: today, arrivalDay: due ? addDays(today, 1) : today };
}
