import { and, asc, eq, sql } from 'drizzle-orm';
import { runPrepared, type Executor, type PreparedStatement } from '../lib/db/transaction.js';
import { checklistTemplateTasks, checklistTemplates, machines, operators } from '../lib/db/schema.js';
import type { CreateMachine, CreateOperator, CreateTemplate } from './checklists-schemas.js';

export async function insertOperator(exec: Executor, input: CreateOperator) {
  const [row] = await exec.insert(operators).values(input).returning();
  return row!;
}

export const listOperators = (exec: Executor) => exec.select().from(operators).orderBy(asc(operators.name));

export async function findOperator(exec: Executor, id: number) {
  const [row] = await exec.select().from(operators).where(eq(operators.id, id));
  return row ?? null;
}

/**
 * Locks the operator row FOR UPDATE, the mode that conflicts with the FOR KEY SHARE a conversation's start
 * takes on it (start-repository.ts): a start and a number change run one after the other.
 */
export async function lockOperator(exec: Executor, id: number) {
  const [row] = await exec.select().from(operators).where(eq(operators.id, id)).for('update');
  return row ?? null;
}

export async function updateOperator(exec: Executor, id: number, input: CreateOperator) {
  const [row] = await exec.update(operators).set(input).where(eq(operators.id, id)).returning();
  return row ?? null;
}

export async function insertMachine(exec: Executor, input: CreateMachine) {
  const [row] = await exec.insert(machines).values(input).returning();
  return row!;
}

export const listMachines = (exec: Executor) => exec.select().from(machines).orderBy(asc(machines.name));

export async function findMachine(exec: Executor, id: number) {
  const [row] = await exec.select().from(machines).where(eq(machines.id, id));
  return row ?? null;
}

/** The machine as saved, or null when there is no machine with this id. */
export async function updateMachine(exec: Executor, id: number, input: CreateMachine) {
  const [row] = await exec.update(machines).set(input).where(eq(machines.id, id)).returning();
  return row ?? null;
}

export async function insertTemplate(exec: Executor, input: CreateTemplate) {
  const [template] = await exec.insert(checklistTemplates).values({ name: input.name }).returning();
  const tasks = await exec
    .insert(checklistTemplateTasks)
    .values(
      input.tasks.map((t, i) => ({
        templateId: template!.id,
        position: i + 1,
        text: t.text,
        requiresPhoto: t.requiresPhoto ?? false,
        taskType: t.type ?? 'check',
        allowNa: t.allowNa ?? true,
        unit: t.type === 'number' ? (t.unit ?? null) : null,
        minValue: t.type === 'number' ? (t.min ?? null) : null,
        maxValue: t.type === 'number' ? (t.max ?? null) : null,
        decimals: t.type === 'number' ? (t.decimals ?? null) : null,
        // Keys are stable once written: an option keeps its key when its label is reworded later.
        options:
          t.type === 'choice'
            ? (t.options ?? []).map((o, i) => ({ key: `o${i + 1}`, label: o.label, fails: o.fails ?? false }))
            : null,
      })),
    )
    .returning();
  return { ...template!, tasks: tasks.map(apiTask) };
}

type TaskRow = typeof checklistTemplateTasks.$inferSelect;

/** A task as the API shows it: the names POST /api/templates takes (`type`, `min`, `max`), not the columns'. */
export const apiTask = ({ taskType, minValue, maxValue, ...t }: TaskRow) => ({
  ...t,
  type: taskType,
  min: minValue,
  max: maxValue,
});

export async function findTemplate(exec: Executor, id: number) {
  const [template] = await exec.select().from(checklistTemplates).where(eq(checklistTemplates.id, id));
  if (!template) return null;
  return { ...template, tasks: (await findTasks(exec, id)).map(apiTask) };
}

export const listTemplates = (exec: Executor) =>
  exec.select().from(checklistTemplates).orderBy(asc(checklistTemplates.name));

/** The template's tasks in the order they are asked. */
export const findTasks = (exec: Executor, templateId: number) =>
  exec
    .select()
    .from(checklistTemplateTasks)
    .where(eq(checklistTemplateTasks.templateId, templateId))
    .orderBy(asc(checklistTemplateTasks.position));

/** Which of a template, machine and operator exist, by the ids' field names (an assignment needs all three). */
export async function catalogueExists(
  exec: Executor,
  ids: { templateId: number; machineId: number; operatorId: number },
) {
  const [t] = await exec
    .select({ id: checklistTemplates.id })
    .from(checklistTemplates)
    .where(eq(checklistTemplates.id, ids.templateId));
  const [m] = await exec.select({ id: machines.id }).from(machines).where(eq(machines.id, ids.machineId));
  const [o] = await exec.select({ id: operators.id }).from(operators).where(eq(operators.id, ids.operatorId));
  return { templateId: Boolean(t), machineId: Boolean(m), operatorId: Boolean(o) };
}

const NAMES: PreparedStatement = {
  name: 'checklist_names',
  text: `SELECT (SELECT ct.name FROM checklist_templates ct WHERE ct.id = $1) AS template,
    (SELECT m.name FROM machines m WHERE m.id = $2) AS machine`,
};

/** The template's and the machine's names, each null when there is none with its id; one prepared statement. */
export async function findNames(
  exec: Executor,
  templateId: number,
  machineId: number,
): Promise<{ template: string | null; machine: string | null }> {
  const [names] = await runPrepared<{ template: string | null; machine: string | null }>(exec, NAMES, [
    templateId,
    machineId,
  ]);
  return names!;
}

/** The name of the operator whose WhatsApp number this is (E.164), or null when none has it. */
export async function findOperatorNameByPhone(exec: Executor, phoneNumber: string): Promise<string | null> {
  const [o] = await exec.select({ name: operators.name }).from(operators).where(eq(operators.phoneNumber, phoneNumber));
  return o?.name ?? null;
}

/** How many operators, machines and checklist templates there are, in one statement. */
export async function countCatalogue(exec: Executor) {
  const [counts] = await exec
    .select({
      operators: sql<number>`(SELECT count(*)::int FROM ${operators})`,
      machines: sql<number>`(SELECT count(*)::int FROM ${machines})`,
      templates: sql<number>`(SELECT count(*)::int FROM ${checklistTemplates})`,
    })
    .from(sql`(SELECT 1) AS one`);
  return counts ?? null;
}

/** Corrects a stored number (operator-phones.ts); false when the operator's number is no longer `from`. */
export async function moveOperatorPhone(exec: Executor, id: number, from: string, to: string): Promise<boolean> {
  const rows = await exec
    .update(operators)
    .set({ phoneNumber: to })
    .where(and(eq(operators.id, id), eq(operators.phoneNumber, from)))
    .returning({ id: operators.id });
  return rows.length > 0;
}
