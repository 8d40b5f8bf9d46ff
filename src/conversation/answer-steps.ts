// How typed text, a photo or an answer button builds the current question's answer (its draft),
// stored once complete.
import type { Answer, AnswerStatus, Draft, SessionState, Task, TransitionResult } from './conversation-types.js';
import { awaitingNote, earlierAnswer, emptyDraft, MAX_PHOTOS, missingOf, photosOf } from './draft.js';
import type { Messages } from './messages.en.js';
import { cleanRemarks, isConfirm, parseAnswer } from './parse-answer.js';
import { prompt, promptAfter, reply, taskAt, text } from './prompts.js';
import { singleLine } from './single-line.js';
import { typeOf } from './task-definitions.js';
import { readTyped, tappedOption, type TypedAnswer } from './typed-answer.js';

/**
 * The note a new answer without a remark of its own keeps: a caption's (item 3), or the note of the same
 * status. A note given with another status goes ("NOT OK - leak" then "NA" is not "NA - leak": QA pass).
 */
const keptRemarks = (draft: Draft, status: AnswerStatus): string | null =>
  draft.remarksFromCaption || draft.status === status ? draft.remarks : null;

/** True once every task has an answer: the summary was reached, and a question may be open again (EDIT n, BACK). */
export const everyTaskAnswered = (state: SessionState): boolean =>
  new Set(state.answers.map((a) => a.taskIndex)).size >= state.totalTasks;

/** Submits the answers as they stand; `before`: texts sent first in the same message. */
export const complete = (state: SessionState, m: Messages, ...before: string[]): TransitionResult => ({
  state: { ...state, status: 'completed', editing: false, draft: emptyDraft },
  replies: [text([...before, m.completed()].join('\n\n'))],
  effect: 'completed',
});

/**
 * CONFIRM on a question reopened by EDIT n or BACK: the answers are submitted as they stand. A new answer
 * still under way is not kept, and the operator is told so (its photos are deleted).
 */
export function confirmReopened(state: SessionState, m: Messages): TransitionResult {
  const { draft } = state;
  if (draft.status === null && draft.photos.length === 0) return complete(state, m);
  const hadEarlier = earlierAnswer(state) !== undefined;
  const done = complete(state, m, m.unfinishedNotKept(state.currentTaskIndex + 1, hadEarlier));
  return draft.photos.length === 0 ? done : { ...done, discardedPhotos: draft.photos };
}

/** A letter or a digit, in any script: a note has at least one. */
const HAS_WORD = /[\p{L}\p{N}]/u;

/** Typed text that is not a command, while a question is open. */
export function answerText(state: SessionState, tasks: Task[], body: string, at: Date, m: Messages): TransitionResult {
  if (isConfirm(body))
    return everyTaskAnswered(state)
      ? confirmReopened(state, m)
      : reply(state, promptAfter(state, tasks, m, m.confirmTooEarly()));
  const { draft } = state;
  const parsed = parseAnswer(body);
  if (awaitingNote(draft)) {
    // After NOT OK the next text is the note, whatever word it starts with ("na chal raha motor");
    // only a repeated "NOT OK - note" gives its note without the keyword.
    const note = parsed?.status === 'NOT_OK' ? parsed.remarks : cleanRemarks(body);
    if (note === null) return reply(state, prompt(state, tasks, m));
    // A thumbs-up or "..." after NOT OK is no note: nothing for the manager or the action to act on (QA pass).
    if (!HAS_WORD.test(note)) return reply(state, promptAfter(state, tasks, m, m.noteNeedsWords()));
    return advance(state, tasks, { ...draft, remarks: note, remarksFromCaption: false }, at, m);
  }
  const task = taskAt(tasks, state.currentTaskIndex);
  if (typeOf(task) !== 'check') return answerTyped(state, tasks, task, body, at, m);
  if (parsed === null) {
    if (draft.status !== null) return reply(state, prompt(state, tasks, m));
    return reply(state, promptAfter(state, tasks, m, m.invalidAnswer(body)));
  }
  // The answer's own remark wins; without one it keeps the note given so far (a caption, an earlier note).
  const remarks = parsed.remarks ?? keptRemarks(draft, parsed.status);
  const fromCaption = parsed.remarks === null && draft.remarksFromCaption;
  return advance(state, tasks, { ...draft, status: parsed.status, remarks, remarksFromCaption: fromCaption }, at, m);
}

/** Text on a number, choice or text question: its value, NA, or a re-ask that saves nothing. */
function answerTyped(state: SessionState, tasks: Task[], task: Task, body: string, at: Date, m: Messages) {
  const read = readTyped(task, body);
  if (read === 'na_not_allowed') return reply(state, promptAfter(state, tasks, m, m.naNotAllowed()));
  if (read === null) {
    const shown = singleLine(body, 40);
    const why =
      typeOf(task) === 'number'
        ? m.notANumber(shown, task)
        : typeOf(task) === 'choice'
          ? m.notAnOption(shown, task)
          : m.emptyText();
    return reply(state, promptAfter(state, tasks, m, why));
  }
  return advanceTyped(state, tasks, task, read, at, m);
}

/** A typed answer (typed, tapped or a caption) into the draft; an out-of-range reading says which limit it broke. */
function advanceTyped(
  state: SessionState,
  tasks: Task[],
  task: Task,
  read: TypedAnswer,
  at: Date,
  m: Messages,
  photos: string[] = state.draft.photos,
  byPhoto = false,
) {
  const { draft } = state;
  const remarks = read.remarks ?? keptRemarks(draft, read.status);
  const next: Draft = {
    ...draft,
    photos,
    status: read.status,
    remarks,
    remarksFromCaption: read.remarks === null && draft.remarksFromCaption,
    value: read.value,
    optionKey: read.optionKey,
  };
  const notice = read.outOfRange
    ? [m.outOfRange(read.value ?? '', task, read.outOfRange.side, read.outOfRange.limit)]
    : [];
  return advance(state, tasks, next, at, m, byPhoto, notice);
}

/** A tap on a choice's option (a button or a list row). */
export function answerOption(state: SessionState, tasks: Task[], key: string, at: Date, m: Messages) {
  const task = taskAt(tasks, state.currentTaskIndex);
  const read = tappedOption(task, key);
  if (read === undefined) return reply(state, promptAfter(state, tasks, m, m.staleButton()));
  return advanceTyped(state, tasks, task, read, at, m);
}

/** A tap on one of the current question's answer buttons: the status; the note and photos given stay. */
export function answerTapped(
  state: SessionState,
  tasks: Task[],
  status: AnswerStatus,
  at: Date,
  m: Messages,
): TransitionResult {
  // A typed question's only status button is N/A: it drops a value given before.
  const typed = typeOf(taskAt(tasks, state.currentTaskIndex)) !== 'check';
  return advance(state, tasks, { ...state.draft, status, ...(typed ? { value: null, optionKey: null } : {}) }, at, m);
}

/** A photo while a question is open: kept with the answer under way (up to MAX_PHOTOS). */
export function answerImage(
  state: SessionState,
  tasks: Task[],
  photo: string,
  caption: string | null,
  at: Date,
  m: Messages,
): TransitionResult {
  const { draft } = state;
  if (draft.photos.length >= MAX_PHOTOS) {
    return { ...reply(state, promptAfter(state, tasks, m, m.tooManyPhotos(MAX_PHOTOS))), discardedPhotos: [photo] };
  }
  const photos = [...draft.photos, photo];
  const trimmed = caption?.trim() ?? '';
  const parsed = trimmed === '' ? null : parseAnswer(trimmed);
  const task = taskAt(tasks, state.currentTaskIndex);
  if (typeOf(task) !== 'check' && !awaitingNote(draft)) {
    // A caption that reads as the typed answer is the answer; any other caption is a note, as for a check.
    const read = trimmed === '' ? null : readTyped(task, trimmed);
    if (read !== null && read !== 'na_not_allowed') return advanceTyped(state, tasks, task, read, at, m, photos, true);
    return advance(state, tasks, withCaptionNote({ ...draft, photos }, cleanRemarks(trimmed)), at, m, true);
  }
  if (awaitingNote(draft)) {
    // As with text, a caption after NOT OK is its note whatever word it starts with.
    const note = parsed?.status === 'NOT_OK' ? parsed.remarks : cleanRemarks(trimmed);
    return advance(state, tasks, { ...draft, photos, remarks: note }, at, m, true);
  }
  if (parsed !== null) {
    const remarks = parsed.remarks ?? keptRemarks(draft, parsed.status);
    const fromCaption = parsed.remarks === null && draft.remarksFromCaption;
    return advance(
      state,
      tasks,
      { status: parsed.status, remarks, remarksFromCaption: fromCaption, photos },
      at,
      m,
      true,
    );
  }
  return advance(state, tasks, withCaptionNote({ ...draft, photos }, cleanRemarks(trimmed)), at, m, true);
}

/**
 * A caption that is no answer is a note: the NOT OK's note when one is awaited, else the remark of the
 * answer that follows (unless that answer brings its own). A second such caption is added to the first.
 */
function withCaptionNote(draft: Draft, note: string | null): Draft {
  if (note === null) return draft;
  if (draft.remarks === null) return { ...draft, remarks: note, remarksFromCaption: draft.status === null };
  return { ...draft, remarks: cleanRemarks(`${draft.remarks}; ${note}`) };
}

/** Stores the draft once complete; otherwise keeps it and says what is still missing. */
function advance(
  state: SessionState,
  tasks: Task[],
  draft: Draft,
  at: Date,
  m: Messages,
  byPhoto = false,
  before: string[] = [],
): TransitionResult {
  const task = taskAt(tasks, state.currentTaskIndex);
  const missing = missingOf(draft, task, earlierAnswer(state));
  if (missing === null) {
    const stored = storeAnswer(state, tasks, draft, at, m, byPhoto);
    return before.length === 0 ? stored : { ...stored, replies: [promptAfter(stored.state, tasks, m, ...before)] };
  }
  const next = { ...state, draft };
  // Only a photo leaves the status missing (text and taps give one): say it is kept.
  if (missing === 'status') return reply(next, text(m.photosReceived(draft.photos.length, draft.remarks !== null)));
  return reply(next, before.length === 0 ? prompt(next, tasks, m) : promptAfter(next, tasks, m, ...before));
}

function storeAnswer(
  state: SessionState,
  tasks: Task[],
  draft: Draft,
  at: Date,
  m: Messages,
  byPhoto: boolean,
): TransitionResult {
  const taskIndex = state.currentTaskIndex;
  const replaced = earlierAnswer(state);
  // A reopened question answered without a new photo keeps its earlier photos.
  const photos = draft.photos.length > 0 ? draft.photos : photosOf(replaced);
  const answer: Answer = {
    taskIndex,
    taskId: taskAt(tasks, taskIndex).id,
    status: draft.status ?? 'OK',
    remarks: draft.remarks,
    photo: photos[0] ?? null,
    photos,
    answeredAt: at.toISOString(),
    ...(draft.value != null && draft.status !== 'NA' ? { value: draft.value } : {}),
    ...(draft.optionKey != null && draft.status !== 'NA' ? { optionKey: draft.optionKey } : {}),
  };
  const answers = [...state.answers.filter((a) => a.taskIndex !== taskIndex), answer].sort(
    (a, b) => a.taskIndex - b.taskIndex,
  );
  const next: SessionState = {
    ...state,
    // An answer reopened with EDIT n goes straight back to the summary.
    currentTaskIndex: state.editing ? state.totalTasks : taskIndex + 1,
    answers,
    // A photo completed it: the album's later photos, sent in the same second, are still to come.
    draft: byPhoto ? { ...emptyDraft, albumOf: { taskIndex, sentAt: answer.answeredAt } } : emptyDraft,
    editing: false,
  };
  // The replaced answer's photos that the new answer does not keep: nothing refers to them once this commits.
  const unused = photosOf(replaced).filter((p) => !photos.includes(p));
  return {
    state: next,
    replies: [prompt(next, tasks, m)],
    effect: 'answered',
    answer,
    ...(unused.length === 0 ? {} : { discardedPhotos: unused }),
  };
}

/**
 * The answer a photo belongs to when it came with the photo that completed that answer (an album, or
 * photos sent in one go): sent in the same second (Meta's timestamps are whole seconds), while nothing
 * was given yet for the current question, and the answer has room for another photo.
 */
export function albumAnswer(state: SessionState, at: Date): Answer | undefined {
  const { albumOf, status, photos } = state.draft;
  if (albumOf === undefined || status !== null || photos.length > 0) return undefined;
  const second = (t: number) => Math.floor(t / 1000);
  if (second(at.getTime()) > second(new Date(albumOf.sentAt).getTime())) return undefined;
  const answer = state.answers.find((a) => a.taskIndex === albumOf.taskIndex);
  return answer !== undefined && photosOf(answer).length < MAX_PHOTOS ? answer : undefined;
}

/** Any message but a photo ends an album: a photo after it belongs to the current question. */
export const endAlbum = (state: SessionState): SessionState => {
  if (state.draft.albumOf === undefined) return state;
  const { albumOf: _ended, ...draft } = state.draft;
  return { ...state, draft };
};

/** Adds an album's later photo to the answer its first photo completed; the conversation stays where it is. */
export function addToAnswer(
  state: SessionState,
  tasks: Task[],
  answer: Answer,
  photo: string,
  m: Messages,
): TransitionResult {
  const photos = [...photosOf(answer), photo];
  const updated: Answer = { ...answer, photo: photos[0] ?? null, photos };
  const answers = state.answers.map((a) => (a.taskIndex === answer.taskIndex ? updated : a));
  const next = { ...state, answers };
  return {
    state: next,
    replies: [text(m.photoAddedTo(answer.taskIndex + 1, photos.length))],
    effect: 'answered',
    answer: updated,
  };
}
