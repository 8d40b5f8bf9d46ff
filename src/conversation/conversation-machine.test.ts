import { describe, expect, it } from 'vitest';
import { firstQuestion, transition } from './conversation-machine.js';
import type { Answer, InboundEvent, SessionState, Task } from './conversation-types.js';
import { messagesEn as m } from './messages.en.js';

const at = new Date('2025-11-20T08:30:00.000Z');
const tasks: Task[] = [
  { id: 11, text: 'Check oil level', requiresPhoto: false },
  { id: 12, text: 'Photo of the pressure gauge', requiresPhoto: true },
  { id: 13, text: 'Clean the filter', requiresPhoto: false },
];
const stateAt = (currentTaskIndex: number, over: Partial<SessionState> = {}): SessionState => ({
  status: 'active', currentTaskIndex, totalTasks: 3, answers: [], pendingPhoto: null, ...over,
});
const answerFor = (taskIndex: number, over: Partial<Answer> = {}): Answer => ({
  taskIndex, taskId: 11 + taskIndex, status: 'OK', remarks: null, photo: null, answeredAt: at.toISOString(), ...over,
});
const textEv = (body: string): InboundEvent => ({ kind: 'text', body, at });
const imageEv = (photo: string, caption: string | null = null): InboundEvent => ({ kind: 'image', photo, caption, at });
const unsupportedEv: InboundEvent = { kind: 'unsupported', type: 'audio', at };
const q = (i: number): string => m.question(i + 1, 3, tasks[i]!.text, tasks[i]!.requiresPhoto);
const bodies = (state: SessionState, event: InboundEvent): string[] =>
  transition(state, tasks, event).replies.map((r) => r.body);

describe('firstQuestion', () => {
  it.each([
    { when: 'the session starts', index: 0, start: '📋 Question 1 of 3: Check oil level\nReply OK, NOT OK or NA' },
    { when: 'the current task needs a photo', index: 1, start: '📋 Question 2 of 3: Photo of the pressure gauge\n' },
  ])('when $when, then it asks that question', ({ index, start }) => {
    const [reply] = firstQuestion(stateAt(index), tasks);

    expect(reply?.body.startsWith(start)).toBe(true);
    expect(reply?.body.includes('Photo required')).toBe(tasks[index]!.requiresPhoto);
  });
});

describe('transition when the session is not active', () => {
  const statuses = ['completed', 'expired', 'cancelled'] as const;
  const events = [textEv('OK'), textEv('CONFIRM'), imageEv('p.jpg', 'OK'), unsupportedEv];
  it.each(statuses.flatMap((status) => events.map((event) => ({ status, event, kind: event.kind }))))(
    'when it is $status and a $kind arrives, then nothing changes and there is no open checklist',
    ({ status, event }) => {
      const state = stateAt(0, { status });

      const result = transition(state, tasks, event);

      expect(result).toEqual({ state, replies: [{ kind: 'text', body: m.noActiveSession() }], effect: 'none' });
    },
  );
});

describe('transition while asking a question, when nothing is stored', () => {
  it.each([
    { when: 'the text is not an answer', state: stateAt(0), event: textEv('nothing'), reply: m.invalidAnswer(1, 3, 'Check oil level') },
    { when: 'the text is OKAY', state: stateAt(2), event: textEv('OKAY fine'), reply: m.invalidAnswer(3, 3, 'Clean the filter') },
    { when: 'CONFIRM comes too early', state: stateAt(0), event: textEv('confirm'), reply: m.confirmTooEarly(1, 3, 'Check oil level') },
    { when: 'a photo task gets text without a photo', state: stateAt(1), event: textEv('OK - 5 bar'), reply: m.photoRequired(2, 3, tasks[1]!.text) },
    { when: 'an unsupported message arrives', state: stateAt(1, { pendingPhoto: 'a.jpg' }), event: unsupportedEv, reply: `${m.unsupportedType()}\n\n${q(1)}` },
  ])('when $when, then the state is unchanged and the operator is told why', ({ state, event, reply }) => {
    const result = transition(state, tasks, event);

    expect(result.state).toEqual(state);
    expect(result.effect).toBe('none');
    expect(result.answer).toBeUndefined();
    expect(result.replies).toEqual([{ kind: 'text', body: reply }]);
  });

  it('when the text is not an answer, then the reply repeats the question', () => {
    expect(bodies(stateAt(0), textEv('hello'))[0]).toContain('📋 Question 1 of 3: Check oil level');
  });
});

describe('transition while asking a question, when an answer is stored', () => {
  it.each([
    { when: 'text answers task 1 (option C)', state: stateAt(0), event: textEv('OK - oil level normal'), stored: answerFor(0, { remarks: 'oil level normal' }), next: q(1) },
    { when: 'text answers a photo task after the photo (option B)', state: stateAt(1, { pendingPhoto: 'g.jpg' }), event: textEv('NOT OK leak'), stored: answerFor(1, { status: 'NOT_OK', remarks: 'leak', photo: 'g.jpg' }), next: q(2) },
    { when: 'text answers a plain task with a pending photo', state: stateAt(0, { pendingPhoto: 'o.jpg' }), event: textEv('na'), stored: answerFor(0, { status: 'NA', photo: 'o.jpg' }), next: q(1) },
    { when: 'a photo has the answer as caption (option A)', state: stateAt(1), event: imageEv('c.jpg', 'OK: 5 bar'), stored: answerFor(1, { remarks: '5 bar', photo: 'c.jpg' }), next: q(2) },
    { when: 'option A follows a pending photo', state: stateAt(1, { pendingPhoto: 'old.jpg' }), event: imageEv('new.jpg', 'ok'), stored: answerFor(1, { photo: 'new.jpg' }), next: q(2) },
  ])('when $when, then it is stored and the next question is sent', ({ state, event, stored, next }) => {
    const result = transition(state, tasks, event);

    expect(result.effect).toBe('answered');
    expect(result.answer).toEqual(stored);
    expect(result.state).toEqual({ ...state, currentTaskIndex: state.currentTaskIndex + 1, answers: [stored], pendingPhoto: null });
    expect(result.replies).toEqual([{ kind: 'text', body: next }]);
  });

  it('when the last task is answered, then the summary is sent', () => {
    const state = stateAt(2, { answers: [answerFor(0), answerFor(1, { photo: 'g.jpg' })] });

    const result = transition(state, tasks, textEv('NOT OK - dirty'));

    expect(result.state.currentTaskIndex).toBe(3);
    expect(result.replies).toEqual([{ kind: 'text', body: m.summary(tasks, result.state.answers) }]);
    expect(result.replies[0]?.body).toMatch(/^✅ All 3 questions answered\. Summary:/);
  });

  it.each([
    { when: 'an answer already exists for the task', existing: [answerFor(0), answerFor(1, { status: 'NA' })], taskIds: [11, 12] },
    { when: 'a later answer already exists', existing: [answerFor(2), answerFor(0)], taskIds: [11, 12, 13] },
  ])('when $when, then answers stay one per task, ordered by task', ({ existing, taskIds }) => {
    const result = transition(stateAt(1, { answers: existing, pendingPhoto: 'g.jpg' }), tasks, textEv('OK'));

    expect(result.state.answers.map((a) => a.taskId)).toEqual(taskIds);
    expect(result.state.answers.find((a) => a.taskIndex === 1)).toEqual(answerFor(1, { photo: 'g.jpg' }));
  });
});

describe('transition while asking a question, when a photo comes without an answer (option B)', () => {
  it.each([
    { when: 'a photo comes alone', pending: null, caption: null, body: m.photoReceived() },
    { when: 'a photo comes with an empty caption', pending: null, caption: '  ', body: m.photoReceived() },
    { when: 'a second photo comes alone', pending: 'old.jpg', caption: null, body: m.photoReplaced() },
    { when: 'the caption is not an answer', pending: null, caption: 'gauge', body: `${m.photoReceived()}\n\n${m.formatHint()}` },
    { when: 'a second photo has a caption that is not an answer', pending: 'old.jpg', caption: 'OK?', body: `${m.photoReplaced()}\n\n${m.formatHint()}` },
  ])('when $when, then it is kept as the pending photo', ({ pending, caption, body }) => {
    const state = stateAt(1, { pendingPhoto: pending });

    const result = transition(state, tasks, imageEv('new.jpg', caption));

    expect(result).toEqual({ state: { ...state, pendingPhoto: 'new.jpg' }, replies: [{ kind: 'text', body }], effect: 'none' });
    expect(body).toContain('now send OK / NOT OK / NA with remarks');
  });
});

describe('transition at the summary', () => {
  const summaryState = stateAt(3, { answers: [answerFor(0), answerFor(1, { photo: 'g.jpg' }), answerFor(2)] });

  it.each(['CONFIRM', 'confirm', ' con firm '])('when the operator sends "%s", then the session is completed', (body) => {
    const result = transition(summaryState, tasks, textEv(body));

    expect(result).toEqual({ state: { ...summaryState, status: 'completed' }, replies: [{ kind: 'text', body: m.completed() }], effect: 'completed' });
  });

  it.each([
    { when: 'the text is an answer', event: textEv('OK'), body: m.confirmPrompt() },
    { when: 'the text is something else', event: textEv('yes'), body: m.confirmPrompt() },
    { when: 'a photo arrives', event: imageEv('late.jpg', 'OK'), body: m.confirmPrompt() },
    { when: 'an unsupported message arrives', event: unsupportedEv, body: `${m.unsupportedType()}\n\n${m.confirmPrompt()}` },
  ])('when $when, then nothing is stored and CONFIRM is asked for', ({ event, body }) => {
    expect(transition(summaryState, tasks, event)).toEqual({ state: summaryState, replies: [{ kind: 'text', body }], effect: 'none' });
  });
});

describe('a whole checklist', () => {
  it('when three tasks are answered in every way and confirmed, then the summary lists them and the session completes', () => {
    const steps: Array<[InboundEvent, string | null]> = [
      [textEv('OK - oil level normal'), q(1)],
      [textEv('OK'), m.photoRequired(2, 3, tasks[1]!.text)],
      [imageEv('gauge.jpg'), m.photoReceived()],
      [textEv('not ok: 7 bar, too high'), q(2)],
      [imageEv('filter.jpg', 'NA'), null],
      [textEv('Confirm'), m.completed()],
    ];
    let state = stateAt(0);
    const sent: string[] = [];

    for (const [event, expected] of steps) {
      const result = transition(state, tasks, event);
      state = result.state;
      sent.push(result.replies[0]!.body);
      if (expected !== null) expect(result.replies[0]!.body).toBe(expected);
    }

    expect(sent[4]).toBe([
      '✅ All 3 questions answered. Summary:',
      '1. Check oil level - OK - oil level normal',
      '2. Photo of the pressure gauge - NOT OK - 7 bar, too high 📷',
      '3. Clean the filter - NA 📷',
      'Reply CONFIRM to submit.',
    ].join('\n'));
    expect(state.status).toBe('completed');
    expect(state.answers.map((a) => [a.taskId, a.status, a.photo])).toEqual([
      [11, 'OK', null], [12, 'NOT_OK', 'gauge.jpg'], [13, 'NA', 'filter.jpg'],
    ]);
  });
});

describe('transition purity', () => {
  const deepFreeze = <T>(value: T): T => {
    Object.values(value as object).forEach((v) => typeof v === 'object' && v !== null && deepFreeze(v));
    return Object.freeze(value);
  };
  const withAnswer = { answers: [answerFor(0)] };
  it.each([
    { when: 'an answer is stored', state: stateAt(1, { ...withAnswer, pendingPhoto: 'g.jpg' }), event: textEv('OK') },
    { when: 'an option A photo is stored', state: stateAt(1, withAnswer), event: imageEv('c.jpg', 'OK') },
    { when: 'a photo is kept pending', state: stateAt(1, { ...withAnswer, pendingPhoto: 'old.jpg' }), event: imageEv('n.jpg') },
    { when: 'the text is invalid', state: stateAt(1, withAnswer), event: textEv('??') },
    { when: 'the session is confirmed', state: stateAt(3, withAnswer), event: textEv('CONFIRM') },
  ])('when $when, then the input state is not mutated', ({ state, event }) => {
    const before = structuredClone(state);

    transition(deepFreeze(state), tasks, event);

    expect(state).toEqual(before);
  });
});
