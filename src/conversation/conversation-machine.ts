import type {
  Answer,
  InboundEvent,
  Reply,
  SessionState,
  Task,
  TransitionResult,
} from './conversation-types.js';
import { messagesEn, type Messages } from './messages.en.js';
import { isConfirm, parseAnswer, type ParsedAnswer } from './parse-answer.js';

const text = (body: string): Reply => ({ kind: 'text', body });
const join = (...parts: string[]): string => parts.join('\n\n');

const unchanged = (state: SessionState, body: string): TransitionResult => ({
  state,
  replies: [text(body)],
  effect: 'none',
});

const taskAt = (tasks: Task[], index: number): Task => {
  const task = tasks[index];
  // A session pointing past its template is a data bug, not something the operator can fix.
  if (task === undefined) throw new Error(`No task at index ${index} (template has ${tasks.length})`);
  return task;
};

const isAtSummary = (state: SessionState): boolean => state.currentTaskIndex >= state.totalTasks;

function currentPrompt(state: SessionState, tasks: Task[], m: Messages): string {
  if (isAtSummary(state)) return m.summary(tasks, state.answers);
  const task = taskAt(tasks, state.currentTaskIndex);
  return m.question(state.currentTaskIndex + 1, state.totalTasks, task.text, task.requiresPhoto);
}

export function firstQuestion(state: SessionState, tasks: Task[], messages: Messages = messagesEn): Reply[] {
  return [text(currentPrompt(state, tasks, messages))];
}

export function transition(
  state: SessionState,
  tasks: Task[],
  event: InboundEvent,
  messages: Messages = messagesEn,
): TransitionResult {
  if (state.status !== 'active') return unchanged(state, messages.noActiveSession());
  if (isAtSummary(state)) return atSummary(state, event, messages);
  return atQuestion(state, tasks, event, messages);
}

function atSummary(state: SessionState, event: InboundEvent, m: Messages): TransitionResult {
  if (event.kind === 'text' && isConfirm(event.body)) {
    return { state: { ...state, status: 'completed' }, replies: [text(m.completed())], effect: 'completed' };
  }
  if (event.kind === 'unsupported') return unchanged(state, join(m.unsupportedType(), m.confirmPrompt()));
  return unchanged(state, m.confirmPrompt());
}

function atQuestion(state: SessionState, tasks: Task[], event: InboundEvent, m: Messages): TransitionResult {
  const n = state.currentTaskIndex + 1;
  const task = taskAt(tasks, state.currentTaskIndex);

  if (event.kind === 'unsupported') {
    return unchanged(state, join(m.unsupportedType(), m.question(n, state.totalTasks, task.text, task.requiresPhoto)));
  }

  if (event.kind === 'text') {
    const parsed = parseAnswer(event.body);
    if (parsed === null) {
      const reply = isConfirm(event.body) ? m.confirmTooEarly : m.invalidAnswer;
      return unchanged(state, reply(n, state.totalTasks, task.text, task.requiresPhoto));
    }
    if (task.requiresPhoto && state.pendingPhoto === null) {
      return unchanged(state, m.photoRequired(n, state.totalTasks, task.text));
    }
    return storeAnswer(state, tasks, task, parsed, state.pendingPhoto, event.at, m);
  }

  const caption = event.caption?.trim() ?? '';
  const parsed = caption === '' ? null : parseAnswer(caption);
  // Option A: the caption is the answer, so this photo wins over any earlier pending one.
  if (parsed !== null) return storeAnswer(state, tasks, task, parsed, event.photo, event.at, m);

  // Option B: keep the photo until the text answer arrives.
  const ack = state.pendingPhoto === null ? m.photoReceived() : m.photoReplaced();
  return {
    state: { ...state, pendingPhoto: event.photo },
    replies: [text(caption === '' ? ack : join(ack, m.formatHint()))],
    effect: 'none',
  };
}

function storeAnswer(
  state: SessionState,
  tasks: Task[],
  task: Task,
  parsed: ParsedAnswer,
  photo: string | null,
  at: Date,
  m: Messages,
): TransitionResult {
  const taskIndex = state.currentTaskIndex;
  const answer: Answer = {
    taskIndex,
    taskId: task.id,
    status: parsed.status,
    remarks: parsed.remarks,
    photo,
    answeredAt: at.toISOString(),
  };
  const answers = [...state.answers.filter((a) => a.taskIndex !== taskIndex), answer].sort(
    (a, b) => a.taskIndex - b.taskIndex,
  );
  const next: SessionState = { ...state, currentTaskIndex: taskIndex + 1, answers, pendingPhoto: null };
  return { state: next, replies: [text(currentPrompt(next, tasks, m))], effect: 'answered', answer };
}
