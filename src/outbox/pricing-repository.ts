import { sql } from 'drizzle-orm';
import type { Executor } from '../lib/db/transaction.js';

/**
 * Records what Meta bills for one of our sent messages, from the first status that carries pricing
 * (later statuses repeat it). Only messages in our outbox are recorded, tied to the submission they
 * belong to: a conversation's message through its session, an alert through the submission it reports.
 * Returns the recorded pricing when this call recorded it, null when it was known already or is not ours,
 * so the caller counts each message once.
 */
export async function recordPricing(
  exec: Executor,
  waMessageId: string,
  p: { billable: boolean; category: string; pricingModel: string | null },
): Promise<{ billable: boolean; category: string } | null> {
  const r = await exec.execute<{ billable: boolean; category: string }>(sql`
    INSERT INTO whatsapp_message_pricing (wa_message_id, submission_id, billable, category, pricing_model)
    SELECT o.wa_message_id, COALESCE(o.submission_id, s.submission_id), ${p.billable}, ${p.category}, ${p.pricingModel}
    FROM whatsapp_outbox o LEFT JOIN whatsapp_conversation_sessions s ON s.id = o.session_id
    WHERE o.wa_message_id = ${waMessageId}
    ON CONFLICT (wa_message_id) DO NOTHING
    RETURNING billable, category`);
  return r.rows[0] ?? null;
}

export interface SubmissionMessages {
  /** Messages Meta accepted for this submission: its conversation's and its NOT OK alerts. */
  sent: number;
  /** Of those, the ones Meta's statuses marked billable. */
  billable: number;
}

/** The messages of one submission and how many of them Meta bills. */
export async function submissionMessages(exec: Executor, submissionId: string): Promise<SubmissionMessages> {
  const r = await exec.execute<{ sent: number; billable: number }>(sql`
    SELECT
      (SELECT count(*)::int FROM whatsapp_outbox o
        WHERE (o.session_id IN (SELECT s.id FROM whatsapp_conversation_sessions s WHERE s.submission_id = ${submissionId})
               OR o.submission_id = ${submissionId})
          AND o.wa_message_id IS NOT NULL) AS sent,
      (SELECT count(*)::int FROM whatsapp_message_pricing p
        WHERE p.submission_id = ${submissionId} AND p.billable) AS billable`);
  return r.rows[0] ?? { sent: 0, billable: 0 };
}

export interface MonthlyCost {
  /** Billable messages since the first of this month, by Meta's category, most first. */
  byCategory: { category: string; messages: number }[];
  billable: number;
  /** Checklists completed this month. */
  completed: number;
  /** Billable messages of this month's completed checklists, on average (null with none completed). */
  perChecklist: number | null;
}

/** This month's billable messages; months in UTC, like the dashboard's other figures and Meta's invoices. */
export async function monthlyCost(exec: Executor): Promise<MonthlyCost> {
  const since = sql`date_trunc('month', now())`;
  const byCategory = await exec.execute<{ category: string; messages: number }>(sql`
    SELECT category, count(*)::int AS messages FROM whatsapp_message_pricing
    WHERE billable AND recorded_at >= ${since}
    GROUP BY category ORDER BY messages DESC, category`);
  const r = await exec.execute<{ completed: number; billable: number }>(sql`
    WITH done AS (
      SELECT id FROM checklist_submissions WHERE status = 'completed' AND completed_at >= ${since}
    )
    SELECT (SELECT count(*)::int FROM done) AS completed,
           (SELECT count(*)::int FROM whatsapp_message_pricing p WHERE p.billable AND p.submission_id IN (SELECT id FROM done)) AS billable`);
  const { completed, billable } = r.rows[0] ?? { completed: 0, billable: 0 };
  return {
    byCategory: byCategory.rows,
    billable: byCategory.rows.reduce((n, c) => n + c.messages, 0),
    completed,
    perChecklist: completed === 0 ? null : billable / completed,
  };
}
