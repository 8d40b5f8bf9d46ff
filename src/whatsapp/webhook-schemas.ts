import { z } from 'zod';
import { isBsuid } from './address.js';

// Lenient on purpose: Meta adds fields over time, and a payload we do not understand still gets a 200
// (a non-2xx would only make Meta retry it for days). We read what we need and keep the rest as-is.

/** Meta's clock may run a little ahead of ours; more than this is not a real send time. */
const MAX_AHEAD_MS = 5 * 60_000;

/**
 * Meta's Unix seconds (a string of digits, or a number). A value that is no real send time (missing, not
 * a number, negative, beyond Date's range, or more than 5 minutes ahead) is replaced by the time we
 * received it: the message is still recorded and applied (skipping it would lose an answer; refusing
 * the delivery would only make Meta retry it for days, with every message batched with it), and a wild
 * clock can neither hold a phone's messages out of order nor open its 24-hour window.
 */
const timestamp = z
  .unknown()
  .describe('Unix seconds, as Meta sends them ("1732500000"); another value is read as the time of receipt')
  .transform((v) => {
    const seconds = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
    const ms = Math.floor(seconds) * 1000;
    return Number.isFinite(ms) && ms >= 0 && ms <= Date.now() + MAX_AHEAD_MS ? new Date(ms) : new Date();
  });

/**
 * A message comes from a number (`from`), a BSUID (`from_user_id`), or both: since mid-2026 Meta leaves
 * `from` out for a username user who has not written to us for 30 days (decision 0011).
 */
export const inboundMessageSchema = z
  .looseObject({
    id: z.string().min(1).max(256),
    from: z.string().min(1).max(32).optional(),
    timestamp,
    type: z.string().min(1).max(32),
  })
  .refine((m) => m.from !== undefined || isBsuid(m.from_user_id), { message: 'from or from_user_id' });

const statusSchema = z.looseObject({
  id: z.string().min(1),
  status: z.enum(['sent', 'delivered', 'read', 'failed']),
  timestamp,
  errors: z.array(z.looseObject({ code: z.number().optional(), title: z.string().optional() })).optional(),
});

/** `contacts[]` of a delivery: who wrote, by number (`wa_id`), BSUID (`user_id`), profile name and username. */
const contactSchema = z.looseObject({
  wa_id: z.string().min(1).max(32).optional(),
  user_id: z.string().optional(),
  profile: z.looseObject({ name: z.string().max(256).optional(), username: z.string().max(64).optional() }).optional(),
});

/** What one delivery tells about a person: a number (Meta's digits), a BSUID, or both, with the names Meta gave. */
export interface Person {
  waId: string | null;
  userId: string | null;
  name: string | null;
  username: string | null;
}

const obj = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

export type InboundMessage = z.infer<typeof inboundMessageSchema> & Record<string, unknown>;
export type DeliveryStatus = z.infer<typeof statusSchema>;

/**
 * Walks every entry, change, message and status of a delivery (Meta batches up to 1000), level by
 * level, so one malformed part is skipped and counted without losing the rest of the batch.
 */
export function extractUpdates(body: unknown): {
  messages: InboundMessage[];
  statuses: DeliveryStatus[];
  people: Person[];
  skipped: number;
} {
  const out = {
    messages: [] as InboundMessage[],
    statuses: [] as DeliveryStatus[],
    people: [] as Person[],
    skipped: 0,
  };
  // Ids are read loosely here (a message or status is never refused for them) and kept only when they look right.
  const person = (waId: unknown, userId: unknown, name?: string, username?: string) =>
    out.people.push({
      waId: typeof waId === 'string' ? waId : null,
      userId: isBsuid(userId) ? userId : null,
      name: name ?? null,
      username: username ?? null,
    });
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { ...out, skipped: 1 };
  /** A part that is there but not a list is malformed: count it, keep going. */
  const listOf = (v: unknown): unknown[] => {
    if (v === undefined) return [];
    if (Array.isArray(v)) return v;
    out.skipped++;
    return [];
  };
  for (const entry of listOf(obj(body).entry)) {
    for (const change of listOf(obj(entry).changes)) {
      const value = obj(obj(change).value);
      // A contact that does not parse costs only its names: the message itself still carries who sent it.
      for (const c of listOf(value.contacts)) {
        const r = contactSchema.safeParse(c);
        if (r.success) person(r.data.wa_id, r.data.user_id, r.data.profile?.name, r.data.profile?.username);
      }
      for (const m of listOf(value.messages)) {
        const r = inboundMessageSchema.safeParse(m);
        if (!r.success) {
          out.skipped++;
          continue;
        }
        out.messages.push(storable(r.data));
        person(r.data.from, r.data.from_user_id);
      }
      for (const s of listOf(value.statuses)) {
        const r = statusSchema.safeParse(s);
        if (!r.success) {
          out.skipped++;
          continue;
        }
        out.statuses.push(storable(r.data));
        person(r.data.recipient_id, r.data.recipient_user_id);
      }
    }
  }
  return out;
}

// A UTF-16 surrogate without its pair (JSON's "\ud83d" alone), which String#toWellFormed replaces with U+FFFD.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Deeper than any payload of Meta's; a part below it is stored as null (PostgreSQL's jsonb refuses very deep JSON). */
const MAX_DEPTH = 32;

/**
 * What PostgreSQL refuses would fail the insert of the whole batch, so it is made storable: U+0000 is
 * dropped, a lone UTF-16 surrogate becomes U+FFFD (the replacement character), and nesting below
 * MAX_DEPTH becomes null. An operator's message is never refused for them.
 */
export function storable<T>(value: T, depth = 0): T {
  if (typeof value === 'string') {
    const s = value.replaceAll('\u0000', '');
    return (LONE_SURROGATE.test(s) ? (s as string & { toWellFormed(): string }).toWellFormed() : s) as T;
  }
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  if (depth >= MAX_DEPTH) return null as T;
  if (Array.isArray(value)) return (value as unknown[]).map((v) => storable(v, depth + 1)) as T;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [storable(k), storable(v, depth + 1)])) as T;
}
