import type { Db } from '../lib/db/client.js';
import { executePrepared, onConnection, type PreparedStatement } from '../lib/db/transaction.js';
import type { OutboxRow } from './outbox-repository.js';

/**
 * The last part of a second (in seconds) whose claims may reach Meta in the next second: they are charged
 * to both (decision 0017). Far longer than a claim's way to the Graph API, short enough to cost a steady
 * flow little (a burst spends each second's share at its start and never claims here).
 */
export const PACE_TAIL_SECONDS = 0.2;

export interface ClaimOptions {
  /** Rows claimed at most (heads of distinct phones). */
  limit: number;
  leaseSeconds: number;
  /** WHATSAPP_MAX_MESSAGES_PER_SECOND: shared by every process claiming on this database. */
  maxPerSecond: number;
  /** The database clock's reading to pace by; tests move it. Unset: clock_timestamp(). */
  at?: Date;
}

export interface Claim {
  rows: OutboxRow[];
  /**
   * Milliseconds (from the statement's end) left in the seconds this claim was charged to: a row sent later
   * could reach Meta in a second that did not count it, so the worker hands it back (returnUnsent) instead.
   */
  sendWithinMs: number;
  /** Messages ready but held back because this second's share is spent, and how long until the next one. */
  paced: { heldBack: number; waitMs: number } | null;
}

/**
 * Claims the oldest unsent message of each phone (never a later one while an earlier one is unsent,
 * so each phone's messages go out in order: the pair limit, one message in flight per person). SKIP
 * LOCKED lets several workers claim side by side; the lease hands a row back if its worker dies mid-send.
 *
 * The heads are found by a loose index scan (one descent of whatsapp_outbox_unsent per phone), not by
 * DISTINCT ON over the whole index: every message leaves two dead entries in that partial index (its
 * pending and sending versions), and a bitmap scan visits the heap for each of them until autovacuum
 * runs. A plain index scan marks the dead entries it meets, so later claims skip them (measured in the
 * bench at K=50: 1.7 ms per claim before, about 0.3 ms after).
 *
 * The same statement takes the claim's share of the second from whatsapp_send_pace (decision 0017): the
 * ready heads are locked, the pace row grants at most what is left of this second (by the database's
 * clock, so processes on different hosts agree), and only that many are claimed; the rest stay pending
 * for the next second, in order. One row lock per claim, held for the rest of this one statement; no
 * write to it when nothing is ready. ON CONFLICT makes the row on the first claim (and again if deleted).
 * The proposed row is the state a first claim leaves: its second, `last_grant` the wanted count (capped),
 * `sent_next` non-zero for a claim in the second's tail. A claim whose clock reading is older than the
 * row's (read before it waited for the row's lock) counts in the row's second, as a tail claim.
 */
const CLAIM_HEADS: PreparedStatement = {
  name: 'outbox_claim_heads_paced',
  text: `
    WITH RECURSIVE heads AS (
      (SELECT phone_number, id FROM whatsapp_outbox WHERE status IN ('pending', 'sending') ORDER BY phone_number, id LIMIT 1)
      UNION ALL
      SELECT n.phone_number, n.id FROM heads h CROSS JOIN LATERAL (
        SELECT phone_number, id FROM whatsapp_outbox
        WHERE status IN ('pending', 'sending') AND phone_number > h.phone_number ORDER BY phone_number, id LIMIT 1) n
    ), ready AS (
      SELECT o.id FROM whatsapp_outbox o JOIN heads h ON h.id = o.id
      WHERE (o.status = 'pending' AND o.next_attempt_at <= now())
         OR (o.status = 'sending' AND o.lease_until < now())
      ORDER BY o.id LIMIT $1::int
      FOR UPDATE OF o SKIP LOCKED
    ), wanted AS (
      SELECT count(*)::int AS ready, least(count(*)::int, $3::int) AS n,
             COALESCE($5::timestamptz, clock_timestamp()) AS at
      FROM ready
    ), pace AS (
      INSERT INTO whatsapp_send_pace AS p (id, second, sent, sent_next, last_grant)
      SELECT 1, date_trunc('second', w.at), w.n, CASE WHEN t.tail THEN w.n ELSE 0 END, w.n
      FROM wanted w
      CROSS JOIN LATERAL (SELECT w.at >= date_trunc('second', w.at) + make_interval(secs => 1 - $4::float8) AS tail) t
      WHERE w.n > 0
      ON CONFLICT (id) DO UPDATE SET (second, sent, sent_next, last_grant) = (
        SELECT g.second, g.used + g.n, g.used_next + CASE WHEN g.tail THEN g.n ELSE 0 END, g.n
        FROM (
          SELECT c.second, c.used, c.used_next, c.tail,
                 greatest(0, least(EXCLUDED.last_grant, $3::int - c.used,
                                   CASE WHEN c.tail THEN $3::int - c.used_next ELSE $3::int END)) AS n
          FROM (
            SELECT greatest(p.second, EXCLUDED.second) AS second,
                   (EXCLUDED.sent_next > 0 OR p.second > EXCLUDED.second) AS tail,
                   CASE WHEN p.second >= EXCLUDED.second THEN p.sent
                        WHEN p.second = EXCLUDED.second - interval '1 second' THEN p.sent_next ELSE 0 END AS used,
                   CASE WHEN p.second >= EXCLUDED.second THEN p.sent_next ELSE 0 END AS used_next) c) g)
      RETURNING p.second, p.last_grant
    ), claimed AS (
      UPDATE whatsapp_outbox o
      SET status = 'sending', attempts = o.attempts + 1, lease_until = now() + make_interval(secs => $2::float8)
      FROM (SELECT r.id FROM ready r ORDER BY r.id LIMIT (SELECT p.last_grant FROM pace p)) g
      WHERE o.id = g.id
      RETURNING o.id, o.phone_number, o.session_id, o.kind, o.payload, o.attempts, o.created_at
    )
    SELECT c.id, c.phone_number, c.session_id, c.kind, c.payload, c.attempts, c.created_at,
           (SELECT w.ready FROM wanted w) - p.last_grant AS held_back,
           ceil(1000 * extract(epoch FROM p.second + interval '1 second' - w.at))::int AS wait_ms,
           floor(1000 * extract(epoch FROM p.second
             + CASE WHEN w.at >= date_trunc('second', w.at) + make_interval(secs => 1 - $4::float8)
                      OR p.second > date_trunc('second', w.at) THEN interval '2 seconds' ELSE interval '1 second' END
             - COALESCE($5::timestamptz, clock_timestamp())))::int AS send_within_ms
    FROM pace p CROSS JOIN wanted w LEFT JOIN claimed c ON true`,
};

/** A claimed row with the pace's answer; one row with only the pace's answer when every ready head was held back. */
type ClaimRow = (OutboxRow | { [K in keyof OutboxRow]: null }) & {
  held_back: number;
  wait_ms: number;
  send_within_ms: number;
};

/** Claims up to `limit` heads within this second's share of the send pace (see CLAIM_HEADS). */
export async function claimHeads(db: Db, o: ClaimOptions): Promise<Claim> {
  const values = [o.limit, o.leaseSeconds, o.maxPerSecond, PACE_TAIL_SECONDS, o.at?.toISOString() ?? null];
  const r = await onConnection(db, [CLAIM_HEADS], (conn) =>
    conn.execute<ClaimRow & Record<string, unknown>>(executePrepared(CLAIM_HEADS, values)),
  );
  const rows: OutboxRow[] = [];
  for (const { held_back: _held, wait_ms: _wait, send_within_ms: _within, ...row } of r.rows)
    if (row.id !== null) rows.push(row);
  const first = r.rows[0];
  const paced = first && first.held_back > 0 ? { heldBack: first.held_back, waitMs: Math.max(1, first.wait_ms) } : null;
  return { rows, paced, sendWithinMs: first?.send_within_ms ?? 0 };
}
