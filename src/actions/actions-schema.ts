import { sql } from 'drizzle-orm';
import {
  check,
  date,
  index,
  integer,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/pg-core';
import { checklistSubmissions, machines, users } from '../lib/db/schema.js';

const tz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const ACTION_STATUSES = ['open', 'in_progress', 'done', 'wont_fix'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

/**
 * A corrective action (issue 18 item 3): one per NOT OK answer of a confirmed submission, keyed by the answer's
 * (submission, position). The task, remark and photo are kept as they were when it opened: a rework replaces the
 * answer, the action keeps what was found.
 */
export const correctiveActions = pgTable(
  'corrective_actions',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    submissionId: varchar('submission_id')
      .notNull()
      .references(() => checklistSubmissions.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    machineId: integer('machine_id')
      .notNull()
      .references(() => machines.id),
    taskText: text('task_text').notNull(),
    remarks: text('remarks'),
    /**
     * A reading's value as typed, its unit and the limits that applied, copied from the answer when the action
     * opened (a rework replaces the answer; the action keeps what was found). Null for a check task.
     */
    valueNumeric: numeric('value_numeric'),
    unit: varchar('unit', { length: 16 }),
    minValue: numeric('min_value', { mode: 'number' }),
    maxValue: numeric('max_value', { mode: 'number' }),
    /** The answer's first photo (the same file; nothing is copied). */
    photoFilename: varchar('photo_filename', { length: 128 }),
    ownerId: integer('owner_id').references(() => users.id, { onDelete: 'set null' }),
    /** A day, not a moment: overdue once that day has passed. */
    dueAt: date('due_at', { mode: 'string' }),
    status: varchar('status', { length: 16 }).notNull().default('open'),
    /** The closing note; for wont_fix, its reason. */
    note: text('note'),
    /** A photo taken when it was closed (done or won't fix), stored like the answers' photos (src/photos). */
    closingPhotoFilename: varchar('closing_photo_filename', { length: 128 }),
    createdAt: tz('created_at').notNull().defaultNow(),
    updatedAt: tz('updated_at').notNull().defaultNow(),
    closedAt: tz('closed_at'),
  },
  (t) => [
    uniqueIndex('corrective_actions_submission_position').on(t.submissionId, t.position),
    check('corrective_actions_status', sql`${t.status} IN ('open', 'in_progress', 'done', 'wont_fix')`),
    check('corrective_actions_wont_fix_reason', sql`${t.status} <> 'wont_fix' OR ${t.note} IS NOT NULL`),
    index('corrective_actions_open')
      .on(t.status, t.dueAt)
      .where(sql`status IN ('open', 'in_progress')`),
    index('corrective_actions_machine').on(t.machineId, t.createdAt),
  ],
);
