import { sql } from 'drizzle-orm';
import type { Executor } from '../lib/db/transaction.js';

export interface OutboxGauges {
  backlog: number;
  oldestAge: number;
  failed24h: number;
  failedRatio: number;
}

/** The outbox figures /metrics reports: unsent messages, the oldest one's age, failures over the last 24 hours. */
export async function outboxGauges(exec: Executor): Promise<OutboxGauges | null> {
  const r = await exec.execute<OutboxGauges & Record<string, unknown>>(sql`
    SELECT
      (SELECT count(*)::int FROM whatsapp_outbox WHERE status IN ('pending', 'sending')) AS backlog,
      (SELECT COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float FROM whatsapp_outbox WHERE status IN ('pending', 'sending')) AS "oldestAge",
      (SELECT count(*)::int FROM whatsapp_outbox WHERE status = 'failed' AND created_at > now() - interval '24 hours') AS "failed24h",
      (SELECT COALESCE(count(*) FILTER (WHERE status = 'failed')::float / NULLIF(count(*) FILTER (WHERE status <> 'pending' AND status <> 'sending'), 0), 0)
         FROM whatsapp_outbox WHERE created_at > now() - interval '24 hours') AS "failedRatio"`);
  return r.rows[0] ?? null;
}

/** Inbound messages recorded but not applied yet. */
export async function inboxPending(exec: Executor): Promise<number> {
  const r = await exec.execute<{ inboxPending: number }>(sql`
    SELECT count(*)::int AS "inboxPending" FROM whatsapp_inbox WHERE status = 'pending'`);
  return r.rows[0]?.inboxPending ?? 0;
}
