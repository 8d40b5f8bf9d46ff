import { describe, expect, it } from 'vitest';
import {
  MAX_BUTTON_ID_LENGTH, MAX_BUTTON_TITLE_LENGTH, answerButtonId, answerButtons, parseButtonId, startButtonId,
  summaryButtonId, summaryButtons,
} from './buttons.js';
import { firstQuestion, transition } from './conversation-machine.js';
import { SESSION, stateAt, summaryState, tasks, textEv } from './conversation-fixtures.js';
import { messagesEn as m } from './messages.en.js';

describe('button ids', () => {
  it.each([
    { id: answerButtonId(SESSION, 0, 'OK'), action: { kind: 'answer', sessionId: SESSION, taskIndex: 0, status: 'OK' } },
    { id: answerButtonId(SESSION, 12, 'NOT_OK'), action: { kind: 'answer', sessionId: SESSION, taskIndex: 12, status: 'NOT_OK' } },
    { id: answerButtonId('a:b', 1, 'NA'), action: { kind: 'answer', sessionId: 'a:b', taskIndex: 1, status: 'NA' } },
    { id: summaryButtonId(SESSION, 'CONFIRM'), action: { kind: 'summary', sessionId: SESSION, action: 'CONFIRM' } },
    { id: summaryButtonId(SESSION, 'EDIT'), action: { kind: 'summary', sessionId: SESSION, action: 'EDIT' } },
    { id: startButtonId(SESSION), action: { kind: 'start', sessionId: SESSION } },
  ])('when "$id" is parsed, then it gives back what made it', ({ id, action }) => {
    expect(parseButtonId(id)).toEqual(action);
  });

  it('when an answer id is made, then it has the documented format', () => {
    expect(answerButtonId(SESSION, 2, 'NOT_OK')).toBe(`ans:${SESSION}:2:NOT_OK`);
    expect(summaryButtonId(SESSION, 'CONFIRM')).toBe(`sum:${SESSION}:CONFIRM`);
  });

  it.each(['Start', '', 'ans:', `ans:${SESSION}:x:OK`, `ans:${SESSION}:1:MAYBE`, `ans::1:OK`, `sum:${SESSION}:SEND`, 'start:'])(
    'when "%s" is parsed, then it is not one of our ids',
    (id) => {
      expect(parseButtonId(id)).toBeNull();
    },
  );

  it.each([
    { when: 'the session id is too long', make: () => answerButtonId('s'.repeat(250), 0, 'OK') },
    { when: 'the session id is empty', make: () => summaryButtonId('', 'EDIT') },
    { when: 'the task index is negative', make: () => answerButtonId(SESSION, -1, 'OK') },
  ])('when $when, then making the id throws', ({ make }) => {
    expect(make).toThrow();
  });
});

describe('reply buttons within Meta limits', () => {
  const all = [...answerButtons(SESSION, 999, m), ...summaryButtons(SESSION, m)];

  it.each(all)('when the button "$title" is made for a uuid session, then title and id fit', ({ id, title }) => {
    expect(title.length).toBeLessThanOrEqual(MAX_BUTTON_TITLE_LENGTH);
    expect(id.length).toBeLessThanOrEqual(MAX_BUTTON_ID_LENGTH);
  });

  it('when a question is sent, then it has OK, NOT OK and N/A buttons', () => {
    const [reply] = firstQuestion(stateAt(1), tasks);

    expect(reply).toMatchObject({
      kind: 'buttons',
      buttons: [
        { id: `ans:${SESSION}:1:OK`, title: 'OK' },
        { id: `ans:${SESSION}:1:NOT_OK`, title: 'NOT OK' },
        { id: `ans:${SESSION}:1:NA`, title: 'N/A' },
      ],
    });
  });

  it('when the summary is sent, then it has Confirm and Edit buttons and at most 3', () => {
    const [reply] = transition(summaryState(), tasks, textEv('STATUS')).replies;

    expect(reply?.kind === 'buttons' ? reply.buttons : []).toEqual([
      { id: `sum:${SESSION}:CONFIRM`, title: 'Confirm' },
      { id: `sum:${SESSION}:EDIT`, title: 'Edit' },
    ]);
  });
});
