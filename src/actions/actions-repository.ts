import { and, asc, desc, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../lib/db/transaction.js';
import {
  checklistSubmissions as submissions,
  checklistTemplates as templates,
  machines,
  users,
} from '../lib/db/schema.js';
import { correctiveActions as actions, type ActionStatus } from './actions-schema.js';

export type ActionRow = typeof actions.$inferSelect;
const STILL_OPEN: ActionStatus[] = ['open', 'in_progress'];
/**
 * Overdue: still open and its due day is before `today`, the factory's day (factory-day.ts `factoryToday`, in
 * DEFAULT_TIMEZONE), never PostgreSQL's current_date (the database server's zone).
 */
const overdue = (today: string) =>
  sql`${actions.dueAt} < ${today}::date AND ${actions.status} IN ('open', 'in_progress')`;

/**
 * One action for each NOT OK answer of a confirmed submission. Idempotent (the unique (submission, position)),
 * so a CONFIRM applied twice, or a rework's NOT OK again, opens nothing new. Returns the actions it opened.
 */
export async function openActionsForSubmission(exec: Executor, submissionId: string) {
  const { rows } = await exec.execute<{ id: number; position: number }>(sql`
    INSERT INTO corrective_actions (submission_id, position, machine_id, task_text, remarks, photo_filename,
                                    value_numeric, unit, min_value, max_value)
    SELECT a.submission_id, a.position, s.machine_id, COALESCE(a.task_text, t.text), a.remarks, a.photo_filename,
           a.value_numeric, a.unit, a.min_value, a.max_value
    FROM checklist_submission_answers a
    JOIN checklist_submissions s ON s.id = a.submission_id
    JOIN checklist_template_tasks t ON t.id = a.task_id
    WHERE a.submission_id = ${submissionId} AND a.status = 'NOT_OK' AND s.status = 'completed'
    ON CONFLICT (submission_id, position) DO NOTHING
    RETURNING id, position`);
  return rows;
}

export interface ActionFilter {
  status?: ActionStatus | undefined;
  /** Open or in progress, and past its due day. */
  overdue?: boolean | undefined;
  /** The factory's day (YYYY-MM-DD) that "overdue" is measured against. */
  today: string;
  machineId?: number | undefined;
  ownerId?: number | undefined;
  submissionId?: string | undefined;
}

export function listActions(exec: Executor, f: ActionFilter, limit = 500) {
  const where: SQL[] = [];
  if (f.status) where.push(eq(actions.status, f.status));
  if (f.overdue) where.push(overdue(f.today));
  if (f.machineId !== undefined) where.push(eq(actions.machineId, f.machineId));
  if (f.ownerId !== undefined) where.push(eq(actions.ownerId, f.ownerId));
  if (f.submissionId) where.push(eq(actions.submissionId, f.submissionId));
  return exec
    .select()
    .from(actions)
    .where(and(...where))
    .orderBy(f.submissionId ? asc(actions.position) : desc(actions.createdAt), desc(actions.id))
    .limit(limit);
}

export async function findAction(exec: Executor, id: number): Promise<ActionRow | null> {
  const [row] = await exec.select().from(actions).where(eq(actions.id, id));
  return row ?? null;
}

export async function lockAction(exec: Executor, id: number): Promise<ActionRow | null> {
  const [row] = await exec.select().from(actions).where(eq(actions.id, id)).for('update');
  return row ?? null;
}

export type ActionChanges = Partial<Pick<ActionRow, 'status' | 'ownerId' | 'dueAt' | 'note' | 'closingPhotoFilename'>>;

/** Writes the changes; closed_at follows the status (set on done or wont_fix, cleared when reopened). */
export async function updateAction(exec: Executor, id: number, changes: ActionChanges): Promise<ActionRow> {
  const closing =
    changes.status === undefined
      ? {}
      : { closedAt: STILL_OPEN.includes(changes.status as ActionStatus) ? null : sql`now()` };
  const [row] = await exec
    .update(actions)
    .set({ ...changes, ...closing, updatedAt: sql`now()` })
    .where(eq(actions.id, id))
    .returning();
  return row!;
}

/** Closes the still-open actions of these positions as done with `note`; returns what it closed. */
export async function closeOpenActions(exec: Executor, submissionId: string, positions: number[], note: string) {
  if (positions.length === 0) return [];
  return exec
    .update(actions)
    .set({ status: 'done', note, closedAt: sql`now()`, updatedAt: sql`now()` })
    .where(
      and(
        eq(actions.submissionId, submissionId),
        inArray(actions.position, positions),
        inArray(actions.status, STILL_OPEN),
      ),
    )
    .returning({ id: actions.id, position: actions.position });
}

/** The dashboard's figures; `today`: the factory's day. */
export async function actionCounts(exec: Executor, today: string): Promise<{ open: number; overdue: number }> {
  const [row] = await exec
    .select({
      open: sql<number>`count(*) FILTER (WHERE ${actions.status} IN ('open', 'in_progress'))::int`,
      overdue: sql<number>`count(*) FILTER (WHERE ${overdue(today)})::int`,
    })
    .from(actions);
  return { open: row?.open ?? 0, overdue: row?.overdue ?? 0 };
}

/**
 * The accounts an action can be given to, and their names for the pages: the enabled ones, and `keep` (its owner
 * now) even when disabled, so the page shows who it is instead of silently showing nobody.
 */
export function owners(exec: Executor, keep: number | null = null) {
  return exec
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      disabled: sql<boolean>`${users.disabledAt} IS NOT NULL`,
    })
    .from(users)
    .where(keep === null ? isNull(users.disabledAt) : or(isNull(users.disabledAt), eq(users.id, keep)))
    .orderBy(asc(users.name));
}

export async function ownerExists(
  exec: Executor,
  id: number,
): Promise<{ name: string; email: string; disabled: boolean } | null> {
  const [row] = await exec
    .select({ name: users.name, email: users.email, disabled: sql<boolean>`${users.disabledAt} IS NOT NULL` })
    .from(users)
    .where(eq(users.id, id));
  return row ?? null;
}

/** Actions with the names the pages show (machine, owner, checklist), newest first or in task order. */
export function actionsForPage(
  exec: Executor,
  f: ActionFilter & { id?: number; stillOpen?: boolean; closed?: boolean },
  limit = 500,
) {
  const where: SQL[] = [];
  if (f.id !== undefined) where.push(eq(actions.id, f.id));
  if (f.stillOpen) where.push(inArray(actions.status, STILL_OPEN));
  if (f.status) where.push(eq(actions.status, f.status));
  if (f.closed) where.push(inArray(actions.status, ['done', 'wont_fix']));
  if (f.overdue) where.push(overdue(f.today));
  if (f.machineId !== undefined) where.push(eq(actions.machineId, f.machineId));
  if (f.ownerId !== undefined) where.push(eq(actions.ownerId, f.ownerId));
  if (f.submissionId) where.push(eq(actions.submissionId, f.submissionId));
  return exec
    .select({
      action: actions,
      overdue: sql<boolean>`COALESCE(${overdue(f.today)}, false)`,
      machineName: machines.name,
      machineCode: machines.code,
      ownerName: users.name,
      templateName: templates.name,
      completedAt: submissions.completedAt,
    })
    .from(actions)
    .innerJoin(machines, eq(machines.id, actions.machineId))
    .innerJoin(submissions, eq(submissions.id, actions.submissionId))
    .innerJoin(templates, eq(templates.id, submissions.templateId))
    .leftJoin(users, eq(users.id, actions.ownerId))
    .where(and(...where))
    .orderBy(f.submissionId ? asc(actions.position) : desc(actions.createdAt), desc(actions.id))
    .limit(limit);
}
export type ActionForPage = Awaited<ReturnType<typeof actionsForPage>>[number];

export const machineChoices = (exec: Executor) =>
  exec.select({ id: machines.id, name: machines.name, code: machines.code }).from(machines).orderBy(asc(machines.name));
