import { sql } from 'drizzle-orm';
import type { Db } from '../lib/db/client.js';
import { executePrepared, onConnection, type Executor, type PreparedStatement } from '../lib/db/transaction.js';
import { outboxRows, type OutboxItem } from './outbox-messages.js';
import type { OutgoingMessage } from './outgoing-message.js';

export interface OutboxRow {
  id: number;
  phone_number: string;
  session_id: string | null;
  kind: string;
  payload: OutgoingMessage;
  attempts: number;
  /** As PostgreSQL writes it (hand-written SQL is not date-parsed); `new Date()` reads it. */
  created_at: string;
}

/** Queues replies to one phone; call inside the transaction that caused them. */
/** `asks`: the question a reply asks (whatsapp_outbox.task_index), see outboxRows. */
export async function enqueueReplies(
  exec: Executor,
  phoneNumber: string,
  sessionId: string | null,
  replies: OutboxItem[],
  asks?: (r: OutboxItem) => number | null,
) {
  const rows = outboxRows(replies, asks);
  if (rows.length === 0) return;
  // WITH ORDINALITY ... ORDER BY: ids follow the replies' order, which is the order they are sent in.
  const kinds = sql.param(rows.map((r) => r.kind));
  const payloads = sql.param(rows.map((r) => JSON.stringify(r.payload)));
  const questions = sql.param(rows.map((r) => r.taskIndex));
  await exec.execute(sql`
    INSERT INTO whatsapp_outbox (phone_number, session_id, kind, payload, task_index)
    SELECT ${phoneNumber}, ${sessionId}::varchar, r.kind, r.payload, r.task_index
    FROM unnest(${kinds}::text[], ${payloads}::jsonb[], ${questions}::int[]) WITH ORDINALITY AS r(kind, payload, task_index, n)
    ORDER BY r.n`);
}

/**
 * Records a tick's successful sends in one statement (one commit instead of one per message). `sent_at` is
 * when each send was requested, not when this commit runs: a slow send in the same tick, or a slow answer,
 * must not make a question look later than the operator could read it (the read-time rule, decision 0007).
 */
const MARK_SENT: PreparedStatement = {
  name: 'outbox_mark_sent',
  text: `
    UPDATE whatsapp_outbox o SET status = 'sent', wa_message_id = s.wa_message_id, sent_at = s.accepted_at::timestamptz,
      lease_until = NULL, error_code = NULL, error_title = NULL
    FROM unnest($1::bigint[], $2::text[], $3::text[]) AS s(id, wa_message_id, accepted_at)
    WHERE o.id = s.id AND o.status = 'sending'`,
};

export async function markSent(db: Db, sent: { id: number; waMessageId: string; acceptedAt: Date }[]) {
  if (sent.length === 0) return;
  const ordered = [...sent].sort((a, b) => a.id - b.id);
  const values = [ordered.map((x) => x.id), ordered.map((x) => x.waMessageId)];
  const accepted = ordered.map((x) => x.acceptedAt.toISOString());
  await onConnection(db, [MARK_SENT], (conn) => conn.execute(executePrepared(MARK_SENT, [...values, accepted])));
}

/**
 * Hands claimed rows back unsent, as if never claimed (the attempt is not counted): the send pace's share
 * they were claimed with ran out before they could go (decision 0017); the next claim paces them again.
 */
export async function returnUnsent(exec: Executor, ids: number[]) {
  if (ids.length === 0) return;
  await exec.execute(sql`
    UPDATE whatsapp_outbox SET status = 'pending', lease_until = NULL, attempts = greatest(0, attempts - 1)
    WHERE id = ANY(${sql.param(ids)}::bigint[]) AND status = 'sending'`);
}

export async function markRetry(exec: Executor, id: number, delayMs: number, code: number | null, title: string) {
  await exec.execute(sql`
    UPDATE whatsapp_outbox SET status = 'pending', lease_until = NULL, error_code = ${code}, error_title = ${title},
      next_attempt_at = now() + make_interval(secs => ${delayMs / 1000})
    WHERE id = ${id} AND status = 'sending'`);
}

export async function markFailed(exec: Executor, id: number, code: number | null, title: string) {
  await exec.execute(sql`
    UPDATE whatsapp_outbox SET status = 'failed', lease_until = NULL, error_code = ${code}, error_title = ${title},
      status_at = now()
    WHERE id = ${id} AND status = 'sending'`);
}

const STATUS_RANK = sql`CASE status WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2 WHEN 'read' THEN 3 WHEN 'failed' THEN 4 ELSE 0 END`;

/** Applies a delivery status webhook; a late 'delivered' never overwrites 'read'. */
export async function applyDeliveryStatus(
  exec: Executor,
  s: {
    waMessageId: string;
    status: 'sent' | 'delivered' | 'read' | 'failed';
    at: Date;
    code: number | null;
    title: string | null;
  },
) {
  const rank = { sent: 1, delivered: 2, read: 3, failed: 4 }[s.status];
  const r = await exec.execute<{ id: number; session_id: string | null; kind: string }>(sql`
    UPDATE whatsapp_outbox SET status = ${s.status}, status_at = ${s.at},
      error_code = COALESCE(${s.code}, error_code), error_title = COALESCE(${s.title}, error_title)
    WHERE wa_message_id = ${s.waMessageId} AND ${STATUS_RANK} < ${rank}
    RETURNING id::int, session_id, kind`);
  return r.rows[0] ?? null;
}

/** Share of messages sent in the last 24 hours that failed (0..1), for the dashboard and metrics. */
export async function failedDeliveryRate24h(exec: Executor): Promise<{ sent: number; failed: number; rate: number }> {
  const r = await exec.execute<{ sent: number; failed: number }>(sql`
    SELECT count(*) FILTER (WHERE status IN ('sent', 'delivered', 'read', 'failed'))::int AS sent,
           count(*) FILTER (WHERE status = 'failed')::int AS failed
    FROM whatsapp_outbox WHERE created_at > now() - interval '24 hours'`);
  const { sent, failed } = r.rows[0] ?? { sent: 0, failed: 0 };
  return { sent, failed, rate: sent === 0 ? 0 : failed / sent };
}

/**
 * Deletes up to `limit` messages created more than `days` ago that are sent, delivered, read or failed
 * (oldest first, by whatsapp_outbox_created) and returns how many; pending and sending rows are never
 * touched. SKIP LOCKED: processes running this at once take different rows and never wait for each other.
 * `= ANY(ARRAY(...))` rather than `IN (...)`: the ids are found first and deleted by primary key, where
 * `IN` was planned as a hash join over a scan of the whole table, for every batch.
 */
export async function deleteFinishedBefore(exec: Executor, days: number, limit: number): Promise<number> {
  const r = await exec.execute(sql`
    DELETE FROM whatsapp_outbox WHERE id = ANY(ARRAY(
      SELECT id FROM whatsapp_outbox
      WHERE status IN ('sent', 'delivered', 'read', 'failed') AND created_at < now() - make_interval(days => ${days})
      ORDER BY created_at LIMIT ${limit}
      FOR UPDATE SKIP LOCKED))`);
  return r.rowCount ?? 0;
}

export interface RequeueFilter {
  /** Only messages created at or after this time. */
  since: Date;
  /** Only this Meta error code (`error_code`). */
  code?: number | null;
  /** Only this phone (E.164). */
  phone?: string | null;
  /** Select as for real, change nothing. */
  dryRun: boolean;
}

export type RequeueOutcome = 'requeued' | 'later_message' | 'session_ended' | 'changed';

export interface RequeueGroup {
  phoneNumber: string;
  errorCode: number | null;
  outcome: RequeueOutcome;
  count: number;
}

/**
 * Puts failed messages back to `pending` (attempts 0, due now) so the outbox worker sends them again,
 * after the cause (an expired token, a missing start template) is fixed. Only a phone's failed tail:
 * a failed row with any later row of the same phone that is not failed (sent, delivered, read, or
 * still queued) stays failed, because re-sending an old question after later messages went out would
 * confuse the operator, and a queued later row could be mid-send, so the order could not be kept.
 * Only rows of an active session or of none (alerts to managers). The requeued rows lose their old
 * `wa_message_id`, so a late status of the refused send can no longer land on the new one; the last
 * error stays in `error_code` / `error_title` until the send succeeds (markSent clears it).
 *
 * One statement, so the selection and the update see the same rows; the UPDATE touches only rows still
 * `failed`, which no worker holds. The dry run is the same statement with the update switched off.
 * Returns one group per phone, error code and outcome.
 */
export async function requeueFailed(exec: Executor, f: RequeueFilter): Promise<RequeueGroup[]> {
  const r = await exec.execute<{
    phone_number: string;
    error_code: number | null;
    outcome: RequeueOutcome;
    count: number;
  }>(sql`
    WITH candidate AS (
      SELECT o.id, o.phone_number, o.error_code,
             (o.session_id IS NOT NULL AND s.status IS DISTINCT FROM 'active') AS session_ended
      FROM whatsapp_outbox o LEFT JOIN whatsapp_conversation_sessions s ON s.id = o.session_id
      WHERE o.status = 'failed' AND o.created_at >= ${f.since}
        AND (${f.code ?? null}::int IS NULL OR o.error_code = ${f.code ?? null}::int)
        AND (${f.phone ?? null}::text IS NULL OR o.phone_number = ${f.phone ?? null}::text)
    ), last_other AS (
      -- ids grow with time: later rows lie above the oldest candidate, a range of the primary key.
      SELECT l.phone_number, max(l.id) AS id FROM whatsapp_outbox l
      WHERE l.id > (SELECT min(c.id) FROM candidate c) AND l.status <> 'failed'
        AND l.phone_number IN (SELECT c.phone_number FROM candidate c)
      GROUP BY l.phone_number
    ), judged AS (
      SELECT c.id, c.phone_number, c.error_code,
             CASE WHEN lo.id > c.id THEN 'later_message' WHEN c.session_ended THEN 'session_ended' END AS skip
      FROM candidate c LEFT JOIN last_other lo ON lo.phone_number = c.phone_number
    ), requeued AS (
      UPDATE whatsapp_outbox o
      SET status = 'pending', attempts = 0, next_attempt_at = now(), lease_until = NULL, wa_message_id = NULL, sent_at = NULL
      FROM judged j
      WHERE o.id = j.id AND j.skip IS NULL AND o.status = 'failed' AND NOT ${f.dryRun}::boolean
      RETURNING o.id
    )
    SELECT j.phone_number, j.error_code,
           CASE WHEN j.skip IS NOT NULL THEN j.skip WHEN ${f.dryRun}::boolean OR q.id IS NOT NULL THEN 'requeued' ELSE 'changed' END AS outcome,
           count(*)::int AS count
    FROM judged j LEFT JOIN requeued q ON q.id = j.id
    GROUP BY 1, 2, 3
    ORDER BY 1, 2, 3`);
  return r.rows.map((x) => ({
    phoneNumber: x.phone_number,
    errorCode: x.error_code,
    outcome: x.outcome,
    count: x.count,
  }));
}

/** True when the phone wrote to us in the last 24 hours, so free-form messages may be sent. */
export async function inServiceWindow(exec: Executor, phoneNumber: string): Promise<boolean> {
  const r = await exec.execute(sql`
    SELECT 1 FROM whatsapp_contacts WHERE phone_number = ${phoneNumber} AND last_inbound_at > now() - interval '24 hours'`);
  return r.rows.length > 0;
}

/** The numbers among `phones` that wrote to us in the last 24 hours (one query for all of them). */
export async function phonesInWindow(exec: Executor, phones: string[]): Promise<Set<string>> {
  const r = await exec.execute<{ phone: string }>(sql`
    SELECT phone_number AS phone FROM whatsapp_contacts
    WHERE phone_number = ANY(${sql.param(phones)}::text[]) AND last_inbound_at > now() - interval '24 hours'`);
  return new Set(r.rows.map((x) => x.phone));
}

/**
 * Claims the phone's one automatic answer of the day (an unknown sender hears who we are once, not
 * once per message): true when none went out in the last 24 hours, and marks now.
 */
export async function claimDailyAutoReply(exec: Executor, phoneNumber: string): Promise<boolean> {
  const r = await exec.execute(sql`
    UPDATE whatsapp_contacts SET auto_replied_at = now()
    WHERE phone_number = ${phoneNumber} AND (auto_replied_at IS NULL OR auto_replied_at <= now() - interval '24 hours')
    RETURNING 1`);
  return r.rows.length > 0;
}

/**
 * Moves a number's unsent messages to its corrected form (operator-phones.ts), only when none is being sent
 * right now: a message in flight on the old number and the next ones on the new would be two queues to one
 * phone, sent out of order. Row locks keep the outbox worker (SKIP LOCKED) off them meanwhile.
 */
export async function moveUnsentToPhone(
  exec: Executor,
  from: string,
  to: string,
): Promise<{ moved: number; left: number }> {
  const r = await exec.execute<{ moved: number; unsent: number }>(sql`
    WITH locked AS (
      SELECT id, status FROM whatsapp_outbox WHERE phone_number = ${from} AND status IN ('pending', 'sending') FOR UPDATE
    ), moved AS (
      UPDATE whatsapp_outbox o SET phone_number = ${to} FROM locked l
      WHERE o.id = l.id AND NOT EXISTS (SELECT 1 FROM locked s WHERE s.status = 'sending')
      RETURNING o.id
    )
    SELECT (SELECT count(*) FROM moved)::int AS moved, (SELECT count(*) FROM locked)::int AS unsent`);
  const row = r.rows[0]!;
  return { moved: row.moved, left: row.unsent - row.moved };
}
