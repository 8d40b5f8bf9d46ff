import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../lib/db/client.js';
import { type Tx, withTransaction, pgCode, pgConstraint } from '../lib/db/transaction.js';
import { ConflictError, NotFoundError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import { checklistSubmissionAnswers, checklistSubmissions } from '../lib/db/schema.js';
import * as assignmentsRepo from '../assignments/assignments-repository.js';
import { findTasks } from '../checklists/checklists-repository.js';
import { enqueueReplies } from '../whatsapp/outbox-repository.js';
import { notOkAlerts, type AlertDeps } from './alerts.js';
import { firstQuestion, transition } from './conversation-machine.js';
import { createStarter, toTasks, type StartOutcome, type StarterDeps } from './conversation-starter.js';
import type { InboundEvent } from './conversation-types.js';
import { messagesEn } from './messages.en.js';
import { namesOf } from './names.js';
import { outcomeOf, sentBeforeSession, type InboundOutcome } from './inbound-outcome.js';
import { endSessionInTx } from './session-ending.js';
import { createUnlockedApply } from './unlocked-apply.js';
import * as sessionsRepo from './session-repository.js';

export type { StartOutcome, InboundOutcome };

export interface ConversationDeps extends StarterDeps, AlertDeps {
  db: Db;
  /** Called after a commit that queued outgoing messages. */
  onOutbox: () => void;
}

export function createConversationService(deps: ConversationDeps) {
  const log = deps.logger.child({ component: 'conversation' });
  const starter = createStarter(deps);
  const ending = { starter, logger: log };

  /** Runs a transaction that starts a conversation; racing starts are decided by the partial unique indexes. */
  async function inStartTx<T>(work: (tx: Tx) => Promise<T>, retried = false): Promise<T> {
    try {
      return await withTransaction(deps.db, work);
    } catch (err) {
      if (pgCode(err) !== '23505') throw err;
      const constraint = pgConstraint(err);
      // Another assignment of this operator won the phone: run again, and this one is queued.
      if (constraint === 'whatsapp_sessions_one_active_per_phone' && !retried) return inStartTx(work, true);
      if (constraint?.startsWith('whatsapp_sessions_one_active'))
        throw new ConflictError('The assignment already has an active conversation');
      throw err;
    }
  }

  function afterStart(assignmentId: string, outcome: StartOutcome) {
    if (outcome.started) deps.onOutbox();
    else log.info({ assignmentId, reason: outcome.reason }, '[WHATSAPP] Conversation not started');
  }

  async function start(assignmentId: string): Promise<StartOutcome> {
    const outcome = await inStartTx((tx) => starter.startInTx(tx, assignmentId));
    afterStart(assignmentId, outcome);
    return outcome;
  }

  /** Creates an assignment and starts its conversation in one transaction (no sweeper can start it in between). */
  async function assign(values: { templateId: number; machineId: number; operatorId: number }) {
    const result = await inStartTx(async (tx) => {
      const a = await assignmentsRepo.insertAssignment(tx, values);
      return { id: a.id, outcome: await starter.startInTx(tx, a.id) };
    });
    afterStart(result.id, result.outcome);
    return result;
  }

  /** A free-form message was refused (131047, outside the window): re-open with the start template. */
  async function reengage(sessionId: string): Promise<void> {
    if (!deps.startTemplate) return;
    const queued = await withTransaction(deps.db, async (tx) => {
      const session = await sessionsRepo.lockSessionById(tx, sessionId);
      if (!session || session.status !== 'active' || session.awaitingStart) return false;
      await starter.sendStartTemplate(tx, session);
      return true;
    });
    if (queued) deps.onOutbox();
  }

  /** Applies one inbound message to the sender's active session, inside the caller's transaction (the locked path). */
  async function applyInbound(tx: Tx, phoneNumber: string, event: InboundEvent): Promise<InboundOutcome> {
    const row = await sessionsRepo.lockActiveSessionByPhone(tx, phoneNumber);
    if (!row) {
      const recent = await sessionsRepo.recentlyEnded(tx, phoneNumber);
      const body = recent === 'expired' ? messagesEn.expiredNoSession() : messagesEn.noActiveSession();
      await enqueueReplies(tx, phoneNumber, null, [{ kind: 'text', body }]);
      return { photoKept: false };
    }
    if (row.expiresAt.getTime() <= Date.now()) {
      // Overdue but not yet swept: expire it now rather than write into it.
      await endSessionInTx(tx, row, 'expired', ending);
      return { photoKept: false };
    }
    const tasks = toTasks(await findTasks(tx, row.templateId));
    if (sentBeforeSession(event, row.createdAt)) {
      // Typed for the checklist that just ended (reply buttons carry their session; text does not).
      const [prompt] = firstQuestion(sessionsRepo.toState(row), tasks);
      await enqueueReplies(tx, phoneNumber, row.id, [
        { ...prompt!, body: `${messagesEn.forPreviousChecklist()}\n\n${prompt!.body}` },
      ]);
      return { photoKept: false };
    }
    const result = transition(sessionsRepo.toState(row), tasks, event);
    if (result.answer) await sessionsRepo.upsertAnswer(tx, row.submissionId, result.answer);
    const completed = result.effect === 'completed';
    await sessionsRepo.saveState(tx, row.id, result.state, completed);
    await enqueueReplies(tx, phoneNumber, row.id, result.replies);
    if (completed) await complete(tx, row);
    else if (result.answer) {
      log.info(
        { sessionId: row.id, task: result.answer.taskIndex + 1, status: result.answer.status },
        '[WHATSAPP] Answer saved',
      );
    }
    return outcomeOf(event, result);
  }

  async function complete(tx: Tx, row: sessionsRepo.SessionRow) {
    const notOk = await tx
      .select({
        position: checklistSubmissionAnswers.position,
        remarks: checklistSubmissionAnswers.remarks,
        taskId: checklistSubmissionAnswers.taskId,
      })
      .from(checklistSubmissionAnswers)
      .where(
        and(
          eq(checklistSubmissionAnswers.submissionId, row.submissionId),
          eq(checklistSubmissionAnswers.status, 'NOT_OK'),
        ),
      )
      .orderBy(checklistSubmissionAnswers.position);
    await tx
      .update(checklistSubmissions)
      .set({ status: 'completed', completedAt: sql`now()`, needsReview: notOk.length > 0 })
      .where(eq(checklistSubmissions.id, row.submissionId));
    if (row.assignmentId) {
      await assignmentsRepo.lockAssignment(tx, row.assignmentId);
      await assignmentsRepo.updateAssignment(tx, row.assignmentId, { status: 'completed', completedAt: sql`now()` });
    }
    if (notOk.length > 0 && deps.alertPhoneNumbers.length > 0) {
      const tasks = await findTasks(tx, row.templateId);
      const names = await namesOf(tx, row.templateId, row.machineId);
      const failed = notOk.map((a) => ({
        task: tasks.find((t) => t.id === a.taskId)?.text ?? `Task ${a.position}`,
        remarks: a.remarks,
      }));
      for (const alert of await notOkAlerts(tx, deps, names, failed))
        await enqueueReplies(tx, alert.phoneNumber, null, [alert.item]);
    }
    log.info(
      { sessionId: row.id, submissionId: row.submissionId, notOk: notOk.length },
      '[WHATSAPP] Checklist confirmed and submitted',
    );
    await starter.startNextQueued(tx, row.operatorId);
  }

  /** Cancels an assignment; its active conversation (if any) ends and the operator is told. */
  async function cancel(assignmentId: string): Promise<void> {
    await withTransaction(deps.db, async (tx) => {
      // Lock order everywhere: session row, then assignment row.
      const early = await sessionsRepo.lockActiveSessionByAssignment(tx, assignmentId);
      const a = await assignmentsRepo.lockAssignment(tx, assignmentId);
      if (!a) throw new NotFoundError(`Assignment ${assignmentId}`);
      // A start that committed while we waited for the assignment lock created a session we must end too.
      const session =
        early ?? (a.status === 'active' ? await sessionsRepo.lockActiveSessionByAssignment(tx, assignmentId) : null);
      if (a.status === 'completed' || a.status === 'cancelled') {
        throw new ConflictError(`Assignment ${assignmentId} is already ${a.status}`);
      }
      if (session) await endSessionInTx(tx, session, 'cancelled', ending);
      else {
        await assignmentsRepo.updateAssignment(tx, a.id, {
          status: 'cancelled',
          cancelledAt: sql`now()`,
          statusReason: null,
        });
        // A submission left pending without its session (deleted by hand, as the old guide suggests) ends too.
        await tx
          .update(checklistSubmissions)
          .set({ status: 'cancelled' })
          .where(and(eq(checklistSubmissions.assignmentId, a.id), eq(checklistSubmissions.status, 'pending')));
      }
    });
    deps.onOutbox();
  }

  const applyUnlocked = createUnlockedApply({
    db: deps.db,
    logger: log,
    alertPhoneNumbers: deps.alertPhoneNumbers,
    alertTemplate: deps.alertTemplate,
    startNextQueued: async (operatorId) => {
      await inStartTx((tx) => starter.startNextQueued(tx, operatorId));
    },
  });

  return { start, assign, applyInbound, applyUnlocked, cancel, reengage, starter, ending };
}

export type ConversationService = ReturnType<typeof createConversationService>;
