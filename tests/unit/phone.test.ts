import { describe, expect, it } from 'vitest';
import { toE164, typedPhoneToE164 } from '../../src/lib/phone.js';
import { createOperatorSchema } from '../../src/checklists/checklists-schemas.js';
import { PHONE_MESSAGES } from '../../src/lib/validation.js';

describe('typedPhoneToE164 (a number a person typed)', () => {
  it.each([
    { input: '+91 98123 45678', e164: '+919812345678' },
    { input: '+91-98123-45678', e164: '+919812345678' },
    { input: '+1 (555) 123.4567', e164: '+15551234567' },
    { input: '0091 98123 45678', e164: '+919812345678' },
    { input: '001 555 123 4567', e164: '+15551234567' },
    { input: ' +9812345678 ', e164: '+9812345678' }, // the "+" says it is international: taken as typed
    { input: '919812345678', e164: '+919812345678' }, // Meta's wa_id form, 12 digits
    { input: '15551234567', e164: '+15551234567' }, // 11 digits: the shortest bare international number
    { input: '91 98123 45678', e164: '+919812345678' },
  ])('when "$input" is typed, then it is $e164', ({ input, e164 }) => {
    expect(typedPhoneToE164(input)).toEqual({ ok: true, e164 });
  });

  it.each([
    { input: '98123 45678', why: '10 digits: an Indian mobile without +91 (toE164 makes it +98, Iran)' },
    { input: '9812345670', why: '10 digits' },
    { input: '5551234567', why: '10 digits: a US number without +1' },
    { input: '1234567', why: '7 digits' },
    { input: '098123 45678', why: 'a national trunk 0, 11 digits' },
    { input: '0 98123 45678 9', why: 'a national trunk 0, 12 digits' },
  ])('when "$input" is typed ($why), then it is refused for lack of a country code', ({ input }) => {
    expect(typedPhoneToE164(input)).toEqual({ ok: false, problem: 'no_country_code' });
  });

  it.each([
    { input: '', why: 'empty' },
    { input: 'call me', why: 'words' },
    { input: '12345', why: 'too short to be a phone number' },
    { input: '+0 98123 45678', why: 'no country code starts with 0' },
    { input: '+91 98123 45678 12345', why: 'more than 15 digits' },
    { input: '9198123456781234', why: '16 bare digits' },
    { input: '+91 98123 4567x', why: 'a letter' },
  ])('when "$input" is typed ($why), then it is not a phone number', ({ input }) => {
    expect(typedPhoneToE164(input)).toEqual({ ok: false, problem: 'not_a_number' });
  });
});

describe('toE164 (Meta wa_id, config)', () => {
  it('when bare digits arrive from Meta, then they are still read as international, whatever their length', () => {
    expect(toE164('919812345678')).toBe('+919812345678');
    expect(toE164('9812345670')).toBe('+9812345670');
  });
});

describe('createOperatorSchema.phoneNumber', () => {
  it('when the number has no country code, then the field error says to add it after a +', () => {
    const result = createOperatorSchema.safeParse({ name: 'Local', phoneNumber: '98123 45678' });

    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ path: ['phoneNumber'], message: PHONE_MESSAGES.no_country_code }),
    ]);
    expect(PHONE_MESSAGES.no_country_code).toContain('add it after a +, e.g. +91 98123 45678');
  });
});
