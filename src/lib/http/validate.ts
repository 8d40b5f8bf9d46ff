import type { z } from 'zod';
import { ValidationError } from '../errors.js';

/** Parses a request part with a zod schema; a failure is a 400 naming every bad field. */
export function parse<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: 'body' | 'query' | 'params' = 'body',
): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw ValidationError.fromZod(result.error, where);
  return result.data;
}
