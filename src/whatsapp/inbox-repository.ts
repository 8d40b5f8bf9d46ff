import { sql } from 'drizzle-orm';
import { fromRow } from '../lib/db/rows.js';
import type { Db } from '../lib/db/client.js';
import { executePrepared, onConnection, type Executor, type PreparedStatement } from '../lib/db/transaction.js';
import { whatsappContacts, whatsappInbox } from '../lib/db/schema.js';

export type InboxRow = typeof whatsappInbox.$inferSelect;

export interface NewInboxMessage {
  waMessageId: string;
  phoneNumber: string;
  type: string;
  payload: unknown;
  sentAt: Date;
}

/** Records messages; a message id already recorded is skipped. Returns the types of the new ones. */
export async function recordInbound(exec: Executor, rows: NewInboxMessage[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const inserted = await exec
    .insert(whatsappInbox)
    .values(rows)
    .onConflictDoNothing({ target: whatsappInbox.waMessageId })
    .returning({ type: whatsappInbox.type });
  return inserted.map((r) => r.type);
}

/**
 * Records messages and touches their contacts in one autocommit statement (one round trip, one
 * WAL flush), for deliveries that carry no statuses. Same effect as recordInbound + touchContacts
 * in a transaction: a single statement is atomic. Returns the ids of the messages that were new
 * (an id given twice is inserted once).
 */
export async function recordMessages(exec: Executor, rows: NewInboxMessage[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const contacts = latestPerPhone(rows);
  const list = <T>(values: T[]) => sql.param(values);
  const inserted = await exec.execute<{ wa_message_id: string }>(sql`
    WITH ins AS (
      INSERT INTO whatsapp_inbox (wa_message_id, phone_number, type, payload, sent_at)
      SELECT * FROM unnest(${list(rows.map((x) => x.waMessageId))}::text[], ${list(rows.map((x) => x.phoneNumber))}::text[],
        ${list(rows.map((x) => x.type))}::text[], ${list(rows.map((x) => JSON.stringify(x.payload)))}::jsonb[],
        ${list(rows.map((x) => x.sentAt.toISOString()))}::timestamptz[])
      ON CONFLICT (wa_message_id) DO NOTHING
      RETURNING wa_message_id
    ), contacts AS (
      INSERT INTO whatsapp_contacts (phone_number, last_inbound_at)
      SELECT * FROM unnest(${list(contacts.map(([phone]) => phone))}::text[],
        ${list(contacts.map(([, at]) => at.toISOString()))}::timestamptz[])
      ON CONFLICT (phone_number) DO UPDATE
        SET last_inbound_at = GREATEST(whatsapp_contacts.last_inbound_at, excluded.last_inbound_at)
    )
    SELECT wa_message_id FROM ins`);
  return inserted.rows.map((x) => x.wa_message_id);
}

/** Each phone's latest Meta timestamp, sorted by phone so concurrent deliveries lock contact rows in one order. */
function latestPerPhone(rows: NewInboxMessage[]): [string, Date][] {
  const latest = new Map<string, Date>();
  for (const r of rows) {
    const seen = latest.get(r.phoneNumber);
    if (!seen || r.sentAt > seen) latest.set(r.phoneNumber, r.sentAt);
  }
  return [...latest].sort(([a], [b]) => a.localeCompare(b));
}

/**
 * Phones with messages to apply. A phone waits until its newest message is `settleMs` old: Meta
 * delivers one person's messages in no guaranteed order, and this gives an earlier-timestamped
 * message that is still in flight the chance to arrive and be applied first.
 */
export async function phonesWithPending(exec: Executor, limit: number, settleMs: number): Promise<string[]> {
  const r = await exec.execute<{ phone_number: string }>(sql`
    SELECT phone_number FROM whatsapp_inbox WHERE status = 'pending' AND next_attempt_at <= now()
    GROUP BY phone_number HAVING max(received_at) <= now() - make_interval(secs => ${settleMs / 1000})
    ORDER BY min(id) LIMIT ${limit}`);
  return r.rows.map((x) => x.phone_number);
}

/**
 * The phone's next message to apply: oldest by Meta's timestamp, then by arrival (none while one is
 * settling). `more` tells whether another one was pending behind it, so a drain can stop without
 * asking again (a message recorded later kicks the worker anyway). `operatorId`: the operator the
 * sender is, looked up in the same round trip (null: a number that is no operator).
 */
const NEXT_PENDING: PreparedStatement = {
  name: 'inbox_next_pending',
  text: `
    SELECT h.*, (SELECT o.id FROM operators o WHERE o.phone_number = $1::varchar) AS sender_operator_id
    FROM (
      SELECT * FROM whatsapp_inbox
      WHERE phone_number = $1::varchar AND status = 'pending'
        AND NOT EXISTS (SELECT 1 FROM whatsapp_inbox i2 WHERE i2.phone_number = $1::varchar AND i2.status = 'pending'
          AND i2.received_at > now() - make_interval(secs => $2::float8))
      ORDER BY sent_at, id LIMIT 2
    ) h
    ORDER BY h.sent_at, h.id`,
};

export async function nextPending(
  db: Db,
  phoneNumber: string,
  settleMs: number,
): Promise<{ row: InboxRow | null; more: boolean; operatorId: number | null }> {
  const r = await onConnection(db, [NEXT_PENDING], (conn) =>
    conn.execute<{ sender_operator_id: number | null } & Record<string, unknown>>(
      executePrepared(NEXT_PENDING, [phoneNumber, settleMs / 1000]),
    ),
  );
  const first = r.rows[0];
  if (!first) return { row: null, more: false, operatorId: null };
  return { row: fromRow(whatsappInbox, first), more: r.rows.length > 1, operatorId: first.sender_operator_id };
}

/** `counts`: the attempt counts towards giving up (a lock wait does not). */
export async function markAttemptFailed(
  exec: Executor,
  id: number,
  error: string,
  o: { giveUp: boolean; delayMs: number; counts: boolean },
) {
  const { giveUp, delayMs } = o;
  await exec.execute(sql`
    UPDATE whatsapp_inbox SET attempts = attempts + ${o.counts ? 1 : 0}, last_error = ${error.slice(0, 500)},
      status = CASE WHEN ${giveUp} THEN 'failed' ELSE status END,
      next_attempt_at = now() + make_interval(secs => ${delayMs / 1000})
    WHERE id = ${id}`);
}

/** Keeps each phone's latest inbound time (the start of Meta's 24-hour window). */
export async function touchContacts(exec: Executor, rows: NewInboxMessage[]) {
  const latest = latestPerPhone(rows);
  if (latest.length === 0) return;
  await exec
    .insert(whatsappContacts)
    .values(latest.map(([phoneNumber, lastInboundAt]) => ({ phoneNumber, lastInboundAt })))
    .onConflictDoUpdate({
      target: whatsappContacts.phoneNumber,
      set: { lastInboundAt: sql`GREATEST(${whatsappContacts.lastInboundAt}, excluded.last_inbound_at)` },
    });
}

/**
 * Deletes up to `limit` processed or failed messages received more than `days` ago (oldest first, by
 * the whatsapp_inbox_done index) and returns how many; pending rows are never touched. SKIP LOCKED:
 * processes running this at once take different rows and never wait for each other.
 * `= ANY(ARRAY(...))` rather than `IN (...)`: the ids are found first and deleted by primary key, where
 * `IN` was planned as a hash join over a scan of the whole table, for every batch.
 */
export async function deleteFinishedBefore(exec: Executor, days: number, limit: number): Promise<number> {
  const r = await exec.execute(sql`
    DELETE FROM whatsapp_inbox WHERE id = ANY(ARRAY(
      SELECT id FROM whatsapp_inbox
      WHERE status IN ('processed', 'failed') AND received_at < now() - make_interval(days => ${days})
      ORDER BY received_at LIMIT ${limit}
      FOR UPDATE SKIP LOCKED))`);
  return r.rowCount ?? 0;
}

/** How many received messages failed for good (status failed) in the last `days` days. */
export async function failedInboundSince(exec: Executor, days: number): Promise<number> {
  const r = await exec.execute<{ n: number }>(sql`
    SELECT count(*)::int AS n FROM whatsapp_inbox
    WHERE status = 'failed' AND received_at > now() - make_interval(days => ${days})`);
  return r.rows[0]?.n ?? 0;
}
