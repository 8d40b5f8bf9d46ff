import { and, asc, eq, gte, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../../lib/db/client.js';
import {
  checklistSubmissionAnswers as answers,
  checklistSubmissions as submissions,
  checklistTemplateTasks as tasks,
  checklistTemplates as templates,
  operators,
} from '../../lib/db/schema.js';
import { answeredTaskText } from '../../assignments/submissions-repository.js';
import type { ReadingRow } from './readings-view.js';

/** At most this many readings per page (a reading a shift over 90 days is far below it). */
const MOST = 5000;

/**
 * The readings (number answers with a value) of a machine's submissions answered in the last `days` days, by
 * checklist, task and time. A number answered NA has no value and is no reading.
 */
export async function machineReadings(db: Db, machineId: number, days: number): Promise<ReadingRow[]> {
  const rows = await db
    .select({
      answerId: answers.id,
      submissionId: answers.submissionId,
      taskId: answers.taskId,
      templateName: templates.name,
      taskText: answeredTaskText,
      answeredAt: answers.answeredAt,
      operatorName: operators.name,
      value: answers.valueNumeric,
      unit: answers.unit,
      min: answers.minValue,
      max: answers.maxValue,
      status: answers.status,
      remarks: answers.remarks,
      taskType: tasks.taskType,
      taskUnit: tasks.unit,
      taskMin: tasks.minValue,
      taskMax: tasks.maxValue,
      decimals: tasks.decimals,
    })
    .from(answers)
    .innerJoin(submissions, eq(submissions.id, answers.submissionId))
    .innerJoin(tasks, eq(tasks.id, answers.taskId))
    .innerJoin(templates, eq(templates.id, submissions.templateId))
    .innerJoin(operators, eq(operators.id, submissions.operatorId))
    .where(
      and(
        eq(submissions.machineId, machineId),
        eq(answers.taskType, 'number'),
        isNotNull(answers.valueNumeric),
        gte(answers.answeredAt, sql`now() - make_interval(days => ${days})`),
      ),
    )
    .orderBy(asc(templates.name), asc(tasks.templateId), asc(tasks.position), asc(answers.answeredAt))
    .limit(MOST);
  return rows.map(({ taskType, taskUnit, taskMin, taskMax, decimals, value, ...r }) => ({
    ...r,
    value: value!,
    task: { type: taskType, unit: taskUnit, min: taskMin, max: taskMax, decimals },
  }));
}
