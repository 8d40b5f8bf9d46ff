import { describe, expect, it } from 'vitest';
import type { Task } from './conversation-types.js';
import { messagesEn } from './messages.en.js';
import { parseNumber, readTyped } from './typed-answer.js';

const pressure: Task = {
  id: 1,
  text: 'Hydraulic pressure',
  requiresPhoto: false,
  type: 'number',
  unit: 'bar',
  min: 5,
  max: 8,
};
const guard: Task = {
  id: 2,
  text: 'Guard',
  requiresPhoto: false,
  type: 'choice',
  options: [
    { key: 'o1', label: 'Clean', fails: false },
    { key: 'o2', label: 'Dañado', fails: true },
  ],
};

describe('parseNumber', () => {
  it.each([
    ['6.5', '6.5', null],
    ['6,5', '6.5', null],
    ['6.5 bar', '6.5', null],
    ['6.5bar - ok', '6.5', 'ok'],
    ['-4', '-4', null],
    ['9.2 - gauge looks stuck', '9.2', 'gauge looks stuck'],
    ['6.50', '6.50', null],
    ['7.', '7', null],
  ])('when "%s" is typed, then the value is %s and the remark %s', (typed, value, remarks) => {
    expect(parseNumber(typed, 'bar')).toEqual({ value, remarks });
  });

  it.each([['1,000'], ['abc'], ['NOT OK - gauge broken'], ['12abc'], ['6.5.3'], ['']])(
    'when "%s" is typed, then it is no reading',
    (typed) => {
      expect(parseNumber(typed, 'bar')).toBeNull();
    },
  );
});

describe('readTyped', () => {
  it.each([
    ['9,2', 'NOT_OK', '9.2', { side: 'above', limit: 8 }],
    ['4.9 bar', 'NOT_OK', '4.9', { side: 'below', limit: 5 }],
    ['8', 'OK', '8', undefined],
    ['5', 'OK', '5', undefined],
  ])('when a reading of %s is typed for 5 to 8 bar, then it is %s', (typed, status, value, outOfRange) => {
    const r = readTyped(pressure, typed);
    expect(r).toMatchObject({ status, value });
    expect(r !== null && r !== 'na_not_allowed' ? r.outOfRange : 'none').toEqual(outOfRange);
  });

  it.each([
    ['2', 'o2', 'NOT_OK', null],
    ['danado', 'o2', 'NOT_OK', null],
    ['  CLEAN ', 'o1', 'OK', null],
    ['Dañado - hinge broken', 'o2', 'NOT_OK', 'hinge broken'],
  ])('when "%s" is typed for a choice, then option %s is chosen (%s)', (typed, key, status, remarks) => {
    expect(readTyped(guard, typed)).toMatchObject({ optionKey: key, status, remarks });
  });

  it.each([['3'], ['Dirty'], ['0']])('when "%s" is typed for a choice, then nothing is chosen', (typed) => {
    expect(readTyped(guard, typed)).toBeNull();
  });

  it('when NA is typed, then it is NA, or refused where the task does not allow it', () => {
    expect(readTyped(pressure, 'NA')).toMatchObject({ status: 'NA', value: null });
    expect(readTyped({ ...pressure, allowNa: false }, 'NA')).toBe('na_not_allowed');
  });

  it('when any text is typed for a text task, then it is the value, saved OK', () => {
    const serial: Task = { id: 3, text: 'Serial', requiresPhoto: false, type: 'text' };
    expect(readTyped(serial, 'SN-4411-B')).toEqual({
      status: 'OK',
      remarks: null,
      value: 'SN-4411-B',
      optionKey: null,
    });
  });
});

describe('the NOT OK alert of a reading (issue 16 item 8)', () => {
  const answer = (value: string) => ({
    taskIndex: 0,
    taskId: 1,
    status: 'NOT_OK' as const,
    remarks: null,
    photo: null,
    answeredAt: '',
    value,
  });
  it.each([
    ['9.2', '9.2 bar, above the limit of 8 bar'],
    ['4', '4 bar, below the limit of 5 bar'],
  ])('when the reading is %s for 5 to 8 bar, then the alert says "%s"', (value, said) => {
    expect(messagesEn.alertReading(answer(value), pressure)).toBe(said);
  });
});
