import { createHash } from 'node:crypto';

/**
 * Playing a person who writes with a WhatsApp username and hides their number (issue 15, item 7). Meta then sends
 * `from_user_id` with a business-scoped user id (BSUID) and no `from`; the simulator makes one up per username,
 * always the same, in Meta's format ("US.13491208655302741918": a country code, a dot, letters and digits).
 */

/** Letters, digits, dots and underscores, as WhatsApp usernames are; compared without case. */
export const USERNAME = /^[a-z0-9._]{3,35}$/;

export const normaliseUsername = (typed: string) => typed.trim().replace(/^@/, '').toLowerCase();

/** Stable across restarts, so a username linked to an operator stays linked when the simulator starts again. */
export function simulatedBsuid(username: string): string {
  const hash = createHash('sha256')
    .update(`simulator-username:${normaliseUsername(username)}`)
    .digest();
  const digits = BigInt(`0x${hash.subarray(0, 8).toString('hex')}`)
    .toString()
    .padStart(20, '0');
  return `US.${digits}`;
}
