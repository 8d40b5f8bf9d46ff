// Reply-button and list-row ids carry the session and the question, so a tap on an old message is recognised as stale.
import type { OutboxItem } from '../outbox/outbox-messages.js';
import type { Answer, AnswerStatus, ListRow, Reply, ReplyButton, Task } from './conversation-types.js';
import { allowsNa, typeOf } from './task-definitions.js';
import type { Messages } from './messages.en.js';
import { cutWithEllipsis, flatten } from './single-line.js';

export const MAX_BUTTON_ID_LENGTH = 256;
export const MAX_BUTTON_TITLE_LENGTH = 20;
// Meta's list message: at most 10 rows in all; its button label 20 characters, a section title 24,
// a row id 200 (not a button's 256), a row title 24 and a row description 72.
export const MAX_LIST_ROWS = 10;
export const MAX_ROW_ID_LENGTH = 200;
export const MAX_LIST_BUTTON_LENGTH = 20;
export const MAX_SECTION_TITLE_LENGTH = 24;
export const MAX_ROW_TITLE_LENGTH = 24;
export const MAX_ROW_DESCRIPTION_LENGTH = 72;

export type SummaryAction = 'CONFIRM' | 'EDIT';

export type ButtonAction =
  | { kind: 'answer'; sessionId: string; taskIndex: number; status: AnswerStatus }
  | { kind: 'summary'; sessionId: string; action: SummaryAction }
  | { kind: 'start'; sessionId: string }
  /** A row of the list the Edit button opens: does what EDIT n does, n = taskIndex + 1. */
  | { kind: 'edit'; sessionId: string; taskIndex: number }
  /** A choice question's option (a button or a list row), by its stable key. */
  | { kind: 'option'; sessionId: string; taskIndex: number; key: string };

const ANSWER_ID = /^ans:(.+):(\d{1,9}):(OK|NOT_OK|NA)$/s;
const SUMMARY_ID = /^sum:(.+):(CONFIRM|EDIT)$/s;
const START_ID = /^start:(.+)$/s;
const EDIT_ID = /^edit:(.+):(\d{1,9})$/s;
const OPTION_ID = /^opt:(.+):(\d{1,9}):([A-Za-z0-9_-]{1,32})$/s;

/** The id of a choice's option button or list row. */
export const optionId = (sessionId: string, taskIndex: number, key: string): string =>
  checkedId(sessionId, `opt:${sessionId}:${checkedIndex(taskIndex)}:${key}`, MAX_ROW_ID_LENGTH);

// An id Meta would refuse is our bug (a session id that is not a uuid), so fail loudly rather than send it.
const checkedId = (sessionId: string, id: string, max = MAX_BUTTON_ID_LENGTH): string => {
  if (sessionId === '') throw new Error('A button id needs a session id');
  if (id.length > max) throw new Error(`Button id longer than ${max}: ${id}`);
  return id;
};

const checkedIndex = (taskIndex: number): number => {
  if (!Number.isInteger(taskIndex) || taskIndex < 0) throw new Error(`Invalid task index ${taskIndex}`);
  return taskIndex;
};

export const answerButtonId = (sessionId: string, taskIndex: number, status: AnswerStatus): string =>
  checkedId(sessionId, `ans:${sessionId}:${checkedIndex(taskIndex)}:${status}`);

/** The id of the Edit list's row for task `taskIndex` (0-based). */
export const editRowId = (sessionId: string, taskIndex: number): string =>
  checkedId(sessionId, `edit:${sessionId}:${checkedIndex(taskIndex)}`, MAX_ROW_ID_LENGTH);

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
  const option = OPTION_ID.exec(id);
  if (option !== null) {
    const [, sessionId = '', index = '', key = ''] = option;
    return { kind: 'option', sessionId, taskIndex: Number(index), key };
  }
  const edit = EDIT_ID.exec(id);
  if (edit !== null) {
    const [, sessionId = '', index = ''] = edit;
    return { kind: 'edit', sessionId, taskIndex: Number(index) };
  }
  return null;
}

/**
 * The question a reply asks, read from its buttons' ids: an answer button names its task, the summary's buttons
 * ask "question" `totalTasks` (the current index while the summary waits). Null for any other reply.
 */
export function questionAsked(reply: OutboxItem, totalTasks: number): number | null {
  if (reply.kind === 'text' && reply.asks !== undefined) return reply.asks;
  // A choice's list asks its question; the Edit list asks none.
  const first = reply.kind === 'buttons' ? reply.buttons[0] : reply.kind === 'list' ? reply.rows[0] : undefined;
  const action = parseButtonId(first?.id ?? '');
  if (action?.kind === 'answer' || action?.kind === 'option') return action.taskIndex;
  if (reply.kind !== 'buttons') return null;
  return action?.kind === 'summary' ? totalTasks : null;
}

const button = (id: string, title: string): ReplyButton => {
  if (title.length > MAX_BUTTON_TITLE_LENGTH)
    throw new Error(`Button title longer than ${MAX_BUTTON_TITLE_LENGTH}: ${title}`);
  return { id, title };
};

const ANSWER_ORDER: readonly AnswerStatus[] = ['OK', 'NOT_OK', 'NA'];
const SUMMARY_ORDER: readonly SummaryAction[] = ['CONFIRM', 'EDIT'];

export const answerButtons = (sessionId: string, taskIndex: number, m: Messages): ReplyButton[] =>
  ANSWER_ORDER.map((status) => button(answerButtonId(sessionId, taskIndex, status), m.buttonTitles[status]));

export const summaryButtons = (sessionId: string, m: Messages): ReplyButton[] =>
  SUMMARY_ORDER.map((action) => button(summaryButtonId(sessionId, action), m.buttonTitles[action]));

/**
 * One line of at most `max` UTF-16 units, cut with "…" between visible characters (never inside an emoji). Within `max`
 * units it is also within `max` code points, so it fits Meta's limit however Meta counts an emoji. Never empty.
 */
export function fitLine(text: string, max: number): string {
  const flat = flatten(text);
  if (flat.length <= max) return flat === '' ? '-' : flat;
  return cutWithEllipsis(flat.slice(0, max), max, (g) => g.length);
}

/** A label we wrote ourselves: one over Meta's limit is our bug, so fail loudly rather than send it. */
export const checkedLabel = (label: string, max: number): string => {
  if (label.length > max || label.trim() === '') throw new Error(`List label empty or longer than ${max}: ${label}`);
  return label;
};

/** The Edit list's rows, one per task: "n. task" and the current answer, cut to Meta's limits. */
export const editListRows = (sessionId: string, tasks: Task[], answers: Answer[], m: Messages): ListRow[] =>
  tasks.map((task, i) => ({
    id: editRowId(sessionId, i),
    title: fitLine(m.editRowTitle(i + 1, task.text), MAX_ROW_TITLE_LENGTH),
    description: fitLine(
      m.editRowDescription(
        i + 1,
        task,
        answers.find((a) => a.taskIndex === i),
      ),
      MAX_ROW_DESCRIPTION_LENGTH,
    ),
  }));

/**
 * A question's reply: a check's OK / NOT OK / N/A buttons; a number's or text's N/A button (a plain text that
 * still names its question when NA is not allowed); a choice's options as buttons when they and N/A fit in
 * three, else as a list where N/A takes a row (Meta: 3 buttons, 10 rows).
 */
export function questionReply(sessionId: string, taskIndex: number, task: Task, body: string, m: Messages): Reply {
  const type = typeOf(task);
  if (type === 'check') return { kind: 'buttons', body, buttons: answerButtons(sessionId, taskIndex, m) };
  const na = allowsNa(task) ? [button(answerButtonId(sessionId, taskIndex, 'NA'), m.buttonTitles.NA)] : [];
  if (type !== 'choice')
    return na.length > 0 ? { kind: 'buttons', body, buttons: na } : { kind: 'text', body, asks: taskIndex };
  const options = task.options ?? [];
  if (options.length + na.length <= 3)
    return {
      kind: 'buttons',
      body,
      buttons: [
        ...options.map((o) => button(optionId(sessionId, taskIndex, o.key), fitLine(o.label, MAX_BUTTON_TITLE_LENGTH))),
        ...na,
      ],
    };
  const rows: ListRow[] = options.map((o, i) => ({
    id: optionId(sessionId, taskIndex, o.key),
    title: fitLine(o.label, MAX_ROW_TITLE_LENGTH),
    description: `${i + 1}`,
  }));
  if (na.length > 0)
    rows.push({
      id: answerButtonId(sessionId, taskIndex, 'NA'),
      title: m.buttonTitles.NA,
      description: 'Not applicable',
    });
  return {
    kind: 'list',
    body,
    button: checkedLabel(m.choiceList.button, MAX_LIST_BUTTON_LENGTH),
    section: checkedLabel(m.choiceList.section, MAX_SECTION_TITLE_LENGTH),
    rows: rows.slice(0, MAX_LIST_ROWS),
  };
}
