import { z } from 'zod';
import type { CountryCode } from '../lib/phone.js';
import { dbId, text, typedPhone } from '../lib/validation.js';

const name = text(200);

/** An operator as a manager types it; a number without a country code is read in `defaultCountry` (DEFAULT_COUNTRY). */
export const createOperatorSchema = (defaultCountry: CountryCode) =>
  z.object({
    name,
    phoneNumber: typedPhone(defaultCountry),
  });

export const createMachineSchema = z.object({
  name,
  code: text(64),
});

export const createTemplateSchema = z.object({
  name,
  tasks: z
    .array(
      z.object({
        text: text(900),
        requiresPhoto: z.boolean().optional().default(false),
      }),
    )
    .min(1, 'needs at least one task')
    .max(100),
});

export const idParamSchema = z.object({ id: dbId });

export type OperatorSchema = ReturnType<typeof createOperatorSchema>;
export type CreateOperator = z.infer<OperatorSchema>;
export type CreateMachine = z.infer<typeof createMachineSchema>;
export type CreateTemplate = z.infer<typeof createTemplateSchema>;
