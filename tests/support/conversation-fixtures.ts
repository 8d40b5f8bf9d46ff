// Test data for the conversation state machine tests (not used by the app).
import {
  answerButtonId,
  answerButtons,
  editRowId,
  summaryButtonId,
  summaryButtons,
  type SummaryAction,
} from '../../src/conversation/buttons.js';
import type {
  Answer,
  AnswerStatus,
  ChecklistNames,
  Draft,
  InboundEvent,
  Reply,
  SessionState,
  Task,
} from '../../src/conversation/conversation-types.js';
import { emptyDraft } from '../../src/conversation/draft.js';
import { messagesEn as m } from '../../src/conversation/messages.en.js';

export const at = new Date('2025-11-20T08:30:00.000Z');
export const SESSION = '3f1c2a9e-8b7d-4c6e-9a1b-2d3e4f5a6b7c';
export const OTHER_SESSION = '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b';

export const tasks: Task[] = [
  { id: 11, text: 'Check oil level', requiresPhoto: false },
  { id: 12, text: 'Photo of the pressure gauge', requiresPhoto: true },
  { id: 13, text: 'Clean the filter', requiresPhoto: false },
];

export const names: ChecklistNames = { template: 'Daily press check', machine: 'Lathe 1' };

export const stateAt = (currentTaskIndex: number, over: Partial<SessionState> = {}): SessionState => ({
  sessionId: SESSION,
  status: 'active',
  currentTaskIndex,
  totalTasks: 3,
  answers: [],
  draft: emptyDraft,
  awaitingStart: false,
  editing: false,
  ...over,
});

/** A draft (the answer under way) with `over` set. */
export const draftOf = (over: Partial<Draft> = {}): Draft => ({ ...emptyDraft, ...over });
/** A NOT OK waiting for its note. */
export const noting: Draft = { ...emptyDraft, status: 'NOT_OK' };

/** The draft after an answer is stored by `event`: a photo that completed it may be followed by its album. */
export const draftAfter = (event: InboundEvent, taskIndex: number): Draft =>
  event.kind === 'image' ? { ...emptyDraft, albumOf: { taskIndex, sentAt: event.at.toISOString() } } : emptyDraft;

export const answerFor = (taskIndex: number, over: Partial<Answer> = {}): Answer => ({
  taskIndex,
  taskId: 11 + taskIndex,
  status: 'OK',
  remarks: null,
  photo: null,
  answeredAt: at.toISOString(),
  ...over,
  photos: over.photos ?? (over.photo ? [over.photo] : []),
});

export const allAnswers = [answerFor(0), answerFor(1, { photo: 'g.jpg' }), answerFor(2)];
export const summaryState = (over: Partial<SessionState> = {}): SessionState =>
  stateAt(3, { answers: allAnswers, ...over });

export const textEv = (body: string): InboundEvent => ({ kind: 'text', body, at });
export const imageEv = (photo: string, caption: string | null = null): InboundEvent => ({
  kind: 'image',
  photo,
  caption,
  at,
});
export const buttonEv = (id: string, title: string): InboundEvent => ({ kind: 'button', id, title, at });
export const tap = (status: AnswerStatus, taskIndex: number, sessionId = SESSION): InboundEvent =>
  buttonEv(answerButtonId(sessionId, taskIndex, status), m.buttonTitles[status]);
export const summaryTap = (action: SummaryAction, sessionId = SESSION): InboundEvent =>
  buttonEv(summaryButtonId(sessionId, action), m.buttonTitles[action]);
/** A tap on row `taskIndex` of the list the Edit button opens (Meta's list_reply, read as a button event). */
export const editRowTap = (taskIndex: number, sessionId = SESSION): InboundEvent =>
  buttonEv(editRowId(sessionId, taskIndex), `${taskIndex + 1}. ${tasks[taskIndex]?.text ?? 'task'}`);
export const photoFailedEv: InboundEvent = { kind: 'photoFailed', at };
export const unsupportedEv: InboundEvent = { kind: 'unsupported', type: 'audio', at };

export const join = (...parts: string[]): string => parts.join('\n\n');
export const q = (i: number): string => m.question(i + 1, 3, tasks[i]!.text, tasks[i]!.requiresPhoto);

/** The question i reply, with its buttons; `before` texts are joined in front of the question. */
export const questionReply = (i: number, ...before: string[]): Reply => ({
  kind: 'buttons',
  body: join(...before, q(i)),
  buttons: answerButtons(SESSION, i, m),
});

/** Question 1 as a conversation opens with it: the checklist and machine named under it. */
export const namedQuestion1Reply = (...before: string[]): Reply => ({
  kind: 'buttons',
  body: join(...before, m.question(1, 3, tasks[0]!.text, false, names)),
  buttons: answerButtons(SESSION, 0, m),
});

export const summaryReply = (answers: Answer[], ...before: string[]): Reply => ({
  kind: 'buttons',
  body: join(...before, m.summary(tasks, answers)),
  buttons: summaryButtons(SESSION, m),
});

export const confirmReminderReply = (...before: string[]): Reply => ({
  kind: 'buttons',
  body: join(...before, m.confirmPrompt()),
  buttons: summaryButtons(SESSION, m),
});

/** One short text with the summary's Confirm / Edit buttons (no summary). */
export const confirmButtons = (body: string): Reply => ({ kind: 'buttons', body, buttons: summaryButtons(SESSION, m) });

export const textReply = (body: string): Reply => ({ kind: 'text', body });

export const deepFreeze = <T>(value: T): T => {
  for (const v of Object.values(value as object) as unknown[]) if (typeof v === 'object' && v !== null) deepFreeze(v);
  return Object.freeze(value);
};
