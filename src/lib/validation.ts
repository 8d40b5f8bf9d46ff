import { z } from 'zod';

/** Trimmed text PostgreSQL can store (no U+0000), within a length. */
export const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'is required')
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !s.includes('\u0000'), 'must not contain NUL characters');

/** An integer id that fits PostgreSQL's `integer` column. */
export const dbId = z.coerce.number().int().positive().max(2_147_483_647, 'is not a valid id');
