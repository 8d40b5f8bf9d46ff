import { describe, expect, it } from 'vitest';
import { dueWords, readingWords, shortNote } from './action-words.js';

describe('dueWords (issue 18 item 3 QA 2: due dates as dates in words)', () => {
  it.each([
    ['2026-12-07', '2026-12-07', true, { date: '7 Dec 2026', relative: 'due today' }],
    ['2026-12-08', '2026-12-07', true, { date: '8 Dec 2026', relative: 'due tomorrow' }],
    ['2026-12-12', '2026-12-07', true, { date: '12 Dec 2026', relative: 'in 5 days' }],
    ['2026-12-06', '2026-12-07', true, { date: '6 Dec 2026', relative: 'overdue by 1 day' }],
    ['2026-12-04', '2026-12-07', true, { date: '4 Dec 2026', relative: 'overdue by 3 days' }],
    ['2026-03-29', '2026-03-30', true, { date: '29 Mar 2026', relative: 'overdue by 1 day' }],
    ['2026-12-04', '2026-12-07', false, { date: '4 Dec 2026', relative: '' }],
  ])('when due %s and today is %s (still open: %s), then it reads %o', (due, today, open, expected) => {
    expect(dueWords(due, today, open)).toEqual(expected);
  });

  it('when there is no due day, then there is nothing to say', () => {
    expect(dueWords(null, '2026-12-07', true)).toBeNull();
  });
});

describe('readingWords (issue 18 item 3 QA 5: the reading, not only the remark)', () => {
  it.each([
    [{ valueNumeric: '9.2', unit: 'bar', minValue: 5, maxValue: 8 }, '9.2 bar, above the limit of 8 bar'],
    [{ valueNumeric: '3', unit: 'bar', minValue: 5, maxValue: 8 }, '3 bar, below the limit of 5 bar'],
    [{ valueNumeric: '6.50', unit: null, minValue: null, maxValue: 6 }, '6.50, above the limit of 6'],
    [{ valueNumeric: '7', unit: 'bar', minValue: 5, maxValue: 8 }, '7 bar'],
    [{ valueNumeric: null, unit: null, minValue: null, maxValue: null }, null],
  ])('when the action holds %o, then it reads %s', (a, expected) => {
    expect(readingWords(a)).toBe(expected);
  });
});

describe('shortNote (issue 18 item 3 QA 4: a closed action shows its note, shortened)', () => {
  it.each([
    [null, ''],
    ['cleaned', 'cleaned'],
    ['  belt\n replaced ', 'belt replaced'],
    ['word '.repeat(30), `${'word '.repeat(15).trim()}…`],
    ['x'.repeat(100), `${'x'.repeat(79)}…`],
  ])('when the note is %j, then the list shows %j', (note, expected) => {
    expect(shortNote(note)).toBe(expected);
  });
});
