import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { Executor } from '../lib/db/transaction.js';
import {
  checklistAssignments as assignments,
  checklistSubmissionAnswers as answers,
  checklistSubmissions as submissions,
  checklistTemplateTasks as tasks,
  checklistTemplates as templates,
  machines,
  operators,
  whatsappConversationSessions as sessions,
} from '../lib/db/schema.js';

export type AssignmentRow = typeof assignments.$inferSelect;
export type AssignmentStatus = 'pending' | 'active' | 'completed' | 'cancelled' | 'missed';

export async function insertAssignment(
  exec: Executor,
  v: { templateId: number; machineId: number; operatorId: number },
) {
  const [row] = await exec.insert(assignments).values(v).returning();
  return row!;
}

export async function lockAssignment(exec: Executor, id: string): Promise<AssignmentRow | null> {
  const [row] = await exec.select().from(assignments).where(eq(assignments.id, id)).for('update');
  return row ?? null;
}

export async function updateAssignment(exec: Executor, id: string, set: PgUpdateSetSource<typeof assignments>) {
  await exec.update(assignments).set(set).where(eq(assignments.id, id));
}

const summaryColumns = {
  id: assignments.id,
  status: assignments.status,
  statusReason: assignments.statusReason,
  templateId: assignments.templateId,
  templateName: templates.name,
  machineId: assignments.machineId,
  machineName: machines.name,
  machineCode: machines.code,
  operatorId: assignments.operatorId,
  operatorName: operators.name,
  operatorPhone: operators.phoneNumber,
  createdAt: assignments.createdAt,
  startedAt: assignments.startedAt,
  completedAt: assignments.completedAt,
  cancelledAt: assignments.cancelledAt,
  lastExpiredAt: assignments.lastExpiredAt,
  scheduleId: assignments.scheduleId,
  dueAt: assignments.dueAt,
  completedLate: assignments.completedLate,
};

export async function listAssignments(
  exec: Executor,
  f: { status?: AssignmentStatus; operatorId?: number; machineId?: number },
) {
  return exec
    .select(summaryColumns)
    .from(assignments)
    .innerJoin(templates, eq(templates.id, assignments.templateId))
    .innerJoin(machines, eq(machines.id, assignments.machineId))
    .innerJoin(operators, eq(operators.id, assignments.operatorId))
    .where(
      and(
        f.status ? eq(assignments.status, f.status) : undefined,
        f.operatorId ? eq(assignments.operatorId, f.operatorId) : undefined,
        f.machineId ? eq(assignments.machineId, f.machineId) : undefined,
      ),
    )
    .orderBy(desc(assignments.createdAt))
    .limit(500);
}

export async function findAssignmentDetail(exec: Executor, id: string) {
  const [a] = await exec
    .select(summaryColumns)
    .from(assignments)
    .innerJoin(templates, eq(templates.id, assignments.templateId))
    .innerJoin(machines, eq(machines.id, assignments.machineId))
    .innerJoin(operators, eq(operators.id, assignments.operatorId))
    .where(eq(assignments.id, id));
  if (!a) return null;
  const [latest] = await exec
    .select({ id: submissions.id, status: submissions.status })
    .from(submissions)
    .where(eq(submissions.assignmentId, id))
    .orderBy(desc(submissions.createdAt))
    .limit(1);
  const [session] = await exec
    .select({
      id: sessions.id,
      status: sessions.status,
      currentTaskIndex: sessions.currentTaskIndex,
      totalTasks: sessions.totalTasks,
      expiresAt: sessions.expiresAt,
    })
    .from(sessions)
    .where(eq(sessions.assignmentId, id))
    .orderBy(desc(sessions.createdAt))
    .limit(1);
  const [{ total } = { total: 0 }] = await exec
    .select({ total: sql<number>`count(*)::int` })
    .from(tasks)
    .where(eq(tasks.templateId, a.templateId));
  const [{ answered } = { answered: 0 }] = latest
    ? await exec
        .select({ answered: sql<number>`count(*)::int` })
        .from(answers)
        .where(eq(answers.submissionId, latest.id))
    : [];
  // An expired assignment waits for a manager's restart, not in the queue.
  const queuePosition =
    a.status === 'pending' && !a.lastExpiredAt ? await queuePositionOf(exec, a.operatorId, a.id) : null;
  return {
    ...a,
    submissionId: latest?.id ?? null,
    submissionStatus: latest?.status ?? null,
    session: session ?? null,
    progress: { answered, total },
    queuePosition,
  };
}

/** 1 for the next assignment that will start for this operator. */
async function queuePositionOf(exec: Executor, operatorId: number, id: string): Promise<number> {
  const [row] = await exec
    .select({ n: sql<number>`count(*)::int` })
    .from(assignments)
    .where(
      and(
        eq(assignments.operatorId, operatorId),
        eq(assignments.status, 'pending'),
        isNull(assignments.lastExpiredAt),
        // Compared in SQL: a JS Date keeps milliseconds, created_at has microseconds.
        sql`(${assignments.createdAt}, ${assignments.id}) <= (SELECT a2.created_at, a2.id FROM checklist_assignments a2 WHERE a2.id = ${id})`,
      ),
    );
  return row?.n ?? 1;
}

/**
 * Pending (not started) assignments past their due time, or every pending one of a schedule, become missed.
 * The sweep skips rows another process holds (a start under way); returns how many.
 */
export async function missPending(
  exec: Executor,
  f: { dueBy: Date } | { scheduleId: number; before: Date },
  reason: string,
): Promise<MissedQueued[]> {
  const which =
    'dueBy' in f ? sql`q.due_at <= ${f.dueBy}` : sql`q.schedule_id = ${f.scheduleId} AND q.occurrence_at < ${f.before}`;
  const r = await exec.execute<MissedQueued & Record<string, unknown>>(sql`
    UPDATE checklist_assignments a SET status = 'missed', missed_at = now(), status_reason = ${reason}
    WHERE a.id IN (SELECT q.id FROM checklist_assignments q WHERE q.status = 'pending' AND ${which}
      FOR UPDATE ${'dueBy' in f ? sql`SKIP LOCKED` : sql``})
      AND a.status = 'pending'
    RETURNING a.template_id AS "templateId", a.machine_id AS "machineId", a.due_at AS "dueAt",
      (SELECT o.phone_number FROM operators o WHERE o.id = a.operator_id) AS "phoneNumber",
      (SELECT cs.timezone FROM checklist_schedules cs WHERE cs.id = a.schedule_id) AS "dueZone"`);
  return r.rows;
}

/** A queued (never started) assignment just marked missed: what its one line to the operator needs. */
export interface MissedQueued {
  templateId: number;
  machineId: number;
  dueAt: Date | string | null;
  phoneNumber: string;
  /** Its schedule's time zone (null: DEFAULT_TIMEZONE). */
  dueZone: string | null;
}

/**
 * A missed assignment back to pending with a new due time: now plus its schedule's window (the window it
 * had when its schedule is gone). Returns false when it is not missed.
 */
export async function reopenMissed(exec: Executor, id: string): Promise<boolean> {
  const r = await exec.execute(sql`
    UPDATE checklist_assignments a SET status = 'pending', status_reason = NULL, last_expired_at = NULL,
      due_at = now() + make_interval(mins => COALESCE(
        (SELECT s.due_after_minutes FROM checklist_schedules s WHERE s.id = a.schedule_id),
        GREATEST(1, (extract(epoch FROM a.due_at - a.occurrence_at) / 60)::int), 120))
    WHERE a.id = ${id} AND a.status = 'missed'`);
  return (r.rowCount ?? 0) > 0;
}
