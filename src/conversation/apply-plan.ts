import { firstQuestion, transition } from './conversation-machine.js';
import type { InboundEvent, Reply, Task, TransitionResult } from './conversation-types.js';
import { outcomeOf, sentBeforeSession, type InboundOutcome } from './inbound-outcome.js';
import { messagesEn } from './messages.en.js';
import { toState, type SessionRow } from './session-repository.js';

/** What the locked read found for one message: the sender's active session (locked) and its tasks. */
export interface ApplyRead {
  /** The operator the sender is (null: a number we do not know). */
  operatorId: number | null;
  session: SessionRow | null;
  tasks: Task[];
  /** How the sender's latest session ended in the last 24 hours; read only when none is active. */
  recentlyEnded: string | null;
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

export function planInbound(read: ApplyRead, event: InboundEvent, now: Date): ApplyPlan {
  const { session, tasks } = read;
  if (!session) {
    const unknown = read.operatorId === null;
    const body = unknown
      ? messagesEn.unknownNumber()
      : read.recentlyEnded === 'expired'
        ? messagesEn.expiredNoSession()
        : messagesEn.noActiveSession();
    return { kind: 'reply', sessionId: null, replies: [{ kind: 'text', body }], oncePerDay: unknown };
  }
  if (session.expiresAt.getTime() <= now.getTime()) return { kind: 'expire', session };
  if (sentBeforeSession(event, session.createdAt)) {
    // Typed for the checklist that just ended (reply buttons carry their session; text does not).
    const [prompt] = firstQuestion(toState(session), tasks);
    const replies = prompt ? [{ ...prompt, body: `${messagesEn.forPreviousChecklist()}\n\n${prompt.body}` }] : [];
    return { kind: 'reply', sessionId: session.id, replies, oncePerDay: false };
  }
  const result = transition(toState(session), tasks, event);
  return { kind: 'transition', session, tasks, result, completed: result.effect === 'completed' };
}

/** Which photos the caller keeps or deletes once the plan is committed. */
export const outcomeOfPlan = (plan: ApplyPlan, event: InboundEvent): InboundOutcome =>
  plan.kind === 'transition' ? outcomeOf(event, plan.result) : { photoKept: false };
