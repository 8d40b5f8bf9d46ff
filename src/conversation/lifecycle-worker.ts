import type { Db } from '../lib/db/client.js';
import { withTransaction } from '../lib/db/transaction.js';
import type { Logger } from '../lib/logger.js';
import { findTasks } from '../checklists/checklists-repository.js';
import { enqueueReplies, inServiceWindow } from '../outbox/outbox-repository.js';
import { createWorkerLoop, type WorkerLoop } from '../lib/worker-loop.js';
import { questionAsked } from './buttons.js';
import { firstQuestion } from './conversation-machine.js';
import { parseDefinitions } from './task-definitions.js';
import { REASON_QUEUED, REASON_SWITCHED_OFF, toTasks } from './conversation-starter.js';
import type { ConversationService } from './conversation-service.js';
import { messagesEn } from './messages.en.js';
import * as lifecycleRepo from './lifecycle-repository.js';
import { endSessionInTx, REASON_CONVERSATION_REMOVED } from './session-ending.js';
import * as sessionsRepo from './session-repository.js';
import { waitingReworkIds } from './rework-start-repository.js';

export interface LifecycleDeps {
  db: Db;
  logger: Logger;
  conversation: ConversationService;
  reminderAfterMinutes: number;
  sendQueuedReplies: () => void;
  pollMs?: number;
}

const BATCH = 50;
/** REASON_SWITCHED_OFF as stored before it was put in a manager's words; such rows may still wait. */
const REASON_SWITCHED_OFF_BEFORE =
  'WhatsApp is switched off (system_config.whatsapp_enabled = false); it starts when switched back on';

/**
 * Time-driven conversation work, safe with several processes (rows claimed with SKIP LOCKED):
 * expire overdue sessions, remind silent operators once, and start assignments that are waiting
 * while nothing else runs for their operator (after the kill switch is turned back on, say).
 */
export function createLifecycleWorker(deps: LifecycleDeps): WorkerLoop {
  const log = deps.logger.child({ component: 'lifecycle' });
  const { starter, ending } = deps.conversation;

  async function expireDue(): Promise<number> {
    return withTransaction(deps.db, async (tx) => {
      const due = await lifecycleRepo.lockOverdueSessions(tx, BATCH);
      for (const row of due) await endSessionInTx(tx, row, 'expired', ending);
      return due.length;
    });
  }

  async function remindSilent(): Promise<number> {
    return withTransaction(deps.db, async (tx) => {
      const silent = await lifecycleRepo.lockSilentSessions(tx, deps.reminderAfterMinutes, BATCH);
      for (const row of silent) {
        await sessionsRepo.markReminded(tx, row.id);
        if (row.awaitingStart || !(await inServiceWindow(tx, row.phoneNumber))) {
          // Free-form text would be refused outside the window; the start template is what may go.
          if (starter.canSendTemplate) await starter.sendStartTemplate(tx, row);
          continue;
        }
        // The session's own rules (decision 0016); a session older than the snapshot reads its template's.
        const tasks = row.taskDefinitions
          ? parseDefinitions(row.taskDefinitions)
          : toTasks(await findTasks(tx, row.templateId));
        // Question 1 again as it first came, with its due time (read now: a reminder may come on another day).
        const names = await starter.questionOneNames(tx, row);
        const [prompt] = firstQuestion(sessionsRepo.toState(row), tasks, names);
        const reminder = prompt ? { ...prompt, body: `${messagesEn.reminder()}\n\n${prompt.body}` } : null;
        if (reminder)
          await enqueueReplies(tx, row.phoneNumber, row.id, [reminder], (r) => questionAsked(r, row.totalTasks));
      }
      return silent.length;
    });
  }

  /** Assignments left in progress without their conversation wait for a restart, like expired ones. */
  async function returnWithoutConversation(): Promise<number> {
    const ids = await withTransaction(deps.db, (tx) =>
      lifecycleRepo.returnAssignmentsWithoutConversation(tx, REASON_CONVERSATION_REMOVED, BATCH),
    );
    if (ids.length > 0)
      log.warn(
        { assignmentIds: ids },
        '[WHATSAPP] Assignment in progress had no conversation (removed in the database?); it now waits for a restart',
      );
    return ids.length;
  }

  async function startWaiting(): Promise<number> {
    const waiting = await lifecycleRepo.waitingAssignmentIds(deps.db, BATCH);
    // Assignments still waiting behind a busy operator no longer wait for the switch: say so.
    await lifecycleRepo.replacePendingReasonWhileEnabled(
      deps.db,
      [REASON_SWITCHED_OFF, REASON_SWITCHED_OFF_BEFORE],
      REASON_QUEUED,
    );
    let started = 0;
    for (const id of await waitingReworkIds(deps.db, BATCH)) {
      try {
        if ((await deps.conversation.startRework(id)).started) started++;
      } catch (err) {
        log.debug({ err, reworkId: id }, 'Waiting rework not started (taken by another process?)');
      }
    }
    for (const id of waiting) {
      try {
        const outcome = await deps.conversation.start(id);
        if (outcome.started) started++;
      } catch (err) {
        log.debug({ err, assignmentId: id }, 'Waiting assignment not started (taken by another process?)');
      }
    }
    return started;
  }

  /**
   * One step of a pass, on its own: a step that fails (a broken statement, a bad setting) is logged as
   * an ERROR naming it, counts as no work, and the steps after it still run. Each step is its own
   * transaction, so nothing of the failed one is kept.
   */
  async function step(name: string, run: () => Promise<number>): Promise<number> {
    try {
      return await run();
    } catch (err) {
      log.error({ err, step: name }, `Lifecycle step failed: ${name}; the other steps still run`);
      return 0;
    }
  }

  return createWorkerLoop({
    name: 'lifecycle',
    logger: log,
    pollMs: deps.pollMs ?? 15_000,
    async tick() {
      const expired = await step('expire overdue sessions', expireDue);
      const reminded = await step('remind silent operators', remindSilent);
      await step('return assignments without a conversation', returnWithoutConversation);
      const started = await step('start waiting assignments', startWaiting);
      if (expired + reminded > 0) deps.sendQueuedReplies();
      if (expired + reminded + started > 0) log.info({ expired, reminded, started }, 'Lifecycle pass');
      return false;
    },
  });
}
