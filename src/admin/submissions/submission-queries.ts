import { and, asc, eq, gte, lt, sql } from 'drizzle-orm';
import type { Db } from '../../lib/db/client.js';
import {
  checklistSubmissionAnswers as answers,
  checklistSubmissions as submissions,
  checklistTemplateTasks as tasks,
  checklistTemplates as templates,
  correctiveActions,
  machines,
  operators,
} from '../../lib/db/schema.js';
import { answerPhotos, answeredTaskText, findSubmission } from '../../assignments/submissions-repository.js';
import { readingChartUrl } from '../readings/reading-links.js';
import { shownValue } from '../readings/reading-format.js';

/** One submission for the report: every answer, its review (state, who and when), and the machine's code. */
export async function findReport(db: Db, id: string) {
  const submission = await findSubmission(db, id);
  if (!submission) return null;
  const [review] = await db
    .select({ machineCode: machines.code })
    .from(submissions)
    .innerJoin(machines, eq(machines.id, submissions.machineId))
    .where(eq(submissions.id, id));
  const counts = { OK: 0, NOT_OK: 0, NA: 0 } as Record<string, number>;
  for (const a of submission.answers) counts[a.status] = (counts[a.status] ?? 0) + 1;
  const answers = submission.answers.map((a) => ({
    ...a,
    shown: shownValue(a),
    chartUrl:
      a.type === 'number' && a.value !== null ? readingChartUrl(submission.machineId, a.taskId, a.answeredAt) : null,
  }));
  return { ...submission, ...review!, answers, counts };
}

export interface ExportFilter {
  /** UTC days as YYYY-MM-DD, both included. */
  from: string;
  to: string;
  machineId?: number | undefined;
}

/**
 * One row per answer of the submissions completed in the range, oldest first, with the status of the answer's
 * corrective action (keyed by its submission and position, so at most one per row).
 */
export function exportAnswers(db: Db, f: ExportFilter) {
  return db
    .select({
      submissionId: submissions.id,
      completedAt: submissions.completedAt,
      machineName: machines.name,
      machineCode: machines.code,
      operatorName: operators.name,
      operatorPhone: operators.phoneNumber,
      needsReview: submissions.needsReview,
      reviewedAt: submissions.reviewedAt,
      reviewStatus: submissions.reviewStatus,
      templateName: templates.name,
      position: answers.position,
      task: answeredTaskText,
      status: answers.status,
      remarks: answers.remarks,
      photo: answers.photoFilename,
      photos: answerPhotos,
      answeredAt: answers.answeredAt,
      type: answers.taskType,
      value: sql<string | null>`COALESCE(${answers.valueNumeric}::text, ${answers.valueText})`,
      unit: answers.unit,
      min: answers.minValue,
      max: answers.maxValue,
      actionStatus: correctiveActions.status,
    })
    .from(submissions)
    .innerJoin(answers, eq(answers.submissionId, submissions.id))
    .innerJoin(tasks, eq(tasks.id, answers.taskId))
    .innerJoin(templates, eq(templates.id, submissions.templateId))
    .innerJoin(machines, eq(machines.id, submissions.machineId))
    .innerJoin(operators, eq(operators.id, submissions.operatorId))
    .leftJoin(
      correctiveActions,
      and(eq(correctiveActions.submissionId, answers.submissionId), eq(correctiveActions.position, answers.position)),
    )
    .where(
      and(
        eq(submissions.status, 'completed'),
        // The bounds are computed by PostgreSQL: the day after 9999-12-31 is no JavaScript ISO date.
        gte(submissions.completedAt, sql`(${f.from}::date)::timestamp AT TIME ZONE 'UTC'`),
        lt(submissions.completedAt, sql`(${f.to}::date + 1)::timestamp AT TIME ZONE 'UTC'`),
        f.machineId ? eq(submissions.machineId, f.machineId) : undefined,
      ),
    )
    .orderBy(asc(submissions.completedAt), asc(submissions.id), asc(answers.position))
    .limit(100_000);
}
