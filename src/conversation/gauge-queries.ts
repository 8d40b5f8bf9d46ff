import { sql } from 'drizzle-orm';
import type { Executor } from '../lib/db/transaction.js';

export interface SessionGauges {
  active: number;
  expired24h: number;
}

/** The conversation figures /metrics reports: in progress now, and expired over the last 24 hours. */
export async function sessionGauges(exec: Executor): Promise<SessionGauges | null> {
  const r = await exec.execute<SessionGauges & Record<string, unknown>>(sql`
    SELECT
      (SELECT count(*)::int FROM whatsapp_conversation_sessions WHERE status = 'active') AS active,
      (SELECT count(*)::int FROM whatsapp_conversation_sessions WHERE status = 'expired' AND ended_at > now() - interval '24 hours') AS "expired24h"`);
  return r.rows[0] ?? null;
}
