import type { Repos } from '../db/repos/index.js';
import type { SnoozeRow } from '../db/repos/snoozes.js';
import { addDays, daysBetween, localDate } from '../lib/time.js';
import type { ProfileService } from './profiles.js';
import { nudgeWindow } from './schedule.js';
import type { SettingsService } from './settings.js';

/** Managers are not nudged again within this many days of a nudge. */
export const NUDGE_COOLDOWN_DAYS = 3;
/** An account is dormant once the manager has not talked to it for this many days. */
export const DORMANT_AFTER_DAYS = 30;

/**
 * One concrete conversation prompt per nudge, rotated so the DM does not read the same every
 * time. Each asks for a live exchange with a buyer, not a CRM chore.
 */
export const CONVERSATION_PROMPTS = [
  'Ask a recent buyer what nearly stopped them from signing, and what finally convinced them.',
  'Call a customer who renewed this quarter and ask what they would tell a peer about you.',
  'Ask a prospect how they researched options before they first talked to your team.',
  'Join one of your reps on a live call this week and just listen to the buyer.',
  'Ask a customer which of your emails or calls they found useless, and which helped.',
  'Visit (or video-call) a customer and ask what would make them expand with you.',
  'Ask a lost prospect what the winner did better. Buyers are often glad to tell you.',
] as const;

/** The prompt for a manager on a day: stable within the day, different from day to day. */
export function promptFor(userId: string, day: string): string {
  let h = 0;
  for (const ch of `${userId}:${day}`) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return CONVERSATION_PROMPTS[h % CONVERSATION_PROMPTS.length];
}

/** A manager who should get a nudge now. */
export interface DueNudge {
  teamId: string;
  userId: string;
  localDate: string;
  /** Days since the last conversation (or enrolment, when there is none). */
  daysQuiet: number;
  hasLoggedBefore: boolean;
  dormantAccounts: string[];
  prompt: string;
}

/** Chooses who is due a nudge. */
export function createNudgeService(repos: Repos, settings: SettingsService, profiles: ProfileService) {
  return {
    /** Records that the manager answered their latest nudge (a button on it). */
    async markAnswered(teamId: string, userId: string, answer: string): Promise<void> {
      await repos.nudges.markLatestAnswered(teamId, userId, answer);
    },
    /**
     * The team's managers due a nudge at `now`: their local working-day nudge hour has come,
     * they are active and not snoozed, their last conversation (or enrolment) is more than
     * `nudge-after` days old (PRODUCT.md "older than"), and they were not nudged in the last 3 days.
     * Slack calls excluded.
     */
    async selectDueNudges(teamId: string, now: number, opts: { ignoreCooldown?: boolean } = {}): Promise<DueNudge[]> {
      const [s, managers] = await Promise.all([settings.forTeam(teamId), repos.managers.listActiveManagers(teamId)]);
      if (managers.length === 0) return [];
      // Whole-team reads up front (one query each), so the cost grows with the team, not with
      // queries per manager; the window is worked out once per time zone, not once per person.
      const [timezoneOf, lastContact, lastNudge] = await Promise.all([
        profiles.timezoneLookup(teamId),
        repos.contacts.listLastContactDates(teamId),
        // A day longer than the cool-down, so a nudge on the third local day back is always seen; none after `now`,
        // which a job CLI run with a later --now stamps: it is not "in the last 3 days" of now, and counting it
        // would hold a manager's nudges back until the real clock caught up with it.
        repos.nudges.listLastNudgeTimes(teamId, now - (NUDGE_COOLDOWN_DAYS + 1) * 86_400_000, now),
      ]);
      const windows = new Map<string, ReturnType<typeof nudgeWindow>>();
      const windowIn = (tz: string) => {
        let w = windows.get(tz);
        if (!w) {
          w = nudgeWindow(now, tz, s.nudgeHour);
          windows.set(tz, w);
        }
        return w;
      };
      const candidates: Array<{ userId: string; localDate: string; last: string | undefined; daysQuiet: number }> = [];
      for (const m of managers) {
        const tz = timezoneOf(m.userId);
        const window = windowIn(tz);
        if (!window.due) continue;
        // The cool-down counts local days, not 72 hours: a Friday 09:00 CST nudge is only 71 hours
        // before Monday 09:00 CDT (2026-03-06 → 03-09), and Monday must still get its nudge at 09:00.
        // A nudge for this very local day is left to the once-per-day claim, which reports it as already sent.
        // One earlier today for another local day (the zone changed: Kiritimati's Tuesday 09:00 is Pago Pago's
        // Monday 08:00) is within the cool-down like any other, or the manager would get two in an hour.
        const lastNudged = lastNudge.get(m.userId);
        const sinceNudge = lastNudged === undefined ? Infinity : daysBetween(localDate(lastNudged.sentAt, tz), window.localDate);
        const thisPeriod = lastNudged?.localDate === window.localDate;
        if (!opts.ignoreCooldown && !thisPeriod && sinceNudge < NUDGE_COOLDOWN_DAYS) continue;
        const last = lastContact.get(m.userId);
        const since = last ?? localDate(m.enrolledAt, tz);
        const daysQuiet = daysBetween(since, window.localDate);
        if (daysQuiet <= s.nudgeAfterDays) continue;
        candidates.push({ userId: m.userId, localDate: window.localDate, last, daysQuiet });
      }
      if (candidates.length === 0) return [];
      // Local dates at one instant span a day or two across zones: one query for the snoozes covering them.
      const dates = candidates.map((c) => c.localDate).sort();
      const snoozes = new Map<string, SnoozeRow[]>();
      for (const z of await repos.snoozes.listTeamSnoozesBetween(teamId, dates[0], dates[dates.length - 1]))
        snoozes.set(z.userId, [...(snoozes.get(z.userId) ?? []), z]);
      const unsnoozed = candidates.filter((c) => !snoozes.get(c.userId)?.some((z) => z.startsOn <= c.localDate && z.endsOn >= c.localDate));
      // Dormant accounts of everyone due in one read (one round trip on PostgreSQL, not one per manager).
      const dormant = await repos.contacts.listDormantAccountsOf(
        teamId,
        unsnoozed
          .filter((c) => c.last !== undefined)
          .map((c) => ({ userId: c.userId, before: addDays(c.localDate, -(DORMANT_AFTER_DAYS - 1)) })),
        3,
      );
      return unsnoozed.map((c) => ({
        teamId,
        userId: c.userId,
        localDate: c.localDate,
        daysQuiet: c.daysQuiet,
        hasLoggedBefore: c.last !== undefined,
        dormantAccounts: (dormant.get(c.userId) ?? []).map((a) => a.account),
        prompt: promptFor(c.userId, c.localDate),
      }));
    },
  };
}

export type NudgeService = ReturnType<typeof createNudgeService>;
