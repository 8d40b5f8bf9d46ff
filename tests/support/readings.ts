import type { Db } from '../../src/lib/db/client.js';
import { checklistAssignments, checklistSubmissionAnswers, checklistSubmissions } from '../../src/lib/db/schema.js';

export interface SeededReading {
  daysAgo: number;
  value: string;
  /** The limits that applied when it was read; the status follows from them. */
  min: number | null;
  max: number | null;
  unit: string;
}

/**
 * Readings of one number task as if operators had answered them: each its own completed assignment and
 * submission on the machine, answered `daysAgo` days back. Returns the submission ids, in the given order.
 */
export async function seedReadings(
  db: Db,
  at: { templateId: number; taskId: number; taskText: string; machineId: number; operatorId: number },
  readings: SeededReading[],
): Promise<string[]> {
  const ids: string[] = [];
  for (const r of readings) {
    const when = new Date(Date.now() - r.daysAgo * 86_400_000);
    const n = Number(r.value);
    const out = (r.min !== null && n < r.min) || (r.max !== null && n > r.max);
    const owner = { templateId: at.templateId, machineId: at.machineId, operatorId: at.operatorId };
    const [assignment] = await db
      .insert(checklistAssignments)
      .values({ ...owner, status: 'completed', createdAt: when, startedAt: when, completedAt: when })
      .returning({ id: checklistAssignments.id });
    const [submission] = await db
      .insert(checklistSubmissions)
      .values({
        ...owner,
        assignmentId: assignment!.id,
        status: 'completed',
        createdAt: when,
        completedAt: when,
        needsReview: out,
      })
      .returning({ id: checklistSubmissions.id });
    await db.insert(checklistSubmissionAnswers).values({
      submissionId: submission!.id,
      taskId: at.taskId,
      position: 1,
      status: out ? 'NOT_OK' : 'OK',
      remarks: out ? 'gauge reads high' : null,
      answeredAt: when,
      taskText: at.taskText,
      taskRequiresPhoto: false,
      taskType: 'number',
      valueNumeric: r.value,
      unit: r.unit,
      minValue: r.min,
      maxValue: r.max,
    });
    ids.push(submission!.id);
  }
  return ids;
}
