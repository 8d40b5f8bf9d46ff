import { sql } from 'drizzle-orm';
import type { Tx } from '../lib/db/transaction.js';
import type { Logger } from '../lib/logger.js';
import * as assignmentsRepo from '../assignments/assignments-repository.js';
import { endSubmission } from '../assignments/submissions-repository.js';
import { enqueueReplies } from '../outbox/outbox-repository.js';
import { messagesEn } from './messages.en.js';
import { namesOf } from './names.js';
import type { Starter } from './conversation-starter.js';
import * as sessionsRepo from './session-repository.js';
import type { SessionRow } from './session-repository.js';

export const REASON_EXPIRED = 'Last conversation expired before it was confirmed; restart it to send it again';

/**
 * Ends a locked active session as expired or cancelled: its submission follows (answers given stay
 * stored), the assignment is returned to pending (expired) or cancelled, the operator is told, and
 * their next queued assignment starts. Caller holds the session row lock.
 */
export async function endSessionInTx(
  tx: Tx,
  session: SessionRow,
  how: 'expired' | 'cancelled',
  deps: { starter: Starter; logger: Logger },
): Promise<void> {
  await sessionsRepo.endSession(tx, session.id, how);
  await endSubmission(tx, session.submissionId, how);
  if (session.assignmentId) {
    await assignmentsRepo.lockAssignment(tx, session.assignmentId);
    await assignmentsRepo.updateAssignment(
      tx,
      session.assignmentId,
      how === 'expired'
        ? { status: 'pending', statusReason: REASON_EXPIRED, lastExpiredAt: sql`now()` }
        : { status: 'cancelled', cancelledAt: sql`now()`, statusReason: null },
    );
  }
  const names = await namesOf(tx, session.templateId, session.machineId);
  const body =
    how === 'expired'
      ? messagesEn.expired(names.template, names.machine)
      : messagesEn.cancelled(names.template, names.machine);
  await enqueueReplies(tx, session.phoneNumber, session.id, [{ kind: 'text', body }]);
  deps.logger.info({ sessionId: session.id, assignmentId: session.assignmentId }, `[WHATSAPP] Conversation ${how}`);
  await deps.starter.startNextQueued(tx, session.operatorId);
}
