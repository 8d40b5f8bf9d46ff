import { sql } from 'drizzle-orm';
import type { Db } from '../lib/db/client.js';
import { withTransaction } from '../lib/db/transaction.js';
import type { Logger } from '../lib/logger.js';
import { findTasks } from '../checklists/checklists-repository.js';
import { inServiceWindow } from '../whatsapp/inbox-repository.js';
import { enqueueReplies } from '../whatsapp/outbox-repository.js';
import { createWorkerLoop, type WorkerLoop } from '../whatsapp/worker-loop.js';
import { firstQuestion } from './conversation-machine.js';
import { REASON_QUEUED, REASON_SWITCHED_OFF, toTasks } from './conversation-starter.js';
import type { ConversationService } from './conversation-service.js';
import { messagesEn } from './messages.en.js';
import { namesOf } from './names.js';
import { endSessionInTx } from './session-ending.js';
import * as sessionsRepo from './session-repository.js';
import { whatsappConversationSessions as sessions } from '../lib/db/schema.js';

export interface LifecycleDeps {
  db: Db;
  logger: Logger;
  conversation: ConversationService;
  reminderAfterMinutes: number;
  onOutbox: () => void;
  pollMs?: number;
}

const BATCH = 50;

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
      const due = await tx
        .select()
        .from(sessions)
        .where(sql`${sessions.status} = 'active' AND ${sessions.expiresAt} <= (now() AT TIME ZONE 'UTC')`)
        .orderBy(sessions.expiresAt)
        .limit(BATCH)
        .for('update', { skipLocked: true });
      for (const row of due) await endSessionInTx(tx, row, 'expired', ending);
      return due.length;
    });
  }

  async function remindSilent(): Promise<number> {
    return withTransaction(deps.db, async (tx) => {
      const silent = await tx
        .select()
        .from(sessions)
        .where(
          sql`${sessions.status} = 'active'
          AND COALESCE(${sessions.lastMessageAt}, ${sessions.createdAt}) <= (now() AT TIME ZONE 'UTC') - make_interval(mins => ${deps.reminderAfterMinutes})
          AND (${sessions.remindedAt} IS NULL OR ${sessions.remindedAt} < COALESCE(${sessions.lastMessageAt}, ${sessions.createdAt}) AT TIME ZONE 'UTC')`,
        )
        .limit(BATCH)
        .for('update', { skipLocked: true });
      for (const row of silent) {
        await sessionsRepo.markReminded(tx, row.id);
        if (row.awaitingStart || !(await inServiceWindow(tx, row.phoneNumber))) {
          // Free-form text would be refused outside the window; the start template is what may go.
          if (starter.canSendTemplate) await starter.sendStartTemplate(tx, row);
          continue;
        }
        const tasks = toTasks(await findTasks(tx, row.templateId));
        const names = await namesOf(tx, row.templateId, row.machineId);
        const [prompt] = firstQuestion(sessionsRepo.toState(row), tasks, names);
        const reminder = prompt ? { ...prompt, body: `${messagesEn.reminder()}\n\n${prompt.body}` } : null;
        if (reminder) await enqueueReplies(tx, row.phoneNumber, row.id, [reminder]);
      }
      return silent.length;
    });
  }

  async function startWaiting(): Promise<number> {
    const waiting = await deps.db.execute<{ id: string }>(sql`
      SELECT DISTINCT ON (a.operator_id) a.id FROM checklist_assignments a
      JOIN operators o ON o.id = a.operator_id
      WHERE a.status = 'pending' AND a.last_expired_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM whatsapp_conversation_sessions s WHERE s.phone_number = o.phone_number AND s.status = 'active')
        AND EXISTS (SELECT 1 FROM system_config c WHERE c.id = 1 AND c.whatsapp_enabled)
      ORDER BY a.operator_id, a.created_at, a.id LIMIT ${BATCH}`);
    // Assignments still waiting behind a busy operator no longer wait for the switch: say so.
    await deps.db.execute(sql`
      UPDATE checklist_assignments a SET status_reason = ${REASON_QUEUED}
      WHERE a.status = 'pending' AND a.status_reason = ${REASON_SWITCHED_OFF}
        AND EXISTS (SELECT 1 FROM system_config c WHERE c.id = 1 AND c.whatsapp_enabled)`);
    let started = 0;
    for (const { id } of waiting.rows) {
      try {
        const outcome = await deps.conversation.start(id);
        if (outcome.started) started++;
      } catch (err) {
        log.debug({ err, assignmentId: id }, 'Waiting assignment not started (taken by another process?)');
      }
    }
    return started;
  }

  return createWorkerLoop({
    name: 'lifecycle',
    logger: log,
    pollMs: deps.pollMs ?? 15_000,
    async tick() {
      const expired = await expireDue();
      const reminded = await remindSilent();
      const started = await startWaiting();
      if (expired + reminded > 0) deps.onOutbox();
      if (expired + reminded + started > 0) log.info({ expired, reminded, started }, 'Lifecycle pass');
      return false;
    },
  });
}
