import { describe, expect, it } from 'vitest';
import { emptyForm, formFromBody, formFromSchedule, parseScheduleForm, type ScheduleForm } from './schedule-form.js';

const good: ScheduleForm = {
  ...emptyForm('UTC'),
  templateId: '1',
  machineId: '2',
  operatorId: '3',
  days: ['1', '3'],
  times: ['14:00', '06:00'],
  timezone: 'Asia/Kolkata',
  dueAmount: '2',
  dueUnit: 'hours',
};

describe('the schedule form (issue 17 item 6: errors in words, never zod paths or column names)', () => {
  it('when every field is right, then it becomes the API shape: days as numbers, times sorted, hours as minutes', () => {
    expect(parseScheduleForm(good)).toEqual({
      data: {
        templateId: 1,
        machineId: 2,
        operatorId: 3,
        daysOfWeek: [1, 3],
        times: ['06:00', '14:00'],
        timezone: 'Asia/Kolkata',
        dueAfterMinutes: 120,
      },
    });
  });

  it.each<[string, Partial<ScheduleForm>, Record<string, string>]>([
    ['no day', { days: [] }, { days: 'Pick at least one day' }],
    ['a day 8', { days: ['8'] }, { days: 'Pick days from Monday to Sunday' }],
    ['25:00', { times: ['06:00', '25:00'] }, { 'times.1': '25:00 is not a time: use 00:00 to 23:59, such as 06:00' }],
    ['no time', { times: [''] }, { times: 'Add at least one start time' }],
    [
      'an unknown zone',
      { timezone: 'Mars/Olympus' },
      { timezone: 'Mars/Olympus is not a time zone we know: pick one from the list' },
    ],
    ['no window', { dueAmount: '' }, { dueAmount: 'Type how long the operator has to finish, such as 2 hours' }],
    [
      'a window that is no number',
      { dueAmount: 'two' },
      { dueAmount: 'two is not a number: type one such as 2 or 90' },
    ],
    ['a window of 0', { dueAmount: '0' }, { dueAmount: 'Give the operator at least 1 minute' }],
    ['a window of 200 hours', { dueAmount: '200' }, { dueAmount: 'At most 7 days (168 hours)' }],
    [
      'a window of 1.25 minutes',
      { dueAmount: '1.25', dueUnit: 'minutes' },
      { dueAmount: 'Use whole minutes, such as 90 minutes' },
    ],
    [
      'no checklist, machine or operator',
      { templateId: '', machineId: '', operatorId: '' },
      { templateId: 'Choose a checklist', machineId: 'Choose a machine', operatorId: 'Choose an operator' },
    ],
  ])('when the form has %s, then the message under its field says so in words', (_what, change, errors) => {
    expect(parseScheduleForm({ ...good, ...change })).toEqual({ errors });
  });

  it('when 1.5 hours is typed, then the window is 90 minutes', () => {
    const r = parseScheduleForm({ ...good, dueAmount: '1,5' });
    expect('data' in r && r.data.dueAfterMinutes).toBe(90);
  });

  it('when the browser posts one checkbox and empty time rows, then the form has a list of days and no empty times', () => {
    const f = formFromBody({ days: '2', times: ['', ' 06:00 ', ''], timezone: 'UTC', dueUnit: 'hours' });
    expect(f.days).toEqual(['2']);
    expect(f.times).toEqual(['06:00']);
    expect(formFromBody({}).times).toEqual(['']);
  });

  it('when a schedule is shown again, then a window in whole hours shows in hours and another in minutes', () => {
    const s = { templateId: 1, machineId: 2, operatorId: 3, daysOfWeek: [1], times: ['06:00'], timezone: 'UTC' };
    expect(formFromSchedule({ ...s, dueAfterMinutes: 180 })).toMatchObject({ dueAmount: '3', dueUnit: 'hours' });
    expect(formFromSchedule({ ...s, dueAfterMinutes: 45 })).toMatchObject({ dueAmount: '45', dueUnit: 'minutes' });
  });
});
