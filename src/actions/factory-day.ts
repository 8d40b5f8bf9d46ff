import { DateTime } from 'luxon';

/**
 * The factory's calendar day at `now` (YYYY-MM-DD) in `timeZone` (DEFAULT_TIMEZONE), not the server's: a server on
 * UTC serving a factory in Kolkata would otherwise call an action due "today" overdue only at 05:30 the next day.
 */
export function factoryToday(now: Date, timeZone: string): string {
  return DateTime.fromJSDate(now, { zone: timeZone }).toISODate()!;
}

/** Still open and its due day is before the factory's today (the due day itself is not overdue). */
export function isOverdue(a: { dueAt: string | null; status: string }, today: string): boolean {
  return a.dueAt !== null && a.dueAt < today && (a.status === 'open' || a.status === 'in_progress');
}
