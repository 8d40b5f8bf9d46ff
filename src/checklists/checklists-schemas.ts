import { z } from 'zod';
import type { CountryCode } from '../lib/phone.js';
import { foldLabel, LIST_ROWS_MAX, MIN_OPTIONS, OPTION_LABEL_MAX, TASK_TYPES } from '../lib/task-types.js';
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

const limit = z.number().finite().nullish();

/** One task as POST /api/templates takes it; the rules between its fields are checked by taskRules. */
const taskSchema = z.object({
  text: text(900),
  type: z.enum(TASK_TYPES).optional().default('check'),
  requiresPhoto: z.boolean().optional().default(false),
  allowNa: z.boolean().optional().default(true),
  unit: z.string().trim().min(1).max(16, 'must be at most 16 characters').nullish(),
  min: limit,
  max: limit,
  decimals: z.number().int().min(0).max(6).nullish(),
  options: z
    .array(
      z.object({
        label: text(OPTION_LABEL_MAX),
        fails: z.boolean().optional().default(false),
      }),
    )
    .nullish(),
});

type TaskInput = z.infer<typeof taskSchema>;

/** The settings that belong to one type: given on another type, they are refused (not silently dropped). */
const NUMBER_ONLY = ['unit', 'min', 'max', 'decimals'] as const;

function taskRules(t: TaskInput, ctx: z.RefinementCtx) {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  if (t.type !== 'number')
    for (const f of NUMBER_ONLY) if (t[f] !== undefined && t[f] !== null) issue([f], 'is only for number tasks');
  if (t.type !== 'choice' && t.options) issue(['options'], 'is only for choice tasks');
  if (t.type === 'number' && t.min != null && t.max != null && t.min > t.max)
    issue(['min'], `must not be above max (${t.max})`);
  if (t.type !== 'choice') return;
  const options = t.options ?? [];
  // Meta's list has 10 rows and N/A takes one when allowed.
  const most = t.allowNa ? LIST_ROWS_MAX - 1 : LIST_ROWS_MAX;
  if (options.length < MIN_OPTIONS || options.length > most)
    issue(['options'], `needs ${MIN_OPTIONS} to ${most} options${t.allowNa ? ' (N/A takes a list row)' : ''}`);
  const seen = new Set<string>();
  options.forEach((o, i) => {
    const folded = foldLabel(o.label);
    if (seen.has(folded)) issue(['options', i, 'label'], `repeats another option ("${o.label}")`);
    seen.add(folded);
  });
}

/** One task with its rules: the REST API's tasks and the checklist editor's task forms (src/admin/templates). */
export const templateTaskSchema = taskSchema.superRefine(taskRules);
export type TemplateTaskInput = z.input<typeof templateTaskSchema>;

export const createTemplateSchema = z.object({
  name,
  tasks: z.array(templateTaskSchema).min(1, 'needs at least one task').max(100),
});

export const idParamSchema = z.object({ id: dbId });

export type OperatorSchema = ReturnType<typeof createOperatorSchema>;
export type CreateOperator = z.infer<OperatorSchema>;
export type CreateMachine = z.infer<typeof createMachineSchema>;
/** A template to insert: the API's parsed body, or the seed's and pages' plain values (defaults apply). */
export type CreateTemplate = z.input<typeof createTemplateSchema>;
