import { asc, eq } from 'drizzle-orm';
import { queryPrepared } from '../lib/db/prepared.js';
import type { Executor } from '../lib/db/transaction.js';
import { checklistTemplateTasks, checklistTemplates, machines, operators } from '../lib/db/schema.js';
import type { CreateMachine, CreateOperator, CreateTemplate } from './checklists-schemas.js';

export async function insertOperator(exec: Executor, input: CreateOperator) {
  const [row] = await exec.insert(operators).values(input).returning();
  return row!;
}

export const listOperators = (exec: Executor) => exec.select().from(operators).orderBy(asc(operators.name));

export async function insertMachine(exec: Executor, input: CreateMachine) {
  const [row] = await exec.insert(machines).values(input).returning();
  return row!;
}

export const listMachines = (exec: Executor) => exec.select().from(machines).orderBy(asc(machines.name));

export async function insertTemplate(exec: Executor, input: CreateTemplate) {
  const [template] = await exec.insert(checklistTemplates).values({ name: input.name }).returning();
  const tasks = await exec
    .insert(checklistTemplateTasks)
    .values(input.tasks.map((t, i) => ({ templateId: template!.id, position: i + 1, text: t.text, requiresPhoto: t.requiresPhoto })))
    .returning();
  return { ...template!, tasks };
}

export async function findTemplate(exec: Executor, id: number) {
  const [template] = await exec.select().from(checklistTemplates).where(eq(checklistTemplates.id, id));
  if (!template) return null;
  return { ...template, tasks: await findTasks(exec, id) };
}

export const listTemplates = (exec: Executor) =>
  exec.select().from(checklistTemplates).orderBy(asc(checklistTemplates.name));

/** The template's tasks in the order they are asked. */
export const findTasks = (exec: Executor, templateId: number) =>
  queryPrepared<typeof checklistTemplateTasks.$inferSelect>(exec, 'checklist_find_tasks', `
    SELECT id, template_id AS "templateId", position, text, requires_photo AS "requiresPhoto"
    FROM checklist_template_tasks WHERE template_id = $1 ORDER BY position`, [templateId]);
