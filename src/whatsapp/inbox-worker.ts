import type { Db } from '../lib/db/client.js';
import type { Logger } from '../lib/logger.js';
import { errorSummary, PG_LOCK_NOT_AVAILABLE } from '../lib/db/pg-errors.js';
import { pgCode } from '../lib/db/transaction.js';
import type { ConversationService, InboundOutcome } from '../conversation/conversation-service.js';
import * as inbox from './inbox-repository.js';
import { prepareEvent } from './inbound-event.js';
import type { MediaSource } from './media-source.js';
import type { PhotoStore } from '../photos/photo-store.js';
import type { WhatsAppSender } from './whatsapp-types.js';
import { createWorkerLoop, type StopSignal, type WorkerLoop } from '../lib/worker-loop.js';

const LOCK_NAMESPACE = 74_110_002;
const MAX_ATTEMPTS = 5;
/** A message that waited LOCK_TIMEOUT for its session is tried again this much later, for as long as it takes. */
const LOCK_WAIT_RETRY_MS = 2_000;

export interface InboxWorkerDeps {
  db: Db;
  logger: Logger;
  conversation: ConversationService;
  media: MediaSource;
  photos: PhotoStore;
  /** For read receipts (blue ticks), sent after the answer is committed. */
  sender: Pick<WhatsAppSender, 'markRead'>;
  pollMs?: number;
  /** How long a phone's newest message settles before its messages are applied (reordering window). */
  settleMs: number;
  /** Phones drained side by side. */
  parallelPhones?: number;
}

/**
 * Applies recorded inbound messages, one phone at a time per worker and in order within a phone: only a
 * phone's head (its oldest pending message) is ever applied, and every apply checks that the message is
 * still pending, so workers in several processes never apply one twice or out of order. Each message is
 * applied by the conversation's one locked transaction (conversation.applyInbound). A photo must download
 * outside any transaction and only once, so a phone whose head is a photo is drained under a
 * session-level advisory lock on the phone.
 */
export function createInboxWorker(deps: InboxWorkerDeps): WorkerLoop {
  const log = deps.logger.child({ component: 'inbox-worker' });
  const parallel = deps.parallelPhones ?? 3;

  /**
   * Applies the phone's heads in order, from `first` on (read with the phone list; null: read it here). A photo
   * head, without the phone's lock, goes to drainUnderSessionLock.
   */
  async function drainPhone(
    phone: string,
    signal: StopSignal,
    first: inbox.PendingHead | null,
    locked = false,
  ): Promise<boolean> {
    let progressed = false;
    let head = first;
    while (!signal.stopped) {
      head ??= await inbox.nextPending(deps.db, phone, deps.settleMs);
      // The list's heads were due by the database's clock; a head read here is checked by ours.
      if (!head || (head !== first && head.row.nextAttemptAt.getTime() > Date.now())) break;
      const { row, more, operatorId } = head;
      // A document may be a photo sent as a file: it downloads too.
      if ((row.type === 'image' || row.type === 'document') && !locked)
        return (await drainUnderSessionLock(phone, signal)) || progressed;
      await applyOne(row, operatorId);
      progressed = true;
      if (!more) break;
      head = null;
    }
    return progressed;
  }

  /** Drains a phone whose head is a photo, holding the phone's session-level lock (no second download). */
  async function drainUnderSessionLock(phone: string, signal: StopSignal): Promise<boolean> {
    const lockClient = await deps.db.$client.connect();
    try {
      const { rows } = await lockClient.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [
        LOCK_NAMESPACE,
        phone,
      ]);
      if (!rows[0]?.ok) return false;
      try {
        return await drainPhone(phone, signal, null, true);
      } finally {
        await lockClient.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK_NAMESPACE, phone]);
      }
    } finally {
      lockClient.release();
    }
  }

  async function applyOne(row: inbox.InboxRow, operatorId: number | null): Promise<void> {
    const event = await prepareEvent(row, { media: deps.media, photos: deps.photos, logger: log });
    const newPhoto = event.kind === 'image' ? event.photo : null;
    try {
      const outcome = await deps.conversation.applyInbound({
        inboxId: row.id,
        from: row.phoneNumber,
        operatorId,
        event,
      });
      if (!outcome) {
        // Another worker applied this message first.
        if (newPhoto) await deps.photos.remove(newPhoto);
        return;
      }
      await afterApplied(row, newPhoto, outcome);
    } catch (err) {
      if (newPhoto) await deps.photos.remove(newPhoto).catch(() => undefined);
      await recordFailure(row, err);
    }
  }

  async function afterApplied(row: inbox.InboxRow, newPhoto: string | null, outcome: InboundOutcome): Promise<void> {
    if (newPhoto && !outcome.photoKept) await deps.photos.remove(newPhoto);
    for (const name of outcome.discardedPhotos ?? []) if (name !== newPhoto) await deps.photos.remove(name);
    log.debug({ waMessageId: row.waMessageId, type: row.type }, 'Inbound message applied');
    void deps.sender.markRead(row.waMessageId);
  }

  async function recordFailure(row: inbox.InboxRow, err: unknown): Promise<void> {
    const error = errorSummary(err);
    if (pgCode(err) === PG_LOCK_NOT_AVAILABLE) {
      // Something holds the operator's session (a psql left in a transaction): wait, do not give up.
      await inbox.markAttemptFailed(deps.db, row.id, error, {
        giveUp: false,
        delayMs: LOCK_WAIT_RETRY_MS,
        counts: false,
      });
      log.warn(
        { waMessageId: row.waMessageId, inboxId: row.id, error },
        '[WHATSAPP] Inbound message waits for a lock held elsewhere; will retry',
      );
      return;
    }
    const giveUp = row.attempts + 1 >= MAX_ATTEMPTS;
    const delayMs = Math.min(60_000, 500 * 2 ** row.attempts);
    await inbox.markAttemptFailed(deps.db, row.id, error, { giveUp, delayMs, counts: true });
    if (giveUp)
      log.error(
        { err, waMessageId: row.waMessageId, inboxId: row.id },
        '[WHATSAPP] Inbound message failed for good; it needs a look',
      );
    else
      log.warn(
        { waMessageId: row.waMessageId, attempt: row.attempts + 1, error },
        '[WHATSAPP] Inbound message failed; will retry',
      );
  }

  return createWorkerLoop({
    name: 'inbox',
    logger: log,
    pollMs: deps.pollMs ?? 1000,
    async tick(signal) {
      // Each phone comes with its head, so a phone with one message waiting is applied without another read.
      const heads = await inbox.pendingHeads(deps.db, 100, deps.settleMs);
      let progressed = false;
      let next = 0;
      // `parallel` lanes, each taking the next phone when it is done with one (no lane waits for another).
      const lane = async () => {
        while (next < heads.length && !signal.stopped) {
          const head = heads[next++]!;
          if (await drainPhone(head.row.phoneNumber, signal, head)) progressed = true;
        }
      };
      await Promise.all(Array.from({ length: parallel }, lane));
      return progressed;
    },
  });
}
