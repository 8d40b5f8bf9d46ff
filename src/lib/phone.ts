const E164 = /^\+[1-9]\d{6,14}$/;
const SEPARATORS = /[\s().-]/g;

/**
 * Normalises a phone number to E.164 ("+919812345678"). Accepts the spaces, dashes, dots and
 * brackets people type, a leading 00, and Meta's `wa_id`/`from` form (digits, no "+").
 * Returns null when the result is not a plausible E.164 number.
 * For a number a person typed, use typedPhoneToE164: bare digits there may lack the country code.
 */
export function toE164(input: string): string | null {
  let s = input.trim().replace(SEPARATORS, '');
  if (s.startsWith('00')) s = `+${s.slice(2)}`;
  if (!s.startsWith('+')) s = `+${s}`;
  return E164.test(s) ? s : null;
}

/** Bare digits this long are read as international (Meta's wa_id form, which API clients copy). */
export const MIN_BARE_INTERNATIONAL_DIGITS = 11;

export type TypedPhone = { ok: true; e164: string } | { ok: false; problem: 'no_country_code' | 'not_a_number' };

/**
 * A phone number typed by a person (a manager's form, an API client). "+…" and "00…" are international
 * as in toE164. Bare digits are not: "98123 45678" is an Indian mobile without its +91, which toE164 would
 * read as +98 (Iran). So bare digits count as international only from 11 digits on and without a trunk 0
 * (919812345678, 15551234567); a bare 7 to 10 digits, or a leading single 0, is a number without its
 * country code. Fewer than 7 digits is not a phone number at all.
 */
export function typedPhoneToE164(input: string): TypedPhone {
  const s = input.trim().replace(SEPARATORS, '');
  const bareDigits = /^\d+$/.test(s) && !s.startsWith('00');
  if (bareDigits && s.length >= 7 && (s.length < MIN_BARE_INTERNATIONAL_DIGITS || s.startsWith('0'))) {
    return { ok: false, problem: 'no_country_code' };
  }
  const e164 = toE164(s);
  return e164 ? { ok: true, e164 } : { ok: false, problem: 'not_a_number' };
}
