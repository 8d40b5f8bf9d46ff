import type { Db } from '../lib/db/client.js';
import { type Tx, withTransaction } from '../lib/db/transaction.js';
import { ConflictError, NotFoundError, ValidationError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import type { Actor } from '../audit/actor.js';
import { recordAudit } from '../audit/audit-repository.js';
import type { ConversationService, StartOutcome } from '../conversation/conversation-service.js';
import * as repo from './review-repository.js';
import type { ReviewInput } from './review-schemas.js';
import type { ReviewStatus } from './review-types.js';

export interface ReviewOutcome {
  reviewStatus: ReviewStatus;
  /** A send-back: its conversation started, or why it waits (queued behind another checklist). */
  rework?: { id: string; start: StartOutcome };
}

/** Decisions a submission can take in this state: once decided, it is decided; a rework is cancelled first. */
const OPEN_TO_DECISION: ReadonlyArray<ReviewStatus | null> = ['pending', 'not_required'];

export function createReviewService(deps: { db: Db; conversation: ConversationService; logger: Logger }) {
  const log = deps.logger.child({ component: 'review' });

  /** Approve, reject or send back (issue 18 item 1), in one transaction with the rework's start. */
  async function decide(submissionId: string, input: ReviewInput, actor: Actor): Promise<ReviewOutcome> {
    const outcome = await deps.conversation.inStartTransaction(async (tx) => {
      const s = await repo.lockSubmission(tx, submissionId);
      if (!s) throw new NotFoundError(`Submission ${submissionId}`);
      if (s.status !== 'completed')
        throw new ConflictError('This submission is not confirmed yet; only a confirmed submission can be reviewed');
      if (s.reviewStatus === 'rework')
        throw new ConflictError('This submission is sent back for rework; cancel the rework before another decision');
      if (!OPEN_TO_DECISION.includes(s.reviewStatus))
        throw new ConflictError(`This submission was already ${s.reviewStatus}; a decision is taken once`);
      if (input.decision === 'rework') return sendBack(tx, submissionId, input, actor);
      const status = input.decision === 'approve' ? 'approved' : 'rejected';
      await repo.setDecision(tx, submissionId, { status, comment: input.comment ?? null, reviewedBy: actor.userId });
      await recordAudit(tx, actor, {
        action: status === 'approved' ? 'submission.approved' : 'submission.rejected',
        subjectType: 'submission',
        subjectId: submissionId,
        submissionId,
        details: input.comment ? { note: input.comment } : {},
      });
      return { reviewStatus: status } satisfies ReviewOutcome;
    });
    log.info(
      { submissionId, decision: input.decision, actor: actor.kind, userId: actor.userId },
      '[REVIEW] Submission reviewed',
    );
    return outcome;
  }

  async function sendBack(tx: Tx, submissionId: string, input: ReviewInput, actor: Actor): Promise<ReviewOutcome> {
    const positions = [...new Set(input.tasks ?? [])].sort((a, b) => a - b);
    const count = await repo.answerCount(tx, submissionId);
    const outside = positions.filter((p) => p > count);
    if (outside.length > 0)
      throw new ValidationError(`Invalid body: tasks`, {
        fields: [
          {
            field: 'tasks',
            message: `${outside.join(', ')} ${outside.length === 1 ? 'is' : 'are'} not a task of this submission (it has ${count}: 1 to ${count})`,
          },
        ],
      });
    const tasks = await repo.answeredTasks(tx, submissionId, positions);
    const id = await repo.insertRework(tx, {
      submissionId,
      positions,
      tasks,
      comment: input.comment!,
      requestedBy: actor.userId,
      requestedByLabel: actor.label,
    });
    await repo.setSentBack(tx, submissionId, input.comment!);
    await recordAudit(tx, actor, {
      action: 'submission.rework_requested',
      subjectType: 'submission',
      subjectId: submissionId,
      submissionId,
      // The texts too: the trail says which tasks, not only their numbers.
      details: { note: input.comment!, tasks: positions, taskTexts: tasks.map((t) => t.text) },
    });
    const start = await deps.conversation.starter.startReworkInTx(tx, id);
    return { reviewStatus: 'rework', rework: { id, start } };
  }

  /** Cancels the submission's open rework; its conversation, if it started, ends and the operator is told. */
  async function cancelRework(submissionId: string, actor: Actor): Promise<void> {
    const cancelled = await withTransaction(deps.db, async (tx) => {
      if (!(await cancelInTx(tx, submissionId))) return false;
      await recordAudit(tx, actor, {
        action: 'submission.rework_cancelled',
        subjectType: 'submission',
        subjectId: submissionId,
        submissionId,
      });
      return true;
    });
    if (!cancelled) throw new ConflictError('This submission has no rework waiting or under way');
    deps.conversation.afterCommitThatQueued();
    log.info({ submissionId, actor: actor.kind, userId: actor.userId }, '[REVIEW] Rework cancelled');
  }

  /** Lock order: the rework's session (if it started), then the rework, then the submission. */
  async function cancelInTx(tx: Tx, submissionId: string): Promise<boolean> {
    const open = await repo.findOpenRework(tx, submissionId);
    if (!open) return false;
    const session = await deps.conversation.lockReworkSession(tx, open.id);
    const rework = await repo.lockOpenRework(tx, submissionId);
    if (!rework) return false;
    if (session) {
      await deps.conversation.endSession(tx, session, 'cancelled');
      return true;
    }
    // It started while we waited for its lock: its session comes first in the lock order, so start over.
    if (rework.status === 'active') throw new ConflictError('The rework started just now; cancel it again');
    await repo.endRework(tx, rework.id, 'cancelled');
    await repo.setPending(tx, submissionId);
    return true;
  }

  return { decide, cancelRework };
}

export type ReviewService = ReturnType<typeof createReviewService>;
