import { describe, expect, it } from 'vitest';
import { MAX_TEXT, toOutgoing } from '../outbox/outbox-messages.js';
import {
  MAX_BUTTON_ID_LENGTH,
  MAX_BUTTON_TITLE_LENGTH,
  MAX_LIST_BUTTON_LENGTH,
  MAX_LIST_ROWS,
  MAX_ROW_DESCRIPTION_LENGTH,
  MAX_ROW_ID_LENGTH,
  MAX_ROW_TITLE_LENGTH,
  MAX_SECTION_TITLE_LENGTH,
  answerButtonId,
  answerButtons,
  editRowId,
  fitLine,
  parseButtonId,
  startButtonId,
  summaryButtonId,
  summaryButtons,
} from './buttons.js';
import { firstQuestion, transition } from './conversation-machine.js';
import {
  SESSION,
  answerFor,
  stateAt,
  summaryState,
  summaryTap,
  tasks,
  textEv,
} from '../../tests/support/conversation-fixtures.js';
import type { Task } from './conversation-types.js';
import { messagesEn as m } from './messages.en.js';

describe('button ids', () => {
  it.each([
    {
      id: answerButtonId(SESSION, 0, 'OK'),
      action: { kind: 'answer', sessionId: SESSION, taskIndex: 0, status: 'OK' },
    },
    {
      id: answerButtonId(SESSION, 12, 'NOT_OK'),
      action: { kind: 'answer', sessionId: SESSION, taskIndex: 12, status: 'NOT_OK' },
    },
    { id: answerButtonId('a:b', 1, 'NA'), action: { kind: 'answer', sessionId: 'a:b', taskIndex: 1, status: 'NA' } },
    { id: summaryButtonId(SESSION, 'CONFIRM'), action: { kind: 'summary', sessionId: SESSION, action: 'CONFIRM' } },
    { id: summaryButtonId(SESSION, 'EDIT'), action: { kind: 'summary', sessionId: SESSION, action: 'EDIT' } },
    { id: startButtonId(SESSION), action: { kind: 'start', sessionId: SESSION } },
    { id: editRowId(SESSION, 0), action: { kind: 'edit', sessionId: SESSION, taskIndex: 0 } },
    { id: editRowId('a:b', 9), action: { kind: 'edit', sessionId: 'a:b', taskIndex: 9 } },
  ])('when "$id" is parsed, then it gives back what made it', ({ id, action }) => {
    expect(parseButtonId(id)).toEqual(action);
  });

  it('when an answer id is made, then it has the documented format', () => {
    expect(answerButtonId(SESSION, 2, 'NOT_OK')).toBe(`ans:${SESSION}:2:NOT_OK`);
    expect(summaryButtonId(SESSION, 'CONFIRM')).toBe(`sum:${SESSION}:CONFIRM`);
    expect(editRowId(SESSION, 1)).toBe(`edit:${SESSION}:1`);
  });

  it.each([
    'Start',
    '',
    'ans:',
    `ans:${SESSION}:x:OK`,
    `ans:${SESSION}:1:MAYBE`,
    `ans::1:OK`,
    `sum:${SESSION}:SEND`,
    'start:',
    'edit:',
    `edit:${SESSION}`,
    `edit:${SESSION}:-1`,
    `edit::1`,
    'EDIT 2',
  ])('when "%s" is parsed, then it is not one of our ids', (id) => {
    expect(parseButtonId(id)).toBeNull();
  });

  it.each([
    { when: 'the session id is too long', make: () => answerButtonId('s'.repeat(250), 0, 'OK') },
    { when: 'the session id is empty', make: () => summaryButtonId('', 'EDIT') },
    { when: 'the task index is negative', make: () => answerButtonId(SESSION, -1, 'OK') },
    { when: "a row's task index is not a whole number", make: () => editRowId(SESSION, 1.5) },
    { when: "a row id would pass Meta's 200 characters", make: () => editRowId('s'.repeat(194), 0) },
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

describe('fitLine', () => {
  it.each([
    { text: 'Check oil level', max: 24, line: 'Check oil level' },
    { text: '  Check\n oil\tlevel ', max: 24, line: 'Check oil level' },
    { text: 'a'.repeat(24), max: 24, line: 'a'.repeat(24) },
    { text: 'a'.repeat(25), max: 24, line: `${'a'.repeat(23)}…` },
    { text: 'Check the   belt tension now', max: 11, line: 'Check the…' }, // no space before the "…"
    { text: `${'a'.repeat(22)}📷b`, max: 24, line: `${'a'.repeat(22)}…` }, // the emoji would straddle the limit
    { text: '   ', max: 24, line: '-' },
  ])('when "$text" is fitted to $max, then it reads "$line"', ({ text, max, line }) => {
    expect(fitLine(text, max)).toBe(line);
  });
});

describe('the Edit list within Meta limits', () => {
  const longText = (i: number) => `${i}️⃣ Inspect 🔧 the\nhydraulic line ${'and every fitting along it '.repeat(12)}`;
  const longTasks: Task[] = Array.from({ length: MAX_LIST_ROWS }, (_, i) => ({
    id: i,
    text: longText(i),
    requiresPhoto: i % 2 === 0,
  }));
  const answers = longTasks.map((_, i) =>
    answerFor(i, {
      taskId: i,
      status: i % 3 === 0 ? 'NOT_OK' : 'OK',
      remarks: `leak 🛢️ ${'near the valve '.repeat(20)}`,
      photo: i % 2 === 0 ? `p${i}.jpg` : null,
    }),
  );
  const state = stateAt(MAX_LIST_ROWS, { totalTasks: MAX_LIST_ROWS, answers });

  it('when Edit is tapped on 10 long questions with long remarks, then the Graph payload keeps every limit of a list message', () => {
    const [reply] = transition(state, longTasks, summaryTap('EDIT')).replies;

    const messages = toOutgoing(reply!);

    expect(messages).toHaveLength(1);
    const [message] = messages;
    if (message?.type !== 'interactive' || message.interactive.type !== 'list')
      throw new Error('expected a list message');
    const { body, action } = message.interactive;
    expect(body.text.length).toBeLessThanOrEqual(MAX_TEXT);
    expect(action.button.length).toBeLessThanOrEqual(MAX_LIST_BUTTON_LENGTH);
    expect(action.sections).toHaveLength(1);
    expect(action.sections[0]!.title.length).toBeLessThanOrEqual(MAX_SECTION_TITLE_LENGTH);
    const rows = action.sections.flatMap((s) => s.rows);
    expect(rows).toHaveLength(MAX_LIST_ROWS);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    for (const row of rows) {
      expect(row.id.length).toBeLessThanOrEqual(MAX_ROW_ID_LENGTH);
      // Within the limit whether Meta counts UTF-16 units or code points.
      expect(row.title.length).toBeLessThanOrEqual(MAX_ROW_TITLE_LENGTH);
      expect(row.description.length).toBeLessThanOrEqual(MAX_ROW_DESCRIPTION_LENGTH);
      expect(row.title).toMatch(/…$/);
      expect(row.description).toMatch(/^(OK|NOT OK) - leak 🛢️ near the valve .*…$/);
      expect(row.title).not.toMatch(/[\n\t]/);
    }
    expect(rows[0]!.title).toBe('1. 0️⃣ Inspect 🔧 the h…');
  });

  it('when the labels are measured, then the list button and section title fit', () => {
    expect(m.editList.button.length).toBeLessThanOrEqual(MAX_LIST_BUTTON_LENGTH);
    expect(m.editList.section.length).toBeLessThanOrEqual(MAX_SECTION_TITLE_LENGTH);
  });
});
