import { sql } from 'drizzle-orm';
import type { Tx } from '../lib/db/transaction.js';
import type { Logger } from '../lib/logger.js';
import * as assignmentsRepo from '../assignments/assignments-repository.js';
import { endSubmission } from '../assignments/submissions-repository.js';
import { enqueueReplies, inServiceWindow } from '../outbox/outbox-repository.js';
import { factoryDue } from './factory-time.js';
import { messagesEn } from './messages.en.js';
import { namesOf } from './names.js';
import { endReworkOfSession } from './rework-apply-repository.js';
import type { Starter } from './conversation-starter.js';
import * as sessionsRepo from './session-repository.js';
import type { SessionRow } from './session-repository.js';

export const REASON_EXPIRED = 'Last conversation expired before it was confirmed; restart it to send it again';
export const REASON_MISSED = 'Not finished by its due time; restart it to send it again';
/** An assignment whose conversation was removed in the database (a support fix), returned by the lifecycle pass. */
export const REASON_CONVERSATION_REMOVED =
  'Its WhatsApp conversation was removed by a support fix before it was confirmed; restart it to send it again';

/**
 * Ends a locked active session as expired or cancelled, or as missed (a scheduled checklist past its due
 * time: the session and submission end as the guide's `expired`, the assignment becomes `missed`). Its
 * submission follows (answers given stay stored; a rework's submission stays confirmed and its rework ends
 * instead), the assignment is returned to pending (expired), cancelled or missed, the operator is told (of a
 * missed one only inside the 24-hour window, where free-form text may go), and their next queued assignment
 * starts. Caller holds the session row lock. Returns whether a message to the operator was queued.
 */
export async function endSessionInTx(
  tx: Tx,
  session: SessionRow,
  how: 'expired' | 'cancelled' | 'missed',
  deps: { starter: Starter; logger: Logger },
): Promise<boolean> {
  const ended = how === 'missed' ? 'expired' : how;
  await sessionsRepo.endSession(tx, session.id, ended);
  // A rework's submission was confirmed long ago and stays so; the rework ends, the manager decides again.
  if (session.reworkId) await endReworkOfSession(tx, session.reworkId, ended);
  else await endSubmission(tx, session.submissionId, ended);
  if (session.assignmentId) {
    await assignmentsRepo.lockAssignment(tx, session.assignmentId);
    await assignmentsRepo.updateAssignment(tx, session.assignmentId, assignmentEnd(how));
  }
  const names = await namesOf(tx, session.templateId, session.machineId);
  const body =
    how === 'expired'
      ? messagesEn.expired(names.template, names.machine)
      : how === 'missed'
        ? messagesEn.missed(names.template, names.machine)
        : session.reworkId
          ? messagesEn.reworkCancelled(names)
          : messagesEn.cancelled(names.template, names.machine);
  const told = how !== 'missed' || (await inServiceWindow(tx, session.phoneNumber));
  if (told) await enqueueReplies(tx, session.phoneNumber, session.id, [{ kind: 'text', body }]);
  deps.logger.info({ sessionId: session.id, assignmentId: session.assignmentId }, `[WHATSAPP] Conversation ${how}`);
  await deps.starter.startNextQueued(tx, session.operatorId);
  return told;
}

function assignmentEnd(how: 'expired' | 'cancelled' | 'missed') {
  if (how === 'expired') return { status: 'pending', statusReason: REASON_EXPIRED, lastExpiredAt: sql`now()` };
  if (how === 'missed') return { status: 'missed', statusReason: REASON_MISSED, missedAt: sql`now()` };
  return { status: 'cancelled', cancelledAt: sql`now()`, statusReason: null };
}

/**
 * One line to each operator whose queued (never started) checklist was just marked missed, only inside the
 * 24-hour window (as for a started one); the pending→missed update happens once, so the line goes once.
 * `now` is the pass's clock: the due time's day ("yesterday") is read against it.
 */
export async function tellMissedQueued(tx: Tx, missed: assignmentsRepo.MissedQueued[], timeZone: string, now: Date) {
  for (const a of missed) {
    if (a.dueAt === null || !(await inServiceWindow(tx, a.phoneNumber))) continue;
    const names = await namesOf(tx, a.templateId, a.machineId);
    const body = messagesEn.missedQueued(names, factoryDue(a.dueAt, now, a.dueZone ?? timeZone));
    await enqueueReplies(tx, a.phoneNumber, null, [{ kind: 'text', body }]);
  }
}
