import type { Repos } from '../db/repos/index.js';
import { addDays, daysBetween, localDate } from '../lib/time.js';
import { nudgeWindow } from './schedule.js';
import type { SettingsService } from './settings.js';
import type { ProfileService } from './profiles.js';

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
    /**
     * The team's managers due a nudge at `now`: their local working-day nudge hour has come,
     * they are active and not snoozed, their last conversation (or enrolment) is at least
     * `nudge-after` days old, and they were not nudged in the last 3 days. Slack calls excluded.
     */
    selectDueNudges(teamId: string, now: number, opts: { ignoreCooldown?: boolean } = {}): DueNudge[] {
      const s = settings.forTeam(teamId);
      const managers = repos.managers.listActiveManagers(teamId);
      if (managers.length === 0) return [];
      const lastContact = repos.contacts.listLastContactDates(teamId);
      const lastNudge = repos.nudges.listLastNudgeTimes(teamId, now - NUDGE_COOLDOWN_DAYS * 86_400_000);
      const due: DueNudge[] = [];
      for (const m of managers) {
        const tz = profiles.timezoneOf(teamId, m.userId);
        const window = nudgeWindow(now, tz, s.nudgeHour);
        if (!window.due) continue;
        if (!opts.ignoreCooldown && (lastNudge.get(m.userId) ?? -Infinity) > now - NUDGE_COOLDOWN_DAYS * 86_400_000) continue;
        const last = lastContact.get(m.userId);
        const since = last ?? localDate(m.enrolledAt, tz);
        const daysQuiet = daysBetween(since, window.localDate);
        if (daysQuiet < s.nudgeAfterDays) continue;
        if (repos.snoozes.findActiveSnooze(teamId, m.userId, window.localDate)) continue;
        due.push({
          teamId,
          userId: m.userId,
          localDate: window.localDate,
          daysQuiet,
          hasLoggedBefore: last !== undefined,
          dormantAccounts: last
            ? repos.contacts.listDormantAccounts(teamId, m.userId, addDays(window.localDate, -(DORMANT_AFTER_DAYS - 1)), 3).map((a) => a.account)
            : [],
          prompt: promptFor(m.userId, window.localDate),
        });
      }
      return due;
    },
  };
}

export type NudgeService = ReturnType<typeof createNudgeService>;
