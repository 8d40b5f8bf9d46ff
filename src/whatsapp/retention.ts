import type { Db } from '../lib/db/client.js';
import type { Logger } from '../lib/logger.js';
import * as inbox from './inbox-repository.js';
import * as outbox from '../outbox/outbox-repository.js';
import { createWorkerLoop, type StopSignal, type WorkerLoop } from '../lib/worker-loop.js';

/** Rows per DELETE: each batch is its own short autocommit statement, so no long lock and no WAL burst. */
export const RETENTION_BATCH = 5000;
const HOUR_MS = 60 * 60_000;

export interface RetentionResult {
  inbox: number;
  outbox: number;
}

/**
 * Deletes finished whatsapp_inbox and whatsapp_outbox rows older than `days` (0: none), batch after
 * batch until one comes back short. Pending and sending rows stay whatever their age. Safe with several
 * processes at once: each batch skips the rows another one is deleting. Database only, no network.
 */
export async function deleteOldWhatsAppRows(
  db: Db,
  days: number,
  opts: { batch?: number; signal?: StopSignal } = {},
): Promise<RetentionResult> {
  if (days <= 0) return { inbox: 0, outbox: 0 };
  const batch = opts.batch ?? RETENTION_BATCH;
  const drain = async (deleteBatch: (limit: number) => Promise<number>) => {
    let total = 0;
    for (;;) {
      const n = await deleteBatch(batch);
      total += n;
      // A shutdown waits for the current pass: stop between batches, the rest goes next time.
      if (n < batch || opts.signal?.stopped) return total;
    }
  };
  const inboxDeleted = await drain((limit) => inbox.deleteFinishedBefore(db, days, limit));
  const outboxDeleted = await drain((limit) => outbox.deleteFinishedBefore(db, days, limit));
  return { inbox: inboxDeleted, outbox: outboxDeleted };
}

/**
 * Runs the retention at start and then once an hour per process (WHATSAPP_LOG_RETENTION_DAYS; 0: never).
 * A failed pass is logged as WARN by the loop and tried again an hour later.
 */
export function createRetentionWorker(deps: {
  db: Db;
  logger: Logger;
  retentionDays: number;
  everyMs?: number;
}): WorkerLoop {
  const log = deps.logger.child({ component: 'retention' });
  const days = deps.retentionDays;
  return createWorkerLoop({
    name: 'retention',
    logger: log,
    pollMs: deps.everyMs ?? HOUR_MS,
    async tick(signal) {
      if (days === 0) return false;
      const deleted = await deleteOldWhatsAppRows(deps.db, days, { signal });
      if (deleted.inbox + deleted.outbox > 0) {
        log.info(
          { ...deleted, days },
          `[WHATSAPP] Retention: deleted ${deleted.inbox} inbox and ${deleted.outbox} outbox rows older than ${days} days`,
        );
      }
      return false;
    },
  });
}
