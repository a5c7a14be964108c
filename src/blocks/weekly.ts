import { type Message, section } from './common.js';

/** "every hour", "every 2 hours", "every 5 minutes": how often a failed post is tried again. */
export function everyInterval(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes % 60 === 0) return minutes === 60 ? 'every hour' : `every ${minutes / 60} hours`;
  return minutes === 1 ? 'every minute' : `every ${minutes} minutes`;
}

/** A weekly post (leaderboard, digest) has no channel set. */
export function noChannelProblem(job: string, channelCommand: string): string {
  return `no channel is set for the weekly ${job}. Set one with \`${channelCommand} #channel\`.`;
}

/** A weekly post was refused by its channel; the job tries again every `retryMs` for the rest of the week. */
export function postFailedProblem(p: { job: string; channel: string; detail: string; channelCommand: string; retryMs: number }): string {
  return `posting the weekly ${p.job} to <#${p.channel}> failed (\`${p.detail}\`). Invite the app to the channel or choose another with \`${p.channelCommand} #channel\`. I will keep trying ${everyInterval(p.retryMs)} this week.`;
}

/** The DM an admin gets about a weekly post that cannot go out. */
export function weeklyPostAlert(problem: string): Message {
  const text = `:warning: Gemba: ${problem}`;
  return { text, blocks: [section(text)] };
}
