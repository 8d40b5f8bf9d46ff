import type { Harness } from './harness.js';
import { deliver, messagesDelivery, textMessage } from './meta-payloads.js';

/**
 * Waits until every recorded inbound message is applied and every queued outgoing message is sent
 * (or failed for good): after this, counting replies is safe. Not a timing assertion: it only waits.
 */
export async function settle(h: Harness, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await h.database.pool.query<{ inbox: number; outbox: number }>(`
      SELECT (SELECT count(*)::int FROM whatsapp_inbox WHERE status = 'pending') AS inbox,
             (SELECT count(*)::int FROM whatsapp_outbox WHERE status IN ('pending', 'sending')) AS outbox`);
    const { inbox, outbox } = rows[0]!;
    if (inbox === 0 && outbox === 0) return;
    if (Date.now() >= deadline)
      throw new Error(`Not settled after ${timeoutMs} ms: ${inbox} inbound pending, ${outbox} outgoing unsent`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The text an operator saw for one fake-Graph message (text body or interactive body). */
export const textOf = (m: { body: unknown }): string => {
  const b = m.body as { text?: { body?: string }; interactive?: { body?: { text?: string } } };
  return b.text?.body ?? b.interactive?.body?.text ?? '';
};

/**
 * Sends each text as the operator through the signed webhook, each one applied (and answered) before the next.
 * The operator types after reading: what is queued already (Question 1 right after an assignment) reaches the
 * fake Graph API first, or a loaded machine would have the text refused as sent before its question.
 */
export async function say(h: Harness, phone: string, ...texts: string[]): Promise<void> {
  await settle(h);
  for (const body of texts) {
    const res = await deliver(h.app, messagesDelivery([textMessage(phone, body)]));
    if (res.status !== 200) throw new Error(`Webhook answered ${res.status} to ${JSON.stringify(body)}`);
    await settle(h);
  }
}
