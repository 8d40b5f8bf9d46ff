import { describe, expect, it } from 'vitest';
import { factoryDue } from './factory-time.js';
import { messagesEn as m } from './messages.en.js';

describe('the due time under Question 1 in words (QA: a due time on another day)', () => {
  it.each([
    {
      when: 'it is due later the same day',
      zone: 'UTC',
      sent: '2026-12-07T06:00:00Z',
      due: '2026-12-07T08:00:00Z',
      words: '08:00',
    },
    {
      when: 'a night shift is sent at 22:00 and due at 06:00',
      zone: 'UTC',
      sent: '2026-12-07T22:00:00Z',
      due: '2026-12-08T06:00:00Z',
      words: '06:00 tomorrow',
    },
    {
      when: 'it is due two days later',
      zone: 'UTC',
      sent: '2026-12-06T09:00:00Z',
      due: '2026-12-08T06:00:00Z',
      words: 'Tue 8 Dec 06:00',
    },
    {
      when: 'its due day is the next but the hours are fewer than 24 (23:59 to 00:01)',
      zone: 'UTC',
      sent: '2026-12-07T23:59:00Z',
      due: '2026-12-08T00:01:00Z',
      words: '00:01 tomorrow',
    },
    {
      // 10:00 and 20:00 UTC are the same UTC day; in Kolkata 20:00 UTC is already 01:30 on Tuesday.
      when: 'the zone has passed midnight and UTC has not (Asia/Kolkata)',
      zone: 'Asia/Kolkata',
      sent: '2026-12-07T10:00:00Z',
      due: '2026-12-07T20:00:00Z',
      words: '01:30 tomorrow',
    },
    {
      // 18:45 UTC on the 7th and 05:30 UTC on the 8th are different UTC days, the same Kolkata one.
      when: 'UTC has passed midnight and the zone had already (Asia/Kolkata)',
      zone: 'Asia/Kolkata',
      sent: '2026-12-07T18:45:00Z',
      due: '2026-12-08T05:30:00Z',
      words: '11:00',
    },
    {
      // Berlin's clocks go back on 25 October 2026: that Sunday has 25 hours, still one day.
      when: 'a clock change makes the next day 25 hours long (Europe/Berlin)',
      zone: 'Europe/Berlin',
      sent: '2026-10-24T21:30:00Z',
      due: '2026-10-25T22:30:00Z',
      words: '23:30 tomorrow',
    },
    {
      // Berlin's clocks go forward on 29 March 2026: 23:30 CET Saturday to 00:30 CEST Monday is 24 hours.
      when: 'a clock change makes two calendar days 24 hours apart (Europe/Berlin)',
      zone: 'Europe/Berlin',
      sent: '2026-03-28T22:30:00Z',
      due: '2026-03-29T22:30:00Z',
      words: 'Mon 30 Mar 00:30',
    },
    {
      when: 'it is due 300 days later',
      zone: 'UTC',
      sent: '2026-12-07T09:00:00Z',
      due: '2027-10-03T06:00:00Z',
      words: 'Sun 3 Oct 06:00',
    },
    {
      // "Mon 4 Oct" alone would be read as the nearer one; about ten months on, the year is said.
      when: 'it is due more than 300 days later',
      zone: 'UTC',
      sent: '2026-12-07T09:00:00Z',
      due: '2027-10-04T06:00:00Z',
      words: 'Mon 4 Oct 2027 06:00',
    },
  ])('when $when, then it says "due by $words"', ({ zone, sent, due, words }) => {
    expect(m.dueBy(factoryDue(due, new Date(sent), zone))).toBe(words);
  });
});

describe('the due time in the line about a queued checklist that was missed (QA: a due time on another day)', () => {
  it.each([
    {
      when: 'it is found missed the day it was due',
      zone: 'UTC',
      found: '2026-12-07T07:47:00Z',
      due: '2026-12-07T05:46:00Z',
      words: '05:46',
    },
    {
      when: 'a checklist due at 23:30 is found missed after midnight',
      zone: 'UTC',
      found: '2026-12-07T00:05:00Z',
      due: '2026-12-06T23:30:00Z',
      words: '23:30 yesterday',
    },
    {
      when: 'it is found missed two days after its due day (the server was down)',
      zone: 'UTC',
      found: '2026-12-08T00:05:00Z',
      due: '2026-12-06T23:30:00Z',
      words: 'Sun 6 Dec 23:30',
    },
    {
      // 18:00 and 18:45 UTC are the same UTC day; in Kolkata they are 23:30 on Sunday and 00:15 on Monday.
      when: 'the zone has passed midnight and UTC has not (Asia/Kolkata)',
      zone: 'Asia/Kolkata',
      found: '2026-12-06T18:45:00Z',
      due: '2026-12-06T18:00:00Z',
      words: '23:30 yesterday',
    },
    {
      // 20:00 UTC on the 6th and 00:30 UTC on the 7th are different UTC days, both Monday in Kolkata.
      when: 'UTC has passed midnight and the zone had already (Asia/Kolkata)',
      zone: 'Asia/Kolkata',
      found: '2026-12-07T00:30:00Z',
      due: '2026-12-06T20:00:00Z',
      words: '01:30',
    },
  ])('when $when, then it says "was due at $words"', ({ zone, found, due, words }) => {
    const line = m.missedQueued(
      { template: 'Daily press check', machine: 'Press 7' },
      factoryDue(due, new Date(found), zone),
    );

    expect(line).toContain(`"Daily press check" for Press 7 was due at ${words} and was not started`);
  });
});
