import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, text, timestamp, varchar } from 'drizzle-orm/pg-core';

/**
 * Who did what and when (issue 18 item 4). Append-only: a trigger refuses UPDATE, DELETE and TRUNCATE
 * (docs/decisions/0015-audit-trail-append-only.md). No foreign keys: the trail outlives what it names, and
 * `actor_label` keeps the account's name and email as they were.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** user: a signed-in manager; api: the REST API's token; system: the server on its own. */
    actorKind: varchar('actor_kind', { length: 8 }).notNull(),
    actorUserId: integer('actor_user_id'),
    actorLabel: text('actor_label').notNull(),
    /** A stable dotted name, e.g. `submission.approved`, `action.status_changed`, `assignment.cancelled`. */
    action: varchar('action', { length: 64 }).notNull(),
    subjectType: varchar('subject_type', { length: 32 }).notNull(),
    subjectId: varchar('subject_id', { length: 64 }).notNull(),
    /** The submission the event concerns, if any: its page lists these. */
    submissionId: varchar('submission_id'),
    details: jsonb('details')
      .$type<Record<string, unknown>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
  },
  (t) => [
    check('audit_events_actor_kind', sql`${t.actorKind} IN ('user', 'api', 'system')`),
    index('audit_events_submission')
      .on(t.submissionId, t.at)
      .where(sql`submission_id IS NOT NULL`),
    index('audit_events_actor')
      .on(t.actorUserId, t.at)
      .where(sql`actor_user_id IS NOT NULL`),
    index('audit_events_subject').on(t.subjectType, t.subjectId, t.at),
  ],
);
