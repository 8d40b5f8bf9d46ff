import type { Db } from '../lib/db/client.js';
import type { ChatKey } from './simulator-schemas.js';
import { findOperatorByPhone, findOperatorByUserId, type OperatorRow } from './simulator-repository.js';
import { simulatedBsuid } from './username.js';
import type { SimulatedSender } from './webhook-payloads.js';

/**
 * The person a simulator chat plays: an operator writing with their number, or someone writing with a username
 * and no number (who may be an operator, once a manager linked the username on Unknown senders).
 */
export interface SimulatedPerson {
  key: { phone: string } | { username: string };
  /** The WhatsApp profile name sent with each message. */
  name: string;
  sender: SimulatedSender;
  /** The operator this person is, if the server knows them. */
  operator: OperatorRow | null;
  /**
   * Every address the server may write to them at: a linked username's replies go to the operator's number (the
   * server prefers the number it knows), a stranger's to the BSUID; on a real phone both land in one chat.
   */
  addresses: string[];
}

/** The chat's person, or a sentence for the 400 page saying why there is none. */
export async function personFor(db: Db, key: ChatKey): Promise<SimulatedPerson | string> {
  if (key.username) {
    const userId = simulatedBsuid(key.username);
    const operator = await findOperatorByUserId(db, userId);
    return {
      key: { username: key.username },
      name: operator?.name ?? key.username,
      sender: { userId, username: key.username },
      operator,
      addresses: operator ? [userId, operator.phoneNumber] : [userId],
    };
  }
  if (!key.phone) return 'Choose an operator or a username first.';
  const operator = await findOperatorByPhone(db, key.phone);
  if (!operator) return `No operator has the phone number ${key.phone}. Pick one from the list.`;
  return {
    key: { phone: operator.phoneNumber },
    name: operator.name,
    sender: { phone: operator.phoneNumber },
    operator,
    addresses: operator.whatsappUserId ? [operator.phoneNumber, operator.whatsappUserId] : [operator.phoneNumber],
  };
}

/** The usernames whose chats the page lists: those played since start, and those linked to an operator. */
export function knownUsernames(played: Iterable<string>, operators: OperatorRow[]): string[] {
  const linked = operators.flatMap((o) =>
    o.whatsappUsername && o.whatsappUserId === simulatedBsuid(o.whatsappUsername) ? [o.whatsappUsername] : [],
  );
  return [...new Set([...played, ...linked])].sort();
}
