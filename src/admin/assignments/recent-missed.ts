import { DateTime } from 'luxon';

/**
 * A missed checklist worth a restart: missed within the factory's last 7 days, today included. The dashboard's card
 * counts these and links to the list filtered the same way (`/assignments?status=missed&days=7`); older ones stay in
 * the full missed list.
 */
export const RECENT_MISSED_DAYS = 7;

/** The start of the factory's day `days - 1` days before today, in `timeZone` (DEFAULT_TIMEZONE), not the server's. */
export function missedSince(now: Date, timeZone: string, days = RECENT_MISSED_DAYS): Date {
  return DateTime.fromJSDate(now, { zone: timeZone })
    .startOf('day')
    .minus({ days: days - 1 })
    .toJSDate();
}

/** "Tue 1 Dec": the first day of the period, as the list says it. */
export function factoryDayInWords(at: Date, timeZone: string): string {
  return DateTime.fromJSDate(at, { zone: timeZone }).setLocale('en-GB').toFormat('ccc d LLL');
}
