import { randomUUID } from 'node:crypto';
import type { Tx } from '../lib/db/transaction.js';
import { ConflictError, NotFoundError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import { definitionOfRow } from './task-definitions.js';
import type { findTasks } from '../checklists/checklists-repository.js';
import { outboxRows, type OutboxItem } from '../outbox/outbox-messages.js';
import { enqueueReplies } from '../outbox/outbox-repository.js';
import { questionAsked } from './buttons.js';
import { firstQuestion, newSessionState } from './conversation-machine.js';
import { messagesEn } from './messages.en.js';
import type { ChecklistNames, Task } from './conversation-types.js';
import { factoryDue } from './factory-time.js';
import { namesOf } from './names.js';
import * as sessionsRepo from './session-repository.js';
import type { SessionRow } from './session-repository.js';
import { lockNextQueuedRework } from './rework-start-repository.js';
import { createReworkStarter } from './rework-starter.js';
import * as startRepo from './start-repository.js';
import type { StartCandidate } from './start-repository.js';

export type StartOutcome =
  { started: true; sessionId: string; submissionId: string } | { started: false; reason: string };

export interface StarterDeps {
  logger: Logger;
  sessionTtlHours: number;
  /** Meta-approved template sent to start a conversation outside the 24-hour window (null: none configured). */
  startTemplate: { name: string; language: string } | null;
  /** DEFAULT_TIMEZONE, the factory's: a rework's first line says when the checklist was submitted there. */
  timeZone?: string | undefined;
}

export const toTasks = (rows: Awaited<ReturnType<typeof findTasks>>): Task[] => rows.map(definitionOfRow);

export interface StartOptions {
  /** A manager's assign or restart: a busy operator is told in one line that it is queued. */
  tellIfQueued?: boolean;
  /** The moment Question 1 is sent, its due time read against it (the schedules worker's clock); now by default. */
  at?: Date;
}

export const REASON_SWITCHED_OFF = 'WhatsApp is switched off in Settings; it starts when WhatsApp is switched back on';
export const REASON_QUEUED = 'Queued: the operator is answering another checklist; this one starts when that ends';

/** Starting conversations, shared by the REST start, the queue and the lifecycle sweeper. */
export function createStarter(deps: StarterDeps) {
  const log = deps.logger.child({ component: 'conversation' });

  /**
   * Starts the conversation of a pending assignment inside `tx`: creates its submission and session,
   * marks it active and queues Question 1 (or the start template). Leaves it pending, with the reason,
   * when WhatsApp is switched off or the operator is busy with another checklist.
   */
  async function startInTx(tx: Tx, assignmentId: string, opts: StartOptions = {}): Promise<StartOutcome> {
    const candidate = await startRepo.lockStartCandidate(tx, assignmentId);
    if (!candidate) throw new NotFoundError(`Assignment ${assignmentId}`);
    return startLocked(tx, candidate, opts);
  }

  /** Two statements after the lock: the candidate was read with everything the decision needs. */
  async function startLocked(tx: Tx, a: StartCandidate, opts: StartOptions = {}): Promise<StartOutcome> {
    if (a.status !== 'pending')
      throw new ConflictError(`Assignment ${a.id} is ${a.status}; only a pending assignment can start`);
    // Waiting for the switch, not for a manager's restart: the sweeper starts it when switched on.
    if (!a.enabled) return leavePending(tx, a.id, REASON_SWITCHED_OFF);
    if (a.tasks.length === 0) throw new ConflictError(`Template ${a.templateId} has no tasks`);
    if (a.busy) {
      if (opts.tellIfQueued && a.inWindow) await tellQueued(tx, a);
      return leavePending(tx, a.id, REASON_QUEUED);
    }
    const sessionId = randomUUID();
    // Outside Meta's 24-hour window only an approved template may be sent; Question 1 follows the reply.
    const awaitingStart = deps.startTemplate !== null && !a.inWindow;
    const names = { template: a.templateName ?? 'checklist', machine: a.machineName ?? 'the machine' };
    const first = awaitingStart
      ? [startTemplateItem(sessionId, names)]
      : firstQuestion(newSessionState(sessionId, a.tasks.length), a.tasks, { ...names, ...dueOf(a, opts.at) });
    const ttlSeconds = deps.sessionTtlHours * 3600;
    const submissionId = await startRepo.insertStart(tx, {
      candidate: a,
      sessionId,
      ttlSeconds,
      awaitingStart,
      outbox: outboxRows(first, (r) => questionAsked(r, a.tasks.length)),
    });
    if (awaitingStart) log.info({ sessionId }, '[WHATSAPP] Outside the 24-hour window: start template queued');
    log.info(
      { assignmentId: a.id, sessionId, operatorId: a.operatorId, tasks: a.tasks.length },
      `[WHATSAPP] Starting conversation for assignment ${a.id} (${a.tasks.length} questions)`,
    );
    return { started: true, sessionId, submissionId };
  }

  /**
   * One line to a busy operator that a checklist was queued for them (issue 14 item 17): no buttons, and
   * only inside the 24-hour window, where free-form text may go (every message is billed).
   */
  async function tellQueued(tx: Tx, a: StartCandidate) {
    const names = { template: a.templateName ?? 'checklist', machine: a.machineName ?? 'the machine' };
    await enqueueReplies(tx, a.phoneNumber, null, [{ kind: 'text', body: messagesEn.queued(names) }]);
  }

  /** The due time under Question 1, in the schedule's zone (DEFAULT_TIMEZONE without a schedule), read at `sentAt`. */
  function dueOf(
    a: { dueAt: Date | string | null; dueZone: string | null },
    sentAt = new Date(),
  ): Pick<ChecklistNames, 'due'> {
    return a.dueAt === null ? {} : { due: factoryDue(a.dueAt, sentAt, a.dueZone ?? deps.timeZone ?? 'UTC') };
  }

  /**
   * Question 1's names line for a session that exists already (after the start template, in a reminder), with
   * its due time as the normal start gives it. A rework has none: its assignment's due time was the checklist's.
   */
  async function questionOneNames(
    tx: Tx,
    session: Pick<SessionRow, 'templateId' | 'machineId' | 'assignmentId' | 'reworkId'>,
    sentAt = new Date(),
  ): Promise<ChecklistNames> {
    const names = await namesOf(tx, session.templateId, session.machineId);
    const due =
      session.reworkId === null && session.assignmentId !== null
        ? await startRepo.findDue(tx, session.assignmentId)
        : null;
    return due === null ? names : { ...names, ...dueOf(due, sentAt) };
  }

  async function leavePending(tx: Tx, assignmentId: string, reason: string): Promise<StartOutcome> {
    await startRepo.setPendingReason(tx, assignmentId, reason);
    return { started: false, reason };
  }

  function startTemplateItem(sessionId: string, names: { template: string; machine: string }): OutboxItem {
    return {
      kind: 'raw',
      message: {
        type: 'template',
        template: {
          name: deps.startTemplate!.name,
          language: { code: deps.startTemplate!.language },
          components: [
            {
              type: 'body',
              parameters: [
                { type: 'text', text: names.template },
                { type: 'text', text: names.machine },
              ],
            },
            {
              type: 'button',
              sub_type: 'quick_reply',
              index: '0',
              parameters: [{ type: 'payload', payload: `start:${sessionId}` }],
            },
          ],
        },
      },
    };
  }

  /** Queues the start template for a session that exists already (a reminder or a re-engagement). */
  async function sendStartTemplate(tx: Tx, session: SessionRow) {
    const names = await namesOf(tx, session.templateId, session.machineId);
    await sessionsRepo.setAwaitingStart(tx, session.id);
    await enqueueReplies(tx, session.phoneNumber, session.id, [startTemplateItem(session.id, names)]);
    log.info({ sessionId: session.id }, '[WHATSAPP] Outside the 24-hour window: start template queued');
  }

  const reworks = createReworkStarter({
    logger: log,
    sessionTtlHours: deps.sessionTtlHours,
    startTemplateItem: deps.startTemplate === null ? null : startTemplateItem,
    reasons: { switchedOff: REASON_SWITCHED_OFF, queued: REASON_QUEUED },
    timeZone: deps.timeZone ?? 'UTC',
  });

  /**
   * Starts the operator's oldest queued assignment or rework (whichever was asked first), if any; part of
   * the transaction that ended the last one.
   */
  async function startNextQueued(tx: Tx, operatorId: number): Promise<void> {
    // Locked, so a cancel committing meanwhile is seen (the row is re-checked) instead of failing the start.
    const next = await startRepo.lockNextQueued(tx, operatorId);
    const rework = await lockNextQueuedRework(tx, operatorId);
    if (rework && (!next || new Date(rework.createdAt) < new Date(next.createdAt)))
      await reworks.startLocked(tx, rework);
    else if (next) await startLocked(tx, next);
  }

  return {
    startInTx,
    startReworkInTx: reworks.startInTx,
    sendStartTemplate,
    questionOneNames,
    startNextQueued,
    canSendTemplate: deps.startTemplate !== null,
  };
}

export type Starter = ReturnType<typeof createStarter>;
