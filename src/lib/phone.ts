// `max` metadata: a number is valid only if it lies in a range its country has in use (decision 0006).
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

export type { CountryCode };

const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * Whether an address (what we key a person's messages by: docs/decisions/0011-people-not-only-numbers.md) is a
 * phone number; otherwise it is a BSUID, which never starts with "+".
 */
export const isPhoneAddress = (address: string) => address.startsWith('+');
const SEPARATORS = /[\s().-]/g;

/**
 * Meta's `wa_id`/`from` (digits with the country code, no "+") as E.164 ("+919812345678"). Meta sends
 * the number as WhatsApp knows it, so no numbering-plan check applies: only its shape is checked.
 * Returns null when the result is not a plausible E.164 number. For a number a person typed, use
 * typedPhoneToE164.
 */
export function toE164(input: string): string | null {
  let s = input.trim().replace(SEPARATORS, '');
  if (s.startsWith('00')) s = `+${s.slice(2)}`;
  if (!s.startsWith('+')) s = `+${s}`;
  return E164.test(s) ? s : null;
}

/** Whether a code is a country libphonenumber knows (an ISO 3166 alpha-2 code, upper case). */
export const isKnownCountry = (code: string): code is CountryCode => isSupportedCountry(code);

export type TypedPhone =
  | { ok: true; e164: string }
  /**
   * not_a_number: nothing that reads as a phone number (words, too few or too many digits, an extension).
   * not_in_use: digits no number of that country has; `country` is the one it was read in (the typed
   * country code's, or the default's for a number typed without one), `typedCode` whether one was typed.
   */
  | { ok: false; problem: 'not_a_number' }
  | { ok: false; problem: 'not_in_use'; callingCode: string; country: CountryCode | null; typedCode: boolean };

/**
 * A phone number typed by a person (a manager's form, an API client, ALERT_PHONE_NUMBERS), as E.164.
 * "+44 (0)20 7946 0958" and "0044 20 7946 0958" carry their country code (the trunk 0 is dropped);
 * "98123 45678" or "098123 45678" has none and is read in `defaultCountry` (without one it is refused).
 * Digits that are no number there but are one when read as international (Meta's wa_id form,
 * "447911123456") are taken as international.
 */
export function typedPhoneToE164(input: string, defaultCountry?: CountryCode): TypedPhone {
  const trimmed = input.trim();
  // "00" dials out of most countries; the old parser and our docs accept it whatever the default country.
  const typed = trimmed.startsWith('00') ? `+${trimmed.slice(2)}` : trimmed;
  const typedCode = typed.startsWith('+');
  const parsed = parsePhoneNumberFromString(typed, defaultCountry ? { defaultCountry } : undefined);
  if (parsed?.isValid() && !parsed.ext) return { ok: true, e164: parsed.number };
  if (!typedCode && /^\d{8,15}$/.test(typed.replace(SEPARATORS, ''))) {
    const international = parsePhoneNumberFromString(`+${typed}`);
    if (international?.isValid()) return { ok: true, e164: international.number };
  }
  if (!parsed || parsed.ext || !parsed.isPossible()) return { ok: false, problem: 'not_a_number' };
  return {
    ok: false,
    problem: 'not_in_use',
    callingCode: parsed.countryCallingCode,
    country: parsed.country ?? (typedCode ? null : (defaultCountry ?? null)),
    typedCode,
  };
}

/**
 * A number already stored (E.164, perhaps with a trunk 0 the old parser kept: "+4402079460958") as it
 * should be, or null when it is not a valid number (it is then left as it is).
 */
export function storedPhoneToE164(stored: string): string | null {
  const parsed = parsePhoneNumberFromString(stored);
  return parsed?.isValid() ? parsed.number : null;
}
