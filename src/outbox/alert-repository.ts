import { sql } from 'drizzle-orm';
import type { Executor } from '../lib/db/transaction.js';
import { outboxRows, type OutboxItem } from './outbox-messages.js';

/**
 * Queues one NOT OK alert to a manager's phone, tied to the submission it reports. `fallback` is the
 * alert template, sent instead when Meta refuses the free-form text with 131047 (sendFallbackInstead).
 */
export async function enqueueAlert(
  exec: Executor,
  a: { phoneNumber: string; submissionId: string; item: OutboxItem; fallback: OutboxItem | null },
) {
  const [row] = outboxRows([a.item]);
  const [fallback] = a.fallback ? outboxRows([a.fallback]) : [];
  await exec.execute(sql`
    INSERT INTO whatsapp_outbox (phone_number, session_id, kind, payload, submission_id, fallback_payload)
    VALUES (${a.phoneNumber}, NULL, ${row!.kind}, ${JSON.stringify(row!.payload)}::jsonb, ${a.submissionId},
            ${fallback ? JSON.stringify(fallback.payload) : null}::jsonb)`);
}

/**
 * A failed alert that carries a fallback gets it queued as a new message, once: the fallback is taken
 * off the failed row in the same statement, so a second failed status (Meta repeats them) finds none,
 * and the template row carries no fallback of its own. Returns the new row's id, or null.
 */
export async function sendFallbackInstead(exec: Executor, outboxId: number): Promise<number | null> {
  const r = await exec.execute<{ id: number }>(sql`
    WITH taken AS (
      SELECT id, phone_number, submission_id, fallback_payload FROM whatsapp_outbox
      WHERE id = ${outboxId} AND status = 'failed' AND fallback_payload IS NOT NULL
      FOR UPDATE
    ), queued AS (
      INSERT INTO whatsapp_outbox (phone_number, session_id, kind, payload, submission_id)
      SELECT phone_number, NULL, fallback_payload->>'type', fallback_payload, submission_id FROM taken
      RETURNING id
    )
    UPDATE whatsapp_outbox o SET fallback_payload = NULL, retried_as = (SELECT id FROM queued)
    FROM taken WHERE o.id = taken.id
    RETURNING o.retried_as AS id`);
  return r.rows[0]?.id ?? null;
}

export interface LostAlert {
  phoneNumber: string;
  submissionId: string;
  templateName: string;
  machineName: string;
  errorCode: number | null;
  errorTitle: string | null;
  /** The alert template failed (else the free-form text). */
  sentAsTemplate: boolean;
  failedAt: Date;
}

/**
 * NOT OK alerts that failed for good in the last `days` days, newest first: failed, and not replaced
 * by the template (a replaced text is no lost alert; a template that failed in turn is).
 */
export async function lostAlerts(exec: Executor, days = 7, limit = 20): Promise<LostAlert[]> {
  const r = await exec.execute<{
    phone_number: string;
    submission_id: string;
    template_name: string;
    machine_name: string;
    error_code: number | null;
    error_title: string | null;
    kind: string;
    failed_at: string;
  }>(sql`
    SELECT o.phone_number, o.submission_id, t.name AS template_name, m.name AS machine_name,
           o.error_code, o.error_title, o.kind, COALESCE(o.status_at, o.created_at) AS failed_at
    FROM whatsapp_outbox o
    JOIN checklist_submissions s ON s.id = o.submission_id
    JOIN checklist_templates t ON t.id = s.template_id
    JOIN machines m ON m.id = s.machine_id
    WHERE o.submission_id IS NOT NULL AND o.status = 'failed' AND o.retried_as IS NULL
      AND o.created_at > now() - make_interval(days => ${days})
    ORDER BY o.id DESC
    LIMIT ${limit}`);
  return r.rows.map((x) => ({
    phoneNumber: x.phone_number,
    submissionId: x.submission_id,
    templateName: x.template_name,
    machineName: x.machine_name,
    errorCode: x.error_code,
    errorTitle: x.error_title,
    sentAsTemplate: x.kind === 'template',
    failedAt: new Date(x.failed_at),
  }));
}
