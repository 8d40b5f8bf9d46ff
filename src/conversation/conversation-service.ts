import { eq, sql } from 'drizzle-orm';
import type { Db } from '../lib/db/client.js';
import { type Executor, type Tx, withTransaction, pgCode, pgConstraint } from '../lib/db/transaction.js';
import { ConflictError, NotFoundError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import {
  checklistSubmissions,
  checklistTemplates,
  machines,
  operators,
  systemConfig,
} from '../lib/db/schema.js';
import * as assignmentsRepo from '../assignments/assignments-repository.js';
import { findTasks } from '../checklists/checklists-repository.js';
import { enqueueReplies } from '../whatsapp/outbox-repository.js';
import { firstQuestion, transition } from './conversation-machine.js';
import type { InboundEvent, Task } from './conversation-types.js';
import { messagesEn } from './messages.en.js';
import * as sessionsRepo from './session-repository.js';

export type StartOutcome =
  | { started: true; sessionId: string; submissionId: string }
  | { started: false; reason: string };

export interface ConversationDeps {
  db: Db;
  logger: Logger;
  sessionTtlHours: number;
  /** Called after a commit that queued outgoing messages. */
  onOutbox: () => void;
}

const toTasks = (rows: Awaited<ReturnType<typeof findTasks>>): Task[] =>
  rows.map((t) => ({ id: t.id, text: t.text, requiresPhoto: t.requiresPhoto }));

export function createConversationService(deps: ConversationDeps) {
  const log = deps.logger.child({ component: 'conversation' });

  /**
   * Starts the conversation of a pending assignment inside `tx`: creates its submission and session,
   * marks it active and queues Question 1. Leaves it pending (with the reason) when WhatsApp is switched
   * off or the operator is busy with another checklist.
   */
  async function startInTx(tx: Tx, assignmentId: string): Promise<StartOutcome> {
    const a = await assignmentsRepo.lockAssignment(tx, assignmentId);
    if (!a) throw new NotFoundError(`Assignment ${assignmentId}`);
    if (a.status !== 'pending') throw new ConflictError(`Assignment ${assignmentId} is ${a.status}; only a pending assignment can start`);
    const [cfg] = await tx.select().from(systemConfig).where(eq(systemConfig.id, 1));
    if (cfg && !cfg.whatsappEnabled) {
      const reason = 'WhatsApp is switched off (system_config.whatsapp_enabled = false); it starts when switched back on';
      await assignmentsRepo.updateAssignment(tx, a.id, { statusReason: reason });
      return { started: false, reason };
    }
    const tasks = toTasks(await findTasks(tx, a.templateId));
    if (tasks.length === 0) throw new ConflictError(`Template ${a.templateId} has no tasks`);
    const [operator] = await tx.select().from(operators).where(eq(operators.id, a.operatorId));
    if (await sessionsRepo.hasActiveSessionForPhone(tx, operator!.phoneNumber)) {
      const reason = 'Queued: the operator is answering another checklist; this one starts when that ends';
      await assignmentsRepo.updateAssignment(tx, a.id, { statusReason: reason });
      return { started: false, reason };
    }
    const [submission] = await tx
      .insert(checklistSubmissions)
      .values({ assignmentId: a.id, templateId: a.templateId, machineId: a.machineId, operatorId: a.operatorId })
      .returning();
    const session = await sessionsRepo.insertSession(tx, {
      phoneNumber: operator!.phoneNumber,
      assignmentId: a.id,
      submissionId: submission!.id,
      templateId: a.templateId,
      machineId: a.machineId,
      operatorId: a.operatorId,
      status: 'active',
      currentTaskIndex: 0,
      totalTasks: tasks.length,
      expiresAt: sql`now() + make_interval(secs => ${deps.sessionTtlHours * 3600})`,
    });
    await assignmentsRepo.updateAssignment(tx, a.id, { status: 'active', startedAt: sql`now()`, statusReason: null });
    await enqueueReplies(tx, session.phoneNumber, session.id, firstQuestion(sessionsRepo.toState(session), tasks));
    log.info(
      { assignmentId: a.id, sessionId: session.id, operatorId: a.operatorId, tasks: tasks.length },
      `[WHATSAPP] Starting conversation for assignment ${a.id} (${tasks.length} questions)`,
    );
    return { started: true, sessionId: session.id, submissionId: submission!.id };
  }

  /** Starts the operator's oldest queued assignment, if any; part of the transaction that ended the last one. */
  async function startNextQueued(tx: Tx, operatorId: number) {
    const next = await assignmentsRepo.nextQueuedForOperator(tx, operatorId);
    if (next) await startInTx(tx, next);
  }

  async function start(assignmentId: string): Promise<StartOutcome> {
    try {
      const outcome = await withTransaction(deps.db, (tx) => startInTx(tx, assignmentId));
      if (outcome.started) deps.onOutbox();
      else log.info({ assignmentId, reason: outcome.reason }, '[WHATSAPP] Conversation not started');
      return outcome;
    } catch (err) {
      // Two starts racing past the checks: the partial unique indexes decide, the loser gets a 409.
      if (pgCode(err) === '23505' && pgConstraint(err)?.startsWith('whatsapp_sessions_one_active')) {
        throw new ConflictError(`Assignment ${assignmentId} already has an active conversation`);
      }
      throw err;
    }
  }

  /** Applies one inbound message to the sender's active session, in one locked transaction. */
  async function applyInbound(tx: Tx, phoneNumber: string, event: InboundEvent): Promise<void> {
    const row = await sessionsRepo.lockActiveSessionByPhone(tx, phoneNumber);
    if (!row) {
      await enqueueReplies(tx, phoneNumber, null, [{ kind: 'text', body: messagesEn.noActiveSession() }]);
      return;
    }
    const tasks = toTasks(await findTasks(tx, row.templateId));
    const result = transition(sessionsRepo.toState(row), tasks, event);
    if (result.answer) await sessionsRepo.upsertAnswer(tx, row.submissionId, result.answer);
    const completed = result.effect === 'completed';
    await sessionsRepo.saveState(tx, row.id, result.state, completed);
    await enqueueReplies(tx, phoneNumber, row.id, result.replies);
    if (completed) {
      await tx
        .update(checklistSubmissions)
        .set({ status: 'completed', completedAt: sql`now()` })
        .where(eq(checklistSubmissions.id, row.submissionId));
      if (row.assignmentId) {
        await assignmentsRepo.lockAssignment(tx, row.assignmentId);
        await assignmentsRepo.updateAssignment(tx, row.assignmentId, { status: 'completed', completedAt: sql`now()` });
      }
      log.info({ sessionId: row.id, submissionId: row.submissionId }, '[WHATSAPP] Checklist confirmed and submitted');
      await startNextQueued(tx, row.operatorId);
    } else if (result.answer) {
      log.info({ sessionId: row.id, task: result.answer.taskIndex + 1, status: result.answer.status }, '[WHATSAPP] Answer saved');
    }
  }

  /** Cancels an assignment; its active conversation (if any) ends and the operator is told. */
  async function cancel(assignmentId: string): Promise<void> {
    await withTransaction(deps.db, async (tx) => {
      // Lock order everywhere: session row, then assignment row.
      const session = await sessionsRepo.lockActiveSessionByAssignment(tx, assignmentId);
      const a = await assignmentsRepo.lockAssignment(tx, assignmentId);
      if (!a) throw new NotFoundError(`Assignment ${assignmentId}`);
      if (a.status === 'completed' || a.status === 'cancelled') {
        throw new ConflictError(`Assignment ${assignmentId} is already ${a.status}`);
      }
      await assignmentsRepo.updateAssignment(tx, a.id, { status: 'cancelled', cancelledAt: sql`now()`, statusReason: null });
      if (!session) return;
      await sessionsRepo.endSession(tx, session.id, 'cancelled');
      await tx.update(checklistSubmissions).set({ status: 'cancelled' }).where(eq(checklistSubmissions.id, session.submissionId));
      const names = await namesOf(tx, a.templateId, a.machineId);
      await enqueueReplies(tx, session.phoneNumber, session.id, [{ kind: 'text', body: messagesEn.cancelled(names.template, names.machine) }]);
      log.info({ assignmentId, sessionId: session.id }, '[WHATSAPP] Conversation cancelled by manager');
      await startNextQueued(tx, a.operatorId);
    });
    deps.onOutbox();
  }

  return { start, applyInbound, cancel };
}

async function namesOf(exec: Executor, templateId: number, machineId: number) {
  const [t] = await exec.select({ name: checklistTemplates.name }).from(checklistTemplates).where(eq(checklistTemplates.id, templateId));
  const [m] = await exec.select({ name: machines.name }).from(machines).where(eq(machines.id, machineId));
  return { template: t?.name ?? 'checklist', machine: m?.name ?? 'the machine' };
}

export type ConversationService = ReturnType<typeof createConversationService>;
