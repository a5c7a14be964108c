import { type ErrorCode, USER_FACING } from './errors.js';
import type { Logger } from './logger.js';
import { redactUserIds } from './logger.js';

/** One kind of failure held, and how many times it happened. */
export interface HeldFailure {
  /** The surface and handler, e.g. "command /flag-tactic". */
  where: string;
  code: ErrorCode;
  /** The error's type and message (Slack user ids removed), for the operator. */
  error: string;
  count: number;
}

/** At most this many kinds are held per team and day; more are counted under the last one kept. */
const MAX_KINDS = 50;

/**
 * Failures and refusals on the anonymous surfaces (`/flag-tactic`, **Me too**, the flag form), and the member-list
 * reads a flag triggers, held in this process's memory instead of logged when they happen: every log line carries
 * the time it was written (and a log collector adds its own), so a line written while a flag was being made (or
 * failed to be) dates it (PRODUCT.md "No trace of the rep": no time finer than the publish day in logs at any level).
 * Each is held with the publish day a flag made at that moment waits for, and reported by the publish job when that
 * day is published (`report`): the line then says no more than the publish does. Nothing here names anyone.
 */
export class HeldFailures {
  readonly #held = new Map<string, Map<string, HeldFailure>>();

  /** Holds one failure for `teamId`'s publish of `day`. */
  record(teamId: string, day: string, f: { where: string; code: ErrorCode; err: unknown }): void {
    const slot = `${teamId}\n${day}`;
    let kinds = this.#held.get(slot);
    if (!kinds) {
      kinds = new Map();
      this.#held.set(slot, kinds);
    }
    const error = describe(f.err);
    const key = `${f.where}\n${f.code}\n${error}`;
    const known = kinds.get(key) ?? (kinds.size >= MAX_KINDS ? [...kinds.values()].at(-1) : undefined);
    if (known) known.count += 1;
    else kinds.set(key, { where: f.where, code: f.code, error, count: 1 });
  }

  /** Removes and returns what is held for `teamId` and publish days up to `throughDay` ('YYYY-MM-DD' sorts by date). */
  take(teamId: string, throughDay: string): HeldFailure[] {
    const out: HeldFailure[] = [];
    for (const [slot, kinds] of this.#held) {
      const [team, day] = slot.split('\n');
      if (team !== teamId || (day ?? '') > throughDay) continue;
      out.push(...kinds.values());
      this.#held.delete(slot);
    }
    return out;
  }

  /** Removes and returns everything held, per team (at shutdown). */
  takeAll(): Map<string, HeldFailure[]> {
    const out = new Map<string, HeldFailure[]>();
    for (const [slot, kinds] of this.#held) {
      const [team = ''] = slot.split('\n');
      out.set(team, [...(out.get(team) ?? []), ...kinds.values()]);
    }
    this.#held.clear();
    return out;
  }
}

/**
 * Logs what was held, in one line: at warn when something failed, at info when all were refusals (a VP pressing
 * Me too, someone outside the reps group). `when` says which publish (or the shutdown) it is reported at.
 */
export function reportHeldFailures(logger: Logger, teamId: string, failures: HeldFailure[], when: string): void {
  if (failures.length === 0) return;
  const total = failures.reduce((n, f) => n + f.count, 0);
  const failed = failures.some((f) => !USER_FACING.has(f.code));
  const fields = { teamId, failures: failures.map((f) => ({ where: f.where, code: f.code, error: f.error, count: f.count })) };
  const msg = `${total} tactic flag or Me too request${total === 1 ? '' : 's'} failed or were refused ${when} (held until then, so that no log line dates a flag)`;
  if (failed) logger.warn(fields, msg);
  else logger.info(fields, msg);
}

function describe(err: unknown): string {
  const e = err instanceof Error ? err : new Error(String(err));
  const cause = e.cause instanceof Error ? e.cause : e;
  return redactUserIds(`${cause.name}: ${cause.message}`).slice(0, 300);
}
