// The current question's answer under way (docs/decisions/0010-answer-draft.md): what is still missing.
import type { Answer, Draft, SessionState, Task } from './conversation-types.js';
import type { Messages } from './messages.en.js';

/** Photos kept per answer: the first in the answer's photo column, the others in their own table. */
export const MAX_PHOTOS = 5;

export const emptyDraft: Draft = { status: null, remarks: null, remarksFromCaption: false, photos: [] };

/** Every photo of an answer, first one first (an answer stored before drafts has only `photo`). */
export const photosOf = (answer: Answer | undefined): string[] =>
  answer === undefined ? [] : (answer.photos ?? (answer.photo === null ? [] : [answer.photo]));

/** The stored answer of the current question, when it is reopened (EDIT n, BACK). */
export const earlierAnswer = (state: SessionState): Answer | undefined =>
  state.answers.find((a) => a.taskIndex === state.currentTaskIndex);

/** A NOT OK without its note: the next text is the note. */
export const awaitingNote = (draft: Draft): boolean => draft.status === 'NOT_OK' && draft.remarks === null;

export type Missing = 'status' | 'note' | 'photo' | null;

/**
 * What the answer still needs: its status; for NOT OK its note; where the task needs one (and the status
 * is not NA), a photo. A reopened question keeps its earlier photos, so correcting a remark needs no new one.
 */
export function missingOf(draft: Draft, task: Task, earlier: Answer | undefined): Missing {
  if (draft.status === null) return 'status';
  if (awaitingNote(draft)) return 'note';
  const hasPhoto = draft.photos.length > 0 || photosOf(earlier).length > 0;
  if (draft.status !== 'NA' && task.requiresPhoto && !hasPhoto) return 'photo';
  return null;
}

/** What the operator is told is still missing, once a status was given (null: nothing, or no status yet). */
export function missingText(draft: Draft, task: Task, earlier: Answer | undefined, m: Messages): string | null {
  const missing = missingOf(draft, task, earlier);
  if (missing === 'note') return draft.photos.length > 0 ? m.photoGotNeedNote() : m.notOkAskNote();
  if (missing === 'photo' && draft.status !== null) return m.answerNeedsPhoto(draft.status, draft.remarks);
  return null;
}

/** An answer under way: a status given (a photo or a caption alone may still belong to another question). */
export const answerUnderWay = (draft: Draft): boolean => draft.status !== null;
