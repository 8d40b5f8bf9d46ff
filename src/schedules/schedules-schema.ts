import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, text, timestamp, varchar } from 'drizzle-orm/pg-core';
import { checklistTemplates, machines, operators } from '../lib/db/schema.js';

/**
 * A checklist that comes by itself (issue 17): on the given ISO week days (1 = Monday .. 7), at each local
 * start time in `timezone`, an assignment with a due time is created (src/schedules/schedules-worker.ts).
 */
export const checklistSchedules = pgTable(
  'checklist_schedules',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    templateId: integer('template_id')
      .notNull()
      .references(() => checklistTemplates.id),
    machineId: integer('machine_id')
      .notNull()
      .references(() => machines.id),
    operatorId: integer('operator_id')
      .notNull()
      .references(() => operators.id),
    /** IANA zone name (Asia/Kolkata); the start times are local times there. */
    timezone: varchar('timezone', { length: 64 }).notNull(),
    daysOfWeek: integer('days_of_week').array().notNull(),
    /** Local start times, HH:MM, sorted. */
    times: text('times').array().notNull(),
    dueAfterMinutes: integer('due_after_minutes').notNull().default(120),
    active: boolean('active').notNull().default(true),
    /**
     * The next occurrence not yet created (null while paused). The worker claims schedules whose time has
     * come by this column, so what was done survives restarts and is shared by every process.
     */
    nextRunAt: timestamp('next_run_at', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    check('checklist_schedules_due_after', sql`${t.dueAfterMinutes} BETWEEN 1 AND 10080`),
    check(
      'checklist_schedules_days',
      sql`cardinality(${t.daysOfWeek}) >= 1 AND ${t.daysOfWeek} <@ ARRAY[1,2,3,4,5,6,7]`,
    ),
    check('checklist_schedules_times', sql`cardinality(${t.times}) >= 1`),
    index('checklist_schedules_next_run')
      .on(t.nextRunAt)
      .where(sql`active AND next_run_at IS NOT NULL`),
  ],
);
