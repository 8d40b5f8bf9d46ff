// Reply-button ids carry the session and the question, so a tap on an old message is recognised as stale.
import type { AnswerStatus, ReplyButton } from './conversation-types.js';
import type { Messages } from './messages.en.js';

export const MAX_BUTTON_ID_LENGTH = 256;
export const MAX_BUTTON_TITLE_LENGTH = 20;

export type SummaryAction = 'CONFIRM' | 'EDIT';

export type ButtonAction =
  | { kind: 'answer'; sessionId: string; taskIndex: number; status: AnswerStatus }
  | { kind: 'summary'; sessionId: string; action: SummaryAction }
  | { kind: 'start'; sessionId: string };

const ANSWER_ID = /^ans:(.+):(\d{1,9}):(OK|NOT_OK|NA)$/s;
const SUMMARY_ID = /^sum:(.+):(CONFIRM|EDIT)$/s;
const START_ID = /^start:(.+)$/s;

// An id Meta would refuse is our bug (a session id that is not a uuid), so fail loudly rather than send it.
const checkedId = (sessionId: string, id: string): string => {
  if (sessionId === '') throw new Error('A button id needs a session id');
  if (id.length > MAX_BUTTON_ID_LENGTH) throw new Error(`Button id longer than ${MAX_BUTTON_ID_LENGTH}: ${id}`);
  return id;
};

export function answerButtonId(sessionId: string, taskIndex: number, status: AnswerStatus): string {
  if (!Number.isInteger(taskIndex) || taskIndex < 0) throw new Error(`Invalid task index ${taskIndex}`);
  return checkedId(sessionId, `ans:${sessionId}:${taskIndex}:${status}`);
}

export const summaryButtonId = (sessionId: string, action: SummaryAction): string =>
  checkedId(sessionId, `sum:${sessionId}:${action}`);

/** The payload of the start template's quick-reply button. */
export const startButtonId = (sessionId: string): string => checkedId(sessionId, `start:${sessionId}`);

/** Reads an id made by the functions above; null for any other id (e.g. a template payload like "Start"). */
export function parseButtonId(id: string): ButtonAction | null {
  const answer = ANSWER_ID.exec(id);
  if (answer !== null) {
    const [, sessionId = '', index = '', status = ''] = answer;
    return { kind: 'answer', sessionId, taskIndex: Number(index), status: status as AnswerStatus };
  }
  const summary = SUMMARY_ID.exec(id);
  if (summary !== null) {
    const [, sessionId = '', action = ''] = summary;
    return { kind: 'summary', sessionId, action: action as SummaryAction };
  }
  const start = START_ID.exec(id);
  if (start !== null) return { kind: 'start', sessionId: start[1] ?? '' };
  return null;
}

const button = (id: string, title: string): ReplyButton => {
  if (title.length > MAX_BUTTON_TITLE_LENGTH) throw new Error(`Button title longer than ${MAX_BUTTON_TITLE_LENGTH}: ${title}`);
  return { id, title };
};

const ANSWER_ORDER: readonly AnswerStatus[] = ['OK', 'NOT_OK', 'NA'];
const SUMMARY_ORDER: readonly SummaryAction[] = ['CONFIRM', 'EDIT'];

export const answerButtons = (sessionId: string, taskIndex: number, m: Messages): ReplyButton[] =>
  ANSWER_ORDER.map((status) => button(answerButtonId(sessionId, taskIndex, status), m.buttonTitles[status]));

export const summaryButtons = (sessionId: string, m: Messages): ReplyButton[] =>
  SUMMARY_ORDER.map((action) => button(summaryButtonId(sessionId, action), m.buttonTitles[action]));
