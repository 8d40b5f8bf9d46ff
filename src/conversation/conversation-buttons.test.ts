import { describe, expect, it } from 'vitest';
import { transition } from './conversation-machine.js';
import { summaryButtons } from './buttons.js';
import {
  OTHER_SESSION,
  SESSION,
  allAnswers,
  at,
  answerFor,
  confirmButtons,
  buttonEv,
  deepFreeze,
  editRowTap,
  imageEv,
  join,
  questionReply,
  stateAt,
  summaryReply,
  summaryState,
  summaryTap,
  tap,
  tasks,
  textEv,
  textReply,
} from '../../tests/support/conversation-fixtures.js';
import type { Answer, InboundEvent, SessionState, Task } from './conversation-types.js';
import { draftAfter, draftOf } from '../../tests/support/conversation-fixtures.js';
import { emptyDraft } from './draft.js';
import { REPEAT_TAP_WINDOW_MS } from './conversation-machine.js';
import { messagesEn as m } from './messages.en.js';

describe('transition when an OK or N/A button is tapped for the current question', () => {
  it.each([
    {
      when: 'OK is tapped on task 1',
      state: stateAt(0),
      event: tap('OK', 0),
      stored: answerFor(0),
      next: questionReply(1),
    },
    {
      when: 'N/A is tapped on the last task',
      state: stateAt(2, { answers: [answerFor(0), answerFor(1)] }),
      event: tap('NA', 2),
      stored: answerFor(2, { status: 'NA' }),
      next: summaryReply([answerFor(0), answerFor(1), answerFor(2, { status: 'NA' })]),
    },
    {
      when: 'OK is tapped with a pending photo',
      state: stateAt(1, { draft: draftOf({ photos: ['g.jpg'] }) }),
      event: tap('OK', 1),
      stored: answerFor(1, { photo: 'g.jpg' }),
      next: questionReply(2),
    },
    {
      when: 'OK is tapped while a NOT OK note is awaited',
      state: stateAt(0, { draft: draftOf({ status: 'NOT_OK' }) }),
      event: tap('OK', 0),
      stored: answerFor(0),
      next: questionReply(1),
    },
  ])('when $when, then it is saved at once with no remarks', ({ state, event, stored, next }) => {
    const result = transition(state, tasks, event);

    expect(result.answer).toEqual(stored);
    expect(result.effect).toBe('answered');
    expect(result.state).toMatchObject({
      currentTaskIndex: state.currentTaskIndex + 1,
      draft: emptyDraft,
    });
    expect(result.replies).toEqual([next]);
  });
});

describe('transition when NOT OK is tapped', () => {
  it.each([
    { when: 'on a plain task', state: stateAt(0) },
    { when: 'on a photo task with no photo yet', state: stateAt(1) },
    { when: 'a second time', state: stateAt(0, { draft: draftOf({ status: 'NOT_OK' }) }) },
  ])('when it is tapped $when, then nothing is stored and a note is asked for', ({ state }) => {
    const result = transition(state, tasks, tap('NOT_OK', state.currentTaskIndex));

    expect(result).toEqual({
      state: { ...state, draft: draftOf({ status: 'NOT_OK' }) },
      replies: [textReply(m.notOkAskNote())],
      effect: 'none',
    });
    expect(m.notOkAskNote()).toBe('What is wrong? Send a note (and a photo)');
  });
});

describe('transition while a NOT OK note is awaited, when the answer completes', () => {
  const noting = (index: number, over: Partial<SessionState> = {}) =>
    stateAt(index, { draft: draftOf({ status: 'NOT_OK' }), ...over });
  it.each([
    {
      when: 'a note is typed',
      state: noting(0),
      event: textEv('  leak at the valve '),
      stored: answerFor(0, { status: 'NOT_OK', remarks: 'leak at the valve' }),
      discarded: undefined,
    },
    {
      when: 'a note is typed after a photo',
      state: noting(1, { draft: draftOf({ status: 'NOT_OK', photos: ['g.jpg'] }) }),
      event: textEv('7 bar'),
      stored: answerFor(1, { status: 'NOT_OK', remarks: '7 bar', photo: 'g.jpg' }),
      discarded: undefined,
    },
    {
      when: 'the text starts with OK (item 11: the next text is the note, whatever word it starts with)',
      state: noting(0),
      event: textEv('OK - fine after all'),
      stored: answerFor(0, { status: 'NOT_OK', remarks: 'OK - fine after all' }),
      discarded: undefined,
    },
    {
      when: 'the text is Hinglish starting with "na" (item 11)',
      state: noting(0),
      event: textEv('na chal raha motor'),
      stored: answerFor(0, { status: 'NOT_OK', remarks: 'na chal raha motor' }),
      discarded: undefined,
    },
    {
      when: 'the text repeats NOT OK with its note',
      state: noting(0),
      event: textEv('NOT OK - belt worn'),
      stored: answerFor(0, { status: 'NOT_OK', remarks: 'belt worn' }),
      discarded: undefined,
    },
    {
      when: 'a photo comes with a caption',
      state: noting(1),
      event: imageEv('leak.jpg', 'oil on the floor'),
      stored: answerFor(1, { status: 'NOT_OK', remarks: 'oil on the floor', photo: 'leak.jpg' }),
      discarded: undefined,
    },
    {
      when: 'a photo caption starts with NA (the caption is the note too)',
      state: noting(0),
      event: imageEv('off.jpg', 'NA - machine off'),
      stored: answerFor(0, { status: 'NOT_OK', remarks: 'NA - machine off', photo: 'off.jpg' }),
      discarded: undefined,
    },
    {
      when: 'a note comes after two photos',
      state: noting(1, { draft: draftOf({ status: 'NOT_OK', photos: ['old.jpg', 'new.jpg'] }) }),
      event: textEv('cracked'),
      stored: answerFor(1, { status: 'NOT_OK', remarks: 'cracked', photo: 'old.jpg', photos: ['old.jpg', 'new.jpg'] }),
      discarded: undefined,
    },
  ])('when $when, then it is stored and the next question is sent', ({ state, event, stored, discarded }) => {
    const result = transition(state, tasks, event);

    expect(result.answer).toEqual(stored);
    expect(result.state).toEqual({
      ...state,
      currentTaskIndex: state.currentTaskIndex + 1,
      answers: [stored],
      draft: draftAfter(event, state.currentTaskIndex),
    });
    expect(result.replies).toEqual([questionReply(state.currentTaskIndex + 1)]);
    expect(result.discardedPhotos).toEqual(discarded);
  });
});

describe('transition while a NOT OK note is awaited, when nothing is stored', () => {
  it.each([
    {
      when: 'a photo task gets a note without a photo (item 2: the note is kept)',
      state: stateAt(1, { draft: draftOf({ status: 'NOT_OK' }) }),
      event: textEv('leaking'),
      next: stateAt(1, { draft: draftOf({ status: 'NOT_OK', remarks: 'leaking' }) }),
      reply: textReply(m.answerNeedsPhoto('NOT_OK', 'leaking')),
    },
    {
      when: 'a photo task gets "OK - fine" without a photo (it is the note)',
      state: stateAt(1, { draft: draftOf({ status: 'NOT_OK' }) }),
      event: textEv('OK - fine'),
      next: stateAt(1, { draft: draftOf({ status: 'NOT_OK', remarks: 'OK - fine' }) }),
      reply: textReply(m.answerNeedsPhoto('NOT_OK', 'OK - fine')),
    },
    {
      when: 'a photo comes without a caption (item 1: the answer stays open until the note)',
      state: stateAt(1, { draft: draftOf({ status: 'NOT_OK' }) }),
      event: imageEv('leak.jpg'),
      next: stateAt(1, { draft: draftOf({ status: 'NOT_OK', photos: ['leak.jpg'] }) }),
      reply: textReply(m.photoGotNeedNote()),
    },
    {
      when: 'a second photo comes without a caption',
      state: stateAt(1, { draft: draftOf({ status: 'NOT_OK', photos: ['old.jpg'] }) }),
      event: imageEv('new.jpg'),
      next: stateAt(1, { draft: draftOf({ status: 'NOT_OK', photos: ['old.jpg', 'new.jpg'] }) }),
      reply: textReply(m.photoGotNeedNote()),
    },
    {
      when: 'a photo comes on a plain task without a caption',
      state: stateAt(0, { draft: draftOf({ status: 'NOT_OK' }) }),
      event: imageEv('x.jpg'),
      next: stateAt(0, { draft: draftOf({ status: 'NOT_OK', photos: ['x.jpg'] }) }),
      reply: textReply(m.photoGotNeedNote()),
    },
    {
      when: 'CONFIRM is typed',
      state: stateAt(0, { draft: draftOf({ status: 'NOT_OK' }) }),
      event: textEv('confirm'),
      next: stateAt(0, { draft: draftOf({ status: 'NOT_OK' }) }),
      reply: textReply(join(m.confirmTooEarly(), m.notOkAskNote())),
    },
    {
      when: 'HELP is typed',
      state: stateAt(0, { draft: draftOf({ status: 'NOT_OK' }) }),
      event: textEv('help'),
      next: stateAt(0, { draft: draftOf({ status: 'NOT_OK' }) }),
      reply: textReply(join(m.help(), m.notOkAskNote())),
    },
  ])('when $when, then the operator is told what is missing', ({ state, event, next, reply }) => {
    expect(transition(state, tasks, event)).toEqual({ state: next, replies: [reply], effect: 'none' });
  });
});

describe('transition when a stale button is tapped', () => {
  it.each([
    {
      when: 'an answer button of another session',
      state: stateAt(1, { draft: draftOf({ photos: ['g.jpg'] }) }),
      event: tap('OK', 1, OTHER_SESSION),
      reply: questionReply(1, m.staleButton()),
    },
    {
      when: 'an answer button of an earlier question',
      state: stateAt(2),
      event: tap('NA', 0),
      reply: questionReply(2, m.staleButton()),
    },
    {
      when: 'an answer button of a later question',
      state: stateAt(0),
      event: tap('NOT_OK', 1),
      reply: questionReply(0, m.staleButton()),
    },
    {
      when: 'a summary button of another session',
      state: summaryState(),
      event: summaryTap('CONFIRM', OTHER_SESSION),
      reply: summaryReply(allAnswers, m.staleButton()),
    },
    {
      when: 'a summary button before the summary',
      state: stateAt(2),
      event: summaryTap('CONFIRM'),
      reply: questionReply(2, m.staleButton()),
    },
    {
      when: 'a start button once started',
      state: stateAt(1),
      event: buttonEv(`start:${SESSION}`, 'Start'),
      reply: questionReply(1, m.staleButton()),
    },
    {
      when: 'an old button while a note is awaited',
      state: stateAt(1, { draft: draftOf({ status: 'NOT_OK' }) }),
      event: tap('OK', 0),
      reply: textReply(join(m.staleButton(), m.notOkAskNote())),
    },
  ])('when $when is tapped, then nothing is stored and the current prompt comes back', ({ state, event, reply }) => {
    expect(transition(state, tasks, event)).toEqual({ state, replies: [reply], effect: 'none' });
    expect(m.staleButton()).toBe('That button belongs to an earlier question.');
  });
});

describe('transition when a summary button is tapped at the summary', () => {
  it('when Confirm is tapped, then the session is completed', () => {
    const state = summaryState();

    expect(transition(state, tasks, summaryTap('CONFIRM'))).toEqual({
      state: { ...state, status: 'completed' },
      replies: [textReply(m.completed())],
      effect: 'completed',
    });
  });

  it('when Edit is tapped, then a list offers one row per question with its current answer, and nothing changes', () => {
    const answers = [
      answerFor(0, { remarks: 'oil level normal' }),
      answerFor(1, { status: 'NOT_OK', remarks: 'leak', photo: 'g.jpg' }),
      answerFor(2, { status: 'NA' }),
    ];
    const state = summaryState({ answers });

    const result = transition(state, tasks, summaryTap('EDIT'));

    expect(result).toEqual({
      state,
      replies: [
        {
          kind: 'list',
          body: m.editListBody(3),
          button: 'Choose a question',
          section: 'Questions',
          rows: [
            { id: `edit:${SESSION}:0`, title: '1. Check oil level', description: 'OK - oil level normal' },
            { id: `edit:${SESSION}:1`, title: '2. Photo of the pressur…', description: 'NOT OK - leak 📷' },
            { id: `edit:${SESSION}:2`, title: '3. Clean the filter', description: 'NA' },
          ],
        },
      ],
      effect: 'none',
    });
    expect(m.editListBody(3)).toBe(
      '✏️ Which answer do you want to change? Tap "Choose a question" and pick it.\nTo change an answer, reply EDIT and its question number (1 to 3). Example: EDIT 2',
    );
  });
});

describe('transition when a row of the Edit list is tapped', () => {
  it.each([0, 1, 2])('when row %i is tapped at the summary, then it does exactly what EDIT n does', (index) => {
    const state = summaryState();

    const byRow = transition(state, tasks, editRowTap(index));

    expect(byRow).toEqual(transition(state, tasks, textEv(`EDIT ${index + 1}`)));
    expect(byRow.state).toEqual(summaryState({ currentTaskIndex: index, editing: true }));
    expect(byRow.replies[0]?.body).toBe(join(questionReply(index).body, m.earlierAnswer(allAnswers[index]!)));
  });

  it('when the reopened question is answered, then the summary comes back with the new answer', () => {
    const editing = transition(summaryState(), tasks, editRowTap(2)).state;

    const result = transition(editing, tasks, textEv('NOT OK - clogged'));

    const answers = [allAnswers[0]!, allAnswers[1]!, answerFor(2, { status: 'NOT_OK', remarks: 'clogged' })];
    expect(result.state).toEqual(summaryState({ answers }));
    expect(result.replies).toEqual([summaryReply(answers)]);
  });
});

describe('transition when a stale row of the Edit list is tapped', () => {
  it.each([
    {
      when: "a row of another session's list",
      state: summaryState(),
      event: editRowTap(1, OTHER_SESSION),
      reply: summaryReply(allAnswers, m.staleButton()),
    },
    {
      when: 'a row once its question is reopened',
      state: summaryState({ currentTaskIndex: 1, editing: true }),
      event: editRowTap(2),
      reply: questionReply(1, m.staleButton()),
    },
    {
      when: 'a row before the summary',
      state: stateAt(1, { answers: [answerFor(0)] }),
      event: editRowTap(0),
      reply: questionReply(1, m.staleButton()),
    },
    {
      when: 'a row past the last question',
      state: summaryState(),
      event: buttonEv(`edit:${SESSION}:3`, '4. Gone'),
      reply: summaryReply(allAnswers, m.staleButton()),
    },
    {
      when: 'a row while a note is awaited',
      state: stateAt(0, { draft: draftOf({ status: 'NOT_OK' }) }),
      event: editRowTap(0),
      reply: textReply(join(m.staleButton(), m.notOkAskNote())),
    },
  ])('when $when is tapped, then nothing changes and the current prompt comes back', ({ state, event, reply }) => {
    expect(transition(state, tasks, event)).toEqual({ state, replies: [reply], effect: 'none' });
  });

  it('when the session has ended, then a row gets the no-open-checklist reply', () => {
    const state = summaryState({ status: 'completed' });

    expect(transition(state, tasks, editRowTap(0))).toEqual({
      state,
      replies: [textReply(m.noActiveSession())],
      effect: 'none',
    });
  });
});

describe('transition when Edit is tapped on a checklist longer than a list allows', () => {
  const many = (n: number): { tasks: Task[]; answers: Answer[] } => ({
    tasks: Array.from({ length: n }, (_, i) => ({ id: 100 + i, text: `Task ${i + 1}`, requiresPhoto: false })),
    answers: Array.from({ length: n }, (_, i) => answerFor(i, { taskId: 100 + i })),
  });

  it('when there are 11 questions, then EDIT n is explained with the summary and its buttons, as typed', () => {
    const { tasks: eleven, answers } = many(11);
    const state = stateAt(11, { totalTasks: 11, answers });

    expect(transition(state, eleven, summaryTap('EDIT'))).toEqual({
      state,
      replies: [
        {
          kind: 'buttons',
          body: join(m.editHelp(11), m.summary(eleven, answers)),
          buttons: summaryButtons(SESSION, m),
        },
      ],
      effect: 'none',
    });
  });

  it('when there are 10 questions, then the list has all 10 rows and row 10 reopens question 10', () => {
    const { tasks: ten, answers } = many(10);
    const state = stateAt(10, { totalTasks: 10, answers });

    const [list] = transition(state, ten, summaryTap('EDIT')).replies;
    const tapped = transition(state, ten, buttonEv(`edit:${SESSION}:9`, '10. Task 10'));

    expect(list?.kind === 'list' ? list.rows.map((r) => r.title) : []).toEqual(
      ten.map((t, i) => `${i + 1}. ${t.text}`),
    );
    expect(tapped.state).toMatchObject({ currentTaskIndex: 9, editing: true });
  });
});

describe('transition when a button id has an unknown format', () => {
  it.each([
    { when: 'its title is an answer', event: buttonEv('yes-1', 'OK'), effect: 'answered' },
    { when: 'its title is a command', event: buttonEv('x', 'HELP'), effect: 'none' },
    { when: 'its title is not an answer', event: buttonEv('Start', 'Start'), effect: 'none' },
  ] as const)('when $when, then the title is read as typed text', ({ event, effect }) => {
    const asButton = transition(stateAt(0), tasks, event);
    const asText = transition(stateAt(0), tasks, textEv((event as Extract<InboundEvent, { kind: 'button' }>).title));

    expect(asButton).toEqual(asText);
    expect(asButton.effect).toBe(effect);
  });
});

describe('transition purity with buttons', () => {
  it.each<{ when: string; state: SessionState; event: InboundEvent }>([
    {
      when: 'OK is tapped with a pending photo',
      state: stateAt(1, { draft: draftOf({ photos: ['g.jpg'] }), answers: [answerFor(0)] }),
      event: tap('OK', 1),
    },
    { when: 'NOT OK is tapped', state: stateAt(0), event: tap('NOT_OK', 0) },
    {
      when: 'a note completes NOT OK',
      state: stateAt(0, { draft: draftOf({ status: 'NOT_OK' }) }),
      event: textEv('broken'),
    },
    { when: 'a stale button is tapped', state: summaryState(), event: tap('OK', 0) },
    { when: 'Confirm is tapped', state: summaryState(), event: summaryTap('CONFIRM') },
    { when: 'Edit is tapped', state: summaryState(), event: summaryTap('EDIT') },
    { when: 'a row of the Edit list is tapped', state: summaryState(), event: editRowTap(1) },
  ])('when $when, then the input state is not mutated', ({ state, event }) => {
    const before = structuredClone(state);

    transition(deepFreeze(state), tasks, event);

    expect(state).toEqual(before);
  });
});

/** The event sent `ms` after the fixtures' moment (when their answers were given). */
const later = (event: InboundEvent, ms: number): InboundEvent => ({ ...event, at: new Date(at.getTime() + ms) });

// Issue 14 item 19: a tap on an answered question's button says how to change that answer from where the operator is.
describe("transition when an answered question's button is tapped", () => {
  const twoAnswered = [answerFor(0), answerFor(1, { photo: 'g.jpg' })];
  it.each([
    {
      // A minute after the answer: the same status within REPEAT_TAP_WINDOW_MS would be a double tap (below).
      when: 'at the summary (one line with the Confirm / Edit buttons, not the summary again)',
      state: summaryState(),
      event: later(tap('OK', 2), 60_000),
      reply: confirmButtons(m.staleAnswerButton(3, 'summary')),
    },
    {
      when: 'while question 3 is asked',
      state: stateAt(2, { answers: twoAnswered }),
      event: tap('NA', 0),
      reply: questionReply(2, m.staleAnswerButton(1, 'answering')),
    },
    {
      when: 'while question 1 is open again after EDIT 1',
      state: summaryState({ currentTaskIndex: 0, editing: true }),
      event: tap('NOT_OK', 2),
      reply: questionReply(0, m.staleAnswerButton(3, 'editing')),
    },
  ])(
    'when it is tapped $when, then nothing is stored and the reply says how to change it',
    ({ state, event, reply }) => {
      expect(transition(state, tasks, event)).toEqual({ state, replies: [reply], effect: 'none' });
    },
  );

  it('when the texts are built, then each names the question and the way to change it', () => {
    expect(m.staleAnswerButton(2, 'summary')).toBe(
      'That button belongs to question 2, which is already answered. To change that answer, reply EDIT 2 or tap Edit.',
    );
    expect(m.staleAnswerButton(1, 'answering')).toMatch(/reply EDIT 1 once all questions are answered, or BACK/);
  });
});

// QA pass (operator with gloves): OK tapped twice 0.2 s apart answered Question 1, then the second tap was told the
// button belongs to an answered question, with Question 2 again. A repeat of the answer just given gets no reply.
describe('transition when the button that just answered a question is tapped again', () => {
  const q1Ok = stateAt(1, { answers: [answerFor(0)] });
  const option = (key: string, taskIndex: number) => buttonEv(`opt:${SESSION}:${taskIndex}:${key}`, key);
  it.each([
    { when: 'in the same second (a double tap)', state: q1Ok, event: tap('OK', 0) },
    { when: 'within the window', state: q1Ok, event: later(tap('OK', 0), REPEAT_TAP_WINDOW_MS) },
    {
      when: 'on the last question, once the summary came',
      state: summaryState(),
      event: later(tap('OK', 2), 1000),
    },
    {
      when: 'on a question answered again after EDIT 2 (the summary came back)',
      state: summaryState({ answers: [answerFor(0), answerFor(1, { status: 'NA' }), answerFor(2)] }),
      event: tap('NA', 1),
    },
    {
      when: "on a choice's option",
      state: stateAt(1, { answers: [answerFor(0, { optionKey: 'worn', value: 'Worn' })] }),
      event: later(option('worn', 0), 2000),
    },
  ])('when it is tapped $when, then nothing changes and nothing is sent', ({ state, event }) => {
    expect(transition(state, tasks, event)).toEqual({ state, replies: [], effect: 'none' });
  });

  it.each([
    {
      when: 'another button of that question',
      state: q1Ok,
      event: tap('NOT_OK', 0),
      reply: questionReply(1, m.staleAnswerButton(1, 'answering')),
    },
    {
      when: 'the same button after the window',
      state: q1Ok,
      event: later(tap('OK', 0), REPEAT_TAP_WINDOW_MS + 1000),
      reply: questionReply(1, m.staleAnswerButton(1, 'answering')),
    },
    {
      when: "another option of a choice's question",
      state: stateAt(1, { answers: [answerFor(0, { optionKey: 'worn', value: 'Worn' })] }),
      event: option('ok', 0),
      reply: questionReply(1, m.staleAnswerButton(1, 'answering')),
    },
  ])('when it is $when, then the reply says how to change that answer, as before', ({ state, event, reply }) => {
    expect(transition(state, tasks, event)).toEqual({ state, replies: [reply], effect: 'none' });
  });

  it("when the open question's button is tapped twice (NOT OK), then its note is asked for again", () => {
    const noting = stateAt(0, { draft: draftOf({ status: 'NOT_OK' }) });

    const result = transition(noting, tasks, tap('NOT_OK', 0));

    expect(result.replies).toHaveLength(1);
    expect(result.state.draft.status).toBe('NOT_OK');
  });
});
