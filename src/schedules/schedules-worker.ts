import type { Db } from '../lib/db/client.js';
import type { Tx } from '../lib/db/transaction.js';
import type { Logger } from '../lib/logger.js';
import { metrics } from '../lib/metrics.js';
import { createWorkerLoop, type WorkerLoop } from '../lib/worker-loop.js';
import type { ConversationService } from '../conversation/conversation-service.js';
import { dueAtOf, planOccurrences } from './occurrences.js';
import * as repo from './schedules-repository.js';

export interface SchedulesWorkerDeps {
  db: Db;
  logger: Logger;
  conversation: ConversationService;
  /** The clock; tests move it instead of waiting. */
  now?: () => Date;
  pollMs?: number;
}

export const REASON_NOT_RUNNING =
  'Not started: the server was not running at its start time and it was past its due time when it came back';

/** Schedules handled per pass at most; the next pass (a kick follows a full one) does the rest. */
const MAX_PER_PASS = 500;

/**
 * Time-driven schedule work, safe with several processes: unfinished checklists past their due time become
 * missed, then each schedule whose next occurrence has come creates it (decision 0014). The state is the
 * schedule's `next_run_at` and the unique key on (schedule_id, occurrence_at), never a timer.
 */
export function createSchedulesWorker(deps: SchedulesWorkerDeps): WorkerLoop {
  const log = deps.logger.child({ component: 'schedules' });
  const now = deps.now ?? (() => new Date());
  const { conversation } = deps;

  /** Inside the schedule's locked transaction: its missed occurrences, the one that starts, its next run. */
  async function occur(tx: Tx, s: repo.ScheduleRow, at: Date): Promise<string | null> {
    const plan = planOccurrences(s, s.nextRunAt!, s.dueAfterMinutes, at);
    for (const o of plan.missed)
      await repo.insertOccurrence(tx, s, {
        occurrenceAt: o,
        dueAt: dueAtOf(o, s.dueAfterMinutes),
        missedReason: REASON_NOT_RUNNING,
      });
    let id: string | null = null;
    if (plan.start) {
      // Never queued behind an unfinished one of the same schedule: that one is missed by now.
      // Only older ones: the same occurrence met again (next_run_at set back to it) keeps its own assignment.
      await conversation.missUnfinishedOfSchedule(tx, s.id, plan.start, at);
      id = await repo.insertOccurrence(tx, s, {
        occurrenceAt: plan.start,
        dueAt: dueAtOf(plan.start, s.dueAfterMinutes),
      });
    }
    await repo.setNextRun(tx, s.id, plan.next);
    if (plan.missed.length > 0)
      log.warn({ scheduleId: s.id, missed: plan.missed.length }, 'Occurrences recorded missed');
    return id;
  }

  async function runDue(at: Date): Promise<number> {
    const failed: number[] = [];
    let handled = 0;
    while (handled < MAX_PER_PASS) {
      let claimed: number | null = null;
      try {
        // Question 1 reads its due time against this pass's clock, the one the occurrence was made by.
        await conversation.createAndStart(
          async (tx) => {
            const s = await repo.lockNextDueSchedule(tx, at, failed);
            claimed = s?.id ?? null;
            return s ? occur(tx, s, at) : null;
          },
          { at },
        );
      } catch (err) {
        if (claimed === null) throw err;
        // This schedule is tried again next pass; the others due now still run.
        log.error({ err, scheduleId: claimed }, 'Scheduled checklist not created; tried again on the next pass');
        failed.push(claimed);
        continue;
      }
      if (claimed === null) break;
      handled++;
    }
    return handled;
  }

  return createWorkerLoop({
    name: 'schedules',
    logger: log,
    pollMs: deps.pollMs ?? 5_000,
    async tick() {
      const at = now();
      const missed = await conversation.missPastDue(at);
      const created = await runDue(at);
      if (missed + created > 0) log.info({ missed, created }, 'Schedules pass');
      metrics.schedulePasses.inc();
      return created >= MAX_PER_PASS;
    },
  });
}
