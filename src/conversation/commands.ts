// Typed commands (BACK, EDIT n, STATUS, HELP), read before any answer. CONFIRM stays with the summary step.
import type { SessionState, Task, TransitionResult } from './conversation-types.js';
import type { Messages } from './messages.en.js';
import { everyTaskAnswered } from './answer-steps.js';
import { answerUnderWay, emptyDraft } from './draft.js';
import { withoutTrailingMarks } from './parse-answer.js';
import type { Reply } from './conversation-types.js';
import { confirmReminder, isAtSummary, join, promptAfter, questionPrompt, reply, summaryPrompt } from './prompts.js';

export type Command =
  | { kind: 'back' }
  /** n is null for a bare "EDIT". */
  | { kind: 'edit'; n: number | null }
  | { kind: 'status' }
  | { kind: 'help' };

// "EDIT 2", "edit2", "Edit #2", "edit no. 2", "edit q2".
const EDIT = /^edit\s*(?:(?:#|no\.?|q)\s*)?(\d{1,9})?$/i;

/**
 * Case-insensitive; surrounding spaces and trailing marks ("back.", "EDIT 2.", "status?") are ignored.
 * Null when the text is not a command.
 */
export function parseCommand(body: string): Command | null {
  const t = withoutTrailingMarks(body, true);
  const upper = t.toUpperCase();
  if (upper === 'BACK') return { kind: 'back' };
  if (upper === 'STATUS') return { kind: 'status' };
  if (upper === 'HELP') return { kind: 'help' };
  const edit = EDIT.exec(t);
  if (edit !== null) return { kind: 'edit', n: edit[1] === undefined ? null : Number(edit[1]) };
  return null;
}

export function runCommand(state: SessionState, tasks: Task[], command: Command, m: Messages): TransitionResult {
  switch (command.kind) {
    case 'help':
      return reply(state, promptAfter(state, tasks, m, m.help()));
    case 'status': {
      const where = m.status(state.currentTaskIndex + 1, state.totalTasks, state.answers.length);
      // At the summary: one line and the Confirm / Edit buttons, not the whole summary again.
      return reply(
        state,
        isAtSummary(state) ? confirmReminder(state, tasks, m, where) : promptAfter(state, tasks, m, where),
      );
    }
    case 'back':
      return back(state, tasks, m);
    case 'edit':
      return edit(state, tasks, command.n, m);
  }
}

function back(state: SessionState, tasks: Task[], m: Messages): TransitionResult {
  if (isAtSummary(state)) return reopen(state, tasks, state.totalTasks - 1, false, m);
  if (state.currentTaskIndex > 0) return reopen(state, tasks, state.currentTaskIndex - 1, false, m);
  // Nowhere to go back to: the answer under way stays, and what it still needs is asked again.
  return reply(state, promptAfter(state, tasks, m, m.noPreviousQuestion()));
}

function edit(state: SessionState, tasks: Task[], n: number | null, m: Messages): TransitionResult {
  // Once every question is answered, EDIT n also moves from one reopened question to another.
  if (!isAtSummary(state) && !everyTaskAnswered(state))
    return reply(state, promptAfter(state, tasks, m, m.editNotYet()));
  if (n === null) return reply(state, promptAfter(state, tasks, m, m.editHelp(state.totalTasks)));
  if (n < 1 || n > state.totalTasks) {
    // One short line naming the range (with the Confirm / Edit buttons at the summary), not the summary again.
    const line = m.editOutOfRange(n, state.totalTasks);
    return reply(state, isAtSummary(state) ? summaryPrompt(state, tasks, m, line) : promptAfter(state, tasks, m, line));
  }
  return reopen(state, tasks, n - 1, true, m);
}

/**
 * Asks question `index` again; its earlier answer stays stored until a new one replaces it. An answer
 * under way on the question left is not kept, and the operator is told so (its photos are deleted).
 * Photos sent without an answer yet (sent, then BACK) go with this answer, and the operator is told so.
 */
function reopen(state: SessionState, tasks: Task[], index: number, editing: boolean, m: Messages): TransitionResult {
  const left = state.draft;
  const dropped = answerUnderWay(left);
  const draft = dropped ? emptyDraft : left;
  const next: SessionState = { ...state, currentTaskIndex: index, draft, editing };
  const question = questionPrompt(next, tasks, m);
  const earlier = state.answers.find((a) => a.taskIndex === index);
  const carried = draft.photos.length > 0;
  const leftIndex = state.currentTaskIndex;
  const hadEarlier = state.answers.some((a) => a.taskIndex === leftIndex);
  const notes = [
    ...(dropped ? [m.unfinishedNotKept(leftIndex + 1, hadEarlier)] : []),
    ...(earlier === undefined ? [] : [m.earlierAnswer(earlier, carried)]),
    ...(carried ? [m.photoCarried()] : []),
  ];
  const result = reply(next, { ...question, body: join(question.body, ...notes) });
  return dropped && left.photos.length > 0 ? { ...result, discardedPhotos: left.photos } : result;
}

/** A tap on the answer button of question n, answered already: says how to change that answer from here. */
export function howToChange(state: SessionState, tasks: Task[], n: number, m: Messages): Reply {
  if (isAtSummary(state)) return summaryPrompt(state, tasks, m, m.staleAnswerButton(n, 'summary'));
  const where = everyTaskAnswered(state) ? 'editing' : 'answering';
  return promptAfter(state, tasks, m, m.staleAnswerButton(n, where));
}
