import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ValidationError } from './errors.js';

const schema = z.object({
  dueAt: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date like 2026-12-31')
    .refine((v) => v >= '2000-01-01', 'not before 2000'),
  tasks: z.array(z.object({ min: z.number() })),
});

describe('ValidationError.fromZod', () => {
  it.each([
    [
      'a field with two problems is named once, with both messages',
      { dueAt: '1999', tasks: [] },
      'Invalid body: dueAt',
      2,
    ],
    [
      'a nested field is named as a caller writes it',
      { dueAt: '2026-12-31', tasks: [{ min: 'x' }] },
      'Invalid body: tasks[0].min',
      1,
    ],
  ])('when %s', (_what, input, message, problems) => {
    const err = ValidationError.fromZod(schema.safeParse(input).error!);
    expect(err.message).toBe(message);
    expect((err.details as { fields: unknown[] }).fields).toHaveLength(problems);
  });
});
