import { DateTime } from 'luxon';
import type { ScheduleRule } from './occurrences.js';

// A schedule as a manager reads it ("Mon to Fri at 06:00 and 14:00", "2 hours to finish"): the pages and the
// audit trail say it this way, never as ISO day numbers or minutes.

const DAY = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** "a", "a and b", "a, b and c". */
export const joinWords = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;

/** ISO week days in words: "Every day", "Mon to Fri", "Mon, Wed and Fri", "Mon to Wed and Sat". */
export function daysInWords(days: readonly number[]): string {
  const sorted = [...new Set(days)].filter((d) => d >= 1 && d <= 7).sort((a, b) => a - b);
  if (sorted.length === 7) return 'Every day';
  const runs: number[][] = [];
  for (const d of sorted) {
    const run = runs.at(-1);
    if (run && run.at(-1) === d - 1) run.push(d);
    else runs.push([d]);
  }
  // A run of three or more days reads "Mon to Wed"; two days stay two names.
  const parts = runs.flatMap((r) =>
    r.length >= 3 ? [`${DAY[r[0]! - 1]} to ${DAY[r.at(-1)! - 1]}`] : r.map((d) => DAY[d - 1]!),
  );
  return joinWords(parts);
}

/** "Mon to Fri at 06:00 and 14:00", "Every day at 22:00". */
export const whenInWords = (rule: Pick<ScheduleRule, 'daysOfWeek' | 'times'>): string =>
  `${daysInWords(rule.daysOfWeek)} at ${joinWords([...rule.times].sort())}`;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** 120 -> "2 hours", 90 -> "1 hour 30 minutes", 2880 -> "2 days". */
export function durationInWords(minutes: number): string {
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const parts = [days && plural(days, 'day'), hours && plural(hours, 'hour'), mins && plural(mins, 'minute')];
  return parts.filter(Boolean).join(' ') || '0 minutes';
}

/** "2 hours to finish". */
export const dueWindowInWords = (minutes: number): string => `${durationInWords(minutes)} to finish`;

/** "Today", "Tomorrow", "Yesterday" or "Wed 9 Dec" (with the year when not this year), and "14:00", in a zone. */
function dayAndTime(at: Date, zone: string, now: Date): { day: string; time: string } {
  const local = DateTime.fromJSDate(at, { zone }).setLocale('en-GB');
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  const days = Math.round(local.startOf('day').diff(today, 'days').days);
  const day =
    days === 0
      ? 'Today'
      : days === 1
        ? 'Tomorrow'
        : days === -1
          ? 'Yesterday'
          : local.toFormat(local.year === today.year ? 'ccc d LLL' : 'ccc d LLL yyyy');
  return { day, time: local.toFormat('HH:mm') };
}

/**
 * A moment in the schedule's zone, relative to now there: "Today 14:00", "Tomorrow 06:00", "Wed 9 Dec 06:00",
 * with the zone after it: "(Asia/Kolkata)".
 */
export function localMomentInWords(at: Date, zone: string, now: Date): string {
  const { day, time } = dayAndTime(at, zone, now);
  return `${day} ${time} (${zone})`;
}

/**
 * The same moment in the factory's zone (DEFAULT_TIMEZONE), after the schedule's: " · 05:40 in UTC", with its
 * day only when that differs (" · Yesterday 20:30 in UTC"); nothing when the zones are the same.
 */
function factoryMomentInWords(at: Date, zone: string, factoryZone: string | undefined, now: Date): string {
  if (!factoryZone || factoryZone === zone) return '';
  const there = dayAndTime(at, zone, now);
  const here = dayAndTime(at, factoryZone, now);
  return ` · ${here.day === there.day ? '' : `${here.day} `}${here.time} in ${factoryZone}`;
}

/**
 * The next run as the list says it: "Tomorrow 06:00 (Asia/Kolkata)", or "Paused"; given the factory's zone,
 * also the time there when it differs (issue 18 QA): "Today 11:10 (Asia/Kolkata) · 05:40 in UTC".
 */
export function nextRunInWords(
  s: { active: boolean; nextRunAt: Date | string | null; timezone: string },
  now: Date,
  factoryZone?: string,
): string {
  if (!s.active) return 'Paused';
  if (!s.nextRunAt) return 'No more runs';
  const at = new Date(s.nextRunAt);
  return localMomentInWords(at, s.timezone, now) + factoryMomentInWords(at, s.timezone, factoryZone, now);
}

/** The latest occurrence's assignment, as the list shows it: its words and the badge it wears. */
export function lastResultInWords(r: { status: string; completedLate: boolean } | null): {
  words: string;
  badge: string;
} {
  if (!r) return { words: 'Not run yet', badge: 'none' };
  if (r.status === 'completed')
    return r.completedLate ? { words: 'Completed late', badge: 'late' } : { words: 'Completed', badge: 'completed' };
  const words: Record<string, string> = {
    missed: 'Missed',
    active: 'In progress',
    pending: 'Waiting',
    cancelled: 'Cancelled',
  };
  return { words: words[r.status] ?? 'Waiting', badge: words[r.status] ? r.status : 'pending' };
}

/**
 * What the audit trail keeps of a schedule, in words: the trail outlives the schedule (a deleted one is
 * still read as "Daily check on Press A, Mon to Fri at 06:00").
 */
export const scheduleAuditDetails = (s: {
  templateName: string;
  machineName: string;
  operatorName: string;
  daysOfWeek: number[];
  times: string[];
  timezone: string;
  dueAfterMinutes: number;
}) => ({
  checklist: s.templateName,
  machine: s.machineName,
  operator: s.operatorName,
  when: `${whenInWords(s)} (${s.timezone}), ${dueWindowInWords(s.dueAfterMinutes)}`,
});
