import { z } from 'zod';

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

export const inboundMessageSchema = z.looseObject({
  id: z.string().min(1).max(256),
  from: z.string().min(1).max(32),
  timestamp,
  type: z.string().min(1).max(32),
});

const statusSchema = z.looseObject({
  id: z.string().min(1),
  status: z.enum(['sent', 'delivered', 'read', 'failed']),
  timestamp,
  errors: z.array(z.looseObject({ code: z.number().optional(), title: z.string().optional() })).optional(),
});

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
  skipped: number;
} {
  const out = { messages: [] as InboundMessage[], statuses: [] as DeliveryStatus[], skipped: 0 };
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
      for (const m of listOf(value.messages)) {
        const r = inboundMessageSchema.safeParse(m);
        if (r.success) out.messages.push(storable(r.data));
        else out.skipped++;
      }
      for (const s of listOf(value.statuses)) {
        const r = statusSchema.safeParse(s);
        if (r.success) out.statuses.push(storable(r.data));
        else out.skipped++;
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
