import { z } from 'zod';
import { dbId, text, typedPhone } from '../lib/validation.js';

const name = text(200);

export const createOperatorSchema = z.object({
  name,
  phoneNumber: typedPhone,
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
