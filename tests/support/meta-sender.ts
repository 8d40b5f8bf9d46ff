import request from 'supertest';
import type { Express } from 'express';
import { sign } from '../../src/whatsapp/signature.js';
import { APP_SECRET } from './harness.js';

/** POSTs signed webhook bytes; resolves with the HTTP status, rejects on a network error. */
export type WebhookPost = (raw: string, signature: string) => Promise<number>;

export interface DeliveryAttempt {
  /** The HTTP status, or 'network' when no answer came (connection refused or reset). */
  status: number | 'network';
  label: string;
  /** What the test said the world looked like when the attempt started (e.g. "down")... */
  phase: string;
  /** ...and when its answer (or failure) came back. */
  endPhase: string;
}

/** Through supertest, for an in-process app. */
export const postToApp =
  (app: Express, timeoutMs = 15_000): WebhookPost =>
  async (raw, signature) => {
    const res = await request(app)
      .post('/api/whatsapp/webhook')
      .set('Content-Type', 'application/json')
      .set('X-Hub-Signature-256', signature)
      .timeout(timeoutMs)
      .send(raw);
    return res.status;
  };

/** Over HTTP, for a server in another process. */
export const postToUrl =
  (url: string, timeoutMs = 15_000): WebhookPost =>
  async (raw, signature) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
      body: raw,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.arrayBuffer();
    return res.status;
  };

export interface MetaSender {
  /** Delivers until answered 200, retrying anything else; resolves once acknowledged. */
  deliver(payload: object, label?: string): Promise<void>;
  attempts: DeliveryAttempt[];
  /** Deliveries not acknowledged yet (redeliveries included). */
  readonly pending: number;
  /** Labels the attempts that start from now on. */
  phase: string;
  /** Waits until every delivery is acknowledged; throws after the deadline. */
  drain(timeoutMs?: number): Promise<void>;
  /** Stops retrying (end of test). */
  close(): void;
}

/**
 * Meta's side of the webhook: at least once. Every delivery is retried until it gets a 200 (Meta
 * retries non-2xx and unanswered deliveries), and with `duplicateEvery: n` every n-th acknowledged
 * delivery is delivered once more, as Meta sometimes does.
 */
export function createMetaSender(
  post: WebhookPost,
  opts: { retryMs?: number; duplicateEvery?: number; secret?: string } = {},
): MetaSender {
  const retryMs = opts.retryMs ?? 100;
  let pending = 0;
  let acked = 0;
  let closed = false;

  async function attemptUntilAcked(raw: string, signature: string, label: string): Promise<void> {
    for (;;) {
      const phase = sender.phase;
      let status: number | 'network';
      try {
        status = await post(raw, signature);
      } catch {
        status = 'network';
      }
      sender.attempts.push({ status, label, phase, endPhase: sender.phase });
      if (status === 200 || closed) return;
      await new Promise((r) => setTimeout(r, retryMs));
    }
  }

  async function deliverRaw(raw: string, label: string, mayDuplicate: boolean): Promise<void> {
    pending += 1;
    try {
      await attemptUntilAcked(raw, sign(raw, opts.secret ?? APP_SECRET), label);
    } finally {
      pending -= 1;
    }
    acked += 1;
    if (mayDuplicate && opts.duplicateEvery && acked % opts.duplicateEvery === 0) {
      pending += 1; // counted now, so drain() waits for it
      setTimeout(() => {
        pending -= 1;
        if (!closed) void deliverRaw(raw, `${label} (again)`, false);
      }, 30);
    }
  }

  const sender: MetaSender = {
    attempts: [],
    phase: 'start',
    get pending() {
      return pending;
    },
    deliver: (payload, label = '') => deliverRaw(JSON.stringify(payload), label, true),
    async drain(timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (pending > 0) {
        if (Date.now() >= deadline)
          throw new Error(`${pending} webhook deliveries still unacknowledged after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close() {
      closed = true;
    },
  };
  return sender;
}
