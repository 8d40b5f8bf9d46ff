import type { z } from 'zod';
import { templateTaskSchema, type TemplateTaskInput } from '../../checklists/checklists-schemas.js';
import { LIST_ROWS_MAX, TASK_TYPES, type ChoiceOption, type TaskType } from '../../lib/task-types.js';

/** One task's form as typed (strings kept as they came, to show again next to their errors). */
export interface TaskForm {
  text: string;
  requiresPhoto: boolean;
  type: TaskType;
  allowNa: boolean;
  unit: string;
  min: string;
  max: string;
  decimals: string;
  options: { key: string; label: string; fails: boolean }[];
}

/** Option rows a form offers: the task's options and two blank ones, at least 4, at most Meta's 10. */
export function optionRows(options: TaskForm['options']): TaskForm['options'] {
  const rows = Math.min(LIST_ROWS_MAX, Math.max(4, options.length + 2));
  return [...options, ...Array.from({ length: rows - options.length }, () => ({ key: '', label: '', fails: false }))];
}

export const blankTaskForm = (): TaskForm => ({
  text: '',
  requiresPhoto: false,
  type: 'check',
  allowNa: true,
  unit: '',
  min: '',
  max: '',
  decimals: '',
  options: optionRows([]),
});

/** A stored task (as findTemplate gives it, in the API's names) as the form shows it. */
export function formOfTask(t: {
  text: string;
  requiresPhoto: boolean;
  type: string;
  allowNa: boolean;
  unit: string | null;
  min: number | null;
  max: number | null;
  decimals: number | null;
  options: ChoiceOption[] | null;
}): TaskForm {
  const str = (v: number | null) => (v === null ? '' : String(v));
  return {
    text: t.text,
    requiresPhoto: t.requiresPhoto,
    type: (TASK_TYPES as readonly string[]).includes(t.type) ? (t.type as TaskType) : 'check',
    allowNa: t.allowNa,
    unit: t.unit ?? '',
    min: str(t.min),
    max: str(t.max),
    decimals: str(t.decimals),
    options: optionRows(t.options ?? []),
  };
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');
// A checkbox that must say "off" too sends a hidden "off" first, then "on" when ticked: the last value wins.
const lastOf = (v: unknown) => (Array.isArray(v) ? (v.at(-1) as unknown) : v);
const ticked = (v: unknown) => ['on', 'true', '1'].includes(str(lastOf(v)));
const listOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : v && typeof v === 'object' ? Object.values(v) : []);

/** A task as a form sends it (the task card's form, or one row of the new-checklist form). */
export function taskFormFromBody(body: unknown): TaskForm {
  const b = (body ?? {}) as Record<string, unknown>;
  const type = str(b.type);
  const options = listOf(b.options)
    .slice(0, LIST_ROWS_MAX)
    .map((o) => {
      const r = (o ?? {}) as Record<string, unknown>;
      return { key: str(r.key), label: str(r.label), fails: ticked(r.fails) };
    });
  return {
    text: str(b.text),
    requiresPhoto: ticked(b.requiresPhoto),
    type: (TASK_TYPES as readonly string[]).includes(type) ? (type as TaskType) : 'check',
    // A form without the N/A box (an older page still open) keeps the default: N/A allowed.
    allowNa: b.allowNa === undefined ? true : ticked(b.allowNa),
    unit: str(b.unit),
    min: str(b.min),
    max: str(b.max),
    decimals: str(b.decimals),
    options: optionRows(options.filter((o) => o.key || o.label.trim() || o.fails)),
  };
}

/** "7,5" is 7.5 (a comma is a decimal point, as operators type it); empty is no value; anything else is undefined. */
function typedNumber(s: string): number | null | undefined {
  const t = s.trim().replace(',', '.');
  if (t === '') return null;
  return /^[-+]?(\d+\.?\d*|\.\d+)$/.test(t) ? Number(t) : undefined;
}

export type ParsedTask = z.output<typeof templateTaskSchema>;

/**
 * Validates a task's form with the REST API's own schema (templateTaskSchema), sending it only the settings of
 * the chosen type (the form shows every type's fields). Errors are keyed by form field: "text", "unit", "min",
 * "max", "decimals", "options", "options.<row>.label", each a sentence part shown under its field.
 */
export function parseTaskForm(row: TaskForm): {
  value: ParsedTask | null;
  /** The key each parsed option came with (blank for a new row), for optionKeys. */
  keys: string[];
  errors: Record<string, string>;
} {
  const errors: Record<string, string> = {};
  const input: TemplateTaskInput = {
    text: row.text,
    type: row.type,
    requiresPhoto: row.requiresPhoto,
    allowNa: row.allowNa,
  };
  if (row.type === 'number') {
    if (row.unit.trim()) input.unit = row.unit;
    for (const f of ['min', 'max'] as const) {
      const n = typedNumber(row[f]);
      if (n === undefined) errors[f] = 'must be a number, like 5 or 7.5';
      else if (n !== null) input[f] = n;
    }
    const d = typedNumber(row.decimals);
    if (d === undefined || (d !== null && !Number.isInteger(d))) errors.decimals = 'must be a whole number from 0 to 6';
    else if (d !== null) input.decimals = d;
  }
  // The rows that hold an option, so an error on the API's options[i] lands on the row as shown.
  const filled = row.options.map((o, i) => ({ ...o, row: i })).filter((o) => o.label.trim() !== '');
  if (row.type === 'choice') input.options = filled.map((o) => ({ label: o.label, fails: o.fails }));

  const parsed = templateTaskSchema.safeParse(input);
  if (!parsed.success)
    for (const issue of parsed.error.issues) {
      const [field, i, sub] = issue.path;
      const key =
        field === 'options' && typeof i === 'number'
          ? `options.${filled[i]?.row ?? i}.${String(sub ?? 'label')}`
          : String(field ?? 'text');
      errors[key] ??= issue.message;
    }
  const keys = filled.map((o) => o.key);
  if (Object.keys(errors).length > 0 || !parsed.success) return { value: null, keys, errors };
  return { value: parsed.data, keys, errors };
}

/**
 * Keys for a choice's options as saved: an option keeps the key it had (answers store keys, so a reworded
 * label stays the same option); a new one gets the next unused `o<n>`. A key the task never had is not trusted.
 */
export function optionKeys(
  existing: readonly ChoiceOption[] | null,
  submitted: { key: string; label: string; fails: boolean }[],
): ChoiceOption[] {
  const known = new Set((existing ?? []).map((o) => o.key));
  const used = new Set<string>();
  let next = Math.max(0, ...[...known].map((k) => Number(/^o(\d+)$/.exec(k)?.[1] ?? 0))) + 1;
  return submitted.map((o) => {
    let key = o.key;
    if (!known.has(key) || used.has(key)) key = `o${next++}`;
    used.add(key);
    return { key, label: o.label, fails: o.fails };
  });
}

/** What a task's row holds, from a parsed form: only the chosen type's settings; the others are cleared. */
export function taskColumns(t: ParsedTask, keys: string[], existingOptions: readonly ChoiceOption[] | null) {
  const number = t.type === 'number';
  return {
    text: t.text,
    requiresPhoto: t.requiresPhoto,
    taskType: t.type,
    allowNa: t.allowNa,
    unit: number ? (t.unit ?? null) : null,
    minValue: number ? (t.min ?? null) : null,
    maxValue: number ? (t.max ?? null) : null,
    decimals: number ? (t.decimals ?? null) : null,
    options:
      t.type === 'choice'
        ? optionKeys(
            existingOptions,
            (t.options ?? []).map((o, i) => ({ key: keys[i] ?? '', label: o.label, fails: o.fails })),
          )
        : null,
  };
}

export type TaskColumns = ReturnType<typeof taskColumns>;
