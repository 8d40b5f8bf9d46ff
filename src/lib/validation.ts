import { z } from 'zod';
import { typedPhoneToE164 } from './phone.js';

/** Trimmed text PostgreSQL can store (no U+0000), within a length. */
export const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'is required')
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !s.includes('\u0000'), 'must not contain NUL characters');

export const PHONE_MESSAGES = {
  not_a_number: 'must be a phone number with its country code, e.g. +919812345678',
  no_country_code: 'has no country code: add it after a +, e.g. +91 98123 45678',
} as const;

/** A WhatsApp number a person typed, as E.164; bare digits without the country code are refused (typedPhoneToE164). */
export const typedPhone = z.string().transform((v, ctx) => {
  const phone = typedPhoneToE164(v);
  if (phone.ok) return phone.e164;
  ctx.addIssue({ code: 'custom', message: PHONE_MESSAGES[phone.problem] });
  return z.NEVER;
});

/** An integer id that fits PostgreSQL's `integer` column. */
export const dbId = z.coerce.number().int().positive().max(2_147_483_647, 'is not a valid id');
