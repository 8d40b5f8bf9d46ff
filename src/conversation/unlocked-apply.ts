import type { Db } from '../lib/db/client.js';
import { isRetryable } from '../lib/db/transaction.js';
import type { Logger } from '../lib/logger.js';
import { metrics } from '../lib/metrics.js';
import { outboxRows } from '../whatsapp/outbox-repository.js';
import { notOkAlerts, type AlertDeps } from './alerts.js';
import { transition } from './conversation-machine.js';
import type { InboundEvent, Task, TransitionResult } from './conversation-types.js';
import { outcomeOf, sentBeforeSession, type InboundOutcome } from './inbound-outcome.js';
import { namesOf } from './names.js';
import * as sessionsRepo from './session-repository.js';

/** `conflict`: the session or the message changed since it was read; read again. `needs-lock`: use the locked path. */
export type UnlockedResult = InboundOutcome | 'conflict' | 'needs-lock';

export interface UnlockedApplyDeps extends AlertDeps {
  db: Db;
  logger: Logger;
  /** Starts the operator's next queued assignment in its own transaction (after a CONFIRM). */
  startNextQueued: (operatorId: number) => Promise<void>;
}

/**
 * Inbound messages for a running checklist, applied optimistically: read the session without a lock,
 * run the state machine, then write everything in one statement that succeeds only if nothing changed
 * meanwhile (commitIfUnchanged). The session row is locked for that one statement instead of for a
 * transaction of round trips. The rare cases (no session, an overdue one, text meant for the previous
 * checklist) return `needs-lock`, and the caller runs the locked transaction, which handles every case.
 */
export function createUnlockedApply(deps: UnlockedApplyDeps) {
  /** `read`: the session as already read with the message (null: none active); read here when omitted. */
  return async function applyUnlocked(
    inboxId: number,
    phoneNumber: string,
    event: InboundEvent,
    read?: sessionsRepo.SessionSnapshot | null,
  ): Promise<UnlockedResult> {
    const snap = read !== undefined ? read : await sessionsRepo.readActiveSessionByPhone(deps.db, phoneNumber);
    if (!snap || snap.row.expiresAt.getTime() <= Date.now() || sentBeforeSession(event, snap.row.createdAt))
      return 'needs-lock';
    const { row, version, tasks } = snap;
    const result = transition(sessionsRepo.toState(row), tasks, event);
    const completed = result.effect === 'completed';
    const notOk = completed ? result.state.answers.filter((a) => a.status === 'NOT_OK') : [];
    const alerts = notOk.length > 0 && deps.alertPhoneNumbers.length > 0 ? await alertReplies(row, tasks, result) : [];

    const endTimer = metrics.lockedTx.startTimer();
    const applied = await sessionsRepo
      .commitIfUnchanged(deps.db, {
        sessionId: row.id,
        version,
        inboxId,
        state: result.state,
        answer: result.answer ?? null,
        completed: completed ? { needsReview: notOk.length > 0 } : null,
        outbox: [...outboxRows(result.replies).map((o) => ({ ...o, phoneNumber, ofSession: true })), ...alerts],
      })
      // A deadlock or serialization failure wrote nothing either: read again, like a changed row.
      .catch((err: unknown) => (isRetryable(err) ? false : Promise.reject(err)))
      .finally(endTimer);
    if (!applied) return 'conflict';

    if (completed) {
      deps.logger.info(
        { sessionId: row.id, submissionId: row.submissionId, notOk: notOk.length },
        '[WHATSAPP] Checklist confirmed and submitted',
      );
      // Its own transaction: if it fails or the process dies first, the lifecycle sweeper starts it.
      await deps.startNextQueued(row.operatorId).catch((err) => {
        deps.logger.warn(
          { err, operatorId: row.operatorId },
          '[WHATSAPP] Next queued checklist not started yet; the sweeper retries',
        );
      });
    } else if (result.answer) {
      deps.logger.info(
        { sessionId: row.id, task: result.answer.taskIndex + 1, status: result.answer.status },
        '[WHATSAPP] Answer saved',
      );
    }
    return outcomeOf(event, result);
  };

  /** The NOT OK alert to each ALERT_PHONE_NUMBERS number, read before the write (names and the window need queries). */
  async function alertReplies(row: sessionsRepo.SessionRow, tasks: Task[], result: TransitionResult) {
    const names = await namesOf(deps.db, row.templateId, row.machineId);
    const failed = result.state.answers
      .filter((a) => a.status === 'NOT_OK')
      .map((a) => ({
        task: tasks.find((t) => t.id === a.taskId)?.text ?? `Task ${a.taskIndex + 1}`,
        remarks: a.remarks,
      }));
    const alerts = await notOkAlerts(deps.db, deps, names, failed);
    return alerts.flatMap((a) =>
      outboxRows([a.item]).map((o) => ({ ...o, phoneNumber: a.phoneNumber, ofSession: false })),
    );
  }
}
