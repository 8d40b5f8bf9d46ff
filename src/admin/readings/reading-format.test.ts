import { describe, expect, it } from 'vitest';
import { limitsText, outOfRange, rangeText, readingValue, shownValue } from './reading-format.js';

describe('reading format', () => {
  it.each([
    { value: '6.50', decimals: null, shown: '6.50' },
    { value: '6.5', decimals: 2, shown: '6.50' },
    { value: '9.249', decimals: 1, shown: '9.2' },
    { value: '-4', decimals: 0, shown: '-4' },
    { value: 12, decimals: undefined, shown: '12' },
  ])('when $value is shown with $decimals decimals, then it reads $shown', ({ value, decimals, shown }) => {
    expect(readingValue(value, decimals)).toBe(shown);
  });

  it.each([
    { min: 5, max: 8, unit: 'bar', text: '5 to 8 bar' },
    { min: null, max: 60, unit: '°C', text: 'at most 60 °C' },
    { min: 0, max: null, unit: 'bar', text: 'at least 0 bar' },
    { min: -2.5, max: 2.5, unit: null, text: '-2.5 to 2.5' },
    { min: null, max: null, unit: 'mm', text: '' },
  ])('when the limits are $min and $max, then they read "$text"', ({ min, max, unit, text }) => {
    expect(limitsText({ min, max }, unit)).toBe(text);
  });

  it.each([
    { value: 9.2, side: 'above', text: 'above the limit of 8 bar' },
    { value: 4.9, side: 'below', text: 'below the limit of 5 bar' },
    { value: 8, side: null, text: '' },
    { value: 5, side: null, text: '' },
  ])('when $value is read against 5 to 8 bar, then it is $side', ({ value, side, text }) => {
    expect(outOfRange(value, { min: 5, max: 8 })).toBe(side);
    expect(rangeText(value, { min: 5, max: 8 }, 'bar')).toBe(text);
  });

  it('when only one limit is set, then only that side can be broken', () => {
    expect(outOfRange(-100, { min: null, max: 60 })).toBeNull();
    expect(rangeText(61, { min: null, max: 60 }, '°C')).toBe('above the limit of 60 °C');
  });
});

describe('shownValue', () => {
  const base = { unit: null, min: null, max: null };
  it.each([
    {
      a: { type: 'number', value: 9.2, unit: 'bar', min: 5, max: 8 },
      text: '9.2 bar',
      limits: '5 to 8 bar',
      out: 'above the limit of 8 bar',
    },
    {
      a: { type: 'number', value: '6.50', unit: 'bar', min: 5, max: 8 },
      text: '6.50 bar',
      limits: '5 to 8 bar',
      out: '',
    },
    { a: { type: 'number', value: null, unit: 'bar', min: 5, max: 8 }, text: null, limits: '', out: '' },
    { a: { type: 'choice', value: 'Dirty', ...base }, text: 'Dirty', limits: '', out: '' },
    { a: { type: 'text', value: 'SN-4471', ...base }, text: 'SN-4471', limits: '', out: '' },
    { a: { type: 'check', value: null, ...base }, text: null, limits: '', out: '' },
  ])('when a $a.type answer is $a.value, then the report shows "$text"', ({ a, text, limits, out }) => {
    expect(shownValue(a)).toEqual({ text, limits, outOfRange: out });
  });
});
