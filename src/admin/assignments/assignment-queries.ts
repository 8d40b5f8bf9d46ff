import { and, asc, desc, eq, gte, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../lib/db/client.js';
import {
  checklistAssignments as assignments,
  checklistSubmissionAnswers as answers,
  checklistSubmissions as submissions,
  checklistTemplates as templates,
  machines,
  operators,
  whatsappConversationSessions as sessions,
} from '../../lib/db/schema.js';
import { findAssignmentDetail } from '../../assignments/assignments-repository.js';
import { findTasks } from '../../checklists/checklists-repository.js';
import { shownValue } from '../readings/reading-format.js';

/**
 * 'expired' is a pending assignment whose conversation expired (it waits for a restart); 'late' is a completed
 * one finished after its due time (late is a flag on completed, not a status).
 */
export type ListStatus = 'pending' | 'active' | 'completed' | 'late' | 'missed' | 'cancelled' | 'expired';

export async function listForPage(
  db: Db,
  f: { status?: ListStatus; operatorId?: number; machineId?: number; missedSince?: Date },
) {
  const status =
    f.status === 'expired'
      ? and(eq(assignments.status, 'pending'), isNotNull(assignments.lastExpiredAt))
      : f.status === 'pending'
        ? and(eq(assignments.status, 'pending'), isNull(assignments.lastExpiredAt))
        : f.status === 'late'
          ? and(eq(assignments.status, 'completed'), eq(assignments.completedLate, true))
          : f.status
            ? eq(assignments.status, f.status)
            : undefined;
  return db
    .select({
      id: assignments.id,
      status: assignments.status,
      statusReason: assignments.statusReason,
      lastExpiredAt: assignments.lastExpiredAt,
      templateName: templates.name,
      machineName: machines.name,
      machineCode: machines.code,
      operatorName: operators.name,
      createdAt: assignments.createdAt,
      completedAt: assignments.completedAt,
      dueAt: assignments.dueAt,
      completedLate: assignments.completedLate,
    })
    .from(assignments)
    .innerJoin(templates, eq(templates.id, assignments.templateId))
    .innerJoin(machines, eq(machines.id, assignments.machineId))
    .innerJoin(operators, eq(operators.id, assignments.operatorId))
    .where(
      and(
        status,
        f.operatorId ? eq(assignments.operatorId, f.operatorId) : undefined,
        f.machineId ? eq(assignments.machineId, f.machineId) : undefined,
        f.status === 'missed' && f.missedSince ? gte(assignments.missedAt, f.missedSince) : undefined,
      ),
    )
    .orderBy(desc(assignments.createdAt))
    .limit(200);
}

export type TaskState = 'answered' | 'asking' | 'waiting' | 'unanswered';

/** Everything the progress page shows: the assignment, its latest conversation and each question's state. */
export async function findProgress(db: Db, id: string) {
  const detail = await findAssignmentDetail(db, id);
  if (!detail) return null;
  const [extra] = await db
    .select({ lastExpiredAt: assignments.lastExpiredAt })
    .from(assignments)
    .where(eq(assignments.id, id));
  const [session] = await db
    .select({
      status: sessions.status,
      currentTaskIndex: sessions.currentTaskIndex,
      totalTasks: sessions.totalTasks,
      pendingPhoto: sessions.pendingPhotoUrl,
      awaitingNote: sessions.awaitingNote,
      awaitingStart: sessions.awaitingStart,
      editing: sessions.editing,
      expiresAt: sessions.expiresAt,
      lastMessageAt: sessions.lastMessageAt,
    })
    .from(sessions)
    .where(eq(sessions.assignmentId, id))
    .orderBy(desc(sessions.createdAt))
    .limit(1);
  const tasks = await findTasks(db, detail.templateId);
  const given = detail.submissionId
    ? await db
        .select({
          position: answers.position,
          status: answers.status,
          remarks: answers.remarks,
          photo: answers.photoFilename,
          answeredAt: answers.answeredAt,
          taskText: answers.taskText,
          taskRequiresPhoto: answers.taskRequiresPhoto,
          type: answers.taskType,
          valueNumeric: answers.valueNumeric,
          valueText: answers.valueText,
          unit: answers.unit,
          min: answers.minValue,
          max: answers.maxValue,
        })
        .from(answers)
        .where(eq(answers.submissionId, detail.submissionId))
        .orderBy(asc(answers.position))
    : [];
  // Each answer's value in the report's words ("9.5 bar", "(limits 4 to 8 bar)", "above the limit of 8 bar").
  const shownAnswers = given.map(({ valueNumeric, valueText, ...a }) => ({
    ...a,
    shown: shownValue({ ...a, value: valueNumeric !== null ? Number(valueNumeric) : valueText }),
  }));
  const history = await db
    .select({
      id: submissions.id,
      status: submissions.status,
      createdAt: submissions.createdAt,
      completedAt: submissions.completedAt,
      needsReview: submissions.needsReview,
      reviewedAt: submissions.reviewedAt,
    })
    .from(submissions)
    .where(eq(submissions.assignmentId, id))
    .orderBy(desc(submissions.createdAt));

  const live = session?.status === 'active';
  const questions = tasks.map((t, i) => {
    const answer = shownAnswers.find((a) => a.position === t.position) ?? null;
    const asking = live && !session.awaitingStart && session.currentTaskIndex === i;
    const state: TaskState = asking
      ? 'asking'
      : answer
        ? 'answered'
        : live || !detail.submissionId
          ? 'waiting'
          : 'unanswered';
    // An answered question shows its task as answered: the template may have been edited since.
    return {
      position: t.position,
      text: answer?.taskText ?? t.text,
      requiresPhoto: answer?.taskRequiresPhoto ?? t.requiresPhoto,
      state,
      answer,
    };
  });
  return {
    ...detail,
    lastExpiredAt: extra?.lastExpiredAt ?? null,
    session: session ?? null,
    live,
    awaitingConfirm: live && session.currentTaskIndex >= session.totalTasks,
    questions,
    answered: given.length,
    history,
  };
}

export type Progress = NonNullable<Awaited<ReturnType<typeof findProgress>>>;

/** Template, machine and operator ids that do not exist, by form field name. */
export async function missingChoices(db: Db, v: { templateId: number; machineId: number; operatorId: number }) {
  const r = await db.execute<{ t: boolean; m: boolean; o: boolean; tasks: number }>(sql`
    SELECT EXISTS (SELECT 1 FROM checklist_templates WHERE id = ${v.templateId}) AS t,
           EXISTS (SELECT 1 FROM machines WHERE id = ${v.machineId}) AS m,
           EXISTS (SELECT 1 FROM operators WHERE id = ${v.operatorId}) AS o,
           (SELECT COUNT(*)::int FROM checklist_template_tasks WHERE template_id = ${v.templateId}) AS tasks`);
  const row = r.rows[0]!;
  const errors: Record<string, string> = {};
  if (!row.t) errors.templateId = 'This checklist does not exist any more';
  else if (row.tasks === 0) errors.templateId = 'This checklist has no tasks yet; add some first';
  if (!row.m) errors.machineId = 'This machine does not exist any more';
  if (!row.o) errors.operatorId = 'This operator does not exist any more';
  return errors;
}
