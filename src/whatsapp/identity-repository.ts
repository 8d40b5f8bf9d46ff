import { sql } from 'drizzle-orm';
import type { Executor } from '../lib/db/transaction.js';

/**
 * Moves an address's inbound messages to its new address: the pending ones so one person's messages keep one
 * queue, the processed ones so the person's history does not turn into an unknown sender's (QA pass).
 */
export async function moveInbox(exec: Executor, from: string, to: string): Promise<number> {
  const r = await exec.execute(sql`UPDATE whatsapp_inbox SET phone_number = ${to} WHERE phone_number = ${from}`);
  return r.rowCount ?? 0;
}

/** The operator at this number, locked (lock order: after the session, before the outbox). */
export async function lockOperatorByPhone(exec: Executor, phone: string): Promise<{ id: number } | null> {
  const r = await exec.execute<{ id: number }>(sql`SELECT id FROM operators WHERE phone_number = ${phone} FOR UPDATE`);
  return r.rows[0] ?? null;
}

/** Whether another operator has this number already (then a change to it is not made: a manager must choose). */
export async function phoneTaken(exec: Executor, phone: string): Promise<boolean> {
  const r = await exec.execute(sql`SELECT 1 FROM operators WHERE phone_number = ${phone}`);
  return r.rows.length > 0;
}

/** The operator's number and BSUID after a change WhatsApp told us of, with the note shown on their page. */
export async function setOperatorIdentity(
  exec: Executor,
  id: number,
  change: { phone?: string; userId: string | null; note: string },
): Promise<void> {
  await exec.execute(sql`
    UPDATE operators SET phone_number = COALESCE(${change.phone ?? null}, phone_number),
      whatsapp_user_id = ${change.userId}, whatsapp_note = ${change.note}, whatsapp_note_at = now()
    WHERE id = ${id}`);
}

/** A changed BSUID: the operator who had the old one gets the new one (null: no operator had it). */
export async function replaceUserId(exec: Executor, from: string, to: string, note: string): Promise<number | null> {
  const r = await exec.execute<{ id: number }>(sql`
    UPDATE operators SET whatsapp_user_id = ${to}, whatsapp_note = ${note}, whatsapp_note_at = now()
    WHERE whatsapp_user_id = ${from}
      AND NOT EXISTS (SELECT 1 FROM operators o2 WHERE o2.whatsapp_user_id = ${to})
    RETURNING id`);
  await exec.execute(sql`UPDATE whatsapp_contacts SET user_id = ${to} WHERE user_id = ${from}`);
  return r.rows[0]?.id ?? null;
}
