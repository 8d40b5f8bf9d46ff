import { DateTime } from 'luxon';

/**
 * When something happened, as the operator reads it in a message: "Mon 7 Dec, 06:12" in the factory's zone
 * (DEFAULT_TIMEZONE), not the server's: a UTC server would tell a factory in Kolkata a time 5½ hours off.
 */
export function factoryDateTime(at: Date | string, timeZone: string): string {
  return DateTime.fromJSDate(new Date(at), { zone: timeZone }).setLocale('en-GB').toFormat('ccc d LLL, HH:mm');
}

/** A due moment as read on the day a message is sent: messages.en.ts `dueBy` puts it in words. */
export interface DueMoment {
  /** "06:00" */
  time: string;
  /** "Tue 8 Dec", with the year when more than YEAR_SAID_AFTER_DAYS away: "Mon 4 Oct 2027". */
  day: string;
  /** Calendar days from the day the message is sent to the due day, in the zone: 0 today, 1 tomorrow, -1 yesterday. */
  daysAhead: number;
}

/** Further than this (about ten months), "Mon 4 Oct" alone would be read as the nearer one: the year is said. */
const YEAR_SAID_AFTER_DAYS = 300;

/**
 * A due time in the schedule's zone (DEFAULT_TIMEZONE without a schedule), against `sentAt`, the moment the message
 * goes out: under Question 1 a night shift's 06:00 is tomorrow's when it is sent at 22:00; in the line about a missed
 * queued checklist, 23:30 is yesterday's when it is found after midnight. Days are counted by the zone's calendar, so
 * a day of 23 or 25 hours (a clock change) is still one day.
 */
export function factoryDue(at: Date | string, sentAt: Date, timeZone: string): DueMoment {
  const due = DateTime.fromJSDate(new Date(at), { zone: timeZone });
  const sent = DateTime.fromJSDate(sentAt, { zone: timeZone });
  const daysAhead = Math.round(due.startOf('day').diff(sent.startOf('day'), 'days').days);
  const dayFormat = Math.abs(daysAhead) > YEAR_SAID_AFTER_DAYS ? 'ccc d LLL yyyy' : 'ccc d LLL';
  return { time: due.toFormat('HH:mm'), day: due.setLocale('en-GB').toFormat(dayFormat), daysAhead };
}
