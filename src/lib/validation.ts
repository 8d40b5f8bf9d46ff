import { z } from 'zod';
import { typedPhoneToE164, type CountryCode, type TypedPhone } from './phone.js';

// Line breaks and tabs become spaces, so "Check oil⏎level" keeps its two words.
const LINE_BREAKS = /\r\n|[\t\n\v\f\r\u0085\u2028\u2029]/g;
// C0 and C1 controls (U+0000 aside: refused below, as before) and the bidi controls, which reorder
// what follows them: an operator named "x\u202E" shows the flash's phone number reversed.
// Invisible format characters go too (zero-width space, word joiner, BOM, soft hyphen): a name made of
// them alone looked blank but was accepted. The zero-width joiner and non-joiner stay (emoji, scripts).
// eslint-disable-next-line no-control-regex -- matching control characters is this pattern's purpose
const CONTROLS = /[\u0001-\u001F\u007F-\u009F\u00AD\u061C\u200B\u200E\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/g;

// What draws nothing: spaces, the default-ignorable code points (joiners, variation selectors, tags,
// the Hangul fillers U+115F, U+1160, U+3164, U+FFA0) and the blank Braille pattern. A name made of
// these alone looks blank, however many there are.
const INVISIBLE_ONLY = /^[\p{White_Space}\p{Default_Ignorable_Code_Point}\u2800]*$/u;

/** Whether a text would show as nothing at all. */
export const looksBlank = (s: string): boolean => INVISIBLE_ONLY.test(s);

/** Text a person typed, without control characters or bidi overrides, trimmed. */
export function cleanTypedText(s: string): string {
  return s.replace(LINE_BREAKS, ' ').replace(CONTROLS, '').trim();
}

export const NUL_MESSAGE = 'must not contain NUL characters';
const withoutNul = (s: string): boolean => !s.includes('\u0000');

/**
 * Any string a request carries (a form field, a query value, an id in the path): PostgreSQL's text cannot
 * hold U+0000, so one is refused here, a 400 naming the field, rather than by the database, a 500.
 */
export const plainString = (params?: { error: string }) => z.string(params).refine(withoutNul, NUL_MESSAGE);

/** A name or text a manager types: cleaned (cleanTypedText), PostgreSQL-storable (no U+0000), within a length. */
export const text = (max: number) =>
  z
    .string()
    .overwrite(cleanTypedText)
    .min(1, { error: 'is required', abort: true })
    .refine((s) => !looksBlank(s), { error: 'is required', abort: true })
    .max(max, `must be at most ${max} characters`)
    .refine(withoutNul, NUL_MESSAGE);

const regionName = new Intl.DisplayNames(['en'], { type: 'region' });

/** "India" for IN. */
export const countryName = (code: CountryCode): string => regionName.of(code) ?? code;

/** Under the number field of the operator forms. */
export const phoneHint = (defaultCountry: CountryCode): string =>
  `With the country code, or without it for a number in ${countryName(defaultCountry)}; stored as +919812345678.`;

/** "in India (+91)"; "under country code +1" when several countries share it and the digits do not tell which. */
function where(callingCode: string, country: CountryCode | null): string {
  return country ? `in ${countryName(country)} (+${callingCode})` : `under country code +${callingCode}`;
}

/** What a manager reads under the number field (and an API client in the 400's field message). */
export function phoneProblem(phone: Exclude<TypedPhone, { ok: true }>): string {
  if (phone.problem === 'not_a_number')
    return "This is not a phone number. Type the operator's WhatsApp number, for example +91 98123 45678.";
  const none = `There is no phone number with these digits ${where(phone.callingCode, phone.country)}.`;
  if (phone.typedCode) return `${none} Please check them.`;
  return `${none} Please check them; for a number in another country, type + and its country code first, for example +44 20 7946 0958.`;
}

/**
 * A phone number a person typed, as E.164 (typedPhoneToE164): a number without a country code is read
 * in `defaultCountry` (DEFAULT_COUNTRY), the trunk 0 is dropped, and one that cannot exist is refused.
 */
export const typedPhone = (defaultCountry: CountryCode) =>
  plainString().transform((v, ctx) => {
    const phone = typedPhoneToE164(v, defaultCountry);
    if (phone.ok) return phone.e164;
    ctx.addIssue({ code: 'custom', message: phoneProblem(phone) });
    return z.NEVER;
  });

/** An integer id that fits PostgreSQL's `integer` column. */
export const dbId = z.coerce.number().int().positive().max(2_147_483_647, 'is not a valid id');
