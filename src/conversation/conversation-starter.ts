import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Tx } from '../lib/db/transaction.js';
import { ConflictError, NotFoundError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import { checklistAssignments, checklistSubmissions, operators, systemConfig } from '../lib/db/schema.js';
import * as assignmentsRepo from '../assignments/assignments-repository.js';
import { findTasks } from '../checklists/checklists-repository.js';
import { inServiceWindow } from '../whatsapp/inbox-repository.js';
import { enqueueReplies, type OutboxItem } from '../whatsapp/outbox-repository.js';
import { firstQuestion } from './conversation-machine.js';
import type { Task } from './conversation-types.js';
import { namesOf } from './names.js';
import * as sessionsRepo from './session-repository.js';
import type { SessionRow } from './session-repository.js';

export type StartOutcome =
  | { started: true; sessionId: string; submissionId: string }
  | { started: false; reason: string };

export interface StarterDeps {
  logger: Logger;
  sessionTtlHours: number;
  /** Meta-approved template sent to start a conversation outside the 24-hour window (null: none configured). */
  startTemplate: { name: string; language: string } | null;
}

export const toTasks = (rows: Awaited<ReturnType<typeof findTasks>>): Task[] =>
  rows.map((t) => ({ id: t.id, text: t.text, requiresPhoto: t.requiresPhoto }));

export const REASON_SWITCHED_OFF = 'WhatsApp is switched off (system_config.whatsapp_enabled = false); it starts when switched back on';
export const REASON_QUEUED = 'Queued: the operator is answering another checklist; this one starts when that ends';

/** Starting conversations, shared by the REST start, the queue and the lifecycle sweeper. */
export function createStarter(deps: StarterDeps) {
  const log = deps.logger.child({ component: 'conversation' });

  /**
   * Starts the conversation of a pending assignment inside `tx`: creates its submission and session,
   * marks it active and queues Question 1 (or the start template). Leaves it pending, with the reason,
   * when WhatsApp is switched off or the operator is busy with another checklist.
   */
  async function startInTx(tx: Tx, assignmentId: string): Promise<StartOutcome> {
    const a = await assignmentsRepo.lockAssignment(tx, assignmentId);
    if (!a) throw new NotFoundError(`Assignment ${assignmentId}`);
    if (a.status !== 'pending') throw new ConflictError(`Assignment ${assignmentId} is ${a.status}; only a pending assignment can start`);
    const [cfg] = await tx.select().from(systemConfig).where(eq(systemConfig.id, 1));
    if (cfg && !cfg.whatsappEnabled) {
      // Waiting for the switch, not for a manager's restart: the sweeper starts it when switched on.
      await assignmentsRepo.updateAssignment(tx, a.id, { statusReason: REASON_SWITCHED_OFF, lastExpiredAt: null });
      return { started: false, reason: REASON_SWITCHED_OFF };
    }
    const tasks = toTasks(await findTasks(tx, a.templateId));
    if (tasks.length === 0) throw new ConflictError(`Template ${a.templateId} has no tasks`);
    const [operator] = await tx.select().from(operators).where(eq(operators.id, a.operatorId));
    if (await sessionsRepo.hasActiveSessionForPhone(tx, operator!.phoneNumber)) {
      await assignmentsRepo.updateAssignment(tx, a.id, { statusReason: REASON_QUEUED, lastExpiredAt: null });
      return { started: false, reason: REASON_QUEUED };
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
      expiresAt: sql`(now() AT TIME ZONE 'UTC') + make_interval(secs => ${deps.sessionTtlHours * 3600})`,
    });
    await assignmentsRepo.updateAssignment(tx, a.id, { status: 'active', startedAt: sql`now()`, statusReason: null, lastExpiredAt: null });
    // Outside Meta's 24-hour window only an approved template may be sent; Question 1 follows the reply.
    if (deps.startTemplate && !(await inServiceWindow(tx, session.phoneNumber))) {
      await sendStartTemplate(tx, session);
    } else {
      await enqueueReplies(tx, session.phoneNumber, session.id, firstQuestion(sessionsRepo.toState(session), tasks));
    }
    log.info(
      { assignmentId: a.id, sessionId: session.id, operatorId: a.operatorId, tasks: tasks.length },
      `[WHATSAPP] Starting conversation for assignment ${a.id} (${tasks.length} questions)`,
    );
    return { started: true, sessionId: session.id, submissionId: submission!.id };
  }

  async function sendStartTemplate(tx: Tx, session: SessionRow) {
    const names = await namesOf(tx, session.templateId, session.machineId);
    const template: OutboxItem = {
      kind: 'raw',
      message: {
        type: 'template',
        template: {
          name: deps.startTemplate!.name,
          language: { code: deps.startTemplate!.language },
          components: [
            { type: 'body', parameters: [{ type: 'text', text: names.template }, { type: 'text', text: names.machine }] },
            { type: 'button', sub_type: 'quick_reply', index: '0', parameters: [{ type: 'payload', payload: `start:${session.id}` }] },
          ],
        },
      },
    };
    await sessionsRepo.setAwaitingStart(tx, session.id);
    await enqueueReplies(tx, session.phoneNumber, session.id, [template]);
    log.info({ sessionId: session.id }, '[WHATSAPP] Outside the 24-hour window: start template queued');
  }

  /** Starts the operator's oldest queued assignment, if any; part of the transaction that ended the last one. */
  async function startNextQueued(tx: Tx, operatorId: number): Promise<void> {
    const [next] = await tx
      .select({ id: checklistAssignments.id })
      .from(checklistAssignments)
      .where(
        and(
          eq(checklistAssignments.operatorId, operatorId),
          eq(checklistAssignments.status, 'pending'),
          isNull(checklistAssignments.lastExpiredAt),
        ),
      )
      .orderBy(checklistAssignments.createdAt, checklistAssignments.id)
      .limit(1)
      // Locked, so a cancel committing meanwhile is seen (the row is re-checked) instead of failing the start.
      .for('update');
    if (next) await startInTx(tx, next.id);
  }

  return { startInTx, sendStartTemplate, startNextQueued, canSendTemplate: deps.startTemplate !== null };
}

export type Starter = ReturnType<typeof createStarter>;
