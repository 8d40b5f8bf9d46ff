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

/** Meta's system message when a person changes their WhatsApp number: from the old number, naming the new one. */
export function numberChangeMessage(oldPhone: string, newPhone: string) {
  return {
    from: waId(oldPhone),
    id: newWamid(),
    timestamp: String(Math.floor(Date.now() / 1000)),
    type: 'system',
    system: {
      body: `User changed from ${waId(oldPhone)} to ${waId(newPhone)}`,
      new_wa_id: waId(newPhone),
      type: 'user_changed_number',
    },
  };
}

let bsuids = 0;
/** A fresh business-scoped user id, as Meta writes one ("US.13491208655302741918"). */
export const newBsuid = () => `US.${Date.now()}${String(bsuids++).padStart(6, '0')}`;

/**
 * A text from a person who uses a WhatsApp username: `from_user_id` always, `from` only when Meta gives
 * the number too (`phone`), as since mid-2026.
 */
export function usernameMessage(
  userId: string,
  body: string,
  opts: { phone?: string; id?: string; timestamp?: number } = {},
) {
  const { from: _from, ...rest } = textMessage(opts.phone ?? '+10000000000', body, opts);
  return { ...(opts.phone ? { from: waId(opts.phone) } : {}), from_user_id: userId, ...rest };
}

/** `contacts[]` as Meta writes it: the number when there is one, the BSUID and username when there are. */
function contactOf(m: object, username?: string, name = 'Operator') {
  const { from, from_user_id } = m as { from?: string; from_user_id?: string };
  return {
    profile: { name, ...(username ? { username } : {}) },
    ...(from ? { wa_id: from } : {}),
    ...(from_user_id ? { user_id: from_user_id } : {}),
  };
}

export function messagesDelivery(
  messages: object[],
  statuses: object[] = [],
  opts: { username?: string; name?: string } = {},
) {
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
              contacts: messages.map((m) => contactOf(m, opts.username, opts.name)),
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
