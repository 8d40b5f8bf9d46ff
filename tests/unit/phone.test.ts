import { describe, expect, it } from 'vitest';
import { storedPhoneToE164, toE164, typedPhoneToE164, type CountryCode } from '../../src/lib/phone.js';
import { createOperatorSchema } from '../../src/checklists/checklists-schemas.js';

describe('typedPhoneToE164 (a number a person typed)', () => {
  it.each([
    { input: '+44 (0)20 7946 0958', country: 'IN', e164: '+442079460958', why: 'the trunk 0 in brackets is dropped' },
    { input: '+44 020 7946 0958', country: 'IN', e164: '+442079460958', why: 'the trunk 0 without brackets too' },
    { input: '98123 45678', country: 'IN', e164: '+919812345678', why: 'no country code: read in DEFAULT_COUNTRY' },
    { input: '098123 45678', country: 'IN', e164: '+919812345678', why: "India's trunk 0 is dropped" },
    { input: '020 7946 0958', country: 'GB', e164: '+442079460958', why: 'no country code, DEFAULT_COUNTRY=GB' },
    { input: '(202) 555-0143', country: 'US', e164: '+12025550143', why: 'no country code, DEFAULT_COUNTRY=US' },
    { input: '+91 98123 45678', country: 'GB', e164: '+919812345678', why: 'a typed "+91" wins over the default' },
    { input: '+91-98123-45678', country: 'IN', e164: '+919812345678', why: 'dashes' },
    { input: '+91 (0) 98123 45678', country: 'IN', e164: '+919812345678', why: 'a trunk 0 after +91' },
    { input: '0091 98123 45678', country: 'IN', e164: '+919812345678', why: '00 dials out' },
    { input: '0044 20 7946 0958', country: 'US', e164: '+442079460958', why: '00 even where 011 dials out' },
    { input: '919812345678', country: 'IN', e164: '+919812345678', why: "Meta's wa_id form" },
    { input: '447911123456', country: 'IN', e164: '+447911123456', why: 'wa_id form, no Indian number' },
    { input: ' +91 98123 45678 ', country: 'IN', e164: '+919812345678', why: 'spaces around' },
  ])('when "$input" is typed with DEFAULT_COUNTRY=$country ($why), then it is $e164', ({ input, country, e164 }) => {
    expect(typedPhoneToE164(input, country as CountryCode)).toEqual({ ok: true, e164 });
  });

  it.each([
    { input: '', why: 'empty' },
    { input: 'call me', why: 'words' },
    { input: '12345', why: 'too short' },
    { input: '+91 98123', why: 'too short after the country code' },
    { input: '+0 98123 45678', why: 'no country code starts with 0' },
    { input: '+91 98123 45678 12345', why: 'too many digits' },
    { input: '+91 98123 45678 ext. 12', why: 'an extension: WhatsApp cannot reach it' },
  ])('when "$input" is typed ($why), then it is not a phone number', ({ input }) => {
    expect(typedPhoneToE164(input, 'IN')).toEqual({ ok: false, problem: 'not_a_number' });
  });

  it.each([
    { input: '55512 34567', callingCode: '91', country: 'IN', typedCode: false, why: 'no Indian number starts 5' },
    { input: '+91 55512 34567', callingCode: '91', country: 'IN', typedCode: true, why: 'no Indian number starts 5' },
    {
      input: '+44 20 7946 095',
      callingCode: '44',
      country: null,
      typedCode: true,
      why: 'a digit short; +44 is 4 places',
    },
    { input: '+1 555 123 4567', callingCode: '1', country: null, typedCode: true, why: '555 numbers are fictional' },
  ])(
    'when "$input" is typed ($why), then it is refused as no number in use, saying where it was read',
    ({ input, why: _why, ...where }) => {
      expect(typedPhoneToE164(input, 'IN')).toEqual({ ok: false, problem: 'not_in_use', ...where });
    },
  );

  it('when there is no default country, then a number without its country code is refused', () => {
    expect(typedPhoneToE164('98123 45678')).toMatchObject({ ok: false });
    expect(typedPhoneToE164('+91 98123 45678')).toEqual({ ok: true, e164: '+919812345678' });
  });
});

describe('storedPhoneToE164 (numbers saved before libphonenumber)', () => {
  it.each([
    { stored: '+4402079460958', e164: '+442079460958', why: 'the trunk 0 the hand parser kept' },
    { stored: '+9109812345678', e164: '+919812345678', why: "India's trunk 0" },
    { stored: '+919812345678', e164: '+919812345678', why: 'already right' },
    { stored: '+15551234567', e164: null, why: 'no number in use: left as it is' },
  ])('when $stored is stored ($why), then it should be $e164', ({ stored, e164 }) => {
    expect(storedPhoneToE164(stored)).toBe(e164);
  });
});

describe("toE164 (Meta's wa_id, unchanged)", () => {
  it('when bare digits arrive from Meta, then they are read as international, whatever their length', () => {
    expect(toE164('919812345678')).toBe('+919812345678');
    expect(toE164('9812345670')).toBe('+9812345670');
  });
});

describe('createOperatorSchema.phoneNumber', () => {
  const schema = createOperatorSchema('IN');
  const messageFor = (phoneNumber: string) => schema.safeParse({ name: 'Ravi', phoneNumber }).error?.issues;

  it('when the number is no phone number, then the field error is a sentence that shows how to type one', () => {
    expect(messageFor('call me')).toEqual([
      expect.objectContaining({
        path: ['phoneNumber'],
        message: "This is not a phone number. Type the operator's WhatsApp number, for example +91 98123 45678.",
      }),
    ]);
  });

  it('when digits without a country code are no number of DEFAULT_COUNTRY, then the error names the country and how to type another', () => {
    expect(messageFor('55512 34567')?.[0]?.message).toBe(
      'There is no phone number with these digits in India (+91). Please check them; for a number in another country, ' +
        'type + and its country code first, for example +44 20 7946 0958.',
    );
  });

  it('when a typed country code has no number with these digits, then the error names that country or code', () => {
    expect(messageFor('+91 55512 34567')?.[0]?.message).toBe(
      'There is no phone number with these digits in India (+91). Please check them.',
    );
    expect(messageFor('+44 20 7946 095')?.[0]?.message).toBe(
      'There is no phone number with these digits under country code +44. Please check them.',
    );
    expect(messageFor('+1 555 123 4567')?.[0]?.message).toBe(
      'There is no phone number with these digits under country code +1. Please check them.',
    );
  });
});
