import { isConfirm } from './parse-answer.js';
import { readableFrom, transitionInContext, type QuotedMessage } from './answer-context.js';
import { parseButtonId } from './buttons.js';
import type { ChecklistNames, InboundEvent, Reply, Task, TransitionResult } from './conversation-types.js';
import { outcomeOf, type InboundOutcome } from './inbound-outcome.js';
import { messagesEn } from './messages.en.js';
import { promptAfter } from './prompts.js';
import { toState, type SessionRow } from './session-repository.js';

/** What the locked read found for one message: the sender's active session (locked) and its tasks. */
export interface ApplyRead {
  /** The operator the sender is (null: a number we do not know). */
  operatorId: number | null;
  session: SessionRow | null;
  tasks: Task[];
  /** When Meta first accepted the session's current question (null: not yet). */
  questionSentAt: Date | null;
  /** Question 1 went out with another message (a thank-you, a cancellation), read before it. */
  afterOtherMessage?: boolean;
  /** The message the event quotes or reacts to, when it is one of ours. */
  quoted: QuotedMessage | null;
  /** The sender wrote without a phone number (a username; the address is their BSUID). */
  senderWithoutNumber?: boolean;
  /** How the sender's latest session ended in the last 24 hours; read only when none is active. */
  recentlyEnded: string | null;
  /** The session a tapped button names when it is not the active one (tappedSessionId), with its names. */
  tapped?: { status: string; template: string; machine: string } | null;
  /**
   * For a session waiting for its start template's reply: the names line Question 1 then carries, read only
   * when it has a due time (the template named the checklist and the machine, but not when it is due).
   */
  startNames?: ChecklistNames | null;
}

/** The session a tapped button belongs to, when that is not the active session: its read is rare. */
export function tappedSessionId(event: InboundEvent, active: SessionRow | null): string | null {
  if (event.kind !== 'button') return null;
  const action = parseButtonId(event.id);
  return action === null || action.sessionId === active?.id ? null : action.sessionId;
}

/**
 * What one inbound message does, decided without I/O:
 * - `reply`: only answer the sender (no session, or text meant for the checklist that just ended);
 *   `oncePerDay` for a sender who is no operator, so a flood of unknown numbers costs one message each a day.
 * - `expire`: the session is overdue but not yet swept; end it rather than write into it.
 * - `transition`: the state machine's step, written with its answer, replies and (on CONFIRM) the completion.
 */
export type ApplyPlan =
  | { kind: 'reply'; sessionId: string | null; replies: Reply[]; oncePerDay: boolean }
  | { kind: 'expire'; session: SessionRow }
  | { kind: 'transition'; session: SessionRow; tasks: Task[]; result: TransitionResult; completed: boolean };

/**
 * Question 1 that arrives with the thank-you of the checklist before (or a cancellation) is read after it:
 * "ok thanks" typed to the thank-you takes 3 to 5 s, past the plain margin (decision 0007).
 */
export const AFTER_OTHER_MESSAGE_FACTOR = 4;

/** `readMarginSeconds`: QUESTION_READ_MARGIN_SECONDS (docs/decisions/0007-question-read-time.md). */
export function planInbound(read: ApplyRead, event: InboundEvent, now: Date, readMarginSeconds: number): ApplyPlan {
  const { session, tasks } = read;
  // A reaction is no message to answer: without a session it is ignored too.
  if (!session && event.kind === 'reaction') return { kind: 'reply', sessionId: null, replies: [], oncePerDay: false };
  // A Confirm or Edit tap (or any button) of a checklist submitted already says so, naming it.
  const submitted = read.tapped?.status === 'completed' ? messagesEn.alreadySubmitted(read.tapped) : null;
  if (!session) {
    const unknown = read.operatorId === null;
    const body = unknown
      ? read.senderWithoutNumber === true
        ? messagesEn.unknownUsername()
        : messagesEn.unknownNumber()
      : (submitted ??
        (read.recentlyEnded === 'expired'
          ? messagesEn.expiredNoSession()
          : read.recentlyEnded === 'completed' && event.kind === 'text' && isConfirm(event.body)
            ? messagesEn.alreadySubmittedTyped()
            : messagesEn.noActiveSession()));
    return { kind: 'reply', sessionId: null, replies: [{ kind: 'text', body }], oncePerDay: unknown };
  }
  if (session.expiresAt.getTime() <= now.getTime()) return { kind: 'expire', session };
  if (submitted !== null && !session.awaitingStart) {
    // The next checklist started already: say the tapped one was submitted, then ask what is open now.
    const replies = [promptAfter(toState(session), tasks, messagesEn, submitted)];
    return { kind: 'reply', sessionId: session.id, replies, oncePerDay: false };
  }
  const result = transitionInContext(toState(session), tasks, event, {
    sessionStartedAt: session.createdAt,
    readableFrom: readableFrom(
      read.questionSentAt,
      read.afterOtherMessage === true ? readMarginSeconds * AFTER_OTHER_MESSAGE_FACTOR : readMarginSeconds,
    ),
    quoted: read.quoted,
    names: read.startNames ?? null,
  });
  return { kind: 'transition', session, tasks, result, completed: result.effect === 'completed' };
}

/** Which photos the caller keeps or deletes once the plan is committed. */
export const outcomeOfPlan = (plan: ApplyPlan, event: InboundEvent): InboundOutcome =>
  plan.kind === 'transition' ? outcomeOf(event, plan.result) : { photoKept: false };
