import { eq, sql } from 'drizzle-orm';
import type { Executor } from '../../lib/db/transaction.js';
import { systemConfig } from '../../lib/db/schema.js';

/** The WhatsApp switch (system_config.whatsapp_enabled); on when the row is missing. */
export async function whatsappEnabled(exec: Executor): Promise<boolean> {
  const [row] = await exec
    .select({ on: systemConfig.whatsappEnabled })
    .from(systemConfig)
    .where(eq(systemConfig.id, 1));
  return row?.on ?? true;
}

/** The same flag as the guide's rollback: UPDATE system_config SET whatsapp_enabled = false; */
export async function setWhatsappEnabled(exec: Executor, enabled: boolean): Promise<void> {
  await exec
    .update(systemConfig)
    .set({ whatsappEnabled: enabled, updatedAt: sql`now()` })
    .where(eq(systemConfig.id, 1));
}
