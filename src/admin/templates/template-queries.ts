import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../../lib/db/client.js';
import type { Tx } from '../../lib/db/transaction.js';
import { ConflictError, NotFoundError } from '../../lib/errors.js';
import type { TaskColumns } from './task-settings-form.js';
import {
  checklistSubmissionAnswers,
  checklistTemplateTasks as tasks,
  checklistTemplates as templates,
} from '../../lib/db/schema.js';

export const MAX_TASKS = 100;
// Drizzle leaves a one-table select's columns unqualified, so the subqueries name checklist_templates.id in full.
// Positions are unique per template and checked row by row, so moves go through this free range.
const PARK = 100_000;

export function listTemplatesWithCounts(db: Db) {
  return db
    .select({
      id: templates.id,
      name: templates.name,
      createdAt: templates.createdAt,
      tasks: sql<number>`(SELECT COUNT(*)::int FROM checklist_template_tasks tt WHERE tt.template_id = checklist_templates.id)`,
      photos: sql<number>`(SELECT COUNT(*)::int FROM checklist_template_tasks tt WHERE tt.template_id = checklist_templates.id AND tt.requires_photo)`,
      active: sql<number>`(SELECT COUNT(*)::int FROM whatsapp_conversation_sessions s WHERE s.template_id = checklist_templates.id AND s.status = 'active')`,
    })
    .from(templates)
    .orderBy(asc(templates.name));
}

export async function renameTemplate(db: Db, id: number, name: string): Promise<void> {
  const rows = await db.update(templates).set({ name }).where(eq(templates.id, id)).returning({ id: templates.id });
  if (rows.length === 0) throw new NotFoundError('Checklist');
}

/** Conversations answering this checklist now; while any runs, its tasks cannot be added, moved or removed. */
export async function activeConversations(exec: Db | Tx, id: number): Promise<number> {
  const r = await exec.execute<{ n: number }>(
    sql`SELECT COUNT(*)::int AS n FROM whatsapp_conversation_sessions WHERE template_id = ${id} AND status = 'active'`,
  );
  return r.rows[0]?.n ?? 0;
}

/**
 * Locks the template for a change to its list of tasks. A conversation in progress counts its questions
 * by position, so adding, moving or removing tasks waits until none runs.
 */
export async function lockForTaskChange(tx: Tx, id: number): Promise<number> {
  const [t] = await tx.select({ id: templates.id }).from(templates).where(eq(templates.id, id)).for('update');
  if (!t) throw new NotFoundError('Checklist');
  const active = await activeConversations(tx, id);
  if (active > 0) {
    throw new ConflictError(
      `${active} conversation${active === 1 ? ' is' : 's are'} answering this checklist now; change its tasks when they have ended (text and photo settings can be changed now)`,
    );
  }
  const [{ n } = { n: 0 }] = await tx
    .select({ n: sql<number>`COUNT(*)::int` })
    .from(tasks)
    .where(eq(tasks.templateId, id));
  return n;
}

export async function addTask(tx: Tx, templateId: number, v: TaskColumns): Promise<void> {
  const count = await lockForTaskChange(tx, templateId);
  if (count >= MAX_TASKS) throw new ConflictError(`A checklist has at most ${MAX_TASKS} tasks`);
  await tx.insert(tasks).values({ templateId, position: count + 1, ...v });
}

/** A task row locked for an edit, so two saves of its options cannot both hand out the same new key. */
export async function lockTask(tx: Tx, templateId: number, taskId: number) {
  const [task] = await tx
    .select()
    .from(tasks)
    .where(and(eq(tasks.id, taskId), eq(tasks.templateId, templateId)))
    .for('update');
  if (!task) throw new NotFoundError('Task');
  return task;
}

export async function updateTask(tx: Tx, templateId: number, taskId: number, v: TaskColumns): Promise<void> {
  const rows = await tx
    .update(tasks)
    .set(v)
    .where(and(eq(tasks.id, taskId), eq(tasks.templateId, templateId)))
    .returning({ id: tasks.id });
  if (rows.length === 0) throw new NotFoundError('Task');
}

async function lockedTask(tx: Tx, templateId: number, taskId: number) {
  const [task] = await tx
    .select()
    .from(tasks)
    .where(and(eq(tasks.id, taskId), eq(tasks.templateId, templateId)));
  if (!task) throw new NotFoundError('Task');
  return task;
}

/** Swaps a task with its neighbour above or below; at either end nothing changes. */
export async function moveTask(tx: Tx, templateId: number, taskId: number, direction: 'up' | 'down'): Promise<void> {
  const count = await lockForTaskChange(tx, templateId);
  const task = await lockedTask(tx, templateId, taskId);
  const target = direction === 'up' ? task.position - 1 : task.position + 1;
  if (target < 1 || target > count) return;
  await tx.update(tasks).set({ position: PARK }).where(eq(tasks.id, task.id));
  await tx
    .update(tasks)
    .set({ position: task.position })
    .where(and(eq(tasks.templateId, templateId), eq(tasks.position, target)));
  await tx.update(tasks).set({ position: target }).where(eq(tasks.id, task.id));
}

/** Removes a task no answer refers to (answered tasks stay, so old reports keep their questions). */
export async function deleteTask(tx: Tx, templateId: number, taskId: number): Promise<void> {
  const count = await lockForTaskChange(tx, templateId);
  const task = await lockedTask(tx, templateId, taskId);
  if (count <= 1) throw new ConflictError('A checklist needs at least one task');
  const [used] = await tx
    .select({ id: checklistSubmissionAnswers.id })
    .from(checklistSubmissionAnswers)
    .where(eq(checklistSubmissionAnswers.taskId, taskId))
    .limit(1);
  if (used) throw new ConflictError('This task has answers in past submissions, so it stays; edit its text instead');
  await tx.delete(tasks).where(eq(tasks.id, task.id));
  const after = and(eq(tasks.templateId, templateId), gt(tasks.position, task.position));
  await tx
    .update(tasks)
    .set({ position: sql`${tasks.position} + ${PARK}` })
    .where(after);
  await tx
    .update(tasks)
    .set({ position: sql`${tasks.position} - ${PARK + 1}` })
    .where(and(eq(tasks.templateId, templateId), gt(tasks.position, PARK)));
}
