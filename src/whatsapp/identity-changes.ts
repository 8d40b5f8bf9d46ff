import type { Db } from '../lib/db/client.js';
import { withTransaction } from '../lib/db/transaction.js';
import type { Logger } from '../lib/logger.js';
import { toE164 } from '../lib/phone.js';
import { moveActiveSessionPhone } from '../conversation/session-repository.js';
import { moveUnsentToPhone } from '../outbox/outbox-repository.js';
import { isBsuid } from './address.js';
import {
  lockOperatorByPhone,
  moveInbox,
  phoneTaken,
  replaceUserId,
  setOperatorIdentity,
} from './identity-repository.js';
import type { InboundMessage } from './webhook-schemas.js';

/** A person's number or BSUID changed, as Meta's system messages tell (user_changed_number, user_changed_user_id). */
export type IdentityChange =
  { kind: 'number'; from: string; to: string; userId: string | null } | { kind: 'user_id'; from: string; to: string };

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** The change a system message announces; null for any other message (and for one we cannot read). */
export function identityChangeOf(m: InboundMessage): IdentityChange | null {
  if (m.type !== 'system' || !m.system || typeof m.system !== 'object') return null;
  const s = m.system as Record<string, unknown>;
  if (s.type === 'user_changed_number') {
    const from = toE164(str(m.from) ?? '');
    const to = toE164(str(s.new_wa_id) ?? str(s.wa_id) ?? '');
    const userId = str(s.new_user_id) ?? str(s.user_id);
    return from && to && from !== to ? { kind: 'number', from, to, userId: isBsuid(userId) ? userId : null } : null;
  }
  if (s.type === 'user_changed_user_id') {
    const from = str(m.from_user_id) ?? str(s.user_id);
    const to = str(s.new_user_id);
    return isBsuid(from) && isBsuid(to) && from !== to ? { kind: 'user_id', from, to } : null;
  }
  return null;
}

/**
 * Applies a change before the delivery's messages are recorded, so the person's next message, from the new
 * number or id, finds their operator and conversation. One transaction in the lock order (architecture.md):
 * the old address's pending inbox rows, the active session, the operator, the unsent outbox rows. A second
 * delivery of the same change finds nothing at the old address and changes nothing.
 */
export async function applyIdentityChange(db: Db, log: Logger, change: IdentityChange): Promise<void> {
  if (change.kind === 'user_id') {
    const operatorId = await withTransaction(db, async (tx) => {
      await moveInbox(tx, change.from, change.to);
      await moveUnsentToPhone(tx, change.from, change.to);
      return replaceUserId(tx, change.from, change.to, 'WhatsApp told us this operator’s user id changed.');
    });
    if (operatorId !== null) log.info({ operatorId }, "[WHATSAPP] Operator's WhatsApp user id changed");
    return;
  }
  const done = await withTransaction(db, async (tx) => {
    if (await phoneTaken(tx, change.to)) return { operatorId: null, taken: true, sessions: 0 };
    await moveInbox(tx, change.from, change.to);
    const sessions = await moveActiveSessionPhone(tx, change.from, change.to);
    const operator = await lockOperatorByPhone(tx, change.from);
    if (!operator) return { operatorId: null, taken: false, sessions };
    const note = `WhatsApp told us this operator changed their number from ${change.from} to ${change.to}.`;
    await setOperatorIdentity(tx, operator.id, { phone: change.to, userId: change.userId, note });
    await moveUnsentToPhone(tx, change.from, change.to);
    return { operatorId: operator.id, taken: false, sessions };
  });
  if (done.operatorId !== null)
    log.info(
      { operatorId: done.operatorId, sessionsMoved: done.sessions },
      "[WHATSAPP] Operator's WhatsApp number changed; their conversation moved with it",
    );
  else if (done.taken)
    log.warn('[WHATSAPP] A WhatsApp number change was not applied: the new number belongs to another operator');
}
