import { sql } from 'drizzle-orm';
import { fromRow } from '../lib/db/rows.js';
import type { Db } from '../lib/db/client.js';
import { executePrepared, onConnection, type Executor, type PreparedStatement } from '../lib/db/transaction.js';
import { whatsappInbox } from '../lib/db/schema.js';

export type InboxRow = typeof whatsappInbox.$inferSelect;

export interface NewInboxMessage {
  waMessageId: string;
  /** The sender's address (src/whatsapp/people.ts senderAddresses): the E.164 number, else the BSUID. */
  phoneNumber: string;
  type: string;
  payload: unknown;
  sentAt: Date;
}

/** What a delivery told about a person (E.164 number and BSUID when both were given), for contacts and operators. */
export interface KnownPerson {
  phone: string | null;
  userId: string | null;
  name: string | null;
  username: string | null;
}

/**
 * The operator with that number gets the BSUID (and username) Meta gave with it. Writes only what changed, and
 * never takes an id another operator holds (a manager's link wins; the unique index would fail the delivery).
 * Part of a prepared statement: its three arrays (numbers, BSUIDs, usernames) are given as parameters ($n).
 */
const operatorsLearnText = (phones: string, userIds: string, usernames: string) => `
    UPDATE operators o SET whatsapp_user_id = p.uid, whatsapp_username = COALESCE(p.uname, o.whatsapp_username)
    FROM unnest(${phones}::text[], ${userIds}::text[], ${usernames}::text[]) AS p(phone, uid, uname)
    WHERE o.phone_number = p.phone
      AND (o.whatsapp_user_id IS DISTINCT FROM p.uid
        OR o.whatsapp_username IS DISTINCT FROM COALESCE(p.uname, o.whatsapp_username))
      AND NOT EXISTS (SELECT 1 FROM operators o2 WHERE o2.whatsapp_user_id = p.uid AND o2.id <> o.id)
    RETURNING o.id`;

/**
 * Records messages, touches their contacts (last_inbound_at, and the BSUID, username and profile name
 * given) and gives operators the BSUIDs learned with their numbers, in one statement (one round trip, one
 * WAL flush; a single statement is atomic). Returns the ids of the messages that were new (an id given
 * twice is inserted once). Prepared once per connection: every webhook delivery runs it.
 */
export const RECORD_MESSAGES: PreparedStatement = {
  name: 'inbox_record',
  text: `
    WITH ins AS (
      INSERT INTO whatsapp_inbox (wa_message_id, phone_number, type, payload, sent_at)
      SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]::jsonb[], $5::text[]::timestamptz[])
      ON CONFLICT (wa_message_id) DO NOTHING
      RETURNING wa_message_id
    ), contacts AS (
      INSERT INTO whatsapp_contacts (phone_number, last_inbound_at, user_id, username, profile_name)
      SELECT * FROM unnest($6::text[], $7::text[]::timestamptz[], $8::text[], $9::text[], $10::text[])
      ON CONFLICT (phone_number) DO UPDATE
        SET last_inbound_at = GREATEST(whatsapp_contacts.last_inbound_at, excluded.last_inbound_at),
          user_id = COALESCE(excluded.user_id, whatsapp_contacts.user_id),
          username = COALESCE(excluded.username, whatsapp_contacts.username),
          profile_name = COALESCE(excluded.profile_name, whatsapp_contacts.profile_name)
    ), ops AS (${operatorsLearnText('$11', '$12', '$13')})
    SELECT wa_message_id FROM ins`,
};

/** RECORD_MESSAGES on `exec`, which must have it prepared (onConnection, or withTransaction and WEBHOOK_STATEMENTS). */
export async function recordMessages(
  exec: Executor,
  rows: NewInboxMessage[],
  people: KnownPerson[] = [],
): Promise<string[]> {
  if (rows.length === 0) return [];
  const contacts = latestPerPhone(rows).map(([address, at]) => {
    const who = people.find((p) => p.phone === address || p.userId === address);
    return { address, at, userId: who?.userId ?? null, username: who?.username ?? null, name: who?.name ?? null };
  });
  const pairs = pairsOf(people);
  const inserted = await exec.execute<{ wa_message_id: string }>(
    executePrepared(RECORD_MESSAGES, [
      rows.map((x) => x.waMessageId),
      rows.map((x) => x.phoneNumber),
      rows.map((x) => x.type),
      rows.map((x) => JSON.stringify(x.payload)),
      rows.map((x) => x.sentAt.toISOString()),
      contacts.map((c) => c.address),
      contacts.map((c) => c.at.toISOString()),
      contacts.map((c) => c.userId),
      contacts.map((c) => c.username),
      contacts.map((c) => c.name),
      pairs.map((p) => p.phone),
      pairs.map((p) => p.userId),
      pairs.map((p) => p.username),
    ]),
  );
  return inserted.rows.map((x) => x.wa_message_id);
}

/** People given with both a number and a BSUID, once each, sorted by number (one lock order). */
function pairsOf(people: KnownPerson[]): { phone: string; userId: string; username: string | null }[] {
  const byPhone = new Map<string, { phone: string; userId: string; username: string | null }>();
  for (const p of people) {
    if (!p.phone || !p.userId) continue;
    const seen = byPhone.get(p.phone);
    byPhone.set(p.phone, { phone: p.phone, userId: p.userId, username: p.username ?? seen?.username ?? null });
  }
  return [...byPhone.values()].sort((a, b) => a.phone.localeCompare(b.phone));
}

/**
 * What statuses tell (a number with its BSUID): kept on the contact and the operator. Statuses are no
 * inbound message, so a contact is updated, never created (its last_inbound_at would open a window).
 */
const LEARN_FROM_STATUSES: PreparedStatement = {
  name: 'inbox_learn_from_statuses',
  text: `
    WITH ops AS (${operatorsLearnText('$1', '$2', '$3')})
    UPDATE whatsapp_contacts c SET user_id = p.uid
    FROM unnest($1::text[], $2::text[]) AS p(phone, uid)
    WHERE c.phone_number = p.phone AND c.user_id IS DISTINCT FROM p.uid`,
};

/** The statements a webhook delivery's transaction runs (recordMessages, learnFromStatuses), to prepare on it. */
export const WEBHOOK_STATEMENTS = [RECORD_MESSAGES, LEARN_FROM_STATUSES];

/** LEARN_FROM_STATUSES on `exec`, which must have it prepared (withTransaction given WEBHOOK_STATEMENTS). */
export async function learnFromStatuses(exec: Executor, people: KnownPerson[]): Promise<void> {
  const pairs = pairsOf(people);
  if (pairs.length === 0) return;
  await exec.execute(
    executePrepared(LEARN_FROM_STATUSES, [
      pairs.map((p) => p.phone),
      pairs.map((p) => p.userId),
      pairs.map((p) => p.username),
    ]),
  );
}

/**
 * The number each BSUID belongs to, as far as we know it: the operator's (their link wins), else that of a
 * contact who wrote with both. A BSUID with neither is its own address.
 */
export async function numbersOfUserIds(exec: Executor, userIds: string[]): Promise<Map<string, string>> {
  if (userIds.length === 0) return new Map();
  const r = await exec.execute<{ user_id: string; phone_number: string }>(sql`
    SELECT u.user_id, COALESCE(
      (SELECT o.phone_number FROM operators o WHERE o.whatsapp_user_id = u.user_id),
      (SELECT c.phone_number FROM whatsapp_contacts c WHERE c.user_id = u.user_id AND c.phone_number LIKE '+%'
        ORDER BY c.last_inbound_at DESC LIMIT 1)) AS phone_number
    FROM unnest(${sql.param(userIds)}::text[]) AS u(user_id)`);
  return new Map(r.rows.filter((x) => x.phone_number).map((x) => [x.user_id, x.phone_number]));
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
 * The operator a sender is, by number or BSUID (decision 0011), as a column of a statement whose address is
 * `address` (an SQL expression): null for an address that is no operator.
 */
const senderOperator = (address: string) =>
  `(SELECT o.id FROM operators o WHERE o.phone_number = ${address} OR o.whatsapp_user_id = ${address}) AS sender_operator_id`;

/**
 * The phones with messages to apply, each with its head: its oldest message by Meta's timestamp, then by
 * arrival, with the operator the sender is (as nextPending gives it), in one round trip, so a phone with one
 * message waiting costs no second read. A phone waits until its newest message is `settleMs` old: Meta
 * delivers one person's messages in no guaranteed order, and this gives an earlier-timestamped message that
 * is still in flight the chance to arrive and be applied first. A head waiting for its retry (next_attempt_at)
 * holds its phone back. Oldest phone first (by its oldest pending message).
 */
const PENDING_HEADS: PreparedStatement = {
  name: 'inbox_pending_heads',
  text: `
    SELECT h.*, ${senderOperator('h.phone_number')}
    FROM (
      SELECT DISTINCT ON (phone_number) *, count(*) OVER w AS pending_count, min(id) OVER w AS first_id,
        max(received_at) OVER w AS newest_received_at
      FROM whatsapp_inbox WHERE status = 'pending'
      WINDOW w AS (PARTITION BY phone_number)
      ORDER BY phone_number, sent_at, id
    ) h
    WHERE h.next_attempt_at <= now() AND h.newest_received_at <= now() - make_interval(secs => $2::float8)
    ORDER BY h.first_id LIMIT $1::int`,
};

/** A phone's next message to apply, as pendingHeads and nextPending give it. */
export interface PendingHead {
  row: InboxRow;
  /** Another message of the phone was pending behind it. */
  more: boolean;
  /** The operator the sender is, by number or BSUID (null: an address that is no operator). */
  operatorId: number | null;
}

type HeadRow = { sender_operator_id: number | null } & Record<string, unknown>;

const headOf = (x: HeadRow, more: boolean): PendingHead => ({
  row: fromRow(whatsappInbox, x),
  more,
  operatorId: x.sender_operator_id,
});

export async function pendingHeads(db: Db, limit: number, settleMs: number): Promise<PendingHead[]> {
  const r = await onConnection(db, [PENDING_HEADS], (conn) =>
    conn.execute<HeadRow & { pending_count: string | number }>(
      executePrepared(PENDING_HEADS, [limit, settleMs / 1000]),
    ),
  );
  return r.rows.map((x) => headOf(x, Number(x.pending_count) > 1));
}

/**
 * The phone's next message to apply: oldest by Meta's timestamp, then by arrival (none while one is
 * settling). `more` tells whether another one was pending behind it, so a drain can stop without
 * asking again (a message recorded later kicks the worker anyway). `operatorId`: the operator the
 * sender is, by number or BSUID, looked up in the same round trip (null: an address that is no operator).
 */
const NEXT_PENDING: PreparedStatement = {
  name: 'inbox_next_pending',
  text: `
    SELECT h.*, ${senderOperator('$1::varchar')}
    FROM (
      SELECT * FROM whatsapp_inbox
      WHERE phone_number = $1::varchar AND status = 'pending'
        AND NOT EXISTS (SELECT 1 FROM whatsapp_inbox i2 WHERE i2.phone_number = $1::varchar AND i2.status = 'pending'
          AND i2.received_at > now() - make_interval(secs => $2::float8))
      ORDER BY sent_at, id LIMIT 2
    ) h
    ORDER BY h.sent_at, h.id`,
};

export async function nextPending(db: Db, phoneNumber: string, settleMs: number): Promise<PendingHead | null> {
  const r = await onConnection(db, [NEXT_PENDING], (conn) =>
    conn.execute<HeadRow>(executePrepared(NEXT_PENDING, [phoneNumber, settleMs / 1000])),
  );
  const first = r.rows[0];
  return first ? headOf(first, r.rows.length > 1) : null;
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
