/**
 * A person on WhatsApp is known by a phone number, a BSUID, or both (docs/decisions/0011-people-not-only-numbers.md).
 * Everything we queue for or from them is keyed by one address: the E.164 number whenever we know it, else the
 * BSUID. A BSUID never starts with "+", so the address alone says which of Meta's fields it goes in
 * (isPhoneAddress, in src/lib/phone.ts so the conversation can ask it too).
 */

/**
 * A business-scoped user id ("US.13491208655302741918", a parent "US.ENT.…"), read loosely so a new form of it
 * never costs a message; never starting with "+", it cannot be taken for a phone number.
 */
export const isBsuid = (v: unknown): v is string =>
  typeof v === 'string' && v.length >= 3 && v.length <= 160 && /^[^+\s]+$/.test(v);
