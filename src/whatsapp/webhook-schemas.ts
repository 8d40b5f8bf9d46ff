import { z } from 'zod';

// Lenient on purpose: Meta adds fields over time, and a payload we do not understand still gets a 200
// (a non-2xx would only make Meta retry it for days). We read what we need and keep the rest as-is.

const timestamp = z.union([z.string(), z.number()]).transform((v) => new Date(Number(v) * 1000));

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

export const webhookSchema = z.looseObject({
  object: z.string().optional(),
  entry: z
    .array(
      z.looseObject({
        changes: z
          .array(
            z.looseObject({
              field: z.string().optional(),
              value: z
                .looseObject({
                  messages: z.array(z.unknown()).optional(),
                  statuses: z.array(z.unknown()).optional(),
                })
                .optional(),
            }),
          )
          .optional(),
      }),
    )
    .optional(),
});

export type InboundMessage = z.infer<typeof inboundMessageSchema> & Record<string, unknown>;
export type DeliveryStatus = z.infer<typeof statusSchema>;

/** Walks every entry, change, message and status of a delivery (Meta batches up to 1000). */
export function extractUpdates(body: unknown): { messages: InboundMessage[]; statuses: DeliveryStatus[]; skipped: number } {
  const parsed = webhookSchema.safeParse(body);
  const out = { messages: [] as InboundMessage[], statuses: [] as DeliveryStatus[], skipped: 0 };
  if (!parsed.success) return { ...out, skipped: 1 };
  for (const entry of parsed.data.entry ?? []) {
    for (const change of entry.changes ?? []) {
      for (const m of change.value?.messages ?? []) {
        const r = inboundMessageSchema.safeParse(m);
        if (r.success && !Number.isNaN(r.data.timestamp.getTime())) out.messages.push(r.data as InboundMessage);
        else out.skipped++;
      }
      for (const s of change.value?.statuses ?? []) {
        const r = statusSchema.safeParse(s);
        if (r.success && !Number.isNaN(r.data.timestamp.getTime())) out.statuses.push(r.data);
        else out.skipped++;
      }
    }
  }
  return out;
}
