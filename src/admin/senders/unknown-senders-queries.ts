import { isPhoneAddress } from '../../lib/phone.js';
import { sql } from 'drizzle-orm';
import type { Executor } from '../../lib/db/transaction.js';

/** One message from an address that belongs to no operator (a number or a BSUID), for the manager. */
export interface UnknownMessage {
  address: string;
  /** The address is a phone number (an operator can be created from it), else a BSUID (it can be linked). */
  isPhone: boolean;
  userId: string | null;
  username: string | null;
  profileName: string | null;
  type: string;
  text: string | null;
  receivedAt: Date;
}

/** Addresses that are no operator's number or BSUID. */
const NO_OPERATOR = sql`NOT EXISTS (SELECT 1 FROM operators o
  WHERE o.phone_number = i.phone_number OR o.whatsapp_user_id = i.phone_number)`;

/**
 * Messages from people who are no operator, newest first, as long as the inbox keeps them (its retention). The
 * text is a text's body or a media caption; the person's names are those Meta last gave (whatsapp_contacts).
 */
export async function unknownMessages(exec: Executor, limit = 100): Promise<UnknownMessage[]> {
  const r = await exec.execute<{
    address: string;
    user_id: string | null;
    username: string | null;
    profile_name: string | null;
    type: string;
    text: string | null;
    received_at: Date;
  }>(sql`
    SELECT i.phone_number AS address, COALESCE(c.user_id, i.payload->>'from_user_id') AS user_id, c.username,
      c.profile_name, i.type, i.received_at,
      COALESCE(i.payload#>>'{text,body}', i.payload#>>'{image,caption}', i.payload#>>'{document,caption}') AS text
    FROM whatsapp_inbox i LEFT JOIN whatsapp_contacts c ON c.phone_number = i.phone_number
    WHERE ${NO_OPERATOR}
    ORDER BY i.received_at DESC, i.id DESC LIMIT ${limit}`);
  return r.rows.map((x) => ({
    address: x.address,
    isPhone: isPhoneAddress(x.address),
    userId: x.user_id,
    username: x.username,
    profileName: x.profile_name,
    type: x.type,
    text: x.text,
    receivedAt: new Date(x.received_at),
  }));
}

/** How many messages from people who are no operator arrived in the last 24 hours (the dashboard's card). */
export async function unknownMessages24h(exec: Executor): Promise<number> {
  const r = await exec.execute<{ n: number }>(sql`
    SELECT count(*)::int AS n FROM whatsapp_inbox i
    WHERE i.received_at > now() - interval '24 hours' AND ${NO_OPERATOR}`);
  return r.rows[0]?.n ?? 0;
}

/** The username Meta gave with a BSUID, if any. */
export async function usernameOf(exec: Executor, userId: string): Promise<string | null> {
  const r = await exec.execute<{ username: string | null }>(sql`
    SELECT username FROM whatsapp_contacts WHERE user_id = ${userId} AND username IS NOT NULL
    ORDER BY last_inbound_at DESC LIMIT 1`);
  return r.rows[0]?.username ?? null;
}

/**
 * Gives the operator this BSUID (a username-only sender is that operator). False when the operator does not exist
 * or another operator holds the id already (operators_whatsapp_user_id is unique).
 */
export async function linkUserId(
  exec: Executor,
  operatorId: number,
  userId: string,
  username: string | null,
): Promise<'linked' | 'no_operator' | 'taken'> {
  const r = await exec.execute<{ id: number }>(sql`
    UPDATE operators SET whatsapp_user_id = ${userId}, whatsapp_username = COALESCE(${username}, whatsapp_username)
    WHERE id = ${operatorId}
      AND NOT EXISTS (SELECT 1 FROM operators o2 WHERE o2.whatsapp_user_id = ${userId} AND o2.id <> ${operatorId})
    RETURNING id`);
  if (r.rows.length > 0) return 'linked';
  const exists = await exec.execute(sql`SELECT 1 FROM operators WHERE id = ${operatorId}`);
  return exists.rows.length === 0 ? 'no_operator' : 'taken';
}
