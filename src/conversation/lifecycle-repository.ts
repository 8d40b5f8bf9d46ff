import { sql } from 'drizzle-orm';
import type { Executor, Tx } from '../lib/db/transaction.js';
import { whatsappConversationSessions as sessions } from '../lib/db/schema.js';

/** A checklist with a due time gets a reminder this many minutes before it, if not finished (issue 17). */
export const DUE_REMINDER_MINUTES = 15;

/** Active sessions past their expiry, oldest first, locked; rows another process holds are skipped. */
export const lockOverdueSessions = (tx: Tx, limit: number) =>
  tx
    .select()
    .from(sessions)
    .where(sql`${sessions.status} = 'active' AND ${sessions.expiresAt} <= (now() AT TIME ZONE 'UTC')`)
    .orderBy(sessions.expiresAt)
    .limit(limit)
    .for('update', { skipLocked: true });

/**
 * Active sessions whose assignment is past its due time (`dueBy`), or, with `scheduleId`, every active session
 * of that schedule's unfinished occurrences before `before`. Locked: the sweep skips rows another process holds; a new
 * occurrence waits for them (its schedule row is locked first, so no cycle).
 */
export const lockSessionsPastDue = (tx: Tx, f: { dueBy: Date } | { scheduleId: number; before: Date }, limit: number) =>
  tx
    .select()
    .from(sessions)
    .where(
      sql`${sessions.status} = 'active' AND EXISTS (SELECT 1 FROM checklist_assignments a
        WHERE a.id = ${sessions.assignmentId} AND a.status = 'active'
          AND ${'dueBy' in f ? sql`a.due_at <= ${f.dueBy}` : sql`a.schedule_id = ${f.scheduleId} AND a.occurrence_at < ${f.before}`})`,
    )
    .limit(limit)
    .for('update', 'dueBy' in f ? { skipLocked: true } : {});

/**
 * Active sessions silent for `afterMinutes` and not reminded since their last message, or whose assignment
 * is due within DUE_REMINDER_MINUTES (and began before those minutes) and not reminded since then, locked;
 * rows another process holds are skipped.
 */
export const lockSilentSessions = (tx: Tx, afterMinutes: number, limit: number) =>
  tx
    .select()
    .from(sessions)
    .where(
      sql`${sessions.status} = 'active'
          AND COALESCE(${sessions.lastMessageAt}, ${sessions.createdAt}) <= (now() AT TIME ZONE 'UTC') - make_interval(mins => ${afterMinutes})
          AND (${sessions.remindedAt} IS NULL OR ${sessions.remindedAt} < COALESCE(${sessions.lastMessageAt}, ${sessions.createdAt}) AT TIME ZONE 'UTC')
          OR ${sessions.status} = 'active' AND EXISTS (SELECT 1 FROM checklist_assignments a
            WHERE a.id = ${sessions.assignmentId} AND a.due_at - interval '${sql.raw(String(DUE_REMINDER_MINUTES))} minutes' <= now()
              AND a.due_at > now()
              -- A conversation that began inside those minutes (a short window, a late start) just got Question 1.
              AND (${sessions.createdAt} AT TIME ZONE 'UTC') < a.due_at - interval '${sql.raw(String(DUE_REMINDER_MINUTES))} minutes'
              AND (${sessions.remindedAt} IS NULL OR ${sessions.remindedAt} < a.due_at - interval '${sql.raw(String(DUE_REMINDER_MINUTES))} minutes'))`,
    )
    .limit(limit)
    .for('update', { skipLocked: true });

/**
 * While WhatsApp is switched on: the oldest pending assignment (never expired) of each operator with no
 * conversation in progress on their number.
 */
export async function waitingAssignmentIds(exec: Executor, limit: number): Promise<string[]> {
  const waiting = await exec.execute<{ id: string }>(sql`
      SELECT DISTINCT ON (a.operator_id) a.id FROM checklist_assignments a
      JOIN operators o ON o.id = a.operator_id
      WHERE a.status = 'pending' AND a.last_expired_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM whatsapp_conversation_sessions s WHERE s.phone_number = o.phone_number AND s.status = 'active')
        AND EXISTS (SELECT 1 FROM system_config c WHERE c.id = 1 AND c.whatsapp_enabled)
      ORDER BY a.operator_id, a.created_at, a.id LIMIT ${limit}`);
  return waiting.rows.map((r) => r.id);
}

/** While WhatsApp is switched on, pending assignments whose reason is one of `from` get `to` instead. */
export async function replacePendingReasonWhileEnabled(exec: Executor, from: string[], to: string): Promise<void> {
  await exec.execute(sql`
      UPDATE checklist_assignments a SET status_reason = ${to}
      WHERE a.status = 'pending' AND a.status_reason IN (${sql.join(
        from.map((f) => sql`${f}`),
        sql`, `,
      )})
        AND EXISTS (SELECT 1 FROM system_config c WHERE c.id = 1 AND c.whatsapp_enabled)`);
}

/**
 * Assignments in progress whose conversation is gone: its session row deleted (the deployment guide's fix for a
 * corrupted session) or ended by hand. Each is returned to pending as an expired one is (awaiting a manager's
 * restart, with `reason`) and its unfinished submission ends as expired; the ids come back. An assignment and its
 * session start and end in one transaction, so one in progress without an active session is never a start or an
 * end under way. Rows another process holds are skipped.
 */
export async function returnAssignmentsWithoutConversation(tx: Tx, reason: string, limit: number): Promise<string[]> {
  const r = await tx.execute<{ id: string }>(sql`
    WITH gone AS (
      SELECT a.id FROM checklist_assignments a
      WHERE a.status = 'active'
        AND NOT EXISTS (SELECT 1 FROM whatsapp_conversation_sessions s WHERE s.assignment_id = a.id AND s.status = 'active')
      ORDER BY a.id LIMIT ${limit}
      FOR UPDATE OF a SKIP LOCKED
    ), submissions AS (
      UPDATE checklist_submissions SET status = 'expired'
      WHERE assignment_id IN (SELECT id FROM gone) AND status = 'pending'
    )
    UPDATE checklist_assignments a SET status = 'pending', status_reason = ${reason}, last_expired_at = now()
    FROM gone WHERE a.id = gone.id
    RETURNING a.id`);
  return r.rows.map((x) => x.id);
}
