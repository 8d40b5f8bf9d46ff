import { describe, expect, it } from 'vitest';
import { parseCommand } from './commands.js';
import { transition } from './conversation-machine.js';
import {
  allAnswers,
  answerFor,
  confirmButtons,
  confirmReminderReply,
  deepFreeze,
  imageEv,
  join,
  textReply,
  questionReply,
  stateAt,
  summaryReply,
  summaryState,
  summaryTap,
  tap,
  tasks,
  textEv,
} from '../../tests/support/conversation-fixtures.js';
import type { InboundEvent, SessionState } from './conversation-types.js';
import { draftAfter, draftOf } from '../../tests/support/conversation-fixtures.js';
import { emptyDraft } from './draft.js';
import { messagesEn as m } from './messages.en.js';

describe('parseCommand', () => {
  it.each([
    { text: 'BACK', command: { kind: 'back' } },
    { text: ' back ', command: { kind: 'back' } },
    { text: 'Status', command: { kind: 'status' } },
    { text: 'help', command: { kind: 'help' } },
    { text: 'EDIT 2', command: { kind: 'edit', n: 2 } },
    { text: 'edit   3 ', command: { kind: 'edit', n: 3 } },
    { text: 'Edit2', command: { kind: 'edit', n: 2 } },
    { text: 'EDIT 0', command: { kind: 'edit', n: 0 } },
    { text: 'edit', command: { kind: 'edit', n: null } },
  ])('when the text is "$text", then it is the $command.kind command', ({ text, command }) => {
    expect(parseCommand(text)).toEqual(command);
  });

  // Issue 14 item 13: trailing marks after a command ("EDIT 2.", "back."), and a few ways of numbering.
  it.each([
    { text: 'EDIT 2.', command: { kind: 'edit', n: 2 } },
    { text: 'back.', command: { kind: 'back' } },
    { text: 'Back!', command: { kind: 'back' } },
    { text: 'BACK ..', command: { kind: 'back' } },
    { text: 'back?', command: { kind: 'back' } },
    { text: 'edit 3!', command: { kind: 'edit', n: 3 } },
    { text: 'Edit #2', command: { kind: 'edit', n: 2 } },
    { text: 'edit no. 3', command: { kind: 'edit', n: 3 } },
    { text: 'edit q1', command: { kind: 'edit', n: 1 } },
    { text: 'status?', command: { kind: 'status' } },
    { text: 'Status.', command: { kind: 'status' } },
    { text: 'help!', command: { kind: 'help' } },
    { text: 'HELP??', command: { kind: 'help' } },
    { text: 'help 🙏', command: null },
  ])('when the text is "$text", then it is read as $command', ({ text, command }) => {
    expect(parseCommand(text)).toEqual(command);
  });

  it.each(['go back', 'BACKWARDS', 'edit two', 'EDIT -1', 'help me', 'OK', 'CONFIRM', ''])(
    'when the text is "%s", then it is not a command',
    (text) => {
      expect(parseCommand(text)).toBeNull();
    },
  );
});

describe('transition when BACK is sent', () => {
  const answered = [answerFor(0, { remarks: 'fine' }), answerFor(1, { photo: 'g.jpg' })];
  it.each([
    {
      when: 'at question 3 with a photo waiting (it goes with the new answer, and the reply says so)',
      state: stateAt(2, { answers: answered, draft: draftOf({ photos: ['p.jpg'] }) }),
      next: stateAt(1, { answers: answered, draft: draftOf({ photos: ['p.jpg'] }) }),
      reply: join(questionReply(1).body, m.earlierAnswer(answered[1]!, true), m.photoCarried()),
    },
    {
      when: 'at the summary',
      state: summaryState(),
      next: stateAt(2, { answers: allAnswers }),
      reply: join(questionReply(2).body, m.earlierAnswer(allAnswers[2]!)),
    },
    {
      when: 'while editing question 2',
      state: summaryState({ currentTaskIndex: 1, editing: true }),
      next: stateAt(0, { answers: allAnswers }),
      reply: join(questionReply(0).body, m.earlierAnswer(allAnswers[0]!)),
    },
    {
      when: 'at question 1',
      state: stateAt(0),
      next: stateAt(0),
      reply: questionReply(0, m.noPreviousQuestion()).body,
    },
  ])('when it is sent $when, then the previous question is asked again and answers stay', ({ state, next, reply }) => {
    const result = transition(state, tasks, textEv('back'));

    expect(result.state).toEqual(next);
    expect(result.effect).toBe('none');
    expect(result.replies).toEqual([{ ...questionReply(next.currentTaskIndex), body: reply }]);
  });

  it('when BACK reopens a question and it is answered, then the stored answer is replaced and the next question follows', () => {
    const back = transition(stateAt(2, { answers: allAnswers.slice(0, 2) }), tasks, textEv('BACK')).state;

    const result = transition(back, tasks, imageEv('g2.jpg', 'NOT OK - 9 bar'));

    expect(result.state.answers.map((a) => [a.taskIndex, a.status, a.photo])).toEqual([
      [0, 'OK', null],
      [1, 'NOT_OK', 'g2.jpg'],
    ]);
    expect(result.replies).toEqual([questionReply(2)]);
  });
});

describe('transition when EDIT n is sent', () => {
  it.each(['EDIT 2', 'edit 2', '  Edit   2 '])(
    'when "%s" is sent at the summary, then question 2 is reopened for editing',
    (body) => {
      const result = transition(summaryState(), tasks, textEv(body));

      expect(result.state).toEqual(summaryState({ currentTaskIndex: 1, editing: true }));
      expect(result.replies).toEqual([
        { ...questionReply(1), body: join(questionReply(1).body, m.earlierAnswer(allAnswers[1]!)) },
      ]);
      expect(result.effect).toBe('none');
    },
  );

  it.each([
    {
      when: 'a plain question is answered by text',
      edit: 'EDIT 1',
      event: textEv('NOT OK - low'),
      stored: answerFor(0, { status: 'NOT_OK', remarks: 'low' }),
    },
    {
      when: 'a photo question is answered with a caption',
      edit: 'EDIT 2',
      event: imageEv('g2.jpg', 'OK'),
      stored: answerFor(1, { photo: 'g2.jpg' }),
    },
    { when: 'OK is tapped', edit: 'EDIT 1', event: tap('OK', 0), stored: answerFor(0) },
  ])(
    'when the edited question is answered ($when), then the summary comes back, not the next question',
    ({ edit, event, stored }) => {
      const editing = transition(summaryState(), tasks, textEv(edit)).state;

      const result = transition(editing, tasks, event);

      const answers = allAnswers.map((a) => (a.taskIndex === stored.taskIndex ? stored : a));
      expect(result.state).toEqual(summaryState({ answers, draft: draftAfter(event, stored.taskIndex) }));
      expect(result.replies).toEqual([summaryReply(answers)]);
    },
  );

  it.each([
    // Issue 14 item 19: one short line with the Confirm / Edit buttons, not the whole summary again.
    {
      when: 'n is above the last question',
      state: summaryState(),
      body: 'EDIT 4',
      reply: confirmButtons(m.editOutOfRange(4, 3)),
    },
    { when: 'n is 0', state: summaryState(), body: 'edit 0', reply: confirmButtons(m.editOutOfRange(0, 3)) },
    {
      when: 'n is far out of range',
      state: summaryState(),
      body: 'edit 99.',
      reply: confirmButtons(m.editOutOfRange(99, 3)),
    },
    { when: 'no number is given', state: summaryState(), body: 'EDIT', reply: summaryReply(allAnswers, m.editHelp(3)) },
    {
      when: 'questions are still open',
      state: stateAt(1, { answers: [answerFor(0)] }),
      body: 'EDIT 1',
      reply: questionReply(1, m.editNotYet()),
    },
  ])('when $when, then nothing changes and the operator is told', ({ state, body, reply }) => {
    expect(transition(state, tasks, textEv(body))).toEqual({ state, replies: [reply], effect: 'none' });
  });
});

describe('transition when a reopened question had an answer with a photo', () => {
  // allAnswers[1] (question 2, which requires a photo) was answered with g.jpg.
  const edited = (...events: InboundEvent[]) => {
    let state = transition(summaryState(), tasks, textEv('EDIT 2')).state;
    const results = [];
    for (const event of events) {
      const result = transition(deepFreeze(state), tasks, event);
      results.push(result);
      state = result.state;
    }
    return { state, last: results.at(-1)!, all: results };
  };

  it('when it is reopened, then the operator reads that text alone keeps the photo and a new photo replaces it', () => {
    const [reply] = transition(summaryState(), tasks, textEv('EDIT 2')).replies;

    expect(reply?.body).toContain(
      'Your earlier answer: OK 📷\n📷 Send only your answer to keep this photo, or a new photo to replace it.',
    );
    expect(m.earlierAnswer(answerFor(0))).toBe('Your earlier answer: OK');
  });

  it.each([
    {
      when: 'a photo comes with the answer as its caption',
      events: [imageEv('g2.jpg', 'NOT OK - 9 bar')],
      stored: { status: 'NOT_OK', remarks: '9 bar', photo: 'g2.jpg' },
    },
    {
      when: 'a photo comes alone and the answer after it',
      events: [imageEv('g2.jpg'), textEv('NOT OK - 9 bar')],
      stored: { status: 'NOT_OK', remarks: '9 bar', photo: 'g2.jpg' },
    },
    {
      when: 'NOT OK is tapped, a photo comes alone and then the note',
      events: [tap('NOT_OK', 1), imageEv('g2.jpg'), textEv('needle stuck')],
      stored: { status: 'NOT_OK', remarks: 'needle stuck', photo: 'g2.jpg' },
    },
  ])('when $when, then the new photo is stored and the earlier one is reported as discarded', ({ events, stored }) => {
    const { state, last, all } = edited(...events);

    expect(last.answer).toMatchObject(stored);
    expect(last.discardedPhotos).toEqual(['g.jpg']);
    expect(all.slice(0, -1).map((r) => r.discardedPhotos)).toEqual(all.slice(0, -1).map(() => undefined));
    expect(state).toEqual(summaryState({ answers: state.answers, draft: draftAfter(events.at(-1)!, 1) }));
  });

  it.each([
    {
      when: 'only a text answer comes',
      events: [textEv('NOT OK - 9 bar')],
      stored: { status: 'NOT_OK', remarks: '9 bar', photo: 'g.jpg' },
    },
    { when: 'OK is tapped', events: [tap('OK', 1)], stored: { status: 'OK', remarks: null, photo: 'g.jpg' } },
    {
      when: 'NOT OK is tapped and a note is typed',
      events: [tap('NOT_OK', 1), textEv('needle stuck')],
      stored: { status: 'NOT_OK', remarks: 'needle stuck', photo: 'g.jpg' },
    },
  ])(
    'when $when, then the answer keeps the earlier photo (the task still has its photo) and nothing is discarded',
    ({ events, stored }) => {
      const { state, last } = edited(...events);

      expect(last.effect).toBe('answered');
      expect(last.answer).toMatchObject(stored);
      expect(last.discardedPhotos).toBeUndefined();
      expect(last.replies).toEqual([summaryReply(state.answers)]);
    },
  );

  it('when a plain question answered with a photo is reopened by BACK and answered by text, then it keeps its photo', () => {
    const state = stateAt(1, { answers: [answerFor(0, { photo: 'o.jpg' })] });
    const back = transition(state, tasks, textEv('BACK')).state;

    const result = transition(back, tasks, textEv('NA'));

    expect(result.answer).toEqual(answerFor(0, { status: 'NA', photo: 'o.jpg' }));
    expect(result.discardedPhotos).toBeUndefined();
  });

  it('when BACK reopens a question answered with a photo and a new photo answers it, then the earlier photo is discarded', () => {
    const back = transition(stateAt(2, { answers: allAnswers.slice(0, 2) }), tasks, textEv('BACK')).state;

    const result = transition(back, tasks, imageEv('g2.jpg', 'OK'));

    expect(result.answer?.photo).toBe('g2.jpg');
    expect(result.discardedPhotos).toEqual(['g.jpg']);
  });

  it("when a captioned photo follows a pending one on a reopened question, then both are kept and the earlier answer's photo is discarded", () => {
    const { last } = edited(imageEv('p.jpg'), imageEv('c.jpg', 'OK'));

    expect(last.answer).toMatchObject({ photo: 'p.jpg', photos: ['p.jpg', 'c.jpg'] });
    expect(last.discardedPhotos).toEqual(['g.jpg']);
  });
});

describe('transition when STATUS or HELP is sent', () => {
  it.each([
    {
      when: 'STATUS at question 2',
      state: stateAt(1, { answers: [answerFor(0)] }),
      body: 'STATUS',
      reply: questionReply(1, 'Question 2 of 3, 1 answered'),
    },
    {
      when: 'status at the summary',
      state: summaryState(),
      body: ' status ',
      // Issue 14 item 19: said once (was the sentence, then the summary ending with it again).
      reply: confirmReminderReply('All 3 questions answered.'),
    },
    { when: 'HELP at question 1', state: stateAt(0), body: 'HELP', reply: questionReply(0, m.help()) },
    { when: 'Help at the summary', state: summaryState(), body: 'Help', reply: summaryReply(allAnswers, m.help()) },
  ])('when $when, then it is answered with the current prompt and nothing changes', ({ state, body, reply }) => {
    expect(transition(state, tasks, textEv(body))).toEqual({ state, replies: [reply], effect: 'none' });
  });

  it('when HELP is read, then it explains answers, photos and every command', () => {
    for (const word of [
      'OK',
      'NOT OK',
      'NA',
      'remark',
      'photo',
      'caption',
      'BACK',
      'EDIT n',
      'STATUS',
      'HELP',
      'CONFIRM',
    ]) {
      expect(m.help()).toContain(word);
    }
  });
});

describe('a whole checklist with buttons, a note, EDIT and Confirm', () => {
  it('when the operator taps, notes, edits and confirms, then every answer is stored and the session completes', () => {
    const steps: InboundEvent[] = [
      tap('OK', 0),
      imageEv('gauge.jpg'),
      tap('NOT_OK', 1),
      textEv('7 bar, too high'),
      tap('NA', 2),
      textEv('EDIT 1'),
      textEv('OK - oil level normal'),
      summaryTap('CONFIRM'),
    ];
    let state: SessionState = stateAt(0);
    const effects: string[] = [];

    for (const event of steps) {
      const result = transition(deepFreeze(state), tasks, event);
      state = result.state;
      effects.push(result.effect);
    }

    expect(effects).toEqual(['answered', 'none', 'none', 'answered', 'answered', 'none', 'answered', 'completed']);
    expect(state.status).toBe('completed');
    expect(state.answers.map((a) => [a.taskId, a.status, a.remarks, a.photo])).toEqual([
      [11, 'OK', 'oil level normal', null],
      [12, 'NOT_OK', '7 bar, too high', 'gauge.jpg'],
      [13, 'NA', null, null],
    ]);
  });
});

describe('CONFIRM on a question reopened by EDIT n or BACK', () => {
  const completed = (over: Partial<SessionState> = {}) => ({
    state: {
      ...stateAt(1, { answers: allAnswers, ...over }),
      status: 'completed',
      draft: emptyDraft,
      editing: false,
    },
    replies: [{ kind: 'text', body: m.completed() }],
    effect: 'completed',
  });

  it.each<{ when: string; state: SessionState; event: InboundEvent; discardedPhoto?: string }>([
    {
      when: 'CONFIRM is typed after EDIT 2',
      state: stateAt(1, { answers: allAnswers, editing: true }),
      event: textEv('confirm'),
    },
    {
      when: 'CONFIRM is typed after BACK from the summary',
      state: stateAt(1, { answers: allAnswers }),
      event: textEv('CONFIRM'),
    },
    {
      when: 'the summary Confirm button is tapped after EDIT 2',
      state: stateAt(1, { answers: allAnswers, editing: true }),
      event: summaryTap('CONFIRM'),
    },
  ])('when $when, then the answers are submitted as they stand', ({ state, event }) => {
    const result = transition(deepFreeze(state), tasks, event);

    expect(result).toEqual(completed(state));
    expect(result.state.answers).toEqual(allAnswers);
  });

  it.each<{ when: string; state: SessionState; event: InboundEvent; discarded?: string[] }>([
    {
      when: 'CONFIRM is typed while the NOT OK tapped on it waits for its note',
      state: stateAt(1, { answers: allAnswers, editing: true, draft: draftOf({ status: 'NOT_OK' }) }),
      event: textEv('CONFIRM'),
    },
    {
      when: 'the summary Confirm is tapped while a NOT OK waits for its note',
      state: stateAt(1, { answers: allAnswers, editing: true, draft: draftOf({ status: 'NOT_OK' }) }),
      event: summaryTap('CONFIRM'),
    },
    {
      when: 'CONFIRM is typed while a new photo waits for its answer',
      state: stateAt(1, { answers: allAnswers, editing: true, draft: draftOf({ photos: ['new.jpg'] }) }),
      event: textEv('CONFIRM'),
      discarded: ['new.jpg'],
    },
  ])(
    'when $when, then the answers are submitted as they stand and the operator is told the unfinished change was not kept (item 18)',
    ({ state, event, discarded }) => {
      const result = transition(deepFreeze(state), tasks, event);

      expect(result.effect).toBe('completed');
      expect(result.state.answers).toEqual(allAnswers);
      expect(result.discardedPhotos).toEqual(discarded);
      expect(result.replies).toEqual([textReply(join(m.unfinishedNotKept(2, true), m.completed()))]);
    },
  );

  it('when EDIT 3 is sent on question 2 reopened by EDIT 2, then question 3 is reopened (every question is answered)', () => {
    const result = transition(deepFreeze(stateAt(1, { answers: allAnswers, editing: true })), tasks, textEv('EDIT 3'));

    expect(result.state).toEqual(stateAt(2, { answers: allAnswers, editing: true }));
    expect(result.replies).toEqual([
      { ...questionReply(2), body: join(questionReply(2).body, m.earlierAnswer(allAnswers[2]!)) },
    ]);
  });

  it('when CONFIRM is typed on a question that never had an answer (BACK during the first pass), then it is too early', () => {
    const state = stateAt(1, { answers: [answerFor(0), answerFor(1)] });

    expect(transition(deepFreeze(state), tasks, textEv('CONFIRM'))).toEqual({
      state,
      replies: [questionReply(1, m.confirmTooEarly())],
      effect: 'none',
    });
  });
});
