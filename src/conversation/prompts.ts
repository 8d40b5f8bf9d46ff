// Builds the replies of the state machine: what the operator is asked next, and texts joined before it.
import { singleLine } from './single-line.js';
import {
  MAX_LIST_BUTTON_LENGTH,
  MAX_LIST_ROWS,
  MAX_SECTION_TITLE_LENGTH,
  checkedLabel,
  questionReply,
  editListRows,
  summaryButtons,
} from './buttons.js';
import type {
  ChecklistNames,
  InboundEvent,
  Reply,
  SessionState,
  Task,
  TransitionResult,
} from './conversation-types.js';
import { earlierAnswer, missingText } from './draft.js';
import type { Messages } from './messages.en.js';

export const text = (body: string): Reply => ({ kind: 'text', body });
export const join = (...parts: string[]): string => parts.join('\n\n');

export const isAtSummary = (state: SessionState): boolean => state.currentTaskIndex >= state.totalTasks;

export const taskAt = (tasks: Task[], index: number): Task => {
  const task = tasks[index];
  // A session pointing past its template is a data bug, not something the operator can fix.
  if (task === undefined) throw new Error(`No task at index ${index} (template has ${tasks.length})`);
  return task;
};

/** A result that stores nothing. */
export const reply = (state: SessionState, r: Reply): TransitionResult => ({ state, replies: [r], effect: 'none' });

/** An image the machine did not keep: the service may delete its file. */
export const discardImage = (event: InboundEvent): { discardedPhotos?: string[] } =>
  event.kind === 'image' ? { discardedPhotos: [event.photo] } : {};

// Each name is cut to this many characters, so that under Question 1 they stay one short line.
const MAX_NAME = 40;

const shortNames = (names: ChecklistNames): ChecklistNames => ({
  template: singleLine(names.template, MAX_NAME),
  machine: singleLine(names.machine, MAX_NAME),
  ...(names.due ? { due: names.due } : {}),
});

// Meta's limit for a buttons message's body; a longer one is sent as text parts plus the buttons.
const MAX_BODY = 1024;

/**
 * The current question with its answer buttons; `names` are shown under it when given and when the
 * question still fits one message with them (else the buttons would come under the names line alone).
 */
export function questionPrompt(
  state: SessionState,
  tasks: Task[],
  m: Messages,
  names: ChecklistNames | null = null,
): Reply {
  const index = state.currentTaskIndex;
  const task = taskAt(tasks, index);
  const expected = m.expectedAnswer(task);
  // A rework asks some of the checklist's tasks: its question n names the task's own number when that differs.
  const shown =
    task.position !== undefined && task.position !== index + 1
      ? `${task.text} ${m.taskOfChecklist(task.position)}`
      : task.text;
  const ask = (n: ChecklistNames | null) =>
    m.question(index + 1, state.totalTasks, shown, task.requiresPhoto, n, expected);
  const named = names && ask(shortNames(names));
  const body = named !== null && named.length <= MAX_BODY ? named : ask(null);
  return questionReply(state.sessionId, index, task, body, m);
}

export const summaryPrompt = (state: SessionState, tasks: Task[], m: Messages, body?: string): Reply => ({
  kind: 'buttons',
  body: body ?? m.summary(tasks, state.answers),
  buttons: summaryButtons(state.sessionId, m),
});

/**
 * What the operator is being asked right now: what the answer under way still needs (a NOT OK's note,
 * a photo), the summary, or the current question.
 * `names`: the checklist's and machine's, shown under Question 1 (only there: the later questions follow it).
 */
export function prompt(state: SessionState, tasks: Task[], m: Messages, names: ChecklistNames | null = null): Reply {
  if (isAtSummary(state)) return summaryPrompt(state, tasks, m);
  const missing = missingText(state.draft, taskAt(tasks, state.currentTaskIndex), earlierAnswer(state), m);
  if (missing !== null) return text(missing);
  return questionPrompt(state, tasks, m, state.currentTaskIndex === 0 ? names : null);
}

/** One reply: the texts, then the current prompt (keeping its buttons). */
export function promptAfter(state: SessionState, tasks: Task[], m: Messages, ...before: string[]): Reply {
  const p = prompt(state, tasks, m);
  return { ...p, body: join(...before, p.body) };
}

/** At the summary, a short reminder with the Confirm / Edit buttons instead of the whole summary again. */
export const confirmReminder = (state: SessionState, tasks: Task[], m: Messages, ...before: string[]): Reply =>
  summaryPrompt(state, tasks, m, join(...before, m.confirmPrompt()));

/**
 * The answer to the summary's Edit button: a list with one row per question, so a gloved operator taps
 * instead of typing EDIT n. Meta allows at most 10 rows, so a longer checklist gets the typed way as
 * before: how to use EDIT n, with the summary and its buttons.
 */
export function editChoice(state: SessionState, tasks: Task[], m: Messages): Reply {
  if (tasks.length > MAX_LIST_ROWS) return promptAfter(state, tasks, m, m.editHelp(state.totalTasks));
  return {
    kind: 'list',
    body: m.editListBody(state.totalTasks),
    button: checkedLabel(m.editList.button, MAX_LIST_BUTTON_LENGTH),
    section: checkedLabel(m.editList.section, MAX_SECTION_TITLE_LENGTH),
    rows: editListRows(state.sessionId, tasks, state.answers, m),
  };
}
