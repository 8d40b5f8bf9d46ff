// What the REST API answers, as zod schemas: the OpenAPI document is generated from them, and
// openapi-contract.test.ts parses real responses with them, so the document cannot drift from the code.
// Strict objects: a field the code adds without documenting it fails that test.
import { z } from 'zod';

const id = z.number().int().positive();
const uuid = z.string().describe('uuid');
const time = z.iso.datetime();
const nullableTime = time.nullable();

export const assignmentStatus = z.enum(['pending', 'active', 'completed', 'cancelled', 'missed']);
export const submissionStatus = z.enum(['pending', 'completed', 'expired', 'cancelled']);
export const sessionStatus = z.enum(['active', 'completed', 'expired', 'cancelled']);

export const operatorSchema = z.strictObject({
  id,
  name: z.string(),
  phoneNumber: z.string().describe('E.164, e.g. +919812345678'),
  createdAt: time,
  whatsappUserId: z
    .string()
    .nullable()
    .describe("WhatsApp's business-scoped user id, once Meta gave it with the number (docs/decisions/0011)"),
  whatsappUsername: z.string().nullable().describe('Their WhatsApp username, when they have one'),
  whatsappNote: z.string().nullable().describe('What WhatsApp last told about them (a changed number or user id)'),
  whatsappNoteAt: time.nullable(),
});

export const machineSchema = z.strictObject({ id, name: z.string(), code: z.string(), createdAt: time });

export const templateSchema = z.strictObject({ id, name: z.string(), createdAt: time });

const taskType = z
  .enum(['check', 'number', 'choice', 'text'])
  .describe(
    'check: OK / NOT OK / N/A; number: a reading with a unit and limits; choice: one of the options; text: any text',
  );

export const taskSchema = z.strictObject({
  id,
  templateId: id,
  position: z.number().int().min(1).describe('1-based order in which the question is asked'),
  text: z.string(),
  requiresPhoto: z.boolean(),
  type: taskType,
  allowNa: z.boolean().describe('The operator may answer N/A'),
  unit: z.string().nullable().describe('number: the unit of the reading (`bar`, `°C`)'),
  min: z.number().nullable().describe('number: the lowest value in range (inclusive); null: no lower limit'),
  max: z.number().nullable().describe('number: the highest value in range (inclusive); null: no upper limit'),
  decimals: z.number().int().nullable().describe('number: decimals shown'),
  options: z
    .array(z.strictObject({ key: z.string(), label: z.string(), fails: z.boolean() }))
    .nullable()
    .describe('choice: the options in the order offered; `key` is stable, `fails` saves NOT OK'),
});

export const templateWithTasksSchema = z.strictObject({ ...templateSchema.shape, tasks: z.array(taskSchema) });

export const assignmentSummarySchema = z.strictObject({
  id: uuid,
  status: assignmentStatus,
  statusReason: z
    .string()
    .nullable()
    .describe(
      'Why a pending assignment waits: queued behind another checklist, WhatsApp switched off, or its last conversation expired',
    ),
  templateId: id,
  templateName: z.string(),
  machineId: id,
  machineName: z.string(),
  machineCode: z.string(),
  operatorId: id,
  operatorName: z.string(),
  operatorPhone: z.string(),
  createdAt: time,
  startedAt: nullableTime,
  completedAt: nullableTime,
  cancelledAt: nullableTime,
  lastExpiredAt: nullableTime.describe(
    'Set when its conversation expired: it then waits for a restart, not in the queue',
  ),
  scheduleId: id.nullable().describe('The schedule that created it; null when assigned by hand'),
  dueAt: nullableTime.describe('When it must be completed by; unfinished then, it becomes missed'),
  completedLate: z.boolean().describe('Completed after it was missed and restarted (late is a flag, not a status)'),
});

export const assignmentDetailSchema = z.strictObject({
  ...assignmentSummarySchema.shape,
  submissionId: uuid.nullable().describe('The latest submission (a restart after expiry makes a new one)'),
  submissionStatus: submissionStatus.nullable(),
  session: z
    .strictObject({
      id: uuid,
      status: sessionStatus,
      currentTaskIndex: z
        .number()
        .int()
        .min(0)
        .describe('0-based; equals totalTasks while the summary waits for CONFIRM'),
      totalTasks: z.number().int(),
      expiresAt: time,
    })
    .nullable()
    .describe('The latest conversation of this assignment'),
  progress: z.strictObject({ answered: z.number().int(), total: z.number().int() }),
  queuePosition: z
    .number()
    .int()
    .min(1)
    .nullable()
    .describe('For a pending assignment: 1 = the next to start for this operator'),
});

export const startOutcomeSchema = z.union([
  z.strictObject({ started: z.literal(true), sessionId: uuid, submissionId: uuid }),
  z.strictObject({ started: z.literal(false), reason: z.string() }),
]);

export const assignmentWithStartSchema = z.strictObject({ ...assignmentDetailSchema.shape, start: startOutcomeSchema });

export const submissionSchema = z.strictObject({
  id: uuid,
  assignmentId: uuid,
  status: submissionStatus,
  createdAt: time,
  completedAt: nullableTime,
  needsReview: z.boolean().describe('True exactly while `reviewStatus` is `pending` (waiting for a decision)'),
  reviewedAt: nullableTime.describe('When it was approved or rejected'),
  reviewStatus: z
    .enum(['not_required', 'pending', 'approved', 'rejected', 'rework'])
    .nullable()
    .describe(
      'Set on CONFIRM: `not_required` (no NOT OK), `pending` (needs a decision), `approved`, `rejected` (reason in `reviewComment`) or `rework` (sent back); null before CONFIRM',
    ),
  reviewComment: z.string().nullable().describe('The reason of a reject, or the comment of the last send-back'),
  reviewedById: id.nullable().describe('The account that approved or rejected it (null: the API token alone)'),
  reviewedBy: z.string().nullable().describe('Who approved or rejected it: the account\'s name, or "API token"'),
  templateId: id,
  templateName: z.string(),
  machineId: id,
  machineName: z.string(),
  operatorId: id,
  operatorName: z.string(),
  answers: z.array(
    z.strictObject({
      position: z.number().int().min(1),
      taskId: id,
      taskText: z.string(),
      status: z.enum(['OK', 'NOT_OK', 'NA']),
      remarks: z.string().nullable(),
      photo: z
        .string()
        .nullable()
        .describe('Bare file name (not a URL) of the first photo in WHATSAPP_PHOTOS_DIR; its path is `photoUrl`'),
      photos: z
        .array(z.string())
        .max(5)
        .describe(
          'Bare file names (not URLs) of every photo of the answer (up to 5), `photo` first; empty when it has none. Their paths are `photoUrls`',
        ),
      answeredAt: time,
      type: taskType.describe("The task's type when it was answered"),
      value: z
        .union([z.number(), z.string()])
        .nullable()
        .describe(
          'number: the reading as a JSON number; choice: the label chosen; text: the text; null for check and NA',
        ),
      optionKey: z.string().nullable().describe("choice: the chosen option's stable key"),
      unit: z.string().nullable().describe('number: the unit that applied'),
      min: z.number().nullable().describe('number: the lower limit that applied (inclusive)'),
      max: z.number().nullable().describe('number: the upper limit that applied (inclusive)'),
      photoUrl: z
        .string()
        .nullable()
        .describe(
          'Path of the first photo, /api/whatsapp-photos/<photo> (no host; needs the bearer token); null with no photo',
        ),
      photoUrls: z
        .array(z.string())
        .max(5)
        .describe(
          'Paths of every photo, /api/whatsapp-photos/<name> for each of `photos` in the same order (no host; needs the bearer token)',
        ),
    }),
  ),
  messages: z
    .strictObject({
      sent: z
        .number()
        .int()
        .min(0)
        .describe("Messages WhatsApp accepted: the operator's conversation and NOT OK alerts"),
      billable: z
        .number()
        .int()
        .min(0)
        .describe("Of those, the ones Meta's delivery statuses priced as billable (none until statuses arrive)"),
    })
    .describe("What the submission cost in WhatsApp messages, from Meta's pricing (docs/whatsapp/pricing.md)"),
});

export const errorSchema = z.strictObject({
  error: z.strictObject({
    code: z
      .string()
      .describe(
        'Stable: validation_failed, invalid_json, unauthorized, forbidden, not_found, conflict, payload_too_large, internal_error',
      ),
    message: z.string(),
    details: z
      .strictObject({ fields: z.array(z.strictObject({ field: z.string(), message: z.string() })) })
      .optional()
      .describe('With validation_failed: every failing field'),
    requestId: z.string().describe('Also in the x-request-id response header and on every log line of the request'),
  }),
});

export const healthSchema = z.union([
  z.strictObject({ status: z.literal('ok') }),
  z.strictObject({ status: z.literal('unavailable'), reason: z.string() }),
]);

export const actionSchema = z.strictObject({
  id,
  submissionId: uuid,
  position: z.number().int().min(1).describe("The NOT OK answer's task position (1-based)"),
  taskText: z.string().describe('The task as it was answered'),
  machineId: id,
  remarks: z.string().nullable().describe("The operator's remark with the NOT OK"),
  value: z
    .number()
    .nullable()
    .describe('For a reading out of its limits: the reading as a JSON number, as answered; null for a check task'),
  unit: z.string().nullable().describe('For a reading: the unit that applied (`bar`); else null'),
  min: z.number().nullable().describe('For a reading: the lower limit that applied (inclusive); null: none'),
  max: z.number().nullable().describe('For a reading: the upper limit that applied (inclusive); null: none'),
  status: z.enum(['open', 'in_progress', 'done', 'wont_fix']),
  ownerId: id.nullable().describe('The manager account that owns it'),
  dueAt: z.iso
    .date()
    .nullable()
    .describe('A day (YYYY-MM-DD): overdue once it has passed and the action is still open'),
  note: z.string().nullable().describe('The closing note; for wont_fix its reason'),
  createdAt: time,
  closedAt: nullableTime.describe('Set when the status became done or wont_fix; cleared when reopened'),
  overdue: z
    .boolean()
    .describe("Still open and its due day is before today's date in the factory's time zone (DEFAULT_TIMEZONE)"),
  photo: z.string().nullable().describe("The NOT OK answer's first photo (GET /api/whatsapp-photos/{filename})"),
  closingPhoto: z
    .string()
    .nullable()
    .describe('The photo attached when it was closed (POST /api/actions/{id}/photo), or null'),
});

export const scheduleSchema = z.strictObject({
  id,
  templateId: id,
  templateName: z.string(),
  machineId: id,
  machineName: z.string(),
  machineCode: z.string(),
  operatorId: id,
  operatorName: z.string(),
  timezone: z.string().describe('IANA time zone; the start times are local times there'),
  daysOfWeek: z.array(z.number().int().min(1).max(7)).describe('ISO week days: 1 = Monday .. 7 = Sunday'),
  times: z.array(z.string()).describe('Local start times, HH:MM, sorted'),
  dueAfterMinutes: z.number().int().describe('How long the operator has after each start time'),
  active: z.boolean().describe('false while paused'),
  nextRunAt: nullableTime.describe('The next occurrence (UTC); null while paused'),
  createdAt: time,
  updatedAt: time,
  lastResult: z
    .strictObject({
      assignmentId: uuid,
      status: assignmentStatus,
      completedLate: z.boolean(),
      occurrenceAt: time,
      dueAt: time,
    })
    .nullable()
    .describe('The latest occurrence and how it went'),
});

const replacedAnswerSchema = z.strictObject({
  position: z.number().int().min(1),
  taskText: z.string().nullable(),
  status: z.enum(['OK', 'NOT_OK', 'NA']),
  remarks: z.string().nullable(),
  photoUrls: z.array(z.string()),
  answeredAt: time,
  type: taskType
    .nullable()
    .describe("The task's type when it was answered; null on answers replaced before values were kept"),
  value: z
    .union([z.number(), z.string()])
    .nullable()
    .describe('number: the reading as a JSON number; choice: the label chosen; text: the text; null for check and NA'),
  optionKey: z.string().nullable().describe("choice: the chosen option's stable key"),
  unit: z.string().nullable().describe('number: the unit that applied'),
  min: z.number().nullable().describe('number: the lower limit that applied (inclusive)'),
  max: z.number().nullable().describe('number: the upper limit that applied (inclusive)'),
});

/** A send-back (issue 18 item 2) and the answers its CONFIRM replaced. */
export const reworkSchema = z.strictObject({
  id: uuid,
  status: z
    .enum(['pending', 'active', 'completed', 'cancelled', 'expired'])
    .describe('`pending`: queued behind a running checklist; `active`: being answered; then how it ended'),
  tasks: z.array(z.number().int().min(1)).describe('The 1-based positions sent back'),
  comment: z.string(),
  requestedBy: z.string().describe('Who sent it back (account name and email, or "API token")'),
  createdAt: time,
  startedAt: nullableTime,
  endedAt: nullableTime,
  replaced: z.array(replacedAnswerSchema).describe('The earlier answers, kept as history when it was confirmed'),
});

/** A review's answer: the submission without its message counts (GET /api/submissions/{id} has them). */
export const reviewedSubmissionSchema = z.strictObject({
  ...submissionSchema.omit({ messages: true }).shape,
  reworks: z.array(reworkSchema),
  start: startOutcomeSchema.optional().describe('A send-back: its conversation started, or why it waits'),
});
