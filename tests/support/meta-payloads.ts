import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import { sign } from '../../src/whatsapp/signature.js';
import { APP_SECRET } from './harness.js';

let seq = 0;
export const newWamid = () =>
  `wamid.TEST${Date.now().toString(36)}${(seq++).toString(36)}${randomBytes(4).toString('hex')}`;

/** Meta's `from`: digits with the country code, no "+". */
export const waId = (e164: string) => e164.replace(/^\+/, '');

export function textMessage(from: string, body: string, opts: { id?: string; timestamp?: number } = {}) {
  return {
    from: waId(from),
    id: opts.id ?? newWamid(),
    timestamp: String(opts.timestamp ?? Math.floor(Date.now() / 1000)),
    type: 'text',
    text: { body },
  };
}

export function messagesDelivery(messages: object[], statuses: object[] = []) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
              contacts: messages.map((m) => ({ profile: { name: 'Operator' }, wa_id: (m as { from: string }).from })),
              ...(messages.length ? { messages } : {}),
              ...(statuses.length ? { statuses } : {}),
            },
          },
        ],
      },
    ],
  };
}

/** POSTs a delivery to the webhook exactly as Meta does: raw JSON bytes and their HMAC signature. */
export function deliver(app: Express, payload: object, secret = APP_SECRET) {
  const raw = JSON.stringify(payload);
  return request(app)
    .post('/api/whatsapp/webhook')
    .set('Content-Type', 'application/json')
    .set('X-Hub-Signature-256', sign(raw, secret))
    .send(raw);
}
