import { isPhoneAddress } from '../lib/phone.js';
import type { Db } from '../lib/db/client.js';
import { sql } from 'drizzle-orm';
import { type TransactionEnds, type Tx, withPipelinedTransaction } from '../lib/db/transaction.js';
import type { Logger } from '../lib/logger.js';
import { metrics } from '../lib/metrics.js';
import { outboxRows, type OutboxItem } from '../outbox/outbox-messages.js';
import { claimDailyAutoReply } from '../outbox/outbox-repository.js';
import { enqueueAlert } from '../outbox/alert-repository.js';
import { notOkAlerts, type AlertDeps } from './alerts.js';
import { openActionsForSubmission } from '../actions/actions-repository.js';
import { outcomeOfPlan, planInbound, tappedSessionId, type ApplyPlan } from './apply-plan.js';
import { APPLY_STATEMENTS, lockForApply, writeApply, writeApplyCall, type ApplyWrite } from './apply-repository.js';
import { questionAsked } from './buttons.js';
import type { Starter } from './conversation-starter.js';
import type { ChecklistNames, InboundEvent } from './conversation-types.js';
import type { InboundOutcome } from './inbound-outcome.js';
import { messagesEn } from './messages.en.js';
import { namesOf } from './names.js';
import { endSessionInTx } from './session-ending.js';
import { withNamedThankYou } from './submitted-reply.js';
import { recentlyEnded, sessionNamesById, type SessionRow } from './session-repository.js';
import type { ReworkSessions } from './rework-sessions.js';
import { SETTLE_REVIEW, settleReviewCall } from '../assignments/submissions-repository.js';

/** One recorded inbound message, from the operator it came from. */
export interface InboundMessage {
  /** Its whatsapp_inbox row; it must still be pending. */
  inboxId: number;
  /** Where replies go: the address the message came from. */
  from: string;
  /** The operator the sender is (null: a number that is no operator). */
  operatorId: number | null;
  event: InboundEvent;
}

export interface InboundApplyDeps extends AlertDeps {
  db: Db;
  logger: Logger;
  starter: Starter;
  /** A rework's conversation: its first line after the start template, its CONFIRM. */
  reworks: ReworkSessions;
  /** QUESTION_READ_MARGIN_SECONDS (docs/decisions/0007-question-read-time.md). */
  readMarginSeconds: number;
  /** Called after a commit that queued replies. */
  sendQueuedReplies: () => void;
}

/**
 * Applies inbound messages, each in one transaction: lock (lockForApply), decide (planInbound, pure,
 * in Node between the lock and the writes), write (writeApply, plus the rare extras), commit. No
 * network I/O happens inside it; replies go out from the outbox after the commit.
 */
export function createInboundApply(deps: InboundApplyDeps) {
  const log = deps.logger;
  const ending = { starter: deps.starter, logger: log };

  /** The outcome, or null when another worker applied this message first. */
  async function applyInbound(msg: InboundMessage): Promise<InboundOutcome | null> {
    const plan = await withPipelinedTransaction(
      deps.db,
      STATEMENTS,
      async (tx, ends) => {
        const replyTo = msg.event.kind === 'button' ? null : ('replyTo' in msg.event && msg.event.replyTo) || null;
        const locked = await lockForApply(ends, msg.inboxId, msg.operatorId, replyTo);
        if (!locked) return null;
        const ended = locked.session ? null : await recentlyEnded(tx, msg.from);
        const tappedId = msg.operatorId === null ? null : tappedSessionId(msg.event, locked.session);
        const tapped =
          tappedId === null || msg.operatorId === null ? null : await sessionNamesById(tx, tappedId, msg.operatorId);
        const senderWithoutNumber = !isPhoneAddress(msg.from);
        const now = new Date();
        const startNames = locked.session?.awaitingStart ? await namesWithDue(tx, locked.session, now) : null;
        const read = {
          ...locked,
          operatorId: msg.operatorId,
          recentlyEnded: ended,
          tapped,
          senderWithoutNumber,
          startNames,
        };
        const planned = planInbound(read, msg.event, now, deps.readMarginSeconds);
        await write(tx, ends, msg, planned);
        return planned;
      },
      // kinto_locked_tx_duration_seconds: BEGIN sent to COMMIT answered, as issue 12 and the bench's probe define it.
      () => metrics.lockedTx.startTimer(),
    );
    if (!plan) return null;
    deps.sendQueuedReplies();
    logApplied(plan);
    return outcomeOfPlan(plan, msg.event);
  }

  /** The one write path of a plan: writeApply's single statement, then the extras a few plans need. */
  async function write(tx: Tx, ends: TransactionEnds, msg: InboundMessage, plan: ApplyPlan): Promise<void> {
    const base: ApplyWrite = {
      inboxId: msg.inboxId,
      session: null,
      answer: null,
      completed: null,
      outbox: [],
      asyncCommit: false,
    };
    if (plan.kind === 'reply') {
      const send = !plan.oncePerDay || (await claimDailyAutoReply(tx, msg.from));
      await writeApply(tx, { ...base, outbox: send ? rows(msg.from, plan.sessionId, plan.replies) : [] });
      return;
    }
    if (plan.kind === 'expire') {
      await writeApply(tx, base);
      await endSessionInTx(tx, plan.session, 'expired', ending);
      return;
    }
    const { session, result, completed } = plan;
    // A rework's answers reach the submission only on its CONFIRM (the earlier ones become history then).
    const rework = session.reworkId;
    const replies = completed
      ? await withNamedThankYou(tx, session, result.replies)
      : rework && session.awaitingStart && !result.state.awaitingStart
        ? await deps.reworks.withIntro(tx, session, result.replies)
        : result.replies;
    const notOk = result.state.answers.filter((a) => a.status === 'NOT_OK');
    const call = writeApplyCall({
      ...base,
      session: { id: session.id, state: result.state, ended: completed },
      answer:
        result.answer && !rework
          ? { submissionId: session.submissionId, answer: result.answer, task: plan.tasks[result.answer.taskIndex] }
          : null,
      completed:
        completed && !rework
          ? { submissionId: session.submissionId, assignmentId: session.assignmentId, needsReview: notOk.length > 0 }
          : null,
      outbox: rows(msg.from, session.id, replies, session.totalTasks),
      // The hot path: see docs/decisions/0003-single-locked-apply.md for why no reply can leave first.
      asyncCommit: true,
    });
    // An answer's write travels with the COMMIT; a CONFIRM has more to do after it.
    if (!completed) return ends.commitWith(call);
    await tx.execute(sql.raw(call));
    if (rework) await deps.reworks.confirm(tx, msg.inboxId, session, result.state.answers);
    else if (notOk.length > 0 && deps.alertPhoneNumbers.length > 0) await queueAlerts(tx, plan);
    // A CONFIRM is rare: one more statement here, not in the hot apply_write (issue 18: one action per NOT OK;
    // after a rework's answers are written, so a reworked answer that is NOT OK again keeps or gets its action).
    if (notOk.length > 0) await openActionsForSubmission(tx, session.submissionId);
    await deps.starter.startNextQueued(tx, session.operatorId);
    // After the next start, with the COMMIT: a second UPDATE of the submission row in this transaction re-checks
    // its foreign keys (a KEY SHARE on the machine), which the next start's insert takes anyway, in the guide's
    // lock order.
    if (!rework) ends.commitWith(settleReviewCall(session.submissionId));
  }

  /**
   * Question 1 after the start template: the names line only when it says when the checklist is due, as
   * Question 1 of a direct start does (the template's fixed fields named the checklist and the machine).
   */
  async function namesWithDue(tx: Tx, session: SessionRow, now: Date): Promise<ChecklistNames | null> {
    const names = await deps.starter.questionOneNames(tx, session, now);
    return names.due ? names : null;
  }

  /** The NOT OK alert to each ALERT_PHONE_NUMBERS number. */
  async function queueAlerts(tx: Tx, plan: Extract<ApplyPlan, { kind: 'transition' }>) {
    const { session, tasks, result } = plan;
    const names = await namesOf(tx, session.templateId, session.machineId);
    const failed = result.state.answers
      .filter((a) => a.status === 'NOT_OK')
      .map((a) => {
        const task = tasks.find((t) => t.id === a.taskId);
        // A reading says its value, unit and the limit it broke (issue 16 item 8).
        const reading = messagesEn.alertReading(a, task);
        const text = task?.text ?? `Task ${a.taskIndex + 1}`;
        return { task: reading === null ? text : `${text} (${reading})`, remarks: a.remarks };
      });
    for (const alert of await notOkAlerts(tx, deps, names, failed))
      await enqueueAlert(tx, { ...alert, submissionId: session.submissionId });
  }

  function logApplied(plan: ApplyPlan) {
    if (plan.kind !== 'transition') return;
    const { session, result } = plan;
    if (result.refused) {
      log.info(
        { sessionId: session.id, task: session.currentTaskIndex + 1, reason: result.refused },
        '[WHATSAPP] Message not taken as an answer: sent before its question could be read',
      );
    } else if (plan.completed) {
      const notOk = result.state.answers.filter((a) => a.status === 'NOT_OK').length;
      log.info(
        { sessionId: session.id, submissionId: session.submissionId, notOk },
        '[WHATSAPP] Checklist confirmed and submitted',
      );
    } else if (result.answer) {
      log.info(
        { sessionId: session.id, task: result.answer.taskIndex + 1, status: result.answer.status },
        '[WHATSAPP] Answer saved',
      );
    }
  }

  return applyInbound;
}

/** Prepared on the apply's connection: the lock, the write, and the review state sent with a CONFIRM's COMMIT. */
const STATEMENTS = [...APPLY_STATEMENTS, SETTLE_REVIEW];

/** `totalTasks`: the session's, so a question's rows are tagged with the question they ask (questionAsked). */
const rows = (phoneNumber: string, sessionId: string | null, items: OutboxItem[], totalTasks = 0) =>
  outboxRows(items, (r) => questionAsked(r, totalTasks)).map((o) => ({ ...o, phoneNumber, sessionId }));
