const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * Normalises a phone number to E.164 ("+919812345678"). Accepts the spaces, dashes, dots and
 * brackets people type, a leading 00, and Meta's `wa_id`/`from` form (digits, no "+").
 * Returns null when the result is not a plausible E.164 number.
 */
export function toE164(input: string): string | null {
  let s = input.trim().replace(/[\s().-]/g, '');
  if (s.startsWith('00')) s = `+${s.slice(2)}`;
  if (!s.startsWith('+')) s = `+${s}`;
  return E164.test(s) ? s : null;
}
