import { z } from 'zod';
import { text } from '../../lib/validation.js';
import { MAX_TASKS } from './template-queries.js';

export const templateName = z.object({ name: text(200) });
export const taskForm = z.object({ text: text(900), requiresPhoto: z.boolean() });
export const moveForm = z.object({ direction: z.enum(['up', 'down']) });

export interface TaskRow {
  text: string;
  requiresPhoto: boolean;
}

const checked = (v: unknown) => v === 'on' || v === 'true' || v === '1';

/** A task as a form sends it: the checkbox is absent when unticked. */
export const taskFromBody = (body: unknown): TaskRow => {
  const b = (body ?? {}) as { text?: unknown; requiresPhoto?: unknown };
  return { text: typeof b.text === 'string' ? b.text : '', requiresPhoto: checked(b.requiresPhoto) };
};

/** The rows of the new-checklist form, in order, blanks kept (they are shown again as typed). */
export function rowsFromBody(body: unknown): TaskRow[] {
  const raw = (body as { tasks?: unknown } | undefined)?.tasks;
  const list = Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? Object.values(raw) : [];
  return list.slice(0, MAX_TASKS).map(taskFromBody);
}

/** Validates the new-checklist form; errors are keyed "name" and "tasks.<row>.text" (the row as shown). */
export function parseNewTemplate(body: unknown) {
  const rows = rowsFromBody(body);
  const errors: Record<string, string> = {};
  const name = templateName.safeParse(body ?? {});
  if (!name.success) errors.name = name.error.issues[0]!.message;
  const tasks: TaskRow[] = [];
  rows.forEach((row, i) => {
    if (row.text.trim() === '' && !row.requiresPhoto) return; // an empty row is simply not a task
    const parsed = taskForm.safeParse(row);
    if (parsed.success) tasks.push(parsed.data);
    else errors[`tasks.${i}.text`] = parsed.error.issues[0]!.message;
  });
  if (tasks.length === 0 && !Object.keys(errors).some((k) => k.startsWith('tasks.')))
    errors.tasks = 'Add at least one task';
  const ok = Object.keys(errors).length === 0 && name.success;
  return { ok, rows, errors, value: ok ? { name: name.data.name, tasks } : null };
}
