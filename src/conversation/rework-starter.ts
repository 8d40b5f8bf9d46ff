import { randomUUID } from 'node:crypto';
import type { Tx } from '../lib/db/transaction.js';
import { ConflictError, NotFoundError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import { outboxRows, type OutboxItem } from '../outbox/outbox-messages.js';
import { enqueueReplies } from '../outbox/outbox-repository.js';
import { questionAsked } from './buttons.js';
import { firstQuestion, newSessionState } from './conversation-machine.js';
import type { ChecklistNames, Reply, Task } from './conversation-types.js';
import { factoryDateTime } from './factory-time.js';
import { messagesEn } from './messages.en.js';
import * as reworkRepo from './rework-start-repository.js';
import type { ReworkCandidate } from './rework-start-repository.js';
import type { StartOutcome } from './conversation-starter.js';

export interface ReworkStarterDeps {
  logger: Logger;
  sessionTtlHours: number;
  /** The start template's message for a session (null: none configured, free-form only). */
  startTemplateItem: ((sessionId: string, names: ChecklistNames) => OutboxItem) | null;
  reasons: { switchedOff: string; queued: string };
  /** DEFAULT_TIMEZONE: the first line says when the checklist sent back was submitted, in the factory's zone. */
  timeZone: string;
}

/**
 * The rework's first line: the checklist, the machine, when it was submitted (the operator may have submitted
 * one of that name since) and the manager's comment (decision 0019).
 */
export const reworkIntro = (
  names: ChecklistNames,
  rework: { comment: string; submittedAt: Date | string | null },
  k: number,
  timeZone: string,
): Reply => ({
  kind: 'text',
  body: messagesEn.reworkIntro(
    names,
    rework.comment,
    k,
    rework.submittedAt === null ? '' : factoryDateTime(rework.submittedAt, timeZone),
  ),
});

const namesOf = (c: ReworkCandidate): ChecklistNames => ({
  template: c.templateName ?? 'checklist',
  machine: c.machineName ?? 'the machine',
});

/**
 * Starting a rework's conversation (issue 18 item 2): a start like an assignment's, on the same rules (queued
 * behind a running checklist, the start template outside the 24-hour window), asking only the rework's tasks.
 */
export function createReworkStarter(deps: ReworkStarterDeps) {
  const log = deps.logger;

  async function startInTx(tx: Tx, reworkId: string, opts: { tellIfQueued?: boolean } = {}): Promise<StartOutcome> {
    const c = await reworkRepo.lockReworkCandidate(tx, reworkId);
    if (!c) throw new NotFoundError(`Rework ${reworkId}`);
    return startLocked(tx, c, opts);
  }

  async function startLocked(tx: Tx, c: ReworkCandidate, opts: { tellIfQueued?: boolean } = {}): Promise<StartOutcome> {
    if (c.status !== 'pending') throw new ConflictError(`This rework is ${c.status}; only a queued one can start`);
    if (!c.enabled) return { started: false, reason: deps.reasons.switchedOff };
    const names = namesOf(c);
    if (c.busy) {
      if (opts.tellIfQueued && c.inWindow)
        await enqueueReplies(tx, c.phoneNumber, null, [{ kind: 'text', body: messagesEn.queued(names) }]);
      return { started: false, reason: deps.reasons.queued };
    }
    const sessionId = randomUUID();
    const tasks: Task[] = c.tasks;
    const awaitingStart = deps.startTemplateItem !== null && !c.inWindow;
    // Outside the window the template goes alone; the intro and Question 1 follow the operator's reply.
    const first: OutboxItem[] = awaitingStart
      ? [deps.startTemplateItem!(sessionId, names)]
      : [
          reworkIntro(names, c, tasks.length, deps.timeZone),
          // Named under Question 1 like any other first question (the intro names them too, but in a sentence).
          ...firstQuestion(newSessionState(sessionId, tasks.length), tasks, names),
        ];
    await reworkRepo.insertReworkStart(tx, {
      candidate: c,
      sessionId,
      ttlSeconds: deps.sessionTtlHours * 3600,
      awaitingStart,
      outbox: outboxRows(first, (r) => questionAsked(r, tasks.length)),
    });
    log.info(
      { reworkId: c.id, submissionId: c.submissionId, sessionId, tasks: tasks.length, awaitingStart },
      `[WHATSAPP] Starting rework conversation (${tasks.length} ${tasks.length === 1 ? 'question' : 'questions'})`,
    );
    return { started: true, sessionId, submissionId: c.submissionId };
  }

  return { startInTx, startLocked };
}

export type ReworkStarter = ReturnType<typeof createReworkStarter>;
