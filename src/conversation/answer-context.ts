// Which question a message answers, from when it was sent and what it quotes (docs/decisions/0007).

import { answerImage, answerTapped, answerText } from './answer-steps.js';
import { parseCommand } from './commands.js';
import { answerUnderWay, emptyDraft, photosOf } from './draft.js';
import { transition } from './conversation-machine.js';
import type {
  Answer,
  ChecklistNames,
  InboundEvent,
  SessionState,
  Task,
  TransitionResult,
} from './conversation-types.js';
import { messagesEn, type Messages } from './messages.en.js';
import { isConfirm, parseAnswer } from './parse-answer.js';
import { typeOf } from './task-definitions.js';
import { discardImage, isAtSummary, promptAfter, reply, taskAt, text } from './prompts.js';

/** One of our messages, found by the wamid a reply quotes or a reaction is for. */
export interface QuotedMessage {
  sessionId: string | null;
  /** The question it asked (the summary: the task count); null for any other message. */
  taskIndex: number | null;
}

/** What the locked read knows about the moment and the quote, besides the session. */
export interface AnswerContext {
  /** When this conversation started: a message sent before it was meant for the checklist before. */
  sessionStartedAt: Date | null;
  /** From when the current question could have been read (readableFrom()); null: not accepted by Meta yet. */
  readableFrom: Date | null;
  /** The message quoted or reacted to, when it is one of ours. */
  quoted: QuotedMessage | null;
  /** The names line under Question 1 when it answers the reply to the start template (null: none). */
  names?: ChecklistNames | null;
}

/** The second in which Meta first accepted the question, plus the reading margin; null while it is unsent. */
export function readableFrom(firstAcceptedAt: Date | null, marginSeconds: number): Date | null {
  if (firstAcceptedAt === null) return null;
  return new Date(Math.floor(firstAcceptedAt.getTime() / 1000) * 1000 + marginSeconds * 1000);
}

const THUMBS_UP = /^\u{1F44D}[\u{1F3FB}-\u{1F3FF}]?$/u;

/** Typed by the operator: a text, or a photo's caption (a photo alone answers nothing). */
const typed = (event: InboundEvent): boolean =>
  event.kind === 'text' || (event.kind === 'image' && (event.caption?.trim() ?? '') !== '');

/**
 * The state machine's step for one message, given when the current question could be read and what the
 * message quotes. Taps name their question and are never refused; so does a reply quoting the current
 * question. Typed text sent before the question could be read was meant for something else.
 */
export function transitionInContext(
  state: SessionState,
  tasks: Task[],
  event: InboundEvent,
  ctx: AnswerContext,
  m: Messages = messagesEn,
): TransitionResult {
  const live = state.status === 'active' && !state.awaitingStart;
  const quoted = live && event.kind !== 'button' ? ctx.quoted : null;
  if (event.kind === 'reaction') {
    const onQuestion = quoted?.sessionId === state.sessionId && quoted.taskIndex === state.currentTaskIndex;
    if (onQuestion && !isAtSummary(state) && THUMBS_UP.test(event.emoji)) {
      // A reading, a choice or a text needs its value: a thumbs-up saves nothing and says what to send instead.
      const task = taskAt(tasks, state.currentTaskIndex);
      if (typeOf(task) !== 'check') return reply(state, text(m.thumbsUpNeedsValue(task)));
      return answerTapped(state, tasks, 'OK', event.at, m);
    }
    return { state, replies: [], effect: 'none' };
  }
  if (quoted?.sessionId != null && quoted.sessionId !== state.sessionId)
    return refuse(state, tasks, event, m.quotedOtherChecklist(), m);
  if (quoted?.sessionId === state.sessionId && quoted.taskIndex !== null) {
    if (quoted.taskIndex === state.currentTaskIndex) return transition(state, tasks, event, m);
    const earlier = state.answers.find((a) => a.taskIndex === quoted.taskIndex);
    if (earlier !== undefined && (event.kind === 'text' || event.kind === 'image') && !isCommand(event))
      return replaceQuoted(state, tasks, earlier, event, m);
  }
  // With an answer under way (after NOT OK, or OK waiting for its photo) the operator has seen the question.
  if (
    live &&
    !answerUnderWay(state.draft) &&
    typed(event) &&
    !navigates(event) &&
    !(ctx.readableFrom !== null && event.at >= ctx.readableFrom)
  ) {
    const started = ctx.sessionStartedAt;
    const beforeStart = started !== null && event.at.getTime() < Math.floor(started.getTime() / 1000) * 1000;
    const photo = event.kind === 'image';
    const line = beforeStart ? m.forPreviousChecklist(photo) : m.sentBeforeQuestion(photo);
    return {
      ...refuse(state, tasks, event, line, m),
      refused: beforeStart ? 'sent_before_checklist' : 'sent_before_question',
    };
  }
  return transition(state, tasks, event, m, ctx.names ?? null);
}

/** STATUS, HELP, BACK, EDIT n: they store nothing, so they need no reading time (CONFIRM does: it submits). */
const navigates = (event: InboundEvent): boolean => event.kind === 'text' && parseCommand(event.body) !== null;

const isCommand = (event: InboundEvent): boolean =>
  event.kind === 'text' && (parseCommand(event.body) !== null || isConfirm(event.body));

/** Nothing is stored: the line, then what the operator is asked now. */
const refuse = (state: SessionState, tasks: Task[], event: InboundEvent, line: string, m: Messages) => ({
  ...reply(state, promptAfter(state, tasks, m, line)),
  ...discardImage(event),
});

/**
 * A reply quoting an answered question replaces that answer; the conversation stays where it was and asks
 * its current prompt again. A photo alone replaces only the answer's photo.
 */
function replaceQuoted(
  state: SessionState,
  tasks: Task[],
  earlier: Answer,
  event: Extract<InboundEvent, { kind: 'text' | 'image' }>,
  m: Messages,
): TransitionResult {
  const index = earlier.taskIndex;
  const reopened: SessionState = {
    ...state,
    currentTaskIndex: index,
    editing: true,
    draft: emptyDraft,
  };
  const photoOnly = event.kind === 'image' && parseAnswer(event.caption?.trim() ?? '') === null;
  const step = photoOnly
    ? null
    : event.kind === 'text'
      ? answerText(reopened, tasks, event.body, event.at, m)
      : answerImage(reopened, tasks, event.photo, event.caption, event.at, m);
  const answer: Answer | undefined = photoOnly
    ? { ...earlier, photo: event.photo, photos: [event.photo], answeredAt: event.at.toISOString() }
    : step?.effect === 'answered'
      ? step.answer
      : undefined;
  if (answer === undefined) return refuse(state, tasks, event, m.quotedNotAnAnswer(index + 1), m);
  const next: SessionState = {
    ...state,
    answers: [...state.answers.filter((a) => a.taskIndex !== index), answer].sort((a, b) => a.taskIndex - b.taskIndex),
  };
  const kept = photosOf(answer);
  const replaced = photosOf(earlier).filter((p) => !kept.includes(p));
  return {
    state: next,
    replies: [promptAfter(next, tasks, m, m.quotedAnswerChanged(index + 1))],
    effect: 'answered',
    answer,
    ...(replaced.length === 0 ? {} : { discardedPhotos: replaced }),
  };
}
