import type { Tx } from '../lib/db/transaction.js';
import type { Logger } from '../lib/logger.js';
import { writeApply } from './apply-repository.js';
import type { Answer, Reply } from './conversation-types.js';
import { namesOf } from './names.js';
import type { Actor } from '../audit/actor.js';
import { recordAudit } from '../audit/audit-repository.js';
import {
  completeRework,
  keepReplacedAnswers,
  lockReworkTasks,
  operatorName,
  reworkForIntro,
} from './rework-apply-repository.js';
import { reworkIntro } from './rework-starter.js';
import type { SessionRow } from './session-repository.js';
import { positionOf } from './task-definitions.js';

/** What a rework's CONFIRM changed: each listed task's position and its new status. */
export interface ReworkConfirmed {
  submissionId: string;
  reworkId: string;
  answers: { position: number; status: Answer['status'] }[];
}

/**
 * Called in the CONFIRM's transaction after a rework's answers replaced the earlier ones (wired in
 * runtime.ts): corrective actions close the open action of an answer that came back OK.
 */
export type OnReworkConfirmed = (tx: Tx, confirmed: ReworkConfirmed) => Promise<void>;

/** The two steps of the apply that differ for a rework's conversation (decision 0019). */
export function createReworkSessions(deps: {
  logger: Logger;
  onReworkConfirmed?: OnReworkConfirmed | undefined;
  /** DEFAULT_TIMEZONE: the first line says when the checklist was submitted, in the factory's zone. */
  timeZone: string;
}) {
  /** The operator replied to the start template: the rework's first line goes before Question 1. */
  async function withIntro(tx: Tx, session: SessionRow, replies: Reply[]): Promise<Reply[]> {
    const rework = await reworkForIntro(tx, session.reworkId!);
    const names = await namesOf(tx, session.templateId, session.machineId);
    return [reworkIntro(names, rework, session.totalTasks, deps.timeZone), ...replies];
  }

  /**
   * CONFIRM: the earlier answers at the rework's positions become history, the new ones are written by the
   * apply's one answer writer (each at its task's position in the submission), the submission waits for a
   * decision again.
   */
  async function confirm(tx: Tx, inboxId: number, session: SessionRow, answers: Answer[]) {
    const reworkId = session.reworkId!;
    // Positions from the rework itself: the session's answers are numbered 0..k-1, the submission's by task.
    const tasks = await lockReworkTasks(tx, reworkId);
    const placed = answers.map((answer) => ({
      answer,
      task: tasks[answer.taskIndex],
      position: positionOf(tasks[answer.taskIndex], answer.taskIndex),
    }));
    const positions = placed.map((p) => p.position);
    await keepReplacedAnswers(tx, reworkId, session.submissionId, positions);
    // The apply's one answer writer stores each answer, at the task's position in the submission.
    for (const p of placed)
      await writeApply(tx, {
        inboxId,
        session: null,
        answer: { submissionId: session.submissionId, answer: p.answer, task: p.task },
        completed: null,
        outbox: [],
        asyncCommit: false,
      });
    await completeRework(tx, reworkId, session.submissionId);
    // The trail's "operator confirmed the rework": no account did it, the operator did, on WhatsApp.
    const name = await operatorName(tx, session.operatorId);
    const operator: Actor = {
      kind: 'system',
      userId: null,
      label: `${name ?? 'The operator'} (operator, on WhatsApp)`,
    };
    await recordAudit(tx, operator, {
      action: 'submission.rework_confirmed',
      subjectType: 'submission',
      subjectId: session.submissionId,
      submissionId: session.submissionId,
      details: { tasks: positions, results: placed.map((p) => p.answer.status) },
    });
    deps.logger.info(
      { reworkId, submissionId: session.submissionId, positions },
      '[WHATSAPP] Rework confirmed: answers replaced, review pending again',
    );
    const changed = placed.map((p) => ({ position: p.position, status: p.answer.status }));
    await deps.onReworkConfirmed?.(tx, { submissionId: session.submissionId, reworkId, answers: changed });
  }

  return { withIntro, confirm };
}

export type ReworkSessions = ReturnType<typeof createReworkSessions>;
