// Delivers an operator's button taps to the webhook exactly as Meta does: a signed JSON body over a
// kept-alive connection, retried after a non-200, and sometimes delivered twice with the same message id.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { sign } from '../src/whatsapp/signature.js';
import { sleep } from './stats.js';

const RETRIES = 3;

export interface WebhookClient {
  /** Delivers one tap and resolves once it is acknowledged with 200 (a redelivery may follow). */
  tap(phone: string, buttonId: string, title: string): Promise<void>;
  /** Waits for the redeliveries still in flight. */
  drain(): Promise<void>;
  counts(): { messages: number; posts: number; duplicates: number; non200: number };
  /** Every POST's time to its complete response, in milliseconds. */
  ackMs: number[];
}

let seq = 0;

export function createWebhookClient(
  url: string,
  appSecret: string,
  phoneNumberId: string,
  duplicateRate: number,
): WebhookClient {
  const target = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const ackMs: number[] = [];
  const inFlight = new Set<Promise<unknown>>();
  const n = { messages: 0, posts: 0, duplicates: 0, non200: 0 };

  function post(raw: string, signature: string): Promise<number> {
    n.posts++;
    const t0 = performance.now();
    return new Promise((resolve) => {
      const req = http.request(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(raw),
            'x-hub-signature-256': signature,
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            ackMs.push(performance.now() - t0);
            resolve(res.statusCode ?? 0);
          });
        },
      );
      req.on('error', () => resolve(0));
      req.end(raw);
    });
  }

  /** Like Meta: a delivery that did not get a 200 is sent again a little later. */
  async function deliver(raw: string, signature: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const status = await post(raw, signature);
      if (status === 200) return;
      n.non200++;
      if (attempt >= RETRIES) throw new Error(`Webhook answered ${status} ${attempt + 1} times`);
      await sleep(100 * 2 ** attempt);
    }
  }

  return {
    ackMs,
    counts: () => ({ ...n }),
    async tap(phone, buttonId, title) {
      const raw = JSON.stringify(tapDelivery(phone, buttonId, title, phoneNumberId));
      const signature = sign(raw, appSecret);
      n.messages++;
      await deliver(raw, signature);
      if (Math.random() < duplicateRate) {
        n.duplicates++;
        const dup = deliver(raw, signature).catch(() => undefined);
        inFlight.add(dup);
        void dup.finally(() => inFlight.delete(dup));
      }
    },
    async drain() {
      await Promise.all([...inFlight]);
      agent.destroy();
    },
  };
}

/** Meta's webhook body for a reply-button tap (an `interactive` `button_reply` message). */
function tapDelivery(phone: string, buttonId: string, title: string, phoneNumberId: string) {
  const waId = phone.replace(/^\+/, '');
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
              metadata: { display_phone_number: '15550783881', phone_number_id: phoneNumberId },
              contacts: [{ profile: { name: 'Operator' }, wa_id: waId }],
              messages: [
                {
                  from: waId,
                  id: `wamid.BENCH.${process.pid}.${++seq}`,
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  type: 'interactive',
                  interactive: { type: 'button_reply', button_reply: { id: buttonId, title } },
                },
              ],
            },
          },
        ],
      },
    ],
  };
}
