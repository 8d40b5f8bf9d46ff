import type { Db } from '../lib/db/client.js';
import { onConnection } from '../lib/db/transaction.js';
import { RECORD_MESSAGES, recordMessages, type KnownPerson, type NewInboxMessage } from './inbox-repository.js';

/** Rows per statement at most; a larger backlog is written by the next flush. */
const MAX_BATCH_ROWS = 500;

interface Waiting {
  rows: NewInboxMessage[];
  people: KnownPerson[];
  resolve: (fresh: NewInboxMessage[]) => void;
  reject: (err: unknown) => void;
}

/**
 * Records the messages of concurrent webhook deliveries together (group commit): deliveries that
 * arrive while a write is in flight are written by the next one, in one statement and one commit.
 * Each caller's promise settles when the statement holding its rows has committed, so every 200 still
 * follows a durable record, and a failed statement fails every delivery in it (Meta retries them).
 * Under load this turns hundreds of one-row commits into a few, and the webhook needs `parallel`
 * pooled connections at most instead of one per request in flight.
 */
export function createInboundRecorder(db: Db, parallel = 2) {
  let queue: Waiting[] = [];
  let inFlight = 0;

  function pump() {
    while (inFlight < parallel && queue.length > 0) {
      let rows = 0;
      let n = 0;
      while (n < queue.length && (n === 0 || rows + queue[n]!.rows.length <= MAX_BATCH_ROWS))
        rows += queue[n++]!.rows.length;
      const batch = queue.slice(0, n);
      queue = queue.slice(n);
      inFlight++;
      void flush(batch).finally(() => {
        inFlight--;
        pump();
      });
    }
  }

  async function flush(batch: Waiting[]) {
    try {
      const rows = batch.flatMap((w) => w.rows);
      const people = batch.flatMap((w) => w.people);
      const fresh = new Set(await onConnection(db, [RECORD_MESSAGES], (conn) => recordMessages(conn, rows, people)));
      // A message id twice in one batch (a redelivery racing the first) is fresh for its first delivery only.
      for (const w of batch) {
        w.resolve(w.rows.filter((r) => fresh.delete(r.waMessageId)));
      }
    } catch (err) {
      for (const w of batch) w.reject(err);
    }
  }

  /** Records the rows; resolves with those that were new (not recorded before) once they are durable. */
  function record(rows: NewInboxMessage[], people: KnownPerson[] = []): Promise<NewInboxMessage[]> {
    if (rows.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      queue.push({ rows, people, resolve, reject });
      pump();
    });
  }

  return { record };
}

export type InboundRecorder = ReturnType<typeof createInboundRecorder>;
