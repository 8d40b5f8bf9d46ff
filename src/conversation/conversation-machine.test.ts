import { describe, expect, it } from 'vitest';
import { toOutgoing } from '../outbox/outbox-messages.js';
import { firstQuestion, transition } from './conversation-machine.js';
import {
  SESSION,
  allAnswers,
  answerFor,
  at,
  confirmReminderReply,
  deepFreeze,
  imageEv,
  namedQuestion1Reply,
  names,
  photoFailedEv,
  q,
  questionReply,
  stateAt,
  summaryReply,
  summaryState,
  tap,
  tasks,
  textEv,
  textReply,
  unsupportedEv,
  join,
} from '../../tests/support/conversation-fixtures.js';
import type { InboundEvent, SessionState } from './conversation-types.js';
import { draftAfter, draftOf } from '../../tests/support/conversation-fixtures.js';
import { messagesEn as m } from './messages.en.js';

describe('firstQuestion', () => {
  it.each([
    {
      when: 'the session starts',
      index: 0,
      start: '📋 Question 1 of 3: Check oil level\nTap a button or reply OK / NOT OK / NA',
    },
    { when: 'the current task needs a photo', index: 1, start: '📋 Question 2 of 3: Photo of the pressure gauge\n' },
  ])('when $when, then it asks that question with the answer buttons', ({ index, start }) => {
    const replies = firstQuestion(stateAt(index), tasks);

    expect(replies).toEqual([questionReply(index)]);
    expect(replies[0]?.body.startsWith(start)).toBe(true);
    expect(replies[0]?.body.includes('Photo required')).toBe(tasks[index]!.requiresPhoto);
  });

  // QA pass: every question said "Example: OK - oil level normal", even "Check belt tension".
  it.each(['Check belt tension', 'Clean the filter'])(
    'when a check question "%s" is asked, then its hint shows the form without another task\'s words',
    (text) => {
      const body = m.question(2, 3, text);

      expect(body.split('\n')).toEqual([`📋 Question 2 of 3: ${text}`, m.formatHint()]);
      expect(body).not.toMatch(/oil level/);
      expect(m.formatHint()).toContain('NOT OK - what is wrong');
    },
  );

  it('when the names are given, then Question 1 starts as before and names the machine and checklist on its last line', () => {
    const [reply] = firstQuestion(stateAt(0), tasks, names);

    expect(reply).toEqual(namedQuestion1Reply());
    expect(reply?.body).toBe(`${q(0)}\n🛠 Lathe 1 · Daily press check`);
    expect(reply?.body.startsWith('📋 Question 1 of 3: Check oil level\n')).toBe(true);
  });

  it.each([
    { when: 'the current question is not Question 1', state: stateAt(1), reply: questionReply(1) },
    {
      when: 'a NOT OK note is awaited on Question 1',
      state: stateAt(0, { draft: draftOf({ status: 'NOT_OK' }) }),
      reply: textReply(m.notOkAskNote()),
    },
    { when: 'the summary waits for CONFIRM', state: summaryState(), reply: summaryReply(allAnswers) },
  ])('when the names are given but $when, then the prompt is unchanged', ({ state, reply }) => {
    expect(firstQuestion(state, tasks, names)).toEqual([reply]);
  });

  it.each([
    {
      when: 'a due time is given (issue 17 QA item 1)',
      due: { time: '05:40', day: 'Mon 7 Dec', daysAhead: 0 },
      line: '🛠 Lathe 1 · Daily press check · due by 05:40',
    },
    {
      when: 'a due time on the next day is given (a night shift)',
      due: { time: '06:00', day: 'Tue 8 Dec', daysAhead: 1 },
      line: '🛠 Lathe 1 · Daily press check · due by 06:00 tomorrow',
    },
    { when: 'no due time is given', due: undefined, line: '🛠 Lathe 1 · Daily press check' },
  ])('when $when, then the names line under Question 1 is "$line"', ({ due, line }) => {
    const body = firstQuestion(stateAt(0), tasks, { ...names, ...(due ? { due } : {}) })[0]!.body;

    expect(body).toBe(`${q(0)}\n${line}`);
  });

  it('when a name is very long or spans lines, then it is cut to one short line', () => {
    const long = { template: `Weekly ${'very '.repeat(30)}long check`, machine: 'Press\n7' };

    const body = firstQuestion(stateAt(0), tasks, long)[0]!.body;

    const line = body.split('\n').at(-1)!;
    expect(line).toMatch(/^🛠 Press 7 · Weekly very very .*…$/);
    expect(Array.from(line).length).toBeLessThanOrEqual(2 + 40 + 3 + 40);
  });

  const long = { template: 'T'.repeat(200), machine: 'M'.repeat(200) };
  const bodiesOf = (taskText: string, requiresPhoto: boolean) => {
    const messages = toOutgoing(
      firstQuestion(stateAt(0, { totalTasks: 1 }), [{ id: 1, text: taskText, requiresPhoto }], long)[0]!,
    );
    expect(messages.at(-1)).toMatchObject({
      type: 'interactive',
      interactive: { action: { buttons: [{ reply: { id: `ans:${SESSION}:0:OK` } }, {}, {}] } },
    });
    return messages.map((msg) =>
      msg.type === 'text' ? msg.text.body : msg.type === 'interactive' ? msg.interactive.body.text : '',
    );
  };

  it("when the task text is as long as allowed, then every message fits Meta's 1024 characters and the names line is left out rather than sit alone above the buttons", () => {
    const bodies = bodiesOf('x'.repeat(900), true);

    for (const body of bodies) expect(body.length).toBeLessThanOrEqual(1024);
    expect(bodies[0]!.startsWith(`📋 Question 1 of 1: ${'x'.repeat(900)}`)).toBe(true);
    expect(bodies.join('\n')).not.toContain('🛠');
  });

  it('when a long task still fits one message with the names, then it is one buttons message ending with them', () => {
    const bodies = bodiesOf('x'.repeat(800), false);

    expect(bodies).toHaveLength(1);
    expect(bodies[0]!.length).toBeLessThanOrEqual(1024);
    expect(bodies[0]).toMatch(/^📋 Question 1 of 1: x{800}\n[^]*\n🛠 M+… · T+…$/);
  });
});

describe('transition when the session is not active', () => {
  const statuses = ['completed', 'expired', 'cancelled'] as const;
  const events = [textEv('OK'), textEv('CONFIRM'), tap('OK', 0), photoFailedEv, unsupportedEv];
  it.each(statuses.flatMap((status) => events.map((event) => ({ status, event, kind: event.kind }))))(
    'when it is $status and a $kind arrives, then nothing changes and there is no open checklist',
    ({ status, event }) => {
      const state = stateAt(0, { status });

      expect(transition(state, tasks, event)).toEqual({
        state,
        replies: [textReply(m.noActiveSession())],
        effect: 'none',
      });
    },
  );

  it('when it is completed and a photo arrives, then the photo is reported as discarded', () => {
    const state = stateAt(3, { status: 'completed' });

    expect(transition(state, tasks, imageEv('p.jpg', 'OK'))).toEqual({
      state,
      replies: [textReply(m.noActiveSession())],
      effect: 'none',
      discardedPhotos: ['p.jpg'],
    });
  });
});

describe('transition while asking a question, when nothing is stored', () => {
  it.each([
    {
      when: 'the text is not an answer',
      state: stateAt(0),
      event: textEv('nothing'),
      reply: questionReply(0, m.invalidAnswer('nothing')),
    },
    {
      // Issue 14 item 13: "okay" is an answer now (was refused here); a question mark still makes a question.
      when: 'the text is OK followed by a question mark',
      state: stateAt(2),
      event: textEv('okay?'),
      reply: questionReply(2, m.invalidAnswer('okay?')),
    },
    {
      when: 'CONFIRM comes too early',
      state: stateAt(0),
      event: textEv('confirm'),
      reply: questionReply(0, m.confirmTooEarly()),
    },
    {
      when: 'an unsupported message arrives',
      state: stateAt(1, { draft: draftOf({ photos: ['a.jpg'] }) }),
      event: unsupportedEv,
      reply: questionReply(1, m.unsupportedType()),
    },
    {
      when: 'a photo download failed',
      state: stateAt(1, { draft: draftOf({ photos: ['a.jpg'] }) }),
      event: photoFailedEv,
      reply: questionReply(1, m.photoFailed()),
    },
    {
      when: 'a photo download failed while a NOT OK note is awaited',
      state: stateAt(0, { draft: draftOf({ status: 'NOT_OK' }) }),
      event: photoFailedEv,
      reply: textReply(join(m.photoFailed(), m.notOkAskNote())),
    },
  ])('when $when, then the state is unchanged and the operator is told why', ({ state, event, reply }) => {
    const result = transition(state, tasks, event);

    expect(result).toEqual({ state, replies: [reply], effect: 'none' });
  });

  it('when the text is not an answer, then the 🤔 reply repeats the question', () => {
    const [reply] = transition(stateAt(0), tasks, textEv('hello')).replies;

    expect(reply?.body).toMatch(/^🤔/);
    expect(reply?.body).toContain('📋 Question 1 of 3: Check oil level');
  });
});

describe('transition while asking a question, when an answer is stored', () => {
  it.each([
    {
      when: 'text answers task 1 (option C)',
      state: stateAt(0),
      event: textEv('OK - oil level normal'),
      stored: answerFor(0, { remarks: 'oil level normal' }),
    },
    {
      when: 'text answers a photo task after the photo (option B)',
      state: stateAt(1, { draft: draftOf({ photos: ['g.jpg'] }) }),
      event: textEv('NOT OK leak'),
      stored: answerFor(1, { status: 'NOT_OK', remarks: 'leak', photo: 'g.jpg' }),
    },
    {
      when: 'text answers a plain task with a pending photo',
      state: stateAt(0, { draft: draftOf({ photos: ['o.jpg'] }) }),
      event: textEv('na'),
      stored: answerFor(0, { status: 'NA', photo: 'o.jpg' }),
    },
    {
      when: 'a photo has the answer as caption (option A)',
      state: stateAt(1),
      event: imageEv('c.jpg', 'OK: 5 bar'),
      stored: answerFor(1, { remarks: '5 bar', photo: 'c.jpg' }),
    },
    {
      when: 'a photo task gets an N/A tap without a photo (NA needs no photo)',
      state: stateAt(1),
      event: tap('NA', 1),
      stored: answerFor(1, { status: 'NA' }),
    },
  ])('when $when, then it is stored and the next question is sent with buttons', ({ state, event, stored }) => {
    const result = transition(state, tasks, event);

    expect(result).toEqual({
      state: {
        ...state,
        currentTaskIndex: state.currentTaskIndex + 1,
        answers: [stored],
        draft: draftAfter(event, state.currentTaskIndex),
      },
      replies: [questionReply(state.currentTaskIndex + 1)],
      effect: 'answered',
      answer: stored,
    });
  });

  it('when the last task is answered, then the summary is sent with Confirm and Edit buttons', () => {
    const state = stateAt(2, { answers: [answerFor(0), answerFor(1, { photo: 'g.jpg' })] });

    const result = transition(state, tasks, textEv('NOT OK - dirty'));

    expect(result.state.currentTaskIndex).toBe(3);
    expect(result.replies).toEqual([summaryReply(result.state.answers)]);
    expect(result.replies[0]?.body).toMatch(/^✅ All 3 questions answered\. Summary:/);
    expect(result.replies[0]?.body).toContain('Reply CONFIRM to submit.');
  });

  it.each([
    {
      when: 'an answer already exists for the task',
      existing: [answerFor(0), answerFor(1, { status: 'NA' })],
      taskIds: [11, 12],
    },
    { when: 'a later answer already exists', existing: [answerFor(2), answerFor(0)], taskIds: [11, 12, 13] },
  ])('when $when, then answers stay one per task, ordered by task', ({ existing, taskIds }) => {
    const result = transition(
      stateAt(1, { answers: existing, draft: draftOf({ photos: ['g.jpg'] }) }),
      tasks,
      textEv('OK'),
    );

    expect(result.state.answers.map((a) => a.taskId)).toEqual(taskIds);
    expect(result.state.answers.find((a) => a.taskIndex === 1)).toEqual(answerFor(1, { photo: 'g.jpg' }));
  });
});

describe('transition while asking a question, when a photo comes without an answer (option B)', () => {
  it.each([
    { when: 'a photo comes alone', caption: null, draft: draftOf({ photos: ['new.jpg'] }), withNote: false },
    {
      when: 'a photo comes with an empty caption',
      caption: '  ',
      draft: draftOf({ photos: ['new.jpg'] }),
      withNote: false,
    },
    {
      when: 'the caption is not an answer',
      caption: 'gauge',
      draft: draftOf({ photos: ['new.jpg'], remarks: 'gauge', remarksFromCaption: true }),
      withNote: true,
    },
  ])(
    'when $when, then it is kept in the draft (a caption as the note of the answer to come)',
    ({ caption, draft, withNote }) => {
      const state = stateAt(1);

      const result = transition(state, tasks, imageEv('new.jpg', caption));

      expect(result).toEqual({
        state: { ...state, draft },
        replies: [textReply(m.photosReceived(1, withNote))],
        effect: 'none',
      });
      expect(result.replies[0]?.body).toMatch(/^📷 Photo received.*, now send OK \/ NOT OK \/ NA with remarks$/);
    },
  );
});

describe('transition when a second photo comes before the answer', () => {
  it.each([
    { when: 'it comes alone', event: imageEv('new.jpg'), remarks: null },
    { when: 'its caption is not an answer', event: imageEv('new.jpg', 'OK?'), remarks: 'OK?' },
  ])('when $when, then both photos are kept and nothing is discarded', ({ event, remarks }) => {
    const result = transition(stateAt(1, { draft: draftOf({ photos: ['old.jpg'] }) }), tasks, event);

    expect(result.discardedPhotos).toBeUndefined();
    expect(result.state.draft).toMatchObject({ photos: ['old.jpg', 'new.jpg'], remarks });
    expect(result.replies[0]?.body).toBe(m.photosReceived(2, remarks !== null));
  });

  it('when an image with an answer caption follows, then the answer has both photos, the first as its photo', () => {
    const result = transition(stateAt(1, { draft: draftOf({ photos: ['old.jpg'] }) }), tasks, imageEv('new.jpg', 'ok'));

    expect(result.answer).toEqual(answerFor(1, { photo: 'old.jpg', photos: ['old.jpg', 'new.jpg'] }));
    expect(result.discardedPhotos).toBeUndefined();
  });

  it('when text answers with the pending photo, then nothing is discarded', () => {
    expect(
      transition(stateAt(1, { draft: draftOf({ photos: ['g.jpg'] }) }), tasks, textEv('OK')).discardedPhotos,
    ).toBeUndefined();
  });
});

describe('transition while the start template waits for a reply (awaitingStart)', () => {
  const waiting = stateAt(0, { awaitingStart: true });
  it.each([
    { when: 'a text answer arrives', event: textEv('OK - oil level normal'), discarded: undefined },
    {
      when: 'the template quick-reply is tapped',
      event: { kind: 'button', id: 'Start', title: 'Start', at } as InboundEvent,
      discarded: undefined,
    },
    {
      when: 'a start button is tapped',
      event: { kind: 'button', id: `start:${waiting.sessionId}`, title: 'Start', at } as InboundEvent,
      discarded: undefined,
    },
    { when: 'a command arrives', event: textEv('STATUS'), discarded: undefined },
    { when: 'a photo with an answer caption arrives', event: imageEv('early.jpg', 'OK'), discarded: ['early.jpg'] },
  ])('when $when, then Question 1 is sent and nothing is stored', ({ event, discarded }) => {
    const result = transition(waiting, tasks, event);

    expect(result.state).toEqual({ ...waiting, awaitingStart: false });
    expect(result.replies).toEqual([questionReply(0)]);
    expect(result.effect).toBe('none');
    expect(result.answer).toBeUndefined();
    expect(result.discardedPhotos).toEqual(discarded);
  });

  it('when the names are given, then that Question 1 names the machine and checklist', () => {
    const result = transition(waiting, tasks, textEv('hi'), m, names);

    expect(result.replies).toEqual([namedQuestion1Reply()]);
  });
});

describe('transition after Question 1 was sent', () => {
  it.each([
    {
      when: 'the operator sends something that is not an answer',
      event: textEv('hello'),
      reply: questionReply(0, m.invalidAnswer('hello')),
    },
    { when: 'the operator asks for HELP', event: textEv('HELP'), reply: questionReply(0, m.help()) },
  ])('when $when, then Question 1 is asked again without the names line', ({ event, reply }) => {
    expect(transition(stateAt(0), tasks, event, m, names).replies).toEqual([reply]);
  });
});

describe('transition at the summary', () => {
  it.each(['CONFIRM', 'confirm', ' con firm '])(
    'when the operator sends "%s", then the session is completed',
    (body) => {
      const state = summaryState();

      expect(transition(state, tasks, textEv(body))).toEqual({
        state: { ...state, status: 'completed' },
        replies: [textReply(m.completed())],
        effect: 'completed',
      });
    },
  );

  it.each([
    { when: 'the text is an answer', event: textEv('OK'), reply: confirmReminderReply(), discardedPhoto: undefined },
    {
      when: 'the text is something else',
      event: textEv('yes'),
      reply: confirmReminderReply(),
      discardedPhoto: undefined,
    },
    {
      when: 'a photo arrives (item 4: it is not attached, and the operator is told how to attach one)',
      event: imageEv('late.jpg', 'OK'),
      reply: confirmReminderReply(m.photoAtSummary()),
      discardedPhoto: 'late.jpg',
    },
    {
      when: 'an unsupported message arrives',
      event: unsupportedEv,
      reply: confirmReminderReply(m.unsupportedType()),
      discardedPhoto: undefined,
    },
    {
      when: 'a photo download failed',
      event: photoFailedEv,
      reply: summaryReply(allAnswers, m.photoFailed()),
      discardedPhoto: undefined,
    },
  ])('when $when, then nothing is stored and CONFIRM is asked for with buttons', ({ event, reply, discardedPhoto }) => {
    const state = summaryState();

    const result = transition(state, tasks, event);

    expect(result).toEqual({
      state,
      replies: [reply],
      effect: 'none',
      ...(discardedPhoto ? { discardedPhotos: [discardedPhoto] } : {}),
    });
  });
});

describe('transition purity', () => {
  it.each<{ when: string; state: SessionState; event: InboundEvent }>([
    {
      when: 'an answer is stored',
      state: stateAt(1, { answers: [answerFor(0)], draft: draftOf({ photos: ['g.jpg'] }) }),
      event: textEv('OK'),
    },
    {
      when: 'an option A photo is stored',
      state: stateAt(1, { answers: [answerFor(0)] }),
      event: imageEv('c.jpg', 'OK'),
    },
    {
      when: 'a photo is kept pending',
      state: stateAt(1, { draft: draftOf({ photos: ['old.jpg'] }) }),
      event: imageEv('n.jpg'),
    },
    { when: 'the text is invalid', state: stateAt(1), event: textEv('??') },
    { when: 'the session is confirmed', state: summaryState(), event: textEv('CONFIRM') },
    { when: 'the session starts from the template', state: stateAt(0, { awaitingStart: true }), event: textEv('hi') },
  ])('when $when, then the input state is not mutated', ({ state, event }) => {
    const before = structuredClone(state);

    transition(deepFreeze(state), tasks, event);

    expect(state).toEqual(before);
  });
});
