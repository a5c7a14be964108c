/**
 * Pure time helpers.
 *
 * Vocabulary:
 * - a "local date" is an ISO calendar date string 'YYYY-MM-DD' with no time zone attached;
 * - an "instant" is a number of epoch milliseconds;
 * - a time zone is an IANA name such as 'America/Chicago'.
 *
 * Nothing here reads the clock or depends on the host machine's TZ setting.
 *
 * Implementation note: dayjs is extended with the utc plugin once, at module
 * load, so every importer sees the same configured dayjs. The conversions themselves do NOT
 * use `dayjs(...).tz(...)`: in dayjs 1.11 that method re-parses a locale string in the
 * host's time zone, so its answer changes with the machine's TZ (e.g. with TZ=America/Chicago,
 * the instant 2026-03-07T17:30Z shows as 03:30 in Asia/Tokyo instead of 02:30, because
 * 02:30 on 2026-03-08 does not exist in Chicago), and `dayjs.tz(string, tz)` resolves
 * ambiguous fall-back times according to today's offset. Instead the zone offset is read
 * from Intl.DateTimeFormat and dayjs is used in UTC mode to read wall-clock fields.
 */
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc.js';

dayjs.extend(utc);

export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

const formatterCache = new Map<string, Intl.DateTimeFormat>();

/** Returns a cached formatter for a time zone; throws RangeError for an unknown zone. */
function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatterCache.get(tz);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatterCache.set(tz, f);
  }
  return f;
}

/** Throws a RangeError unless tz is a time zone Intl knows. */
function assertTimeZone(tz: string): void {
  if (!isValidTimeZone(tz)) throw new RangeError(`Unknown time zone: ${JSON.stringify(tz)}`);
}

/** Throws a RangeError unless ms is a finite instant. */
function assertInstant(ms: number): void {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) {
    throw new RangeError(`Invalid instant: ${String(ms)}`);
  }
}

/** Epoch ms of y-m-d 00:00 UTC; works for years 0–99 too (Date.UTC would map them to 19xx). */
function utcMidnight(y: number, m: number, d: number): number {
  const dt = new Date(0);
  dt.setUTCFullYear(y, m - 1, d);
  return dt.getTime();
}

/** Parses 'YYYY-MM-DD' into the UTC-midnight instant of that calendar day; throws on bad input. */
function parseDate(date: string): number {
  if (!isRealDate(date)) throw new RangeError(`Invalid date: ${JSON.stringify(date)}`);
  return utcMidnight(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)));
}

/** Formats a UTC-midnight instant back to 'YYYY-MM-DD'; throws outside years 0000–9999. */
function formatUtcDate(ms: number): string {
  const dt = new Date(ms);
  const y = dt.getUTCFullYear();
  if (!(y >= 0 && y <= 9999)) throw new RangeError('Date out of range (years 0000–9999)');
  const mm = String(dt.getUTCMonth() + 1).padStart(2, '0');
  const dd = String(dt.getUTCDate()).padStart(2, '0');
  return `${String(y).padStart(4, '0')}-${mm}-${dd}`;
}

/** Offset of tz from UTC at an instant, in ms (positive east of Greenwich). */
function offsetMs(ms: number, tz: string): number {
  const parts = formatterFor(tz).formatToParts(new Date(ms));
  const get = (type: Intl.DateTimeFormatPartTypes): number => {
    const p = parts.find((x) => x.type === type);
    return p === undefined ? 0 : Number(p.value);
  };
  const hour = get('hour') % 24; // some ICU versions print midnight as 24
  const wallAsUtc = utcMidnight(get('year'), get('month'), get('day')) + hour * HOUR_MS + get('minute') * 60_000 + get('second') * 1000;
  // Intl shows whole seconds (floored), so compare against the floored instant.
  return wallAsUtc - Math.floor(ms / 1000) * 1000;
}

/** The wall clock of an instant in tz, as a dayjs object in UTC mode. */
function wallClock(nowMs: number, tz: string): dayjs.Dayjs {
  assertInstant(nowMs);
  assertTimeZone(tz);
  return dayjs.utc(nowMs + offsetMs(nowMs, tz));
}

/** True when tz is an IANA time zone name this runtime knows (never throws). */
export function isValidTimeZone(tz: string): boolean {
  if (typeof tz !== 'string' || tz.trim() === '') return false;
  if (formatterCache.has(tz)) return true;
  try {
    formatterFor(tz);
    return true;
  } catch {
    return false;
  }
}

/**
 * The calendar date in tz at an instant.
 * Example: 2026-11-26T03:00Z is '2026-11-25' in America/Chicago (21:00 CST) but
 * '2026-11-26' in Asia/Tokyo (12:00 JST).
 */
export function localDate(nowMs: number, tz: string): string {
  return wallClock(nowMs, tz).format('YYYY-MM-DD');
}

/** The local hour (0–23) in tz at an instant. */
export function localHour(nowMs: number, tz: string): number {
  return wallClock(nowMs, tz).hour();
}

/**
 * The local ISO weekday (1=Mon … 7=Sun) in tz at an instant.
 * Example: 2026-11-29T20:00Z is Sunday evening in Chicago (7) but Monday morning in Auckland (1).
 */
export function localWeekday(nowMs: number, tz: string): number {
  const d = wallClock(nowMs, tz).day();
  return d === 0 ? 7 : d;
}

/**
 * Adds n calendar days to a local date (n may be negative).
 * Example: addDays('2026-02-28', 1) === '2026-03-01'; addDays('2028-02-28', 1) === '2028-02-29'.
 */
export function addDays(date: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`Day count must be an integer: ${String(n)}`);
  return formatUtcDate(parseDate(date) + n * DAY_MS);
}

/**
 * Whole days from a to b (b − a).
 * Example: daysBetween('2026-10-27', '2026-11-26') === 30; daysBetween('2026-11-26', '2026-11-25') === -1.
 */
export function daysBetween(a: string, b: string): number {
  return Math.round((parseDate(b) - parseDate(a)) / DAY_MS);
}

/**
 * ISO weekday of a local date (1=Mon … 7=Sun).
 * Example: weekdayOf('2026-11-26') === 4 (Thursday); weekdayOf('2026-11-29') === 7 (Sunday).
 */
export function weekdayOf(date: string): number {
  const d = new Date(parseDate(date)).getUTCDay();
  return d === 0 ? 7 : d;
}

/**
 * The Monday that starts the (Monday-start) week containing date.
 * Example: weekStart('2026-11-26') === '2026-11-23'; weekStart('2026-11-29') === '2026-11-23';
 * weekStart('2027-01-01') === '2026-12-28'.
 */
export function weekStart(date: string): string {
  return addDays(date, 1 - weekdayOf(date));
}

/**
 * ISO 8601 week key 'YYYY-Www', using the ISO week-numbering year (the year of the week's Thursday).
 * Example: isoWeekKey('2026-12-31') === '2026-W53' (2026 starts on a Thursday, so it has 53 weeks);
 * isoWeekKey('2027-01-01') === '2026-W53'; isoWeekKey('2027-01-04') === '2027-W01';
 * isoWeekKey('2020-12-31') === '2020-W53'; isoWeekKey('2024-12-30') === '2025-W01'.
 */
export function isoWeekKey(date: string): string {
  const thursday = addDays(date, 4 - weekdayOf(date));
  const year = thursday.slice(0, 4);
  const dayOfYear = daysBetween(`${year}-01-01`, thursday); // 0-based
  const week = Math.floor(dayOfYear / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/**
 * The Monday that starts an ISO week key (isoWeekKey's inverse): week 1 is the week holding 4 January.
 * Example: '2026-W48' → '2026-11-23', '2026-W01' → '2025-12-29', '2027-W53' → null (2027 has 52 weeks).
 */
export function isoWeekMonday(key: string): string | null {
  const m = /^(\d{4})-W(\d{2})$/.exec(key);
  if (!m) return null;
  const jan4 = `${m[1]}-01-04`;
  const monday = addDays(addDays(jan4, 1 - weekdayOf(jan4)), (Number(m[2]) - 1) * 7);
  return isoWeekKey(monday) === key ? monday : null;
}

/**
 * True for a strict 'YYYY-MM-DD' string naming a day that exists.
 * Example: '2028-02-29' → true; '2026-02-29', '2026-02-30', '2026-13-01', '2026-1-5' → false.
 */
export function isRealDate(s: string): boolean {
  if (typeof s !== 'string') return false;
  const m = DATE_RE.exec(s);
  if (m === null) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return false;
  const dt = new Date(utcMidnight(y, mo, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

/**
 * The instant at which a local date begins in tz (the first instant after a DST gap if
 * midnight itself is skipped).
 * Example: startOfLocalDayMs('2026-11-26', 'America/Chicago') is 2026-11-26T06:00Z;
 * in America/Santiago, 2026-09-06 begins at 01:00 local (clocks jump 00:00→01:00), i.e. 04:00Z.
 */
export function startOfLocalDayMs(date: string, tz: string): number {
  return localDateTimeToMs(date, 0, tz);
}

/**
 * The instant of date at hour:00 local time in tz. If that wall time occurs twice (DST fall-back)
 * the earlier instant is returned; if it does not exist (DST gap) the first instant after the gap.
 * Example: ('2026-03-08', 2, 'America/Chicago') → 2026-03-08T08:00Z (03:00 CDT; 02:00–02:59 is
 * skipped); ('2026-11-01', 1, 'America/Chicago') → 2026-11-01T06:00Z (01:00 CDT, not 01:00 CST).
 */
export function localDateTimeToMs(date: string, hour: number, tz: string): number {
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) {
    throw new RangeError(`Hour must be an integer 0–23: ${String(hour)}`);
  }
  assertTimeZone(tz);
  const wall = parseDate(date) + hour * HOUR_MS; // the wanted wall time, read as if it were UTC
  const localOf = (t: number): number => t + offsetMs(t, tz);

  // Real offsets lie within −12h…+14h, so the answer lies in [wall − 14h, wall + 12h]. Collect
  // the offsets in force across (a margin around) that window and try each one.
  const offsets = new Set<number>();
  for (let k = -6; k <= 6; k += 1) offsets.add(offsetMs(wall + k * 3 * HOUR_MS, tz));
  let best: number | null = null;
  for (const off of offsets) {
    const t = wall - off;
    if (localOf(t) === wall && (best === null || t < best)) best = t;
  }
  if (best !== null) return best;

  // The wall time falls in a gap: binary-search (in whole seconds — zone transitions happen on
  // whole seconds) for the first instant whose local time is past it.
  let lo = Math.floor((wall - 15 * HOUR_MS) / 1000); // local time certainly before wall
  let hi = Math.ceil((wall + 13 * HOUR_MS) / 1000); // local time certainly after wall
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (localOf(mid * 1000) < wall) lo = mid;
    else hi = mid;
  }
  return hi * 1000;
}
