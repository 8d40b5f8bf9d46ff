import { toE164 } from '../lib/phone.js';
import { isBsuid } from './address.js';
import type { Executor } from '../lib/db/transaction.js';
import { numbersOfUserIds, type KnownPerson, type NewInboxMessage } from './inbox-repository.js';
import type { InboundMessage, Person } from './webhook-schemas.js';

/** The delivery's people with Meta's digits as E.164 (a number that is no plausible one is dropped, its BSUID kept). */
export function knownPeople(people: Person[]): KnownPerson[] {
  return people
    .map((p) => ({ phone: p.waId ? toE164(p.waId) : null, userId: p.userId, name: p.name, username: p.username }))
    .filter((p) => p.phone || p.userId);
}

/**
 * The inbox rows of a delivery's messages, each under its sender's address: the number Meta gave; else the number
 * this delivery or our records tie its BSUID to (so one person's messages keep one order and one session whichever
 * identifier each carries); else the BSUID itself. A message with neither a usable number nor a BSUID is skipped.
 */
export async function senderAddresses(
  exec: Executor,
  messages: InboundMessage[],
  people: KnownPerson[],
): Promise<{ rows: NewInboxMessage[]; skipped: number }> {
  const phoneOf = (m: InboundMessage) => (typeof m.from === 'string' ? toE164(m.from) : null);
  const inDelivery = new Map(people.flatMap((p) => (p.phone && p.userId ? [[p.userId, p.phone] as const] : [])));
  const unknown = [
    ...new Set(
      messages.flatMap((m) =>
        !phoneOf(m) && isBsuid(m.from_user_id) && !inDelivery.has(m.from_user_id) ? [m.from_user_id] : [],
      ),
    ),
  ];
  const stored = await numbersOfUserIds(exec, unknown);
  const rows: NewInboxMessage[] = [];
  let skipped = 0;
  for (const m of messages) {
    const userId = isBsuid(m.from_user_id) ? m.from_user_id : null;
    const address = phoneOf(m) ?? (userId && (inDelivery.get(userId) ?? stored.get(userId) ?? userId));
    if (!address) {
      skipped++; // a sender that is no phone number and gave no BSUID: nobody to answer
      continue;
    }
    rows.push({ waMessageId: m.id, phoneNumber: address, type: m.type, payload: m, sentAt: m.timestamp });
  }
  return { rows, skipped };
}
