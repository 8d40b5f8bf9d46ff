import { submissionMessages } from '../../outbox/pricing-repository.js';
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Db } from '../../lib/db/client.js';
import { NotFoundError, ValidationError } from '../../lib/errors.js';
import { withoutBidiControls } from '../../lib/bidi.js';
import { dbId } from '../../lib/validation.js';
import { submissionEvents } from '../../audit/audit-repository.js';
import { actionStatusWords, inWords } from '../../audit/audit-words.js';
import { factoryToday } from '../../actions/factory-day.js';
import { actionsForPage } from '../../actions/actions-repository.js';
import { actionWords } from '../actions/action-words.js';
import { renderPage } from '../http/render.js';
import { shownValue } from '../readings/reading-format.js';
import { reviewView } from './review-view.js';
import { csvRow } from './csv.js';
import { reviewStateWords } from './review-words.js';
import { exportAnswers, findReport } from './submission-queries.js';
import { reviewPages } from './review-pages.js';
import type { ReviewService } from '../../review/review-service.js';

// Years 0001 to 9999: four digits, all of which PostgreSQL's date holds (it refuses year 0).
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2025-11-25')
  .refine((s) => isCalendarDay(s) && !s.startsWith('0000'), 'is not a real date between 0001-01-01 and 9999-12-31');
const exportQuery = z
  .object({
    from: day,
    to: day,
    machineId: z.preprocess((v) => (v === '' ? undefined : v), dbId.optional()),
  })
  .refine((q) => q.from <= q.to, { message: 'must not be before "from"', path: ['to'] });

/** "2025-02-30" is not a day (Date.parse would read it as 2 March). */
function isCalendarDay(s: string): boolean {
  const ms = Date.parse(`${s}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === s;
}

const HEADER = [
  'submission_id',
  'completed_at',
  'machine',
  'operator',
  'template',
  'position',
  'task',
  'status',
  'remarks',
  'photo_url',
  'answered_at',
  // An answer keeps up to 5 photos: photo_url is the first, this the others, space-separated. Added last
  // so a spreadsheet or script that reads the earlier columns by position keeps working.
  'other_photo_urls',
  // Issue 16, added last for the same reason: the reading as typed, the option's label or the text; the unit and
  // limits that applied; and, for a reading outside them, which limit it broke ("above the limit of 8 bar").
  'value',
  'unit',
  'min',
  'max',
  'out_of_range',
  // Issue 18, added last for the same reason: the operator's WhatsApp number (E.164), where the review
  // stands and the status of the answer's corrective action, both in words (empty when the answer has no action).
  'operator_phone',
  'review_state',
  'action_status',
];

/** The export form's labels, for its messages. */
const EXPORT_LABELS: Record<string, string> = { from: 'From', to: 'To', machineId: 'Machine' };

/** A 400 whose message names each bad field and says why (the page shows only the message). */
function exportProblem(err: z.ZodError): ValidationError {
  const fields = err.issues.map((i) => ({ field: i.path.join('.') || 'filter', message: i.message }));
  const said = fields.map((f) => `${EXPORT_LABELS[f.field] ?? f.field}: ${f.message}`);
  return new ValidationError(`Check the export filter. ${said.join('; ')}.`, { fields });
}

/**
 * The report and the CSV; companyName (COMPANY_NAME) heads the printed report, not shown when empty; timeZone
 * (DEFAULT_TIMEZONE) says which of its actions are overdue.
 */
export function submissionPages(
  db: Db,
  review: ReviewService,
  opts: { companyName: string; timeZone: string } = { companyName: '', timeZone: 'UTC' },
): Router {
  const router = Router();

  const idOf = (req: Request) => {
    const p = z.object({ id: z.uuid() }).safeParse(req.params);
    if (!p.success) throw new NotFoundError('Submission');
    return p.data.id;
  };

  /** Every answer of the completed submissions in a date range (UTC days, both included), optionally one machine. */
  router.get('/submissions.csv', async (req, res) => {
    const q = exportQuery.safeParse(req.query);
    if (!q.success) throw exportProblem(q.error);
    const rows = await exportAnswers(db, { from: q.data.from, to: q.data.to, machineId: q.data.machineId });
    const origin = `${req.protocol}://${req.get('host')}`;
    const photoUrl = (name: string) => `${origin}/api/whatsapp-photos/${name}`;
    const body =
      '\uFEFF' + // so spreadsheet programs read it as UTF-8
      csvRow(HEADER) +
      rows
        .map((r) =>
          csvRow([
            r.submissionId,
            r.completedAt,
            `${r.machineName} (${r.machineCode})`,
            r.operatorName,
            r.templateName,
            r.position,
            r.task,
            r.status === 'NOT_OK' ? 'NOT OK' : r.status,
            r.remarks === null ? null : withoutBidiControls(r.remarks),
            r.photo ? photoUrl(r.photo) : null,
            r.answeredAt,
            r.photos.slice(1).map(photoUrl).join(' ') || null,
            // A reading as a number, so a spreadsheet can sum it (and "-4" is not quoted as a formula would be).
            r.type === 'number' && r.value !== null ? Number(r.value) : r.value,
            r.unit,
            r.min,
            r.max,
            shownValue(r).outOfRange || null,
            r.operatorPhone,
            reviewStateWords(r),
            r.actionStatus === null ? null : actionStatusWords(r.actionStatus),
          ]),
        )
        .join('');
    req.log.info({ rows: rows.length, userId: res.locals.user?.id }, 'Submissions exported as CSV');
    res
      .set({
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="kinto-submissions-${q.data.from}-to-${q.data.to}.csv"`,
      })
      .send(body);
  });

  router.get('/submissions/:id', async (req, res) => {
    const report = await findReport(db, idOf(req));
    if (!report) throw new NotFoundError('Submission');
    const day = factoryToday(new Date(), opts.timeZone);
    await renderPage(res, 'submission', {
      title: `Report · ${report.templateName} · ${report.machineName}`,
      nav: 'assignments',
      r: report,
      companyName: opts.companyName,
      review: await reviewView(db, report),
      messages: await submissionMessages(db, report.id),
      trail: inWords(await submissionEvents(db, report.id, report.assignmentId)),
      actions: await actionsForPage(db, { submissionId: report.id, today: day }),
      actionStatusWords,
      actionWords: actionWords(day),
    });
  });

  router.use(reviewPages(db, review));

  return router;
}
