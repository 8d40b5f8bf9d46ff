import type { Executor } from '../lib/db/transaction.js';
import type { Reply } from './conversation-types.js';
import { messagesEn } from './messages.en.js';
import { NO_NAMES } from './names.js';
import type { SessionRow } from './session-repository.js';
import { queueAhead } from './start-repository.js';

/**
 * The replies of a CONFIRM with the plain thank-you worded in full (issue 14 item 17): the checklist and
 * machine submitted, and what comes next (the operator's next queued checklist or rework starts in this same
 * transaction, right after). One read, only on this rare path; the state machine stays free of I/O.
 */
export async function withNamedThankYou(exec: Executor, session: SessionRow, replies: Reply[]): Promise<Reply[]> {
  const plain = messagesEn.completed();
  // The plain thank-you ends its text (a note may come before it in the same message).
  const isThanks = (r: Reply) => r.kind === 'text' && r.body.endsWith(plain);
  if (!replies.some(isThanks)) return replies;
  const q = await queueAhead(exec, session.operatorId, session);
  const done = { template: q.done.template ?? NO_NAMES.template, machine: q.done.machine ?? NO_NAMES.machine };
  const next = q.template === null || q.machine === null ? null : { template: q.template, machine: q.machine };
  const worded = messagesEn.submitted(done, { waiting: q.waiting, next, nextIsRework: q.rework, startsNow: q.enabled });
  return replies.map((r) =>
    r.kind === 'text' && isThanks(r) ? { kind: 'text', body: r.body.slice(0, -plain.length) + worded } : r,
  );
}
