import { describe, expect, it } from 'vitest';
import { cleanRemarks, isConfirm, parseAnswer } from './parse-answer.js';

describe('parseAnswer', () => {
  it.each([
    { text: 'ok', status: 'OK', remarks: null },
    { text: 'OK - oil level normal', status: 'OK', remarks: 'oil level normal' },
    { text: 'Ok: fine', status: 'OK', remarks: 'fine' },
    { text: '  oK   all good  ', status: 'OK', remarks: 'all good' },
    { text: 'OK – en dash', status: 'OK', remarks: 'en dash' },
    { text: 'OK—em dash', status: 'OK', remarks: 'em dash' },
    { text: 'OK -', status: 'OK', remarks: null },
    { text: 'OK:   ', status: 'OK', remarks: null },
    { text: 'OK - line one\nline two', status: 'OK', remarks: 'line one\nline two' },
    { text: 'NOT OK', status: 'NOT_OK', remarks: null },
    { text: 'not ok leak at valve', status: 'NOT_OK', remarks: 'leak at valve' },
    { text: 'Not  Ok - belt worn', status: 'NOT_OK', remarks: 'belt worn' },
    { text: 'NOK: loose bolt', status: 'NOT_OK', remarks: 'loose bolt' },
    { text: 'not_ok', status: 'NOT_OK', remarks: null },
    { text: 'NOTOK cracked', status: 'NOT_OK', remarks: 'cracked' },
    { text: 'not-ok - cracked', status: 'NOT_OK', remarks: 'cracked' },
    { text: 'NA', status: 'NA', remarks: null },
    { text: 'na - machine off', status: 'NA', remarks: 'machine off' },
    { text: 'N/A', status: 'NA', remarks: null },
    { text: 'n/a: not installed', status: 'NA', remarks: 'not installed' },
    { text: 'N.A.', status: 'NA', remarks: null },
    { text: 'n.a. spare line', status: 'NA', remarks: 'spare line' },
  ])('when the text is "$text", then it is $status with remarks $remarks', ({ text, status, remarks }) => {
    expect(parseAnswer(text)).toEqual({ status, remarks });
  });

  it.each([
    'OKAY fine',
    'OK?',
    'okay',
    'nothing',
    'NAH',
    'NOT',
    'not okay',
    'NOTOKAY',
    'CONFIRM',
    'fine OK',
    '',
    '   ',
    'N/Ab',
  ])('when the text is "%s", then it is not an answer', (text) => {
    expect(parseAnswer(text)).toBeNull();
  });

  it.each([
    { when: 'remarks are longer than 1000 characters', remarks: 'x'.repeat(1500), length: 1000 },
    { when: 'remarks are exactly 1000 characters', remarks: 'y'.repeat(1000), length: 1000 },
    { when: 'remarks are short', remarks: 'z'.repeat(10), length: 10 },
  ])('when $when, then they are kept to $length characters', ({ remarks, length }) => {
    const parsed = parseAnswer(`OK - ${remarks}`);

    expect(parsed?.remarks).toHaveLength(length);
    expect(parsed?.remarks).toBe(remarks.slice(0, length));
  });

  it('when the cap falls inside an emoji, then the emoji is not split', () => {
    const parsed = parseAnswer(`OK ${'a'.repeat(999)}👍👍`);

    expect(parsed?.remarks).toBe(`${'a'.repeat(999)}👍`);
  });
});

describe('isConfirm', () => {
  it.each([
    { text: 'CONFIRM', expected: true },
    { text: 'confirm', expected: true },
    { text: ' Confirm', expected: true },
    { text: 'con firm ', expected: true },
    { text: 'C O N F I R M', expected: true },
    { text: 'CONFIRMED', expected: false },
    { text: 'confirm please', expected: false },
    { text: 'OK', expected: false },
    { text: '', expected: false },
  ])('when the text is "$text", then isConfirm is $expected', ({ text, expected }) => {
    expect(isConfirm(text)).toBe(expected);
  });
});

describe('cleanRemarks', () => {
  it.each([
    { text: '  oil on the floor ', expected: 'oil on the floor' },
    { text: '   ', expected: null },
    { text: '', expected: null },
    { text: 'x'.repeat(1200), expected: 'x'.repeat(1000) },
  ])('when the text is "$text", then the remark is $expected', ({ text, expected }) => {
    expect(cleanRemarks(text)).toBe(expected);
  });
});
