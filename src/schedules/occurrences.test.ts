import { describe, expect, it } from 'vitest';
import { isValidTime, isValidZone, localInstant, nextOccurrence, planOccurrences } from './occurrences.js';

const every = [1, 2, 3, 4, 5, 6, 7];

describe('localInstant (acceptance line 1: time zones and daylight saving)', () => {
  it.each([
    ['Asia/Kolkata 06:00 is 00:30 UTC', 'Asia/Kolkata', '2026-12-07', '06:00', '2026-12-07T00:30:00.000Z'],
    ['UTC 06:00 is 06:00 UTC', 'UTC', '2026-12-07', '06:00', '2026-12-07T06:00:00.000Z'],
    ['Berlin 06:00 in winter is 05:00 UTC', 'Europe/Berlin', '2026-01-15', '06:00', '2026-01-15T05:00:00.000Z'],
    ['Berlin 06:00 in summer is 04:00 UTC', 'Europe/Berlin', '2026-07-15', '06:00', '2026-07-15T04:00:00.000Z'],
    [
      'Berlin 02:30 on the spring-forward day does not exist: 03:00 local (01:00 UTC), not 03:30',
      'Europe/Berlin',
      '2026-03-29',
      '02:30',
      '2026-03-29T01:00:00.000Z',
    ],
    [
      'Berlin 02:00 on the spring-forward day: 03:00 local',
      'Europe/Berlin',
      '2026-03-29',
      '02:00',
      '2026-03-29T01:00:00.000Z',
    ],
    [
      'Berlin 03:00 on the spring-forward day is itself',
      'Europe/Berlin',
      '2026-03-29',
      '03:00',
      '2026-03-29T01:00:00.000Z',
    ],
    [
      'Berlin 02:30 on the autumn day occurs twice: the first (summer time, 00:30 UTC)',
      'Europe/Berlin',
      '2026-10-25',
      '02:30',
      '2026-10-25T00:30:00.000Z',
    ],
    [
      'Berlin 06:00 on the autumn day (winter time)',
      'Europe/Berlin',
      '2026-10-25',
      '06:00',
      '2026-10-25T05:00:00.000Z',
    ],
    [
      'New York 02:30 on the spring-forward day: 03:00 EDT (07:00 UTC)',
      'America/New_York',
      '2026-03-08',
      '02:30',
      '2026-03-08T07:00:00.000Z',
    ],
    [
      'New York 01:30 on the autumn day: the first, EDT',
      'America/New_York',
      '2026-11-01',
      '01:30',
      '2026-11-01T05:30:00.000Z',
    ],
    [
      'Lord Howe (a 30-minute change) 02:15 on its spring day: 02:30 local',
      'Australia/Lord_Howe',
      '2026-10-04',
      '02:15',
      '2026-10-03T15:30:00.000Z',
    ],
  ])('when %s', (_name, zone, day, time, expected) => {
    const [year, month, d] = day.split('-').map(Number) as [number, number, number];
    expect(localInstant({ year, month, day: d }, time, zone).toISOString()).toBe(expected);
  });
});

describe('nextOccurrence', () => {
  it.each([
    [
      'a Kolkata 06:00 schedule made in the evening before runs at 00:30 UTC the next day',
      { timezone: 'Asia/Kolkata', daysOfWeek: every, times: ['06:00'] },
      '2026-12-06T20:00:00Z',
      '2026-12-07T00:30:00.000Z',
    ],
    [
      "after today's first time, the second time of the day",
      { timezone: 'UTC', daysOfWeek: every, times: ['14:00', '06:00'] },
      '2026-12-07T06:00:00Z',
      '2026-12-07T14:00:00.000Z',
    ],
    [
      'on Friday evening a Monday-to-Friday schedule runs on Monday (2026-12-07 is a Monday)',
      { timezone: 'UTC', daysOfWeek: [1, 2, 3, 4, 5], times: ['06:00'] },
      '2026-12-04T18:00:00Z',
      '2026-12-07T06:00:00.000Z',
    ],
    [
      'a Sunday-only (7) schedule runs on Sunday',
      { timezone: 'UTC', daysOfWeek: [7], times: ['06:00'] },
      '2026-12-07T07:00:00Z',
      '2026-12-13T06:00:00.000Z',
    ],
    [
      'a Berlin 02:30 daily schedule runs once on the spring-forward day, at 03:00 local',
      { timezone: 'Europe/Berlin', daysOfWeek: every, times: ['02:30'] },
      '2026-03-28T02:00:00Z',
      '2026-03-29T01:00:00.000Z',
    ],
    [
      'after the spring-forward day the Berlin 02:30 schedule is back at 02:30 local (00:30 UTC)',
      { timezone: 'Europe/Berlin', daysOfWeek: every, times: ['02:30'] },
      '2026-03-29T01:00:00Z',
      '2026-03-30T00:30:00.000Z',
    ],
    [
      'on the autumn day the doubled 02:30 runs once: after its first instant comes the next day',
      { timezone: 'Europe/Berlin', daysOfWeek: every, times: ['02:30'] },
      '2026-10-25T00:30:00Z',
      '2026-10-26T01:30:00.000Z',
    ],
    [
      'a 02:30 and a 03:00 time on the spring-forward day both name 03:00: it runs once, then the next day',
      { timezone: 'Europe/Berlin', daysOfWeek: every, times: ['02:30', '03:00'] },
      '2026-03-29T01:00:00Z',
      '2026-03-30T00:30:00.000Z',
    ],
    [
      'in Kolkata the local day differs from the UTC day: Monday 06:00 local is Monday 00:30 UTC',
      { timezone: 'Asia/Kolkata', daysOfWeek: [1], times: ['06:00'] },
      '2026-12-06T23:00:00Z',
      '2026-12-07T00:30:00.000Z',
    ],
  ])('when %s', (_name, rule, after, expected) => {
    expect(nextOccurrence(rule, new Date(after))?.toISOString()).toBe(expected);
  });

  it('when a rule has no day, then there is no next occurrence', () => {
    expect(nextOccurrence({ timezone: 'UTC', daysOfWeek: [], times: ['06:00'] }, new Date())).toBeNull();
  });
});

describe('isValidTime and isValidZone', () => {
  it.each([
    ['06:00', true],
    ['23:59', true],
    ['00:00', true],
    ['25:00', false],
    ['6:00', false],
    ['06:60', false],
    ['0600', false],
  ])('when the time is %s, then valid is %s', (t, ok) => expect(isValidTime(t)).toBe(ok));

  it.each([
    ['Asia/Kolkata', true],
    ['UTC', true],
    ['Europe/Berlin', true],
    ['Mars/Olympus', false],
    ['', false],
  ])('when the zone is "%s", then valid is %s', (z, ok) => expect(isValidZone(z)).toBe(ok));
});

describe('planOccurrences (acceptance line 2: a server that was down)', () => {
  const daily = { timezone: 'UTC', daysOfWeek: every, times: ['06:00'] };
  const at = (iso: string) => new Date(iso);
  const iso = (ds: Date[]) => ds.map((d) => d.toISOString());

  it.each([
    ['its time has not come: nothing', '2026-12-07T05:59:00Z', [], null, '2026-12-07T06:00:00.000Z'],
    ['at its time: it starts', '2026-12-07T06:00:00Z', [], '2026-12-07T06:00:00.000Z', '2026-12-08T06:00:00.000Z'],
    [
      'back up an hour late, before its due time (2 hours): it still starts',
      '2026-12-07T07:00:00Z',
      [],
      '2026-12-07T06:00:00.000Z',
      '2026-12-08T06:00:00.000Z',
    ],
    [
      'back up after its due time: it is recorded missed, not started',
      '2026-12-07T08:00:00Z',
      ['2026-12-07T06:00:00.000Z'],
      null,
      '2026-12-08T06:00:00.000Z',
    ],
    [
      'down for two days: the first is missed, the latest (before its due time) starts',
      '2026-12-08T06:30:00Z',
      ['2026-12-07T06:00:00.000Z'],
      '2026-12-08T06:00:00.000Z',
      '2026-12-09T06:00:00.000Z',
    ],
  ])('when %s', (_name, now, missed, start, next) => {
    const plan = planOccurrences(daily, at('2026-12-07T06:00:00Z'), 120, at(now));

    expect(iso(plan.missed)).toEqual(missed);
    expect(plan.start?.toISOString() ?? null).toBe(start);
    expect(plan.next?.toISOString()).toBe(next);
  });

  it('when more occurrences passed than the cap, then those are missed and the rest waits for the next call', () => {
    const plan = planOccurrences(daily, at('2026-12-01T06:00:00Z'), 120, at('2026-12-07T06:30:00Z'), 3);

    expect(plan.missed).toHaveLength(3);
    expect(plan.start).toBeNull();
    expect(plan.next?.toISOString()).toBe('2026-12-04T06:00:00.000Z');
  });
});
