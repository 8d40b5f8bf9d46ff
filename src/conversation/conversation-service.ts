import { sql } from 'drizzle-orm';
import type { Db } from '../lib/db/client.js';
import { PG_UNIQUE_VIOLATION } from '../lib/db/pg-errors.js';
import { type Tx, withTransaction, pgCode, pgConstraint } from '../lib/db/transaction.js';
import { ConflictError, NotFoundError } from '../lib/errors.js';
import * as assignmentsRepo from '../assignments/assignments-repository.js';
import * as submissionsRepo from '../assignments/submissions-repository.js';
import type { AlertDeps } from './alerts.js';
import { createStarter, type StartOptions, type StartOutcome, type StarterDeps } from './conversation-starter.js';
import { createInboundApply, type InboundMessage } from './inbound-apply.js';
import type { InboundOutcome } from './inbound-outcome.js';
import type { InboundEvent } from './conversation-types.js';
import { lockSessionsPastDue } from './lifecycle-repository.js';
import { endSessionInTx, REASON_MISSED, tellMissedQueued } from './session-ending.js';
import * as sessionsRepo from './session-repository.js';
import type { Actor } from '../audit/actor.js';
import { recordAudit } from '../audit/audit-repository.js';
import { createReworkSessions, type OnReworkConfirmed } from './rework-sessions.js';

export type { StartOutcome, InboundOutcome, InboundMessage, InboundEvent };

export interface ConversationDeps extends StarterDeps, AlertDeps {
  db: Db;
  /** QUESTION_READ_MARGIN_SECONDS (docs/decisions/0007-question-read-time.md). */
  readMarginSeconds: number;
  /** Called after a commit that queued outgoing messages. */
  sendQueuedReplies: () => void;
  /** A rework's CONFIRM replaced answers (corrective actions close those that came back OK). */
  onReworkConfirmed?: OnReworkConfirmed | undefined;
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
      if (pgCode(err) !== PG_UNIQUE_VIOLATION) throw err;
      const constraint = pgConstraint(err);
      // Another assignment of this operator won the phone: run again, and this one is queued.
      if (constraint === 'whatsapp_sessions_one_active_per_phone' && !retried) return inStartTx(work, true);
      if (constraint?.startsWith('whatsapp_sessions_one_active'))
        throw new ConflictError('The assignment already has an active conversation');
      throw err;
    }
  }

  function afterStart(assignmentId: string, outcome: StartOutcome) {
    if (outcome.started) deps.sendQueuedReplies();
    else log.info({ assignmentId, reason: outcome.reason }, '[WHATSAPP] Conversation not started');
  }

  /**
   * `opts.tellIfQueued`: a manager's start or restart (the sweeper's starts tell nobody). `audit`: the person
   * who asked, recorded in the same transaction.
   */
  async function start(assignmentId: string, opts: StartOptions = {}, audit?: PersonsStart): Promise<StartOutcome> {
    const outcome = await inStartTx(async (tx) => {
      const started = await starter.startInTx(tx, assignmentId, opts);
      if (audit) await recordAssignmentEvent(tx, audit.actor, audit.action, assignmentId, started);
      return started;
    });
    afterStart(assignmentId, outcome);
    return outcome;
  }

  /** Creates an assignment and starts its conversation in one transaction (no sweeper can start it in between). */
  async function assign(values: { templateId: number; machineId: number; operatorId: number }, actor?: Actor) {
    const result = await inStartTx(async (tx) => {
      const a = await assignmentsRepo.insertAssignment(tx, values);
      const outcome = await starter.startInTx(tx, a.id, { tellIfQueued: true });
      if (actor) await recordAssignmentEvent(tx, actor, 'assignment.created', a.id, outcome);
      return { id: a.id, outcome };
    });
    afterStart(result.id, result.outcome);
    return result;
  }

  /**
   * Runs `create` (which inserts an assignment and returns its id, or null for nothing to start) and starts
   * that assignment in the same transaction, as `assign` does; replies are sent after the commit.
   */
  async function createAndStart(create: (tx: Tx) => Promise<string | null>, opts: StartOptions = {}) {
    const result = await inStartTx(async (tx) => {
      const id = await create(tx);
      return id ? { id, outcome: await starter.startInTx(tx, id, opts) } : null;
    });
    if (result) afterStart(result.id, result.outcome);
    return result;
  }

  /**
   * Unfinished assignments past their due time become missed: a conversation under way ends as expired
   * (the operator is told inside the 24-hour window). Returns how many.
   */
  async function missPastDue(now: Date, limit = 50): Promise<number> {
    const missed = await withTransaction(deps.db, async (tx) => {
      const sessions = await lockSessionsPastDue(tx, { dueBy: now }, limit);
      for (const s of sessions) await endSessionInTx(tx, s, 'missed', ending);
      const queued = await assignmentsRepo.missPending(tx, { dueBy: now }, REASON_MISSED);
      await tellMissedQueued(tx, queued, deps.timeZone ?? 'UTC', now);
      return sessions.length + queued.length;
    });
    if (missed > 0) deps.sendQueuedReplies();
    return missed;
  }

  /**
   * Inside a new occurrence's transaction: the schedule's unfinished occurrences before it become missed first.
   * `now` is the pass's clock, which the line to the operator reads the due time's day against.
   */
  async function missUnfinishedOfSchedule(tx: Tx, scheduleId: number, before: Date, now: Date): Promise<void> {
    const sessions = await lockSessionsPastDue(tx, { scheduleId, before }, 100);
    for (const s of sessions) await endSessionInTx(tx, s, 'missed', ending);
    const queued = await assignmentsRepo.missPending(tx, { scheduleId, before }, REASON_MISSED);
    await tellMissedQueued(tx, queued, deps.timeZone ?? 'UTC', now);
  }

  /** A manager restarts a missed assignment: a new due time (now plus the schedule's window), then it starts. */
  async function restartMissed(assignmentId: string, actor?: Actor): Promise<StartOutcome> {
    const outcome = await inStartTx(async (tx) => {
      if (!(await assignmentsRepo.reopenMissed(tx, assignmentId))) {
        const a = await assignmentsRepo.lockAssignment(tx, assignmentId);
        if (!a) throw new NotFoundError(`Assignment ${assignmentId}`);
        throw new ConflictError(`Assignment ${assignmentId} is ${a.status}; only a missed one can be restarted`);
      }
      const started = await starter.startInTx(tx, assignmentId, { tellIfQueued: true });
      if (actor) await recordAssignmentEvent(tx, actor, 'assignment.restarted', assignmentId, started);
      return started;
    });
    afterStart(assignmentId, outcome);
    return outcome;
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
    if (queued) deps.sendQueuedReplies();
  }

  /**
   * Cancels an assignment; its active conversation (if any) ends and the operator is told. `operatorTold` says
   * whether a message to the operator was queued: not for a queued assignment, nor for one whose conversation
   * was deleted by hand.
   */
  async function cancel(assignmentId: string, actor?: Actor): Promise<{ operatorTold: boolean }> {
    const operatorTold = await withTransaction(deps.db, async (tx) => {
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
      let told = false;
      if (session) told = await endSessionInTx(tx, session, 'cancelled', ending);
      else {
        await assignmentsRepo.updateAssignment(tx, a.id, {
          status: 'cancelled',
          cancelledAt: sql`now()`,
          statusReason: null,
        });
        // A submission left pending without its session (deleted by hand, as the old guide suggests) ends too.
        await submissionsRepo.cancelPendingSubmissions(tx, a.id);
      }
      if (actor)
        await recordAudit(tx, actor, { action: 'assignment.cancelled', subjectType: 'assignment', subjectId: a.id });
      return told;
    });
    deps.sendQueuedReplies();
    return { operatorTold };
  }

  const applyInbound = createInboundApply({
    db: deps.db,
    logger: log,
    starter,
    reworks: createReworkSessions({
      logger: log,
      onReworkConfirmed: deps.onReworkConfirmed,
      timeZone: deps.timeZone ?? 'UTC',
    }),
    readMarginSeconds: deps.readMarginSeconds,
    sendQueuedReplies: deps.sendQueuedReplies,
    alertPhoneNumbers: deps.alertPhoneNumbers,
    alertTemplate: deps.alertTemplate,
  });

  /**
   * A transaction that may start a conversation (a rework sent back): a racing start on the same phone is
   * retried once, as for an assignment; queued messages go out after the commit.
   */
  async function inStartTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const result = await inStartTx(work);
    deps.sendQueuedReplies();
    return result;
  }

  /** Starts a queued rework (the lifecycle worker, for one a racing end of a conversation did not see). */
  async function startRework(reworkId: string): Promise<StartOutcome> {
    return inStartTransaction((tx) => starter.startReworkInTx(tx, reworkId));
  }

  return {
    start,
    startRework,
    assign,
    applyInbound,
    cancel,
    reengage,
    createAndStart,
    missPastDue,
    missUnfinishedOfSchedule,
    restartMissed,
    starter,
    ending,
    inStartTransaction,
    /** A rework's active conversation, locked (the first lock of a rework's cancel). */
    lockReworkSession: (tx: Tx, reworkId: string) => sessionsRepo.lockActiveSessionByRework(tx, reworkId),
    /** Ends a locked session as endSessionInTx does (the operator told, the next queued one started). */
    endSession: (tx: Tx, session: sessionsRepo.SessionRow, how: 'expired' | 'cancelled') =>
      endSessionInTx(tx, session, how, ending),
    afterCommitThatQueued: () => deps.sendQueuedReplies(),
  };
}

/** A start a person asked for, and how the trail names it. */
export interface PersonsStart {
  actor: Actor;
  action: 'assignment.started' | 'assignment.restarted';
}

function recordAssignmentEvent(tx: Tx, actor: Actor, action: string, assignmentId: string, outcome: StartOutcome) {
  return recordAudit(tx, actor, {
    action,
    subjectType: 'assignment',
    subjectId: assignmentId,
    submissionId: outcome.started ? outcome.submissionId : null,
    details: { started: outcome.started },
  });
}

export type ConversationService = ReturnType<typeof createConversationService>;
