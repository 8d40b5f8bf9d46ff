import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  json,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/pg-core';
import type { Answer, Draft } from '../../conversation/conversation-types.js';
import type { TaskDefinition } from '../../conversation/task-definitions.js';
import type { ChoiceOption } from '../task-types.js';
import { checklistSchedules } from '../../schedules/schedules-schema.js';

export * from '../../schedules/schedules-schema.js';
import { submissionReworks } from '../../review/review-schema.js';

const tz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const uuidPk = () =>
  varchar('id')
    .primaryKey()
    .default(sql`gen_random_uuid()`);

/**
 * Where a WhatsApp message comes from or goes to: an E.164 phone number, or a BSUID ("US.1349…", up to 128
 * characters after the country and a dot) for a person known by no number (the `phone_number` columns below).
 */
export const ADDRESS_LENGTH = 160;

export const operators = pgTable(
  'operators',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    phoneNumber: varchar('phone_number', { length: 16 }).notNull().unique(),
    createdAt: tz('created_at').notNull().defaultNow(),
    /** Meta's business-scoped user id (BSUID), learned from a message or status (decision 0011). */
    whatsappUserId: varchar('whatsapp_user_id', { length: ADDRESS_LENGTH }),
    whatsappUsername: varchar('whatsapp_username', { length: 64 }),
    /** What WhatsApp last told about this person (a changed number or user id), shown on the operator's page. */
    whatsappNote: text('whatsapp_note'),
    whatsappNoteAt: tz('whatsapp_note_at'),
  },
  (t) => [
    check('operators_phone_e164', sql`${t.phoneNumber} ~ '^\\+[1-9][0-9]{6,14}$'`),
    uniqueIndex('operators_whatsapp_user_id')
      .on(t.whatsappUserId)
      .where(sql`whatsapp_user_id IS NOT NULL`),
  ],
);

export const machines = pgTable('machines', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  name: text('name').notNull(),
  code: varchar('code', { length: 64 }).notNull().unique(),
  createdAt: tz('created_at').notNull().defaultNow(),
});

export const checklistTemplates = pgTable('checklist_templates', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  name: text('name').notNull(),
  createdAt: tz('created_at').notNull().defaultNow(),
});

export const checklistTemplateTasks = pgTable(
  'checklist_template_tasks',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    templateId: integer('template_id')
      .notNull()
      .references(() => checklistTemplates.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    text: text('text').notNull(),
    requiresPhoto: boolean('requires_photo').notNull().default(false),
    /** check (OK / NOT OK / NA), number (a reading), choice (one of `options`), text (decision 0016). */
    taskType: varchar('task_type', { length: 8 }).notNull().default('check'),
    allowNa: boolean('allow_na').notNull().default(true),
    /** number: the unit shown and stored with each reading, and the inclusive limits (either may be null). */
    unit: varchar('unit', { length: 16 }),
    minValue: numeric('min_value', { mode: 'number' }),
    maxValue: numeric('max_value', { mode: 'number' }),
    /** number: decimals shown (the stored value is what was typed). */
    decimals: integer('decimals'),
    /** choice: [{ key, label, fails }], 2 to 10. */
    options: jsonb('options').$type<ChoiceOption[]>(),
  },
  (t) => [
    uniqueIndex('checklist_template_tasks_template_position').on(t.templateId, t.position),
    check('checklist_template_tasks_position_positive', sql`${t.position} >= 1`),
    check('checklist_template_tasks_task_type', sql`${t.taskType} IN ('check', 'number', 'choice', 'text')`),
  ],
);

export const checklistAssignments = pgTable(
  'checklist_assignments',
  {
    id: uuidPk(),
    templateId: integer('template_id')
      .notNull()
      .references(() => checklistTemplates.id),
    machineId: integer('machine_id')
      .notNull()
      .references(() => machines.id),
    operatorId: integer('operator_id')
      .notNull()
      .references(() => operators.id),
    status: varchar('status', { length: 16 }).notNull().default('pending'),
    /** Why a pending assignment is waiting, e.g. "last conversation expired". */
    statusReason: text('status_reason'),
    createdAt: tz('created_at').notNull().defaultNow(),
    startedAt: tz('started_at'),
    completedAt: tz('completed_at'),
    cancelledAt: tz('cancelled_at'),
    /** Set when its conversation expired; such an assignment waits for a manager's restart, not the queue. */
    lastExpiredAt: tz('last_expired_at'),
    /** The schedule that created it (null: assigned by hand); its occurrence and the time it is due by. */
    scheduleId: integer('schedule_id').references(() => checklistSchedules.id, { onDelete: 'set null' }),
    occurrenceAt: tz('occurrence_at'),
    dueAt: tz('due_at'),
    /** Not completed by its due time: `missed` (counts as missed even after a restart). */
    missedAt: tz('missed_at'),
    /** Completed after a restart of a missed one; late is a flag, the status stays `completed`. */
    completedLate: boolean('completed_late').notNull().default(false),
  },
  (t) => [
    check(
      'checklist_assignments_status',
      sql`${t.status} IN ('pending', 'active', 'completed', 'cancelled', 'missed')`,
    ),
    index('checklist_assignments_status_created').on(t.status, t.createdAt),
    index('checklist_assignments_operator').on(t.operatorId, t.status),
    // Exactly once per occurrence across processes and restarts: inserts use ON CONFLICT DO NOTHING.
    uniqueIndex('checklist_assignments_schedule_occurrence').on(t.scheduleId, t.occurrenceAt),
    index('checklist_assignments_due')
      .on(t.dueAt)
      .where(sql`due_at IS NOT NULL AND status IN ('pending', 'active')`),
    // The dashboard's last 30 days (dashboard-repository.complianceByMachineDay), opened often: by outcome time.
    index('checklist_assignments_completed_at')
      .on(t.completedAt)
      .where(sql`status = 'completed'`),
    index('checklist_assignments_missed_at')
      .on(t.missedAt)
      .where(sql`status = 'missed'`),
  ],
);

export const checklistSubmissions = pgTable(
  'checklist_submissions',
  {
    id: uuidPk(),
    assignmentId: varchar('assignment_id')
      .notNull()
      .references(() => checklistAssignments.id),
    templateId: integer('template_id')
      .notNull()
      .references(() => checklistTemplates.id),
    machineId: integer('machine_id')
      .notNull()
      .references(() => machines.id),
    operatorId: integer('operator_id')
      .notNull()
      .references(() => operators.id),
    status: varchar('status', { length: 16 }).notNull().default('pending'),
    createdAt: tz('created_at').notNull().defaultNow(),
    completedAt: tz('completed_at'),
    /** Confirmed with at least one NOT OK answer: waits for a manager's review. */
    needsReview: boolean('needs_review').notNull().default(false),
    reviewedAt: tz('reviewed_at'),
    /** The manager who approved or rejected it (null with reviewed_at set: the API token). */
    reviewedBy: integer('reviewed_by').references(() => users.id, { onDelete: 'set null' }),
    /**
     * Set on CONFIRM (src/review): not_required, pending (needs_review is true exactly then), approved,
     * rejected (review_comment: the reason) or rework (sent back). Null while not confirmed.
     */
    reviewStatus: varchar('review_status', { length: 16 }),
    /** The manager's reason for a reject, or the comment of the latest send-back. */
    reviewComment: text('review_comment'),
  },
  (t) => [
    check('checklist_submissions_status', sql`${t.status} IN ('pending', 'completed', 'expired', 'cancelled')`),
    check(
      'checklist_submissions_review_status',
      sql`${t.reviewStatus} IN ('not_required', 'pending', 'approved', 'rejected', 'rework')`,
    ),
    index('checklist_submissions_assignment').on(t.assignmentId),
  ],
);

export const checklistSubmissionAnswers = pgTable(
  'checklist_submission_answers',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    submissionId: varchar('submission_id')
      .notNull()
      .references(() => checklistSubmissions.id, { onDelete: 'cascade' }),
    taskId: integer('task_id')
      .notNull()
      .references(() => checklistTemplateTasks.id),
    position: integer('position').notNull(),
    status: varchar('status', { length: 8 }).notNull(),
    remarks: text('remarks'),
    photoFilename: varchar('photo_filename', { length: 128 }),
    answeredAt: tz('answered_at').notNull(),
    /**
     * The task as it was when answered (the template's text and photo rule may change later): what reports
     * show. Null only on a row written by a process older than migration 0007; readers fall back to the task.
     */
    taskText: text('task_text'),
    taskRequiresPhoto: boolean('task_requires_photo'),
    /** The type when answered. The value: a reading in value_numeric, a choice's label or a text in value_text. */
    taskType: varchar('task_type', { length: 8 }).notNull().default('check'),
    /** As typed (numeric keeps `6.50`), never a float. */
    valueNumeric: numeric('value_numeric'),
    valueText: text('value_text'),
    /** choice: the option's stable key (its label is value_text). */
    optionKey: varchar('option_key', { length: 32 }),
    /** number: the unit and limits that applied when it was answered. */
    unit: varchar('unit', { length: 16 }),
    minValue: numeric('min_value', { mode: 'number' }),
    maxValue: numeric('max_value', { mode: 'number' }),
  },
  (t) => [
    uniqueIndex('checklist_submission_answers_submission_position').on(t.submissionId, t.position),
    check('checklist_submission_answers_status', sql`${t.status} IN ('OK', 'NOT_OK', 'NA')`),
    check('checklist_submission_answers_task_type', sql`${t.taskType} IN ('check', 'number', 'choice', 'text')`),
  ],
);

/**
 * An answer's photos after its first (which is the answer's photo_filename, as the guide fixes it): n = 2..5.
 * Keyed by the answer's (submission_id, position), the key the apply writes answers by.
 */
export const checklistSubmissionAnswerPhotos = pgTable(
  'checklist_submission_answer_photos',
  {
    submissionId: varchar('submission_id')
      .notNull()
      .references(() => checklistSubmissions.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    n: integer('n').notNull(),
    photoFilename: varchar('photo_filename', { length: 128 }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.submissionId, t.position, t.n] }),
    check('checklist_submission_answer_photos_n', sql`${t.n} BETWEEN 2 AND 5`),
  ],
);

// Columns and types as the deployment guide fixes them (timestamp without time zone, stored in UTC).
export const whatsappConversationSessions = pgTable(
  'whatsapp_conversation_sessions',
  {
    id: uuidPk(),
    phoneNumber: varchar('phone_number').notNull(),
    assignmentId: varchar('assignment_id').references(() => checklistAssignments.id),
    submissionId: varchar('submission_id')
      .notNull()
      .references(() => checklistSubmissions.id),
    templateId: integer('template_id').notNull(),
    machineId: integer('machine_id').notNull(),
    operatorId: integer('operator_id').notNull(),
    status: varchar('status').notNull(),
    currentTaskIndex: integer('current_task_index').notNull(),
    totalTasks: integer('total_tasks').notNull(),
    answers: jsonb('answers')
      .$type<Answer[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    pendingPhotoUrl: varchar('pending_photo_url'),
    lastMessageAt: timestamp('last_message_at', { mode: 'date' }),
    createdAt: timestamp('created_at', { mode: 'date' }).defaultNow(),
    expiresAt: timestamp('expires_at', { mode: 'date' }).notNull(),
    endedAt: tz('ended_at'),
    /** Kept equal to the draft's "NOT OK without its note", for readers of the guide's columns. */
    awaitingNote: boolean('awaiting_note').notNull().default(false),
    /** The current question's answer under way (null: none; a row older than migration 0013 uses the two above). */
    draft: jsonb('draft').$type<Draft>(),
    /** The tasks as they were when the session started (decision 0016); null on sessions older than it. */
    taskDefinitions: jsonb('task_definitions').$type<TaskDefinition[]>(),
    awaitingStart: boolean('awaiting_start').notNull().default(false),
    editing: boolean('editing').notNull().default(false),
    remindedAt: tz('reminded_at'),
    /** A rework's conversation (src/review, decision 0019): it asks that rework's tasks of the submission. */
    reworkId: varchar('rework_id').references(() => submissionReworks.id),
  },
  (t) => [
    check('whatsapp_conversation_sessions_status', sql`${t.status} IN ('active', 'completed', 'expired', 'cancelled')`),
    check(
      'whatsapp_conversation_sessions_task_index',
      sql`${t.currentTaskIndex} >= 0 AND ${t.currentTaskIndex} <= ${t.totalTasks}`,
    ),
    uniqueIndex('whatsapp_sessions_one_active_per_assignment')
      .on(t.assignmentId)
      .where(sql`status = 'active'`),
    uniqueIndex('whatsapp_sessions_one_active_per_phone')
      .on(t.phoneNumber)
      .where(sql`status = 'active'`),
    // The apply finds the session of the operator who wrote (the person, not the number).
    index('whatsapp_sessions_active_operator')
      .on(t.operatorId)
      .where(sql`status = 'active'`),
    index('whatsapp_sessions_status_expires').on(t.status, t.expiresAt),
  ],
);

/** Every inbound message Meta delivered, recorded before we answer 200. */
export const whatsappInbox = pgTable(
  'whatsapp_inbox',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    waMessageId: varchar('wa_message_id', { length: 256 }).notNull().unique(),
    /** The sender's address: the E.164 number, or the BSUID when Meta gave no number and none is known for it. */
    phoneNumber: varchar('phone_number', { length: ADDRESS_LENGTH }).notNull(),
    type: varchar('type', { length: 32 }).notNull(),
    payload: jsonb('payload').notNull(),
    sentAt: tz('sent_at').notNull(),
    receivedAt: tz('received_at').notNull().defaultNow(),
    status: varchar('status', { length: 16 }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: tz('next_attempt_at').notNull().defaultNow(),
    processedAt: tz('processed_at'),
    lastError: text('last_error'),
  },
  (t) => [
    check('whatsapp_inbox_status', sql`${t.status} IN ('pending', 'processed', 'failed')`),
    index('whatsapp_inbox_pending')
      .on(t.phoneNumber, t.sentAt, t.id)
      .where(sql`status = 'pending'`),
    // Retention (src/whatsapp/retention.ts) finds old finished rows here. Partial: a row enters it on its
    // status change, an update that writes every index anyway (not HOT), so inserts pay nothing for it.
    index('whatsapp_inbox_done')
      .on(t.receivedAt)
      .where(sql`status IN ('processed', 'failed')`),
  ],
);

/** Every outgoing message, written in the transaction that caused it and sent after commit. */
export const whatsappOutbox = pgTable(
  'whatsapp_outbox',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** The recipient's address: sent in `to` when a phone number, in `recipient` when a BSUID. */
    phoneNumber: varchar('phone_number', { length: ADDRESS_LENGTH }).notNull(),
    sessionId: varchar('session_id').references(() => whatsappConversationSessions.id, { onDelete: 'set null' }),
    kind: varchar('kind', { length: 16 }).notNull(),
    payload: jsonb('payload').notNull(),
    status: varchar('status', { length: 16 }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: tz('next_attempt_at').notNull().defaultNow(),
    leaseUntil: tz('lease_until'),
    waMessageId: varchar('wa_message_id', { length: 256 }).unique(),
    errorCode: integer('error_code'),
    errorTitle: text('error_title'),
    createdAt: tz('created_at').notNull().defaultNow(),
    sentAt: tz('sent_at'),
    statusAt: tz('status_at'),
    /**
     * The question (0-based task index; the summary is the task count) this message asks, for the read-time
     * rule and quoted replies (docs/decisions/0007-question-read-time.md); null for any other message.
     */
    taskIndex: integer('task_index'),
    /** The submission a NOT OK alert reports (null for a conversation's messages: see session_id). */
    submissionId: varchar('submission_id').references(() => checklistSubmissions.id, { onDelete: 'set null' }),
    /** The alert template sent instead, once, when Meta refuses this free-form alert with 131047. */
    fallbackPayload: jsonb('fallback_payload'),
    /** The row that carried the fallback (this one is then no lost alert). */
    retriedAs: bigint('retried_as', { mode: 'number' }),
  },
  (t) => [
    check('whatsapp_outbox_status', sql`${t.status} IN ('pending', 'sending', 'sent', 'delivered', 'read', 'failed')`),
    index('whatsapp_outbox_unsent')
      .on(t.phoneNumber, t.id)
      .where(sql`status IN ('pending', 'sending')`),
    index('whatsapp_outbox_created').on(t.createdAt),
    index('whatsapp_outbox_question')
      .on(t.sessionId, t.taskIndex)
      .where(sql`task_index IS NOT NULL`),
    // A submission's messages (its page counts them) and NOT OK alerts (the dashboard lists lost ones).
    index('whatsapp_outbox_session')
      .on(t.sessionId)
      .where(sql`session_id IS NOT NULL`),
    index('whatsapp_outbox_alerts')
      .on(t.submissionId)
      .where(sql`submission_id IS NOT NULL`),
  ],
);

/**
 * What Meta bills for each message we sent, from the first status that carried a `pricing` object
 * (decision 0009). Kept apart from the outbox so retention of sent messages never loses a month's figures.
 */
export const whatsappMessagePricing = pgTable(
  'whatsapp_message_pricing',
  {
    waMessageId: varchar('wa_message_id', { length: 256 }).primaryKey(),
    submissionId: varchar('submission_id').references(() => checklistSubmissions.id, { onDelete: 'set null' }),
    billable: boolean('billable').notNull(),
    category: varchar('category', { length: 64 }).notNull(),
    pricingModel: varchar('pricing_model', { length: 32 }),
    recordedAt: tz('recorded_at').notNull().defaultNow(),
  },
  (t) => [
    index('whatsapp_message_pricing_recorded').on(t.recordedAt),
    index('whatsapp_message_pricing_submission').on(t.submissionId),
  ],
);

/** When each address last wrote to us: Meta allows free-form messages only within 24 hours of that. */
export const whatsappContacts = pgTable(
  'whatsapp_contacts',
  {
    phoneNumber: varchar('phone_number', { length: ADDRESS_LENGTH }).primaryKey(),
    lastInboundAt: tz('last_inbound_at').notNull(),
    /** When a sender who is no operator last got our automatic answer (at most one a day). */
    autoRepliedAt: tz('auto_replied_at'),
    /** The person's BSUID, username and profile name, as Meta last gave them. */
    userId: varchar('user_id', { length: ADDRESS_LENGTH }),
    username: varchar('username', { length: 64 }),
    profileName: text('profile_name'),
  },
  (t) => [
    index('whatsapp_contacts_user_id')
      .on(t.userId)
      .where(sql`user_id IS NOT NULL`),
  ],
);

/** One row (id = 1). The guide's rollback runs `UPDATE system_config SET whatsapp_enabled = false;`. */
export const systemConfig = pgTable(
  'system_config',
  {
    id: integer('id').primaryKey().default(1),
    whatsappEnabled: boolean('whatsapp_enabled').notNull().default(true),
    /** Every confirmed submission waits for a manager's decision, not only those with a NOT OK (Settings). */
    reviewEverySubmission: boolean('review_every_submission').notNull().default(false),
    updatedAt: tz('updated_at').notNull().defaultNow(),
  },
  (t) => [check('system_config_single_row', sql`${t.id} = 1`)],
);

/** Managers and admins who sign in to the web pages (src/admin). Emails are stored lower-case. */
export const users = pgTable(
  'users',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    email: varchar('email', { length: 254 }).notNull().unique(),
    name: text('name').notNull(),
    role: varchar('role', { length: 16 }).notNull().default('manager'),
    /** scrypt$N$r$p$salt$hash (base64); see src/admin/auth/password.ts. */
    passwordHash: text('password_hash').notNull(),
    /** Sessions signed in before this are no longer accepted. */
    passwordChangedAt: tz('password_changed_at').notNull().defaultNow(),
    lastSignInAt: tz('last_sign_in_at'),
    createdAt: tz('created_at').notNull().defaultNow(),
    /** Set by an admin: the account cannot sign in and its sessions are refused (decision 0018). */
    disabledAt: tz('disabled_at'),
    /** A one-time password set by an admin or `npm run admin:reset-password`: change it before anything else. */
    mustChangePassword: boolean('must_change_password').notNull().default(false),
  },
  (t) => [
    check('users_role', sql`${t.role} IN ('admin', 'manager', 'supervisor')`),
    check('users_email_lower', sql`${t.email} = lower(${t.email})`),
  ],
);

/** express-session's store (connect-pg-simple's columns); created here so the schema lives in migrations/. */
export const userSessions = pgTable(
  'user_sessions',
  {
    sid: varchar('sid').primaryKey(),
    sess: json('sess').notNull(),
    expire: tz('expire').notNull(),
  },
  (t) => [index('user_sessions_expire').on(t.expire)],
);

/**
 * Failed sign-ins per client (express-rate-limit's counters, shared by every process); keys are hashes. The
 * address (and email) a key counts is kept in `locked` only while it is at its limit, so an admin can see
 * and unlock it on the accounts page; below the limit nothing readable is stored.
 */
export const loginAttempts = pgTable('login_attempts', {
  key: varchar('key', { length: 64 }).primaryKey(),
  hits: integer('hits').notNull(),
  resetAt: tz('reset_at').notNull(),
  /** 'address' (any email from one address) or 'email' (one email from one address). */
  kind: varchar('kind', { length: 8 }),
  /** While locked: the address, or "address|email". */
  locked: text('locked'),
});
export * from '../../audit/audit-schema.js';
export * from '../../outbox/pace-schema.js';
export * from '../../actions/actions-schema.js';
export * from '../../review/review-schema.js';
