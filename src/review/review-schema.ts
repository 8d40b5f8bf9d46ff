import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/pg-core';
import { checklistSubmissions, users } from '../lib/db/schema.js';
import type { TaskSnapshot } from './review-types.js';

const tz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * A submission sent back to its operator for some of its tasks (issue 18 item 2, decision 0019). Queued
 * like an assignment while the operator answers another checklist (`pending`), `active` while its
 * conversation runs (the session's `rework_id` points here), then `completed`, `cancelled` or `expired`.
 */
export const submissionReworks = pgTable(
  'submission_reworks',
  {
    id: varchar('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    submissionId: varchar('submission_id')
      .notNull()
      .references(() => checklistSubmissions.id, { onDelete: 'cascade' }),
    /** The tasks sent back: 1-based positions, ascending. */
    positions: integer('positions').array().notNull(),
    /** The tasks as the submission answered them (text, photo rule, position): what the rework asks. */
    tasks: jsonb('tasks').$type<TaskSnapshot[]>().notNull(),
    /** The manager's comment, sent to the operator first. */
    comment: text('comment').notNull(),
    status: varchar('status', { length: 16 }).notNull().default('pending'),
    /** Who sent it back: the account (null: the API token, or an account deleted since) and its label then. */
    requestedBy: integer('requested_by').references(() => users.id, { onDelete: 'set null' }),
    requestedByLabel: text('requested_by_label').notNull(),
    createdAt: tz('created_at').notNull().defaultNow(),
    startedAt: tz('started_at'),
    endedAt: tz('ended_at'),
  },
  (t) => [
    check('submission_reworks_status', sql`${t.status} IN ('pending', 'active', 'completed', 'cancelled', 'expired')`),
    check('submission_reworks_positions', sql`cardinality(${t.positions}) >= 1`),
    // One rework open per submission: a second send-back waits for the first to end (409).
    uniqueIndex('submission_reworks_one_open')
      .on(t.submissionId)
      .where(sql`status IN ('pending', 'active')`),
    index('submission_reworks_pending')
      .on(t.createdAt)
      .where(sql`status = 'pending'`),
  ],
);

/**
 * An answer as it was before a rework replaced it: what was answered first (and by whom the rework was
 * asked, with its comment, through `rework_id`). The current answer stays in checklist_submission_answers.
 */
export const submissionAnswerVersions = pgTable(
  'submission_answer_versions',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    submissionId: varchar('submission_id')
      .notNull()
      .references(() => checklistSubmissions.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    reworkId: varchar('rework_id')
      .notNull()
      .references(() => submissionReworks.id, { onDelete: 'cascade' }),
    taskText: text('task_text'),
    status: varchar('status', { length: 8 }).notNull(),
    remarks: text('remarks'),
    /** Every photo of that answer, first first (bare file names in WHATSAPP_PHOTOS_DIR). */
    photos: text('photos').array().notNull(),
    /**
     * The value as checklist_submission_answers kept it (issue 18 rework: a reworked reading's first value is
     * history too): the type, the reading as typed or the option's label or text, the option's key, and the
     * unit and limits that applied. Null on versions kept before these columns (then only the status is known).
     */
    taskType: varchar('task_type', { length: 8 }),
    valueNumeric: numeric('value_numeric'),
    valueText: text('value_text'),
    optionKey: varchar('option_key', { length: 32 }),
    unit: varchar('unit', { length: 16 }),
    minValue: numeric('min_value', { mode: 'number' }),
    maxValue: numeric('max_value', { mode: 'number' }),
    answeredAt: tz('answered_at').notNull(),
    replacedAt: tz('replaced_at').notNull().defaultNow(),
  },
  (t) => [index('submission_answer_versions_submission').on(t.submissionId, t.position)],
);
