import { createHash, randomBytes } from 'node:crypto';
import { sign } from '../whatsapp/signature.js';

/** What the operator did, as Meta's `messages[]` item carries it (after from/id/timestamp/type). */
export type SimulatedInbound =
  | { type: 'text'; body: string }
  | { type: 'reply'; id: string; title: string; context?: string }
  /** A tap on a list message's row. */
  | { type: 'row'; id: string; title: string; description?: string; context?: string }
  | { type: 'quick'; payload: string; text: string; context?: string }
  | { type: 'image'; mediaId: string; mimeType: string; bytes: Buffer; caption?: string };

export const newSimulatedWamid = () => `wamid.SIM.${randomBytes(12).toString('hex')}`;

// The simulator's own business number; the server does not check them.
const DISPLAY_PHONE = '15550000000';
const PHONE_NUMBER_ID = 'simulator';

/**
 * The message's own part of Meta's `messages[]` item (its type and what goes with it),
 * with the tapped message's context.
 */
function messageBody(m: SimulatedInbound) {
  const context = (id?: string) => (id ? { context: { from: DISPLAY_PHONE, id } } : {});
  switch (m.type) {
    case 'text':
      return { type: 'text', text: { body: m.body } };
    case 'reply':
      return {
        ...context(m.context),
        type: 'interactive',
        interactive: { type: 'button_reply', button_reply: { id: m.id, title: m.title } },
      };
    case 'row': {
      const listReply = { id: m.id, title: m.title, ...(m.description ? { description: m.description } : {}) };
      return { ...context(m.context), type: 'interactive', interactive: { type: 'list_reply', list_reply: listReply } };
    }
    case 'quick':
      return { ...context(m.context), type: 'button', button: { payload: m.payload, text: m.text } };
    case 'image': {
      const sha256 = createHash('sha256').update(m.bytes).digest('hex');
      return {
        type: 'image',
        image: { id: m.mediaId, mime_type: m.mimeType, sha256, ...(m.caption ? { caption: m.caption } : {}) },
      };
    }
  }
}

/**
 * Who writes: an operator by phone number, or a person known only by a username (Meta then leaves out `from` and
 * `wa_id` and sends the business-scoped user id in `from_user_id` and `contacts[].user_id`).
 */
export type SimulatedSender = { phone: string } | { userId: string; username: string };

function senderFields(sender: SimulatedSender, name: string) {
  if ('userId' in sender)
    return {
      contact: { profile: { name, username: sender.username }, user_id: sender.userId },
      from: { from_user_id: sender.userId },
    };
  const from = sender.phone.replace(/^\+/, '');
  return { contact: { profile: { name }, wa_id: from }, from: { from } };
}

/** One Meta webhook delivery with a single message, shaped as in ../shared/whatsapp-cloud-api.md. */
export function webhookPayload(
  opts: { name: string; waMessageId: string; at: Date; message: SimulatedInbound } & SimulatedSender,
) {
  const { contact, from } = senderFields(opts, opts.name);
  const body = messageBody(opts.message);
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'simulator-waba',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: DISPLAY_PHONE, phone_number_id: PHONE_NUMBER_ID },
              contacts: [contact],
              messages: [
                { ...from, id: opts.waMessageId, timestamp: String(Math.floor(opts.at.getTime() / 1000)), ...body },
              ],
            },
          },
        ],
      },
    ],
  };
}

export class WebhookDeliveryError extends Error {
  constructor(
    readonly status: number | null,
    message: string,
  ) {
    super(message);
  }
}

/** POSTs the payload to the server's own webhook as Meta does: the exact raw bytes and their HMAC signature. */
export async function deliverToWebhook(url: string, payload: object, appSecret: string): Promise<void> {
  const raw = JSON.stringify(payload);
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(raw, appSecret) },
      body: raw,
      signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    throw new WebhookDeliveryError(null, `The webhook at ${url} did not answer (${(err as Error).message})`);
  }
  await res.arrayBuffer().catch(() => undefined);
  if (res.status !== 200)
    throw new WebhookDeliveryError(res.status, `The webhook at ${url} answered HTTP ${res.status}`);
}
