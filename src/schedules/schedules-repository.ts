import { and, asc, eq, notInArray, sql } from 'drizzle-orm';
import type { Executor, Tx } from '../lib/db/transaction.js';
import {
  checklistAssignments as assignments,
  checklistSchedules as schedules,
  checklistTemplates as templates,
  machines,
  operators,
} from '../lib/db/schema.js';

export type ScheduleRow = typeof schedules.$inferSelect;
export type ScheduleValues = Pick<
  ScheduleRow,
  'templateId' | 'machineId' | 'operatorId' | 'timezone' | 'daysOfWeek' | 'times' | 'dueAfterMinutes' | 'active'
>;

export async function insertSchedule(exec: Executor, v: ScheduleValues & { nextRunAt: Date | null }) {
  const [row] = await exec.insert(schedules).values(v).returning();
  return row!;
}

export async function lockSchedule(exec: Executor, id: number): Promise<ScheduleRow | null> {
  const [row] = await exec.select().from(schedules).where(eq(schedules.id, id)).for('update');
  return row ?? null;
}

export async function updateSchedule(
  exec: Executor,
  id: number,
  set: Partial<ScheduleValues> & { nextRunAt: Date | null },
) {
  await exec
    .update(schedules)
    .set({ ...set, updatedAt: sql`now()` })
    .where(eq(schedules.id, id));
}

export async function deleteSchedule(exec: Executor, id: number): Promise<boolean> {
  const r = await exec.delete(schedules).where(eq(schedules.id, id)).returning({ id: schedules.id });
  return r.length > 0;
}

// The latest occurrence's result, for the list ("last result").
// Times as ISO UTC strings, as the rest of the JSON has them.
const iso = (column: string) => sql.raw(`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);
const LAST = sql`(SELECT json_build_object('assignmentId', a.id, 'status', a.status, 'completedLate', a.completed_late,
    'occurrenceAt', ${iso('a.occurrence_at')}, 'dueAt', ${iso('a.due_at')})
  FROM checklist_assignments a WHERE a.schedule_id = ${schedules.id}
  ORDER BY a.occurrence_at DESC LIMIT 1)`;

export interface LastResult {
  assignmentId: string;
  status: string;
  completedLate: boolean;
  occurrenceAt: string;
  dueAt: string;
}

const listColumns = {
  id: schedules.id,
  templateId: schedules.templateId,
  templateName: templates.name,
  machineId: schedules.machineId,
  machineName: machines.name,
  machineCode: machines.code,
  operatorId: schedules.operatorId,
  operatorName: operators.name,
  timezone: schedules.timezone,
  daysOfWeek: schedules.daysOfWeek,
  times: schedules.times,
  dueAfterMinutes: schedules.dueAfterMinutes,
  active: schedules.active,
  nextRunAt: schedules.nextRunAt,
  createdAt: schedules.createdAt,
  updatedAt: schedules.updatedAt,
  lastResult: sql<LastResult | null>`${LAST}`,
};

function selectSchedules(exec: Executor) {
  return exec
    .select(listColumns)
    .from(schedules)
    .innerJoin(templates, eq(templates.id, schedules.templateId))
    .innerJoin(machines, eq(machines.id, schedules.machineId))
    .innerJoin(operators, eq(operators.id, schedules.operatorId));
}

export type ScheduleSummary = Awaited<ReturnType<typeof listSchedules>>[number];

export async function listSchedules(exec: Executor) {
  return selectSchedules(exec).orderBy(asc(machines.name), asc(schedules.id)).limit(1000);
}

export async function findSchedule(exec: Executor, id: number): Promise<ScheduleSummary | null> {
  const [row] = await selectSchedules(exec).where(eq(schedules.id, id));
  return row ?? null;
}

/**
 * One active schedule whose next occurrence has come, locked; schedules another process holds are skipped
 * (it is creating their occurrence), and so are those this pass could not run (`skip`).
 */
export async function lockNextDueSchedule(tx: Tx, now: Date, skip: number[]): Promise<ScheduleRow | null> {
  const [row] = await tx
    .select()
    .from(schedules)
    .where(
      and(
        sql`${schedules.active} AND ${schedules.nextRunAt} <= ${now}`,
        skip.length > 0 ? notInArray(schedules.id, skip) : undefined,
      ),
    )
    .orderBy(asc(schedules.nextRunAt))
    .limit(1)
    .for('update', { skipLocked: true });
  return row ?? null;
}

export async function setNextRun(tx: Tx, id: number, nextRunAt: Date | null) {
  await tx.update(schedules).set({ nextRunAt }).where(eq(schedules.id, id));
}

/**
 * An occurrence's assignment, once: a second insert for the same (schedule, occurrence time), from another
 * process or after a restart, does nothing and returns null.
 */
export async function insertOccurrence(
  tx: Tx,
  s: ScheduleRow,
  o: { occurrenceAt: Date; dueAt: Date; missedReason?: string },
): Promise<string | null> {
  const missed = o.missedReason !== undefined;
  const [row] = await tx
    .insert(assignments)
    .values({
      templateId: s.templateId,
      machineId: s.machineId,
      operatorId: s.operatorId,
      scheduleId: s.id,
      occurrenceAt: o.occurrenceAt,
      dueAt: o.dueAt,
      ...(missed ? { status: 'missed', missedAt: o.dueAt, statusReason: o.missedReason } : {}),
    })
    .onConflictDoNothing({ target: [assignments.scheduleId, assignments.occurrenceAt] })
    .returning({ id: assignments.id });
  return row?.id ?? null;
}
