import { sql } from 'drizzle-orm';
import { check, integer, pgTable, smallint, timestamp } from 'drizzle-orm/pg-core';

/**
 * The shared send pace (WHATSAPP_MAX_MESSAGES_PER_SECOND, decision 0017): one row that every process's
 * outbox claim updates, so the limit holds across PM2 instances. Seconds are the database's clock.
 */
export const whatsappSendPace = pgTable(
  'whatsapp_send_pace',
  {
    id: smallint('id').primaryKey().default(1),
    /** The database-clock second the counts below are for. */
    second: timestamp('second', { withTimezone: true, mode: 'date' }).notNull(),
    /** Messages claimed for sending in `second`. */
    sent: integer('sent').notNull().default(0),
    /** Messages claimed in the last part of `second` that may reach Meta in the next one: charged to both. */
    sentNext: integer('sent_next').notNull().default(0),
    /** How many the last claim got: its RETURNING reads it (PostgreSQL before 18 cannot return the old row). */
    lastGrant: integer('last_grant').notNull().default(0),
  },
  (t) => [check('whatsapp_send_pace_single_row', sql`${t.id} = 1`)],
);
