// How typed text, a photo or an answer button completes the current question.
import type { Answer, AnswerStatus, SessionState, Task, TransitionResult } from './conversation-types.js';
import type { Messages } from './messages.en.js';
import { cleanRemarks, isConfirm, parseAnswer, type ParsedAnswer } from './parse-answer.js';
import { join, prompt, promptAfter, reply, taskAt, text } from './prompts.js';

/**
 * The photo an answer without a photo of its own takes: the pending photo, else the photo of the answer
 * it replaces (a question reopened by EDIT n or BACK), so correcting a remark needs no new photo.
 */
const photoAtHand = (state: SessionState): string | null =>
  state.pendingPhoto ?? state.answers.find((a) => a.taskIndex === state.currentTaskIndex)?.photo ?? null;

/** True once every task has an answer: the summary was reached, and a question may be open again (EDIT n, BACK). */
export const everyTaskAnswered = (state: SessionState): boolean =>
  new Set(state.answers.map((a) => a.taskIndex)).size >= state.totalTasks;

/** Submits the answers as they stand (at the summary, or on a reopened question with no new answer under way). */
export const complete = (state: SessionState, m: Messages): TransitionResult => ({
  state: { ...state, status: 'completed', editing: false },
  replies: [text(m.completed())],
  effect: 'completed',
});

/**
 * CONFIRM on a question reopened by EDIT n or BACK: the answers are submitted as they stand, unless a
 * new answer is under way (a NOT OK waiting for its note, a photo waiting for its answer), which would
 * be dropped without a word: a NOT OK lost that way sends no alert.
 */
export function confirmReopened(state: SessionState, tasks: Task[], m: Messages): TransitionResult {
  if (state.awaitingNote || state.pendingPhoto !== null) {
    return reply(state, promptAfter(state, tasks, m, m.newAnswerUnfinished(state.currentTaskIndex + 1)));
  }
  return complete(state, m);
}

/** Typed text that is not a command, while a question is open. */
export function answerText(state: SessionState, tasks: Task[], body: string, at: Date, m: Messages): TransitionResult {
  const parsed = parseAnswer(body);
  if (parsed !== null) return answerWith(state, tasks, parsed, photoAtHand(state), at, m);
  if (isConfirm(body))
    return everyTaskAnswered(state)
      ? confirmReopened(state, tasks, m)
      : reply(state, promptAfter(state, tasks, m, m.confirmTooEarly()));
  if (!state.awaitingNote) return reply(state, promptAfter(state, tasks, m, m.invalidAnswer(body)));

  // After a NOT OK tap, any other text is the note.
  const remarks = cleanRemarks(body);
  if (remarks === null) return reply(state, prompt(state, tasks, m));
  const task = taskAt(tasks, state.currentTaskIndex);
  const photo = photoAtHand(state);
  if (task.requiresPhoto && photo === null) return reply(state, text(m.notePhotoRequired()));
  return storeAnswer(state, tasks, { status: 'NOT_OK', remarks }, photo, at, m);
}

/** A photo while a question is open. */
export function answerImage(
  state: SessionState,
  tasks: Task[],
  photo: string,
  caption: string | null,
  at: Date,
  m: Messages,
): TransitionResult {
  const trimmed = caption?.trim() ?? '';
  const parsed = trimmed === '' ? null : parseAnswer(trimmed);
  // Option A: the caption is the answer, so this photo wins over any earlier pending one.
  if (parsed !== null) return storeAnswer(state, tasks, parsed, photo, at, m);
  // After a NOT OK tap the photo completes the answer; its caption (if any) is the note.
  if (state.awaitingNote)
    return storeAnswer(state, tasks, { status: 'NOT_OK', remarks: cleanRemarks(trimmed) }, photo, at, m);

  // Option B: keep the photo until the answer arrives.
  const previous = state.pendingPhoto;
  const ack = previous === null ? m.photoReceived() : m.photoReplaced();
  return {
    state: { ...state, pendingPhoto: photo },
    replies: [text(trimmed === '' ? ack : join(ack, m.formatHint()))],
    effect: 'none',
    ...(previous === null ? {} : { discardedPhoto: previous }),
  };
}

/** A tap on one of the current question's answer buttons. */
export function answerTapped(
  state: SessionState,
  tasks: Task[],
  status: AnswerStatus,
  at: Date,
  m: Messages,
): TransitionResult {
  if (status === 'NOT_OK') return reply({ ...state, awaitingNote: true }, text(m.notOkAskNote()));
  return answerWith(state, tasks, { status, remarks: null }, photoAtHand(state), at, m);
}

function answerWith(
  state: SessionState,
  tasks: Task[],
  parsed: ParsedAnswer,
  photo: string | null,
  at: Date,
  m: Messages,
): TransitionResult {
  if (taskAt(tasks, state.currentTaskIndex).requiresPhoto && photo === null) {
    // A full answer replaces a pending NOT OK tap, even when it cannot be stored yet.
    const next = { ...state, awaitingNote: false };
    return reply(next, promptAfter(next, tasks, m, m.photoRequired()));
  }
  return storeAnswer(state, tasks, parsed, photo, at, m);
}

function storeAnswer(
  state: SessionState,
  tasks: Task[],
  parsed: ParsedAnswer,
  photo: string | null,
  at: Date,
  m: Messages,
): TransitionResult {
  const taskIndex = state.currentTaskIndex;
  const answer: Answer = {
    taskIndex,
    taskId: taskAt(tasks, taskIndex).id,
    status: parsed.status,
    remarks: parsed.remarks,
    photo,
    answeredAt: at.toISOString(),
  };
  const replaced = state.answers.find((a) => a.taskIndex === taskIndex);
  const answers = [...state.answers.filter((a) => a.taskIndex !== taskIndex), answer].sort(
    (a, b) => a.taskIndex - b.taskIndex,
  );
  const next: SessionState = {
    ...state,
    // An answer reopened with EDIT n goes straight back to the summary.
    currentTaskIndex: state.editing ? state.totalTasks : taskIndex + 1,
    answers,
    pendingPhoto: null,
    awaitingNote: false,
    editing: false,
  };
  // Files nothing refers to once this commits: a pending photo the answer did not take, and the photo of
  // the answer it replaced. Both at once only when a captioned photo follows a pending one on a reopened
  // question; the result carries one name, so the replaced answer's file is then left behind.
  const unused = [state.pendingPhoto, replaced?.photo ?? null].filter((p): p is string => p !== null && p !== photo);
  return {
    state: next,
    replies: [prompt(next, tasks, m)],
    effect: 'answered',
    answer,
    ...(unused[0] === undefined ? {} : { discardedPhoto: unused[0] }),
  };
}
