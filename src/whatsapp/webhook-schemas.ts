import { z } from 'zod';

// Lenient on purpose: Meta adds fields over time, and a payload we do not understand still gets a 200
// (a non-2xx would only make Meta retry it for days). We read what we need and keep the rest as-is.

const timestamp = z
  .union([z.string().regex(/^\d{1,12}$/), z.number().int().nonnegative()])
  .transform((v) => new Date(Number(v) * 1000));

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

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

export type InboundMessage = z.infer<typeof inboundMessageSchema> & Record<string, unknown>;
export type DeliveryStatus = z.infer<typeof statusSchema>;

/**
 * Walks every entry, change, message and status of a delivery (Meta batches up to 1000), level by
 * level, so one malformed part is skipped and counted without losing the rest of the batch.
 */
export function extractUpdates(body: unknown): { messages: InboundMessage[]; statuses: DeliveryStatus[]; skipped: number } {
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
        if (r.success) out.messages.push(withoutNul(r.data) as InboundMessage);
        else out.skipped++;
      }
      for (const s of listOf(value.statuses)) {
        const r = statusSchema.safeParse(s);
        if (r.success) out.statuses.push(r.data);
        else out.skipped++;
      }
    }
  }
  return out;
}

/** PostgreSQL text and jsonb refuse U+0000; an operator's message must not be refused for it. */
export function withoutNul<T>(value: T): T {
  if (typeof value === 'string') return value.replaceAll('\u0000', '') as T;
  if (Array.isArray(value)) return value.map(withoutNul) as T;
  if (value instanceof Date) return value;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [withoutNul(k), withoutNul(v)])) as T;
  }
  return value;
}
