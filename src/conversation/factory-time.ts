import { DateTime } from 'luxon';

/**
 * When something happened, as the operator reads it in a message: "Mon 7 Dec, 06:12" in the factory's zone
 * (DEFAULT_TIMEZONE), not the server's: a UTC server would tell a factory in Kolkata a time 5½ hours off.
 */
export function factoryDateTime(at: Date | string, timeZone: string): string {
  return DateTime.fromJSDate(new Date(at), { zone: timeZone }).setLocale('en-GB').toFormat('ccc d LLL, HH:mm');
}

/** A due time under Question 1: "05:40" in the schedule's zone (the operator answers it the same shift). */
export function factoryTime(at: Date | string, timeZone: string): string {
  return DateTime.fromJSDate(new Date(at), { zone: timeZone }).toFormat('HH:mm');
}
