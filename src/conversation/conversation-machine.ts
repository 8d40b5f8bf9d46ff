// The pure conversation state machine: (state, tasks, event) -> new state, replies, effect. No I/O, no clock.
import {
  addToAnswer,
  albumAnswer,
  answerImage,
  answerOption,
  answerTapped,
  answerText,
  complete,
  confirmReopened,
  endAlbum,
  everyTaskAnswered,
} from './answer-steps.js';
import { parseButtonId } from './buttons.js';
import { emptyDraft } from './draft.js';
import { howToChange, parseCommand, runCommand } from './commands.js';
import type {
  ChecklistNames,
  InboundEvent,
  Reply,
  SessionState,
  Task,
  TransitionResult,
} from './conversation-types.js';
import { messagesEn, type Messages } from './messages.en.js';
import { isConfirm } from './parse-answer.js';
import { confirmReminder, discardImage, editChoice, isAtSummary, prompt, promptAfter, reply, text } from './prompts.js';

/** A session's state on the moment it starts, before any answer (an assignment's or a rework's). */
export const newSessionState = (sessionId: string, totalTasks: number): SessionState => ({
  sessionId,
  status: 'active',
  currentTaskIndex: 0,
  totalTasks,
  answers: [],
  draft: emptyDraft,
  awaitingStart: false,
  editing: false,
});

/**
 * What the operator is asked right now (Question 1 when a session starts). With `names`, Question 1
 * names the checklist and the machine: the operator may have just finished another one.
 */
export function firstQuestion(
  state: SessionState,
  tasks: Task[],
  names: ChecklistNames | null = null,
  messages: Messages = messagesEn,
): Reply[] {
  return [prompt(state, tasks, messages, names)];
}

/**
 * `names`: the checklist's and machine's, named under Question 1 when it answers the operator's reply to
 * the start template. The apply gives them only with a due time (the template named both, not when it is
 * due); without them that Question 1 has no names line.
 */
export function transition(
  state: SessionState,
  tasks: Task[],
  event: InboundEvent,
  messages: Messages = messagesEn,
  names: ChecklistNames | null = null,
): TransitionResult {
  const m = messages;
  // A reaction means something only to the current question (answer-context.ts turns that one into a tap).
  if (event.kind === 'reaction') return { state, replies: [], effect: 'none' };
  if (state.status !== 'active') return { ...reply(state, text(m.noActiveSession())), ...discardImage(event) };
  if (state.awaitingStart) {
    // They have not seen Question 1 yet, so whatever they sent is only the sign to start.
    const next = { ...state, awaitingStart: false };
    return { state: next, replies: firstQuestion(next, tasks, names, m), effect: 'none', ...discardImage(event) };
  }
  // A double tap's second tap: the answer is what it says already, and a reply would only repeat the question.
  if (event.kind === 'button' && isRepeatTap(state, event)) return { state, replies: [], effect: 'none' };
  if (event.kind === 'image') {
    // A later photo of an album goes with the answer its first photo completed.
    const album = albumAnswer(state, event.at);
    if (album !== undefined) return addToAnswer(state, tasks, album, event.photo, m);
  }
  return onEvent(endAlbum(state), tasks, event, m);
}

/**
 * How long after an answer a second tap on the same button of that question is a repeat (a glove, a slow
 * phone: two taps 0.2 s apart), not a request to change it. Meta's timestamps are whole seconds, so the two
 * taps may lie a second apart; 10 s leaves room for a phone that sends the second tap late, and is shorter
 * than reading the next question, changing one's mind and scrolling back to tap again (that tap is answered
 * with how to change the answer, as before).
 */
export const REPEAT_TAP_WINDOW_MS = 10_000;

/**
 * A tap on an answered question's button (not the question open now) that gives the answer it has (the same
 * status, the same option), sent within REPEAT_TAP_WINDOW_MS of that answer.
 */
function isRepeatTap(state: SessionState, event: Extract<InboundEvent, { kind: 'button' }>): boolean {
  const action = parseButtonId(event.id);
  if (action === null || action.sessionId !== state.sessionId) return false;
  if (action.kind !== 'answer' && action.kind !== 'option') return false;
  // The open question's buttons answer it (a NOT OK tapped twice asks for its note again).
  if (action.taskIndex === state.currentTaskIndex) return false;
  const answer = state.answers.find((a) => a.taskIndex === action.taskIndex);
  if (answer === undefined) return false;
  const same = action.kind === 'answer' ? answer.status === action.status : answer.optionKey === action.key;
  return same && Math.abs(event.at.getTime() - Date.parse(answer.answeredAt)) <= REPEAT_TAP_WINDOW_MS;
}

function onEvent(state: SessionState, tasks: Task[], event: InboundEvent, m: Messages): TransitionResult {
  switch (event.kind) {
    case 'text':
      return onText(state, tasks, event.body, event.at, m);
    case 'button':
      return onButton(state, tasks, event, m);
    case 'image': {
      if (isAtSummary(state)) {
        return {
          ...reply(state, confirmReminder(state, tasks, m, m.photoAtSummary())),
          discardedPhotos: [event.photo],
        };
      }
      return answerImage(state, tasks, event.photo, event.caption, event.at, m);
    }
    case 'reaction':
      return { state, replies: [], effect: 'none' };
    case 'photoFailed':
      return reply(state, promptAfter(state, tasks, m, m.photoFailed()));
    case 'unsupported':
      return reply(
        state,
        isAtSummary(state)
          ? confirmReminder(state, tasks, m, m.unsupportedType())
          : promptAfter(state, tasks, m, m.unsupportedType()),
      );
  }
}

function onText(state: SessionState, tasks: Task[], body: string, at: Date, m: Messages): TransitionResult {
  const command = parseCommand(body);
  if (command !== null) return runCommand(state, tasks, command, m);
  if (!isAtSummary(state)) return answerText(state, tasks, body, at, m);
  if (isConfirm(body)) return complete(state, m);
  return reply(state, confirmReminder(state, tasks, m));
}

function onButton(
  state: SessionState,
  tasks: Task[],
  event: Extract<InboundEvent, { kind: 'button' }>,
  m: Messages,
): TransitionResult {
  const action = parseButtonId(event.id);
  if (action === null) return onText(state, tasks, event.title, event.at, m);
  const ours = action.sessionId === state.sessionId;
  const atSummary = isAtSummary(state);
  if (action.kind === 'answer' && ours && !atSummary && action.taskIndex === state.currentTaskIndex) {
    return answerTapped(state, tasks, action.status, event.at, m);
  }
  if (action.kind === 'option' && ours && !atSummary && action.taskIndex === state.currentTaskIndex) {
    return answerOption(state, tasks, action.key, event.at, m);
  }
  // Confirm also works on a question reopened by EDIT n or BACK: every task has its answer already.
  if (action.kind === 'summary' && ours && action.action === 'CONFIRM' && atSummary) return complete(state, m);
  if (action.kind === 'summary' && ours && action.action === 'CONFIRM' && everyTaskAnswered(state))
    return confirmReopened(state, m);
  if (action.kind === 'summary' && ours && atSummary) return reply(state, editChoice(state, tasks, m));
  // A row of the Edit list does what EDIT n does, only at the summary the list was sent from.
  if (action.kind === 'edit' && ours && atSummary && action.taskIndex < state.totalTasks) {
    return runCommand(state, tasks, { kind: 'edit', n: action.taskIndex + 1 }, m);
  }
  // An answered question's button: how to change that answer (EDIT n, the Edit list).
  if (
    (action.kind === 'answer' || action.kind === 'option') &&
    ours &&
    state.answers.some((a) => a.taskIndex === action.taskIndex)
  )
    return reply(state, howToChange(state, tasks, action.taskIndex + 1, m));
  // An older session's or unanswered question's button or list row, or a start button once started.
  return reply(state, promptAfter(state, tasks, m, m.staleButton()));
}
