// Wire shapes we send to the Graph API (see ../shared/whatsapp-cloud-api.md, "Sending").

export type OutgoingMessage =
  | { type: 'text'; text: { body: string; preview_url: false } }
  | {
      type: 'interactive';
      interactive:
        | {
            type: 'button';
            body: { text: string };
            action: { buttons: { type: 'reply'; reply: { id: string; title: string } }[] };
          }
        | {
            type: 'list';
            body: { text: string };
            action: {
              button: string;
              sections: { title: string; rows: { id: string; title: string; description: string }[] }[];
            };
          };
    }
  | {
      type: 'template';
      template: {
        name: string;
        language: { code: string };
        components?: (
          | { type: 'body'; parameters: { type: 'text'; text: string }[] }
          | {
              type: 'button';
              sub_type: 'quick_reply';
              index: string;
              parameters: { type: 'payload'; payload: string }[];
            }
        )[];
      };
    };

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
