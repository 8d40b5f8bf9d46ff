import { z } from 'zod';
import { TASK_TYPES, type ChoiceOption, type TaskType } from '../lib/task-types.js';

/**
 * The rules of one question as a conversation asks it, snapshotted on the session when it starts
 * (docs/decisions/0016-typed-tasks-and-session-task-definitions.md): a template edited later never changes the rules
 * of a checklist being answered.
 */
export { TASK_TYPES, type ChoiceOption, type TaskType } from '../lib/task-types.js';

/**
 * Fields added after the first release are optional so a definition written before them (and the tests'
 * plain `{ id, text, requiresPhoto }`) still reads: absent type is `check`, absent allowNa is true, absent
 * position is the index in the list plus one.
 */
export interface TaskDefinition {
  id: number;
  /** 1-based position in the template; a rework session asks a subset and keeps each task's position. */
  position?: number;
  text: string;
  requiresPhoto: boolean;
  type?: TaskType;
  allowNa?: boolean;
  /** number: free text up to 16 characters (`bar`, `°C`). */
  unit?: string | null;
  /** number: inclusive limits, either may be missing. */
  min?: number | null;
  max?: number | null;
  /** number: how many decimals to show (the stored value is what was typed). */
  decimals?: number | null;
  /** choice: 2 to 10 options. */
  options?: ChoiceOption[] | null;
}

export const typeOf = (t: TaskDefinition): TaskType => t.type ?? 'check';
export const allowsNa = (t: TaskDefinition): boolean => t.allowNa ?? true;
/** The task's 1-based position in its template (what answers are stored by). */
export const positionOf = (t: TaskDefinition | undefined, index: number): number => t?.position ?? index + 1;

const optionSchema = z.object({ key: z.string(), label: z.string(), fails: z.boolean() });
const definitionSchema = z.object({
  id: z.number().int(),
  position: z.number().int().positive().optional(),
  text: z.string(),
  requiresPhoto: z.boolean(),
  type: z.enum(TASK_TYPES).optional(),
  allowNa: z.boolean().optional(),
  unit: z.string().nullish(),
  // pg's json of a numeric column is a JSON number; a numeric read as text is a string: both are numbers here.
  min: z.coerce.number().nullish(),
  max: z.coerce.number().nullish(),
  decimals: z.number().int().nullish(),
  options: z.array(optionSchema).nullish(),
});

/** Reads a snapshot (the session's jsonb, or the lock statement's json of template tasks). Throws on a bad shape. */
export function parseDefinitions(raw: unknown): TaskDefinition[] {
  return z.array(definitionSchema).parse(raw);
}

/** The snapshot to store on a session, every field spelled out and positions kept. */
export function serializeDefinitions(tasks: TaskDefinition[]): string {
  return JSON.stringify(
    tasks.map((t, i) => ({
      id: t.id,
      position: positionOf(t, i),
      text: t.text,
      requiresPhoto: t.requiresPhoto,
      type: typeOf(t),
      allowNa: allowsNa(t),
      unit: t.unit ?? null,
      min: t.min ?? null,
      max: t.max ?? null,
      decimals: t.decimals ?? null,
      options: t.options ?? null,
    })),
  );
}

/**
 * A template task row (the builder's, or hand-written SQL's) as a definition. Numeric limits arrive
 * as numbers (the schema reads them in number mode) or as text (hand-written SQL).
 */
export function definitionOfRow(row: {
  id: number;
  position: number;
  text: string;
  requiresPhoto: boolean;
  taskType?: string | null;
  allowNa?: boolean | null;
  unit?: string | null;
  minValue?: number | string | null;
  maxValue?: number | string | null;
  decimals?: number | null;
  options?: ChoiceOption[] | null;
}): TaskDefinition {
  const num = (v: number | string | null | undefined) => (v === null || v === undefined ? null : Number(v));
  return {
    id: row.id,
    position: row.position,
    text: row.text,
    requiresPhoto: row.requiresPhoto,
    type: (TASK_TYPES as readonly string[]).includes(row.taskType ?? '') ? (row.taskType as TaskType) : 'check',
    allowNa: row.allowNa ?? true,
    unit: row.unit ?? null,
    min: num(row.minValue),
    max: num(row.maxValue),
    decimals: row.decimals ?? null,
    options: row.options ?? null,
  };
}

/**
 * SQL (a correlated subquery's select list) building one definition per template task row `t`, the same
 * shape serializeDefinitions writes. Shared by the start (snapshot) and the lock (sessions from before it).
 */
export const TEMPLATE_TASK_JSON = `json_build_object('id', t.id, 'position', t.position, 'text', t.text,
  'requiresPhoto', t.requires_photo, 'type', t.task_type, 'allowNa', t.allow_na, 'unit', t.unit,
  'min', t.min_value, 'max', t.max_value, 'decimals', t.decimals, 'options', t.options)`;
