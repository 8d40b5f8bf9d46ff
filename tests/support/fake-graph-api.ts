import { createHash } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The JSON body we received, loosely typed so tests can read it without narrowing. */
export interface FakeSentBody {
  messaging_product?: string;
  recipient_type?: string;
  to?: string;
  /** A BSUID, where Meta takes one (`to` wins when both are set, as at Meta). */
  recipient?: string;
  type?: string;
  text?: { body: string; preview_url?: boolean };
  interactive?: {
    type: string;
    body?: { text: string };
    action?: { buttons?: { type: string; reply: { id: string; title: string } }[] };
  };
  template?: { name: string; language?: { code: string }; components?: unknown[] };
  [key: string]: unknown;
}

export interface FakeSentMessage {
  /** The wamid we answered with; Meta's statuses for the message carry it. */
  id: string;
  /** The body's `to`, else its `recipient` (a BSUID). */
  to: string;
  type: string;
  body: FakeSentBody;
  phoneNumberId: string;
  at: Date;
}

export interface FakeRead {
  messageId: string;
  body: Record<string, unknown>;
  phoneNumberId: string;
  at: Date;
}

export type FakeFailure =
  { status: number; code?: number; title?: string; subcode?: number; details?: string } | 'drop';
export type SendPredicate = (attempt: Omit<FakeSentMessage, 'at' | 'id'>) => boolean;

const REENGAGEMENT_DETAILS =
  'Message failed to send because more than 24 hours have passed since the customer last replied to this number.';

/** How Meta answers a free-form send outside the 24-hour window: HTTP 400, code 131047, with error_data. */
export const REENGAGEMENT: FakeFailure = {
  status: 400,
  code: 131047,
  title: '(#131047) Re-engagement message',
  details: REENGAGEMENT_DETAILS,
};

/** Meta's `pricing` on a status since July 2025 (per-message pricing); service replies are billed from October 2026. */
export interface FakePricing {
  billable: boolean;
  pricing_model: 'PMP';
  category: 'utility' | 'service' | 'marketing' | 'authentication';
  type: 'regular' | 'free_customer_service' | 'free_entry_point';
}

export const BILLED_UTILITY: FakePricing = {
  billable: true,
  pricing_model: 'PMP',
  category: 'utility',
  type: 'regular',
};

/**
 * A status of a message the fake accepted, as Meta puts it in `value.statuses[]`: digits without "+" in
 * recipient_id, Unix seconds as a string, and `pricing` (on sent and delivered) or `errors` (on failed).
 */
export function statusOf(
  m: FakeSentMessage,
  status: 'sent' | 'delivered' | 'read' | 'failed',
  opts: { pricing?: FakePricing; errorCode?: 131047 | 131026 } = {},
) {
  const errors =
    status !== 'failed'
      ? undefined
      : opts.errorCode === 131026
        ? [
            {
              code: 131026,
              title: 'Message undeliverable',
              message: 'Message undeliverable',
              error_data: { details: 'Message Undeliverable.' },
            },
          ]
        : [
            {
              code: 131047,
              title: 'Re-engagement message',
              message: 'Re-engagement message',
              error_data: { details: REENGAGEMENT_DETAILS },
              href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
            },
          ];
  return {
    id: m.id,
    status,
    timestamp: String(Math.floor(Date.now() / 1000)),
    // A message sent to a BSUID (in `recipient`) is reported with recipient_user_id and no recipient_id.
    ...(m.body.to === undefined ? { recipient_user_id: m.to } : { recipient_id: digits(m.to) }),
    ...(opts.pricing ? { pricing: opts.pricing } : {}),
    ...(errors ? { errors } : {}),
  };
}

export interface FakeGraphApi {
  baseUrl: string;
  accessToken: string;
  sent: FakeSentMessage[];
  reads: FakeRead[];
  /** Every POST to the messages endpoint (sends and reads), answered or failed. */
  readonly attempts: number;
  /** The next n sends (not read receipts) fail with this reply. */
  failNext(n: number, reply: FakeFailure): void;
  /** Sends matching the predicate fail until the returned function is called or reset(). */
  failWhen(predicate: SendPredicate, reply: FakeFailure): () => void;
  addMedia(bytes: Buffer, mimeType: string, opts?: { hang?: boolean }): string;
  sentTo(phone: string): FakeSentMessage[];
  textsTo(phone: string): string[];
  waitForSent(predicate: (m: FakeSentMessage) => boolean, timeoutMs?: number): Promise<FakeSentMessage>;
  /** Forgets traffic, injected failures and media. */
  reset(): void;
  close(): Promise<void>;
}

const digits = (phone: string) => phone.replace(/\D/g, '');

export function textOf(m: FakeSentMessage): string {
  return (
    m.body.text?.body ??
    m.body.interactive?.body?.text ??
    (m.body.template ? `[template ${m.body.template.name}]` : `[${m.type}]`)
  );
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

let traces = 0;
function metaError(
  res: ServerResponse,
  status: number,
  code: number,
  message: string,
  subcode?: number,
  details?: string,
): void {
  const error = {
    message,
    type: 'OAuthException',
    code,
    ...(details === undefined ? {} : { error_data: { messaging_product: 'whatsapp', details } }),
    ...(subcode === undefined ? {} : { error_subcode: subcode }),
    fbtrace_id: `FAKE${++traces}`,
  };
  json(res, status, { error });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeGraphApi(opts: { accessToken?: string; version?: string } = {}): Promise<FakeGraphApi> {
  const accessToken = opts.accessToken ?? 'test-token';
  let nextFailures: { left: number; reply: FakeFailure } | null = null;
  let predicates: { predicate: SendPredicate; reply: FakeFailure }[] = [];
  let media = new Map<string, { bytes: Buffer; mimeType: string; hang?: boolean }>();
  let counter = 0;
  let attempts = 0;
  let mediaCounter = 0;

  const authorised = (req: IncomingMessage) => req.headers.authorization === `Bearer ${accessToken}`;
  const versionOk = (v: string) => (opts.version ? v === opts.version : /^v\d+\.\d+$/.test(v));

  function fail(res: ServerResponse, reply: FakeFailure): void {
    if (reply === 'drop') {
      res.socket?.destroy();
      return;
    }
    metaError(
      res,
      reply.status,
      reply.code ?? reply.status,
      reply.title ?? `Injected failure (HTTP ${reply.status})`,
      reply.subcode,
      reply.details,
    );
  }

  function failureFor(attempt: Omit<FakeSentMessage, 'at' | 'id'>): FakeFailure | null {
    if (nextFailures && nextFailures.left > 0) {
      nextFailures.left -= 1;
      return nextFailures.reply;
    }
    return predicates.find((p) => p.predicate(attempt))?.reply ?? null;
  }

  async function postMessage(req: IncomingMessage, res: ServerResponse, phoneNumberId: string): Promise<void> {
    // When the request reached us, as Meta would count it: not after its body was read.
    const arrivedAt = new Date();
    attempts += 1;
    const raw = await readBody(req);
    if (!authorised(req)) return metaError(res, 401, 190, 'Invalid OAuth access token - Cannot parse access token');
    let body: FakeSentBody;
    try {
      body = JSON.parse(raw) as FakeSentBody;
    } catch {
      return metaError(res, 400, 100, 'Invalid parameter: body is not JSON');
    }
    if (body.status === 'read') {
      api.reads.push({ messageId: String(body.message_id), body, phoneNumberId, at: new Date() });
      return json(res, 200, { success: true });
    }
    // Meta: when both are set, `to` wins.
    const to = String(body.to ?? body.recipient ?? '');
    const attempt = { to, type: String(body.type ?? ''), body, phoneNumberId };
    const failure = failureFor(attempt);
    if (failure) return fail(res, failure);
    const id = `wamid.FAKE.${++counter}`;
    api.sent.push({ ...attempt, id, at: arrivedAt });
    json(res, 200, {
      messaging_product: 'whatsapp',
      contacts: [body.to === undefined ? { input: to, user_id: to } : { input: to, wa_id: to.replace('+', '') }],
      messages: [{ id }],
    });
  }

  function getMedia(req: IncomingMessage, res: ServerResponse, id: string, bytesToo: boolean): void {
    if (!authorised(req)) return metaError(res, 401, 190, 'Invalid OAuth access token - Cannot parse access token');
    const item = media.get(id);
    if (!item) return metaError(res, 404, 100, `Unsupported get request. Object with ID '${id}' does not exist`, 33);
    if (bytesToo && item.hang) return; // never answers: the client's timeout must fire
    if (bytesToo) {
      res.writeHead(200, { 'content-type': item.mimeType, 'content-length': item.bytes.length }).end(item.bytes);
      return;
    }
    json(res, 200, {
      url: `${api.baseUrl}/media-bytes/${id}`,
      mime_type: item.mimeType,
      sha256: createHash('sha256').update(item.bytes).digest('hex'),
      file_size: item.bytes.length,
      id,
      messaging_product: 'whatsapp',
    });
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const parts = new URL(req.url ?? '/', 'http://fake').pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const [first = '', second = '', third] = parts;
    if (req.method === 'POST' && parts.length === 3 && third === 'messages' && versionOk(first))
      return postMessage(req, res, second);
    if (req.method === 'GET' && parts.length === 2 && first === 'media-bytes') return getMedia(req, res, second, true);
    if (req.method === 'GET' && parts.length === 2 && versionOk(first)) return getMedia(req, res, second, false);
    metaError(res, 400, 100, `Unknown path components: ${req.method} ${req.url}`);
  }

  const server = http.createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      if (!res.headersSent) metaError(res, 500, 1, `Fake Graph API crashed: ${String(err)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const api: FakeGraphApi = {
    baseUrl: `http://127.0.0.1:${port}`,
    accessToken,
    sent: [],
    reads: [],
    get attempts() {
      return attempts;
    },
    failNext(n, reply) {
      nextFailures = { left: n, reply };
    },
    failWhen(predicate, reply) {
      const entry = { predicate, reply };
      predicates.push(entry);
      return () => {
        predicates = predicates.filter((p) => p !== entry);
      };
    },
    addMedia(bytes, mimeType, opts) {
      const id = String(1_000_000_000_000 + ++mediaCounter);
      media.set(id, { bytes, mimeType, hang: opts?.hang ?? false });
      return id;
    },
    // A phone matches its digits in `to`; a BSUID matches itself exactly.
    sentTo: (address) =>
      api.sent.filter((m) => (/^\+?\d+$/.test(address) ? digits(m.to) === digits(address) : m.to === address)),
    textsTo: (phone) => api.sentTo(phone).map(textOf),
    async waitForSent(predicate, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = api.sent.find(predicate);
        if (found) return found;
        if (Date.now() >= deadline) {
          const seen = api.sent.map((m) => `  ${m.to} ${m.type}: ${textOf(m)}`).join('\n') || '  (nothing)';
          throw new Error(`No matching message sent within ${timeoutMs} ms. Sent so far:\n${seen}`);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    reset() {
      api.sent.length = 0;
      api.reads.length = 0;
      attempts = 0;
      nextFailures = null;
      predicates = [];
      media = new Map();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
  return api;
}
