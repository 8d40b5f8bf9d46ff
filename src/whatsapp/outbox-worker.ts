import { performance } from 'node:perf_hooks';
import type { Db } from '../lib/db/client.js';
import { withTransaction } from '../lib/db/transaction.js';
import type { Logger } from '../lib/logger.js';
import { metrics } from '../lib/metrics.js';
import { sendFallbackInstead } from '../outbox/alert-repository.js';
import { claimHeads } from '../outbox/claim-repository.js';
import * as outbox from '../outbox/outbox-repository.js';
import type { WhatsAppSender } from './whatsapp-types.js';
import { createWorkerLoop, type WorkerLoop } from '../lib/worker-loop.js';

/** Retryable failures (Meta down, rate limits) are retried this long; after 24 hours the service window is closed. */
const RETRY_FOR_MS = 24 * 3600_000;
export const OUTSIDE_WINDOW = 131047;
// Longer than a send can take (the Graph client gives up after 10 s), so a live worker never loses its row.
const LEASE_SECONDS = 30;
/** A send's way from here to Meta, kept free at the end of the seconds a claim was charged to (decision 0017). */
const SEND_MARGIN_MS = 100;
/** Someone must act on these (ERROR); the rest of the permanent failures are the recipient's side (WARN). */
const OPERATOR_ACTION_CODES = new Set([190, 100, 368]);

export interface OutboxWorkerDeps {
  db: Db;
  logger: Logger;
  sender: WhatsAppSender;
  /** A free-form message refused with 131047 (outside the 24-hour window) for this session. */
  onReengage?: (sessionId: string) => Promise<void>;
  /** WHATSAPP_MAX_MESSAGES_PER_SECOND: sends per second across every process on this database (decision 0017). */
  maxPerSecond: number;
  pollMs?: number;
  /** Rows claimed, and sent side by side, per tick. */
  batch?: number;
  /** Backoff before retry n (1-based); exponential with jitter, capped at 5 minutes. */
  backoffMs?: (attempt: number) => number;
}

/** A message Meta accepted, and when we asked it to (the outbox's sent_at). */
type Sent = { id: number; waMessageId: string; kind: string; acceptedAt: Date };

export const defaultBackoff = (attempt: number) =>
  Math.min(300_000, 1000 * 2 ** (attempt - 1)) * (0.8 + Math.random() * 0.4);

/** Sends committed outbox rows, in order per phone, with retries; safe to run in several processes. */
export function createOutboxWorker(deps: OutboxWorkerDeps): WorkerLoop {
  const log = deps.logger.child({ component: 'outbox-worker' });
  const backoff = deps.backoffMs ?? defaultBackoff;

  /** Meta has these messages: keep trying to record that while the lease lasts, or they would go out again. */
  async function recordSent(sent: Sent[]): Promise<void> {
    const until = Date.now() + LEASE_SECONDS * 1000;
    for (;;) {
      try {
        await outbox.markSent(deps.db, sent);
        break;
      } catch (err) {
        if (Date.now() >= until) throw err;
        log.warn(
          { err, outboxIds: sent.map((s) => s.id) },
          '[WHATSAPP] Messages sent, but recording them failed; retrying',
        );
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    for (const s of sent)
      log.info({ outboxId: s.id, waMessageId: s.waMessageId, kind: s.kind }, '[WHATSAPP] Message sent');
  }

  /** Sends one claimed row; a success is returned for the tick to record with the others. */
  async function sendOne(row: outbox.OutboxRow): Promise<Sent | null> {
    // Meta accepts a message between our request and its answer; the request's start is the bound the
    // read-time rule can trust (an operator cannot see the message earlier, even when the answer is slow).
    const requestedAt = new Date();
    const result = await deps.sender.send(row.phone_number, row.payload);
    if (result.ok) {
      metrics.outbound.inc({ result: 'sent', code: '' });
      return { id: row.id, waMessageId: result.waMessageId, kind: row.kind, acceptedAt: requestedAt };
    }
    const where = {
      outboxId: row.id,
      attempt: row.attempts,
      code: result.code,
      httpStatus: result.httpStatus,
      title: result.title,
    };
    const retry = result.retryable && Date.now() - new Date(row.created_at).getTime() < RETRY_FOR_MS;
    metrics.outbound.inc({
      result: retry ? 'retry' : 'failed',
      code: String(result.code ?? result.httpStatus ?? 'network'),
    });
    if (retry) {
      await outbox.markRetry(deps.db, row.id, backoff(row.attempts), result.code, result.title);
      log.warn(where, '[WHATSAPP] Send failed; will retry');
      return null;
    }
    const refusedAlert = result.code === OUTSIDE_WINDOW && row.kind !== 'template' && !row.session_id;
    // A NOT OK alert's template is queued in the failure's own commit: never a moment with the alert
    // failed and nothing queued in its place.
    const fallbackId = await withTransaction(deps.db, async (tx) => {
      await outbox.markFailed(tx, row.id, result.code, result.title);
      return refusedAlert ? sendFallbackInstead(tx, row.id) : null;
    });
    if (fallbackId !== null)
      log.warn(where, '[WHATSAPP] Alert refused outside the 24-hour window; the alert template is queued instead');
    if (result.code === OUTSIDE_WINDOW && row.kind !== 'template' && row.session_id)
      await deps.onReengage?.(row.session_id);
    const level = result.code !== null && OPERATOR_ACTION_CODES.has(result.code) ? 'error' : 'warn';
    log[level](where, '[WHATSAPP] Send failed for good');
    return null;
  }

  const loop: WorkerLoop = createWorkerLoop({
    name: 'outbox',
    logger: log,
    pollMs: deps.pollMs ?? 1000,
    async tick() {
      // A phone's next message waits until its head is recorded as sent, so a tick stays small: no
      // bursts of replies (answered in bursts), and a short wait for the tick's slowest send.
      // The database read its clock after we asked: counting from the asking, never from the answer, a claim
      // whose answer waited in a busy process is seen as late.
      const asked = performance.now();
      const { rows, paced, sendWithinMs } = await claimHeads(deps.db, {
        limit: deps.batch ?? 16,
        leaseSeconds: LEASE_SECONDS,
        maxPerSecond: deps.maxPerSecond,
      });
      // A claim that reached us late (a stalled process) could put its sends in a second the pace did not
      // charge: those rows go back unsent and the next claim paces them again.
      const sendBy = asked + sendWithinMs - SEND_MARGIN_MS;
      const late = performance.now() > sendBy ? rows : [];
      if (late.length > 0) {
        await outbox.returnUnsent(
          deps.db,
          late.map((r) => r.id),
        );
        log.debug(
          { outboxIds: late.map((r) => r.id) },
          '[WHATSAPP] Claim arrived after its send pace share; handed back',
        );
        return true;
      }
      // Claimed rows are heads of distinct phones, so sending them side by side keeps each phone in order.
      // allSettled: a failure to record one row's retry must not keep the others' sends unrecorded (sent twice).
      const results = await Promise.allSettled(rows.map(sendOne));
      await recordSent(results.flatMap((r) => (r.status === 'fulfilled' && r.value ? [r.value] : [])));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
      if (paced) {
        // This second's share is spent (by any process): the held-back messages stay pending, in order, and
        // this worker tries again when the next second starts instead of claiming in a loop meanwhile.
        metrics.pacedWaits.inc();
        log.debug({ heldBack: paced.heldBack, waitMs: paced.waitMs }, '[WHATSAPP] Send pace reached; waiting');
        loop.kick(paced.waitMs);
        return false;
      }
      return rows.length > 0;
    },
  });
  return loop;
}
