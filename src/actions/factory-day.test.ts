import { describe, expect, it } from 'vitest';
import { factoryToday, isOverdue } from './factory-day.js';

describe('factoryToday and isOverdue (issue 18: "overdue" by the factory\'s date)', () => {
  // 18:29 and 18:31 UTC on 7 December: 23:59 on the 7th and 00:01 on the 8th in Kolkata (UTC+05:30).
  const beforeKolkataMidnight = new Date('2026-12-07T18:29:00Z');
  const afterKolkataMidnight = new Date('2026-12-07T18:31:00Z');
  const dueOn7th = { dueAt: '2026-12-07', status: 'open' };

  it.each([
    { when: '23:59 in Kolkata', now: beforeKolkataMidnight, zone: 'Asia/Kolkata', today: '2026-12-07', overdue: false },
    { when: '00:01 in Kolkata', now: afterKolkataMidnight, zone: 'Asia/Kolkata', today: '2026-12-08', overdue: true },
    { when: 'the same instant in UTC', now: afterKolkataMidnight, zone: 'UTC', today: '2026-12-07', overdue: false },
    {
      when: 'UTC has passed midnight too',
      now: new Date('2026-12-08T00:01:00Z'),
      zone: 'UTC',
      today: '2026-12-08',
      overdue: true,
    },
  ])('when it is $when, then today is $today and an action due on the 7th is overdue: $overdue', (c) => {
    const today = factoryToday(c.now, c.zone);

    expect(today).toBe(c.today);
    expect(isOverdue(dueOn7th, today)).toBe(c.overdue);
  });

  it.each([
    { when: 'it has no due date', a: { dueAt: null, status: 'open' }, overdue: false },
    { when: 'it is in progress and past due', a: { dueAt: '2026-12-01', status: 'in_progress' }, overdue: true },
    { when: 'it is done', a: { dueAt: '2026-12-01', status: 'done' }, overdue: false },
    { when: "it won't be fixed", a: { dueAt: '2026-12-01', status: 'wont_fix' }, overdue: false },
    { when: 'it is due today', a: { dueAt: '2026-12-08', status: 'open' }, overdue: false },
  ])('when $when, then overdue is $overdue', ({ a, overdue }) => {
    expect(isOverdue(a, '2026-12-08')).toBe(overdue);
  });
});
