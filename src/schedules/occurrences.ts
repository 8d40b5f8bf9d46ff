import { DateTime, IANAZone } from 'luxon';

/** When a schedule runs: ISO week days (1 = Monday .. 7 = Sunday) and local HH:MM times in an IANA zone. */
export interface ScheduleRule {
  timezone: string;
  daysOfWeek: readonly number[];
  times: readonly string[];
}

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const MINUTE = 60_000;
/** Further than any offset change, so the offsets on either side of a change are read outside it. */
const AWAY = 12 * 3600_000;

export const isValidTime = (t: string): boolean => TIME.test(t);
export const isValidZone = (zone: string): boolean => IANAZone.isValidZone(zone);

interface LocalDay {
  year: number;
  month: number;
  day: number;
}

/** Minutes east of UTC in `zone` at the instant `ms`. */
const offsetAt = (ms: number, zone: string): number => DateTime.fromMillis(ms, { zone }).offset;

const wallTime = (ms: number, zone: string): string => DateTime.fromMillis(ms, { zone }).toFormat('yyyy-MM-dd HH:mm');

/**
 * The instant a local time on a local day names in `zone`. Luxon moves a time that does not exist (spring
 * forward) by the size of the gap (Berlin 02:30 -> 03:30) and picks the later of a doubled autumn time;
 * the rules are instead: the first valid instant after a missing time (03:00), and the first of two.
 */
export function localInstant(day: LocalDay, time: string, zone: string): Date {
  const m = TIME.exec(time);
  if (!m) throw new Error(`Not a HH:MM time: ${time}`);
  const [hour, minute] = [Number(m[1]), Number(m[2])];
  const asUtc = Date.UTC(day.year, day.month - 1, day.day, hour, minute);
  const wanted = DateTime.fromMillis(asUtc, { zone: 'UTC' }).toFormat('yyyy-MM-dd HH:mm');
  const before = offsetAt(asUtc - AWAY, zone);
  const after = offsetAt(asUtc + AWAY, zone);
  const candidates = [asUtc - before * MINUTE, asUtc - after * MINUTE].filter((ms) => wallTime(ms, zone) === wanted);
  if (candidates.length > 0) return new Date(Math.min(...candidates));
  // In the gap of a spring-forward change: the change itself is the first valid instant after the time.
  let lo = asUtc - after * MINUTE; // reads as a wall time before the gap
  let hi = asUtc - before * MINUTE; // reads as a wall time after it
  while (hi - lo > MINUTE) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
    if (offsetAt(mid, zone) === after) hi = mid;
    else lo = mid;
  }
  return new Date(hi);
}

/**
 * The schedule's first occurrence strictly after `after`, or null if the rule has no day or time. Walks local
 * calendar days (never adds 24 hours to an instant), so a daylight-saving change keeps the local time.
 */
export function nextOccurrence(rule: ScheduleRule, after: Date): Date | null {
  if (rule.daysOfWeek.length === 0 || rule.times.length === 0) return null;
  const times = [...rule.times].sort();
  const start = DateTime.fromJSDate(after, { zone: rule.timezone }).startOf('day').minus({ days: 1 });
  for (let i = 0; i <= 8; i++) {
    const d = start.plus({ days: i });
    if (!rule.daysOfWeek.includes(d.weekday)) continue;
    for (const time of times) {
      const at = localInstant({ year: d.year, month: d.month, day: d.day }, time, rule.timezone);
      if (at.getTime() > after.getTime()) return at;
    }
  }
  return null;
}

export interface OccurrencePlan {
  /** Occurrences past that are written as missed, not started. */
  missed: Date[];
  /** The occurrence to create and start now (still before its due time), if any. */
  start: Date | null;
  /** The schedule's next occurrence not yet handled. */
  next: Date | null;
}

/**
 * What a schedule whose `nextRunAt` has come does at `now`. Normally one occurrence starts. After the server
 * was down, every occurrence since `nextRunAt` is handled: the latest starts if it is still before its due
 * time, the others are missed (a newer one would have closed them anyway). At most `cap` per call; the
 * rest are handled by the next call, all missed.
 */
export function planOccurrences(
  rule: ScheduleRule,
  nextRunAt: Date,
  dueAfterMinutes: number,
  now: Date,
  cap = 50,
): OccurrencePlan {
  const past: Date[] = [];
  let next: Date | null = nextRunAt;
  while (next && next.getTime() <= now.getTime() && past.length < cap) {
    past.push(next);
    next = nextOccurrence(rule, next);
  }
  const latest = past.at(-1);
  const caughtUp = !next || next.getTime() > now.getTime();
  const start = latest && caughtUp && latest.getTime() + dueAfterMinutes * MINUTE > now.getTime() ? latest : null;
  return { missed: past.filter((d) => d !== start), start, next };
}

/** When an occurrence is due. */
export const dueAtOf = (occurrence: Date, dueAfterMinutes: number): Date =>
  new Date(occurrence.getTime() + dueAfterMinutes * MINUTE);
