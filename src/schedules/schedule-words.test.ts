import { describe, expect, it } from 'vitest';
import {
  daysInWords,
  dueWindowInWords,
  lastResultInWords,
  localMomentInWords,
  nextRunInWords,
  whenInWords,
} from './schedule-words.js';

describe('a schedule in words (issue 17 item 6: the list says days, times, window and next run in words)', () => {
  it.each([
    [[1, 2, 3, 4, 5, 6, 7], 'Every day'],
    [[1, 2, 3, 4, 5], 'Mon to Fri'],
    [[6, 7], 'Sat and Sun'],
    [[1, 3, 5], 'Mon, Wed and Fri'],
    [[1, 2, 3, 6], 'Mon to Wed and Sat'],
    [[3], 'Wed'],
    [[5, 1, 5], 'Mon and Fri'],
  ])('when the days are %j, then they read "%s"', (days, words) => {
    expect(daysInWords(days)).toBe(words);
  });

  it.each([
    [{ daysOfWeek: [1, 2, 3, 4, 5], times: ['14:00', '06:00'] }, 'Mon to Fri at 06:00 and 14:00'],
    [{ daysOfWeek: [1, 2, 3, 4, 5, 6, 7], times: ['22:00'] }, 'Every day at 22:00'],
    [{ daysOfWeek: [2, 4], times: ['06:00', '14:00', '22:00'] }, 'Tue and Thu at 06:00, 14:00 and 22:00'],
  ])('when the rule is %j, then it reads "%s"', (rule, words) => {
    expect(whenInWords(rule)).toBe(words);
  });

  it.each([
    [120, '2 hours to finish'],
    [90, '1 hour 30 minutes to finish'],
    [1, '1 minute to finish'],
    [45, '45 minutes to finish'],
    [2880, '2 days to finish'],
    [1500, '1 day 1 hour to finish'],
  ])('when the window is %i minutes, then it reads "%s"', (minutes, words) => {
    expect(dueWindowInWords(minutes)).toBe(words);
  });

  // 2026-12-07 is a Monday; 20:00 UTC is already 01:30 on Tuesday in Kolkata.
  const now = new Date('2026-12-07T20:00:00Z');
  it.each([
    ['2026-12-08T00:30:00Z', 'Asia/Kolkata', 'Today 06:00 (Asia/Kolkata)'],
    ['2026-12-09T00:30:00Z', 'Asia/Kolkata', 'Tomorrow 06:00 (Asia/Kolkata)'],
    ['2026-12-07T22:00:00Z', 'UTC', 'Today 22:00 (UTC)'],
    ['2026-12-08T06:00:00Z', 'UTC', 'Tomorrow 06:00 (UTC)'],
    ['2026-12-10T06:00:00Z', 'UTC', 'Thu 10 Dec 06:00 (UTC)'],
    ['2027-01-04T06:00:00Z', 'UTC', 'Mon 4 Jan 2027 06:00 (UTC)'],
  ])('when the moment is %s in %s, then it reads "%s" (in the zone, relative to its today)', (at, zone, words) => {
    expect(localMomentInWords(new Date(at), zone, now)).toBe(words);
  });

  it('when a schedule is paused, then its next run reads "Paused"', () => {
    expect(nextRunInWords({ active: false, nextRunAt: null, timezone: 'UTC' }, now)).toBe('Paused');
    expect(nextRunInWords({ active: true, nextRunAt: '2026-12-08T06:00:00Z', timezone: 'UTC' }, now)).toBe(
      'Tomorrow 06:00 (UTC)',
    );
  });

  // 10:00 UTC is 15:30 in Kolkata: the same day in both zones.
  const morning = new Date('2026-12-07T10:00:00Z');
  it.each([
    [morning, '2026-12-08T05:40:00Z', 'Asia/Kolkata', 'UTC', 'Tomorrow 11:10 (Asia/Kolkata) · 05:40 in UTC'],
    [now, '2026-12-08T05:40:00Z', 'Asia/Kolkata', 'UTC', 'Today 11:10 (Asia/Kolkata) · Tomorrow 05:40 in UTC'],
    [morning, '2026-12-08T05:40:00Z', 'UTC', 'Asia/Kolkata', 'Tomorrow 05:40 (UTC) · 11:10 in Asia/Kolkata'],
    [morning, '2026-12-08T05:40:00Z', 'Asia/Kolkata', 'Asia/Kolkata', 'Tomorrow 11:10 (Asia/Kolkata)'],
    [morning, '2026-12-08T05:40:00Z', 'Asia/Kolkata', undefined, 'Tomorrow 11:10 (Asia/Kolkata)'],
  ])(
    'when it is %s, the next run is %s in %s and the factory is in %s, then the next run reads "%s" (issue 18 QA: the factory-zone time when the zones differ)',
    (at, next, zone, factory, words) => {
      expect(nextRunInWords({ active: true, nextRunAt: next, timezone: zone }, at, factory)).toBe(words);
    },
  );

  it.each([
    [null, 'Not run yet'],
    [{ status: 'completed', completedLate: false }, 'Completed'],
    [{ status: 'completed', completedLate: true }, 'Completed late'],
    [{ status: 'missed', completedLate: false }, 'Missed'],
    [{ status: 'active', completedLate: false }, 'In progress'],
    [{ status: 'pending', completedLate: false }, 'Waiting'],
  ])('when the last occurrence is %j, then the last result reads "%s"', (r, words) => {
    expect(lastResultInWords(r).words).toBe(words);
  });
});
