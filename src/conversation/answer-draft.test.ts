// Issue 14: the draft of the current question's answer, state by state (docs/decisions/0010-answer-draft.md).
import { describe, expect, it } from 'vitest';
import {
  allAnswers,
  answerFor,
  at,
  draftAfter,
  draftOf,
  imageEv,
  join,
  noting,
  questionReply,
  stateAt,
  summaryState,
  tap,
  tasks,
  textEv,
  textReply,
} from '../../tests/support/conversation-fixtures.js';
import { transition } from './conversation-machine.js';
import type { Answer, Draft, InboundEvent, Reply, SessionState } from './conversation-types.js';
import { emptyDraft, MAX_PHOTOS } from './draft.js';
import { messagesEn as m } from './messages.en.js';

// Task index 1 needs a photo; 0 and 2 do not.
interface Kept {
  when: string;
  state: SessionState;
  event: InboundEvent;
  draft: Draft;
  reply: Reply;
}

describe('transition keeps an incomplete answer in the draft and says what is missing', () => {
  it.each<Kept>([
    {
      when: 'empty draft, photo task, OK typed (item 15)',
      state: stateAt(1),
      event: textEv('OK'),
      draft: draftOf({ status: 'OK' }),
      reply: textReply(m.answerNeedsPhoto('OK', null)),
    },
    {
      when: 'empty draft, photo task, "NOT OK - guard missing" typed (item 15)',
      state: stateAt(1),
      event: textEv('NOT OK - guard missing'),
      draft: draftOf({ status: 'NOT_OK', remarks: 'guard missing' }),
      reply: textReply(m.answerNeedsPhoto('NOT_OK', 'guard missing')),
    },
    {
      when: 'empty draft, plain task, "not ok" typed without a remark (item 12)',
      state: stateAt(0),
      event: textEv('not ok'),
      draft: noting,
      reply: textReply(m.notOkAskNote()),
    },
    {
      when: 'empty draft, a photo with a caption that is no answer (item 3)',
      state: stateAt(0),
      event: imageEv('p.jpg', 'leak here'),
      draft: draftOf({ photos: ['p.jpg'], remarks: 'leak here', remarksFromCaption: true }),
      reply: textReply(m.photosReceived(1, true)),
    },
    {
      when: 'NOT OK waiting for its note, a photo without caption (item 1)',
      state: stateAt(1, { draft: noting }),
      event: imageEv('p.jpg'),
      draft: draftOf({ status: 'NOT_OK', photos: ['p.jpg'] }),
      reply: textReply(m.photoGotNeedNote()),
    },
    ...['👍', '...', '🙏🏽 !'].map((body) => ({
      when: `NOT OK waiting for its note, "${body}" typed (no word: not a note, QA pass)`,
      state: stateAt(0, { draft: noting }),
      event: textEv(body),
      draft: noting,
      reply: textReply(join(m.noteNeedsWords(), m.notOkAskNote())),
    })),
    {
      when: 'NOT OK waiting for its note on a photo task, the note typed (item 2)',
      state: stateAt(1, { draft: noting }),
      event: textEv('oil leak at valve'),
      draft: draftOf({ status: 'NOT_OK', remarks: 'oil leak at valve' }),
      reply: textReply(m.answerNeedsPhoto('NOT_OK', 'oil leak at valve')),
    },
    {
      when: 'OK waiting for its photo, text that is no answer',
      state: stateAt(1, { draft: draftOf({ status: 'OK' }) }),
      event: textEv('hello'),
      draft: draftOf({ status: 'OK' }),
      reply: textReply(m.answerNeedsPhoto('OK', null)),
    },
    {
      when: 'a photo waiting, a second photo with a caption that is no answer',
      state: stateAt(1, { draft: draftOf({ photos: ['p.jpg'] }) }),
      event: imageEv('q.jpg', 'second side'),
      draft: draftOf({ photos: ['p.jpg', 'q.jpg'], remarks: 'second side', remarksFromCaption: true }),
      reply: textReply(m.photosReceived(2, true)),
    },
    {
      when: 'two caption notes, one per photo',
      state: stateAt(0, { draft: draftOf({ photos: ['p.jpg'], remarks: 'left', remarksFromCaption: true }) }),
      event: imageEv('q.jpg', 'right'),
      draft: draftOf({ photos: ['p.jpg', 'q.jpg'], remarks: 'left; right', remarksFromCaption: true }),
      reply: textReply(m.photosReceived(2, true)),
    },
    {
      when: 'NOT OK waiting for its note, HELP typed (a command keeps its meaning)',
      state: stateAt(0, { draft: noting }),
      event: textEv('HELP'),
      draft: noting,
      reply: textReply(join(m.help(), m.notOkAskNote())),
    },
    {
      when: 'NOT OK waiting for its note at question 1, BACK (nowhere to go: the answer under way stays)',
      state: stateAt(0, { draft: noting }),
      event: textEv('BACK'),
      draft: noting,
      reply: textReply(join(m.noPreviousQuestion(), m.notOkAskNote())),
    },
  ])('when $when, then nothing is stored', ({ state, event, draft, reply }) => {
    const result = transition(state, tasks, event);

    expect(result).toEqual({ state: { ...state, draft }, replies: [reply], effect: 'none' });
  });
});

interface Stored {
  when: string;
  state: SessionState;
  event: InboundEvent;
  stored: Answer;
}

describe('transition stores the answer once it is complete', () => {
  it.each<Stored>([
    {
      when: 'OK waiting for its photo, the photo comes (item 15)',
      state: stateAt(1, { draft: draftOf({ status: 'OK' }) }),
      event: imageEv('p.jpg'),
      stored: answerFor(1, { photo: 'p.jpg' }),
    },
    {
      when: 'a note waiting for its photo, the photo comes (item 2)',
      state: stateAt(1, { draft: draftOf({ status: 'NOT_OK', remarks: 'oil leak' }) }),
      event: imageEv('p.jpg'),
      stored: answerFor(1, { status: 'NOT_OK', remarks: 'oil leak', photo: 'p.jpg' }),
    },
    {
      when: 'a NOT OK and its photo waiting for the note, the note comes (item 1)',
      state: stateAt(1, { draft: draftOf({ status: 'NOT_OK', photos: ['p.jpg'] }) }),
      event: textEv('needle stuck'),
      stored: answerFor(1, { status: 'NOT_OK', remarks: 'needle stuck', photo: 'p.jpg' }),
    },
    {
      when: '"NOT OK - leak" waiting for its photo, then NA: the note of NOT OK does not go with NA (QA pass)',
      state: stateAt(1, { draft: draftOf({ status: 'NOT_OK', remarks: 'leak at valve' }) }),
      event: textEv('NA'),
      stored: answerFor(1, { status: 'NA', remarks: null, photo: null }),
    },
    {
      when: '"OK - dry" waiting for its photo, then a captioned photo "OK": the note of the same status stays',
      state: stateAt(1, { draft: draftOf({ status: 'OK', remarks: 'dry' }) }),
      event: imageEv('p.jpg', 'OK'),
      stored: answerFor(1, { status: 'OK', remarks: 'dry', photo: 'p.jpg' }),
    },
    {
      when: 'a caption note waiting, NOT OK typed (item 3)',
      state: stateAt(1, { draft: draftOf({ photos: ['p.jpg'], remarks: 'leak here', remarksFromCaption: true }) }),
      event: textEv('NOT OK'),
      stored: answerFor(1, { status: 'NOT_OK', remarks: 'leak here', photo: 'p.jpg' }),
    },
    {
      when: 'a caption note waiting, NOT OK tapped (item 3)',
      state: stateAt(1, { draft: draftOf({ photos: ['p.jpg'], remarks: 'leak here', remarksFromCaption: true }) }),
      event: tap('NOT_OK', 1),
      stored: answerFor(1, { status: 'NOT_OK', remarks: 'leak here', photo: 'p.jpg' }),
    },
    {
      when: 'a caption note waiting, an answer with its own remark (item 3)',
      state: stateAt(1, { draft: draftOf({ photos: ['p.jpg'], remarks: 'leak here', remarksFromCaption: true }) }),
      event: textEv('NOT OK - drip'),
      stored: answerFor(1, { status: 'NOT_OK', remarks: 'drip', photo: 'p.jpg' }),
    },
    {
      when: 'NOT OK waiting for its note, "na chal raha motor" (item 11)',
      state: stateAt(0, { draft: noting }),
      event: textEv('na chal raha motor'),
      stored: answerFor(0, { status: 'NOT_OK', remarks: 'na chal raha motor' }),
    },
    {
      when: 'NOT OK waiting for its note, a tap on N/A (taps name their status)',
      state: stateAt(0, { draft: noting }),
      event: tap('NA', 0),
      stored: answerFor(0, { status: 'NA' }),
    },
    {
      when: 'NA typed on a photo task with no photo (item 15)',
      state: stateAt(1),
      event: textEv('NA - machine off'),
      stored: answerFor(1, { status: 'NA', remarks: 'machine off' }),
    },
    {
      when: 'OK waiting for its photo, an image captioned NOT OK - crack (the last status wins)',
      state: stateAt(1, { draft: draftOf({ status: 'OK' }) }),
      event: imageEv('p.jpg', 'NOT OK - crack'),
      stored: answerFor(1, { status: 'NOT_OK', remarks: 'crack', photo: 'p.jpg' }),
    },
  ])('when $when, then it is stored and the next question is asked', ({ state, event, stored }) => {
    const result = transition(state, tasks, event);

    expect(result.effect).toBe('answered');
    expect(result.answer).toEqual(stored);
    expect(result.state.draft).toEqual(draftAfter(event, state.currentTaskIndex));
    expect(result.replies).toEqual([questionReply(state.currentTaskIndex + 1)]);
  });
});

describe('transition with many photos (item 10)', () => {
  const five = ['1.jpg', '2.jpg', '3.jpg', '4.jpg', '5.jpg'];

  it('when a sixth photo comes, then it is not kept and the operator is told, with what is still missing', () => {
    const state = stateAt(1, { draft: draftOf({ status: 'NOT_OK', photos: five }) });

    const result = transition(state, tasks, imageEv('6.jpg', 'NOT OK - sixth'));

    expect(result).toEqual({
      state,
      replies: [textReply(join(m.tooManyPhotos(MAX_PHOTOS), m.photoGotNeedNote()))],
      effect: 'none',
      discardedPhotos: ['6.jpg'],
    });
  });

  it('when the answer comes after five photos, then it keeps all five, the first as its photo', () => {
    const result = transition(stateAt(1, { draft: draftOf({ photos: five }) }), tasks, textEv('OK'));

    expect(result.answer).toEqual(answerFor(1, { photo: '1.jpg', photos: five }));
  });

  const later = new Date(at.getTime() + 2_000);
  const withPhoto = answerFor(1, { photo: 'a.jpg' });
  const albumAfter = (taskIndex: number) => draftAfter(imageEv('a.jpg'), taskIndex);
  const imageAt = (when: Date): InboundEvent => ({ kind: 'image', photo: 'b.jpg', caption: null, at: when });

  it('when a photo is sent in the same second as the photo that completed the previous answer, then it goes with that answer', () => {
    const state = stateAt(2, { answers: [answerFor(0), withPhoto], draft: albumAfter(1) });

    const result = transition(state, tasks, imageAt(at));

    expect(result.answer).toEqual({ ...withPhoto, photos: ['a.jpg', 'b.jpg'] });
    expect(result.state).toEqual({ ...state, answers: [answerFor(0), result.answer] });
    expect(result.replies).toEqual([textReply(m.photoAddedTo(2, 2))]);
  });

  it.each([
    {
      when: 'in a later second',
      state: stateAt(2, { answers: [withPhoto], draft: albumAfter(1) }),
      event: imageAt(later),
    },
    { when: 'after an answer completed by text', state: stateAt(2, { answers: [withPhoto] }), event: imageAt(at) },
  ])('when a photo is sent $when, then it belongs to the current question', ({ state, event }) => {
    const result = transition(state, tasks, event);

    expect(result.answer).toBeUndefined();
    expect(result.state.draft).toEqual(draftOf({ photos: ['b.jpg'] }));
  });

  it('when a text comes between, then the album is over and a photo in the same second belongs to the current question', () => {
    const state = stateAt(2, { answers: [withPhoto], draft: albumAfter(1) });
    const afterText = transition(state, tasks, textEv('STATUS')).state;

    const result = transition(afterText, tasks, imageAt(at));

    expect(result.answer).toBeUndefined();
    expect(result.state.draft.photos).toEqual(['b.jpg']);
  });

  it('when an album photo comes at the summary after the last answer, then it goes with that answer', () => {
    const last = answerFor(2, { photo: 'a.jpg' });
    const state = summaryState({ answers: [answerFor(0), answerFor(1), last], draft: albumAfter(2) });

    const result = transition(state, tasks, imageAt(at));

    expect(result.answer).toEqual({ ...last, photos: ['a.jpg', 'b.jpg'] });
    expect(result.state.currentTaskIndex).toBe(3);
  });
});

describe('transition when a question with an answer under way is left (item 18)', () => {
  const reopened = (draft: Draft) => stateAt(1, { answers: allAnswers, editing: true, draft });

  it.each([
    { leave: 'EDIT 3', to: 2 },
    { leave: 'BACK', to: 0 },
  ])(
    'when $leave is sent, then the operator is told the change was not kept, and its photos are deleted',
    ({ leave, to }) => {
      const result = transition(reopened(draftOf({ status: 'NOT_OK', photos: ['n.jpg'] })), tasks, textEv(leave));

      expect(result.state.currentTaskIndex).toBe(to);
      expect(result.state.draft).toEqual(emptyDraft);
      expect(result.state.answers).toEqual(allAnswers);
      expect(result.replies[0]?.body).toContain(m.unfinishedNotKept(2, true));
      expect(result.discardedPhotos).toEqual(['n.jpg']);
    },
  );

  it('when the question left had no answer before, then the message says the unfinished answer was not kept', () => {
    const result = transition(stateAt(2, { answers: allAnswers.slice(0, 2), draft: noting }), tasks, textEv('BACK'));

    expect(result.replies[0]?.body).toContain(m.unfinishedNotKept(3, false));
  });
});
