import type { OutgoingMessage } from '../outbox/outgoing-message.js';

export type { OutgoingMessage };

export type SendResult =
  | { ok: true; waMessageId: string }
  | {
      ok: false;
      /** true for network errors, timeouts, 5xx, 130429, 131056, 131000, 1, 2 */
      retryable: boolean;
      httpStatus: number | null;
      code: number | null;
      title: string;
    };

/** Anything that can deliver an outgoing message: the Graph API client or the built-in simulator. */
export interface WhatsAppSender {
  send(to: string, message: OutgoingMessage): Promise<SendResult>;
  markRead(waMessageId: string): Promise<void>;
}
