/** Meta's `pricing` object on a delivery status (../shared/whatsapp-cloud-api.md, "Pricing"). */
export interface MessagePricing {
  billable: boolean;
  /** `utility`, `marketing`, `authentication`, `service`, ... as Meta names it, lower case. */
  category: string;
  /** `PMP` (per message) since July 2025; `CBP` (per conversation) before. */
  pricingModel: string | null;
}

const word = (v: unknown, max: number) =>
  typeof v === 'string' && v.trim() !== '' ? v.trim().toLowerCase().slice(0, max) : null;

/**
 * The pricing a status carries, or null when it carries none or one we cannot read. Read apart from
 * the status schema: a pricing object we do not understand must never cost the status itself.
 */
export function pricingOf(status: Record<string, unknown>): MessagePricing | null {
  const p = status.pricing;
  if (!p || typeof p !== 'object' || Array.isArray(p)) return null;
  const { billable, category, pricing_model: model } = p as Record<string, unknown>;
  const cat = word(category, 64);
  if (typeof billable !== 'boolean' || cat === null) return null;
  const m = word(model, 32);
  return { billable, category: cat, pricingModel: m === null ? null : m.toUpperCase() };
}
