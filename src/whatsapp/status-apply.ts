import type { Tx } from '../lib/db/transaction.js';
import { sendFallbackInstead } from '../outbox/alert-repository.js';
import { applyDeliveryStatus } from '../outbox/outbox-repository.js';
import { recordPricing } from '../outbox/pricing-repository.js';
import { OUTSIDE_WINDOW } from './outbox-worker.js';
import { pricingOf } from './pricing.js';
import type { DeliveryStatus } from './webhook-schemas.js';

export interface StatusesApplied {
  /** Sessions whose free-form message Meta refused with 131047: they get the start template. */
  reengage: string[];
  /** Meta's category of each message first priced by these statuses as billable (counted once per message). */
  billed: string[];
  /** NOT OK alerts refused with 131047 whose template was queued instead. */
  fallbacks: number;
}

/** Applies a delivery's statuses inside its transaction: the outbox status, the pricing, and 131047's remedies. */
export async function applyStatuses(tx: Tx, statuses: DeliveryStatus[]): Promise<StatusesApplied> {
  const out: StatusesApplied = { reengage: [], billed: [], fallbacks: 0 };
  for (const s of statuses) {
    const err = s.errors?.[0];
    const code = err?.code ?? null;
    const row = await applyDeliveryStatus(tx, {
      waMessageId: s.id,
      status: s.status,
      at: s.timestamp,
      code,
      title: err?.title ?? null,
    });
    // Pricing is read from every status, also a late one that no longer changes the row's status.
    const pricing = pricingOf(s);
    const priced = pricing ? await recordPricing(tx, s.id, pricing) : null;
    if (priced?.billable) out.billed.push(priced.category);
    if (row && s.status === 'failed' && code === OUTSIDE_WINDOW && row.kind !== 'template') {
      if (row.session_id) out.reengage.push(row.session_id);
      else if ((await sendFallbackInstead(tx, row.id)) !== null) out.fallbacks++;
    }
  }
  return out;
}
