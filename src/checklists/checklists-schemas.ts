import { z } from 'zod';
import { toE164 } from '../lib/phone.js';
import { dbId, text } from '../lib/validation.js';

const name = text(200);

export const createOperatorSchema = z.object({
  name,
  phoneNumber: z
    .string()
    .transform((v, ctx) => {
      const e164 = toE164(v);
      if (!e164) {
        ctx.addIssue({ code: 'custom', message: 'must be a phone number with its country code, e.g. +919812345678' });
        return z.NEVER;
      }
      return e164;
    }),
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

export type CreateOperator = z.infer<typeof createOperatorSchema>;
export type CreateMachine = z.infer<typeof createMachineSchema>;
export type CreateTemplate = z.infer<typeof createTemplateSchema>;
