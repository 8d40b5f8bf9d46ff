import { describe, expect, it } from 'vitest';
import { editChoice, questionPrompt } from './prompts.js';
import { factoryDateTime } from './factory-time.js';
import { messagesEn as m } from './messages.en.js';
import { newSessionState } from './conversation-machine.js';
import type { Answer, Task } from './conversation-types.js';

const names = { template: 'Daily press check', machine: 'Press 7' };

describe('the words of a rework (issue 18 rework QA)', () => {
  it.each([
    ['UTC', '2026-12-07T06:12:00Z', 'Mon 7 Dec, 06:12'],
    // The factory's zone, not the server's: 23:50 UTC is already Tuesday in Kolkata.
    ['Asia/Kolkata', '2026-12-07T23:50:00Z', 'Tue 8 Dec, 05:20'],
  ])(
    'when a submission confirmed at a time is named in %s, then it reads as the factory says it',
    (zone, at, words) => {
      expect(factoryDateTime(new Date(at), zone)).toBe(words);
    },
  );

  it('when a rework reaches its summary, then each line names its task number as its question did when they differ (QA: summary before CONFIRM)', () => {
    const tasks: Task[] = [
      { id: 1, text: 'Check oil', requiresPhoto: false, position: 1 },
      { id: 4, text: 'Hour meter reading', requiresPhoto: false, position: 4 },
    ];
    const answers: Answer[] = tasks.map((t, taskIndex) => ({
      taskIndex,
      taskId: t.id,
      status: 'OK',
      remarks: null,
      photo: null,
      answeredAt: '2026-12-07T06:00:00Z',
    }));
    const lines = m.summary(tasks, answers).split('\n');

    expect(lines[1]).toBe('1. Check oil - OK');
    expect(lines[2]).toBe('2. Hour meter reading (task 4 of the checklist) - OK');
  });

  it("when a rework's Edit list opens, then each row names its task number under it as the summary does when they differ (QA: Edit list before CONFIRM)", () => {
    const tasks: Task[] = [
      { id: 1, text: 'Check oil', requiresPhoto: false, position: 1 },
      { id: 4, text: 'Hour meter reading', requiresPhoto: false, position: 4 },
    ];
    const answers: Answer[] = [
      { taskIndex: 0, taskId: 1, status: 'OK', remarks: null, photo: null, answeredAt: '2026-12-07T06:00:00Z' },
      { taskIndex: 1, taskId: 4, status: 'NOT_OK', remarks: 'counter stuck', photo: null, answeredAt: '' },
    ];
    const state = { ...newSessionState('s', 2), currentTaskIndex: 2, answers };

    const list = editChoice(state, tasks, m);

    expect(list.kind).toBe('list');
    const rows = list.kind === 'list' ? list.rows : [];
    expect(rows.map((r) => [r.title, r.description])).toEqual([
      ['1. Check oil', 'OK'],
      // The title is cut at 24 characters, so the task number goes first under it.
      ['2. Hour meter reading', '(task 4 of the checklist) NOT OK - counter stuck'],
    ]);
  });

  it('when a rework starts, then its first line names the checklist, the machine, when it was submitted and the comment (item 3)', () => {
    expect(m.reworkIntro(names, 'Re-read task 2', 1, 'Mon 7 Dec, 06:12')).toBe(
      '🔁 Your manager sent back "Daily press check" for Press 7, your checklist of Mon 7 Dec, 06:12: "Re-read task 2". Please answer this question again.',
    );
  });

  it.each([
    // Task 2 of the checklist is the rework's question 1: both numbers, the question's first.
    [
      { id: 1, text: 'Check belts', requiresPhoto: false, position: 2 },
      0,
      1,
      '📋 Question 1 of 1: Check belts (task 2 of the checklist)',
    ],
    // The same number: nothing to add.
    [{ id: 1, text: 'Check oil', requiresPhoto: false, position: 1 }, 0, 2, '📋 Question 1 of 2: Check oil'],
    [{ id: 1, text: 'Check oil', requiresPhoto: false }, 0, 1, '📋 Question 1 of 1: Check oil'],
  ] as Array<[Task, number, number, string]>)(
    'when a question of a rework is asked (%j), then its line keeps "Question i of k" and names its task number when it differs (item 4)',
    (task, index, total, line) => {
      const state = { ...newSessionState('s', total), currentTaskIndex: index };
      const tasks = Array.from({ length: total }, (_, i) =>
        i === index ? task : { id: 9, text: 'Other', requiresPhoto: false },
      );
      const reply = questionPrompt(state, tasks, m, names);
      expect(reply.body.split('\n')[0]).toBe(line);
      expect(reply.body).toContain('🛠 Press 7 · Daily press check');
    },
  );

  it.each([
    [3, 1, 'There is no question 3: there is only 1 question. Reply EDIT 1 to change its answer.'],
    [5, 2, 'There is no question 5: there are 2 questions. Reply EDIT and a number from 1 to 2.'],
  ])('when EDIT %i names no question of %i, then the reply says how many there are (item 4)', (n, total, words) => {
    expect(m.editOutOfRange(n, total)).toBe(words);
  });

  it.each([
    [1, 'The question is answered.'],
    [3, 'All 3 questions answered.'],
  ])(
    'when all %i questions are answered, then the count is worded in the singular or plural (item 7)',
    (total, words) => {
      expect(m.status(total + 1, total, total)).toBe(words);
    },
  );

  // QA pass: a rework of one task ended with "The 1 question is answered." and "(1 to 1). Example: EDIT 2".
  it.each([
    [1, '✅ The question is answered. Summary:'],
    [3, '✅ All 3 questions answered. Summary:'],
  ])('when the summary is built for %i question(s), then its first line reads naturally', (total, line) => {
    const tasks = Array.from({ length: total }, (_, i) => ({ id: i + 1, text: `Task ${i + 1}`, requiresPhoto: false }));
    expect(m.summary(tasks, []).split('\n')[0]).toBe(line);
  });

  it.each([
    [1, 'To change the answer, reply EDIT 1.'],
    [3, 'To change an answer, reply EDIT and its question number (1 to 3). Example: EDIT 2'],
  ])('when EDIT n is explained for %i question(s), then the range and example fit the count', (total, words) => {
    expect(m.editHelp(total)).toBe(words);
    expect(m.editListBody(total)).toContain(words);
  });

  it.each([
    [
      { waiting: 1, next: names, nextIsRework: true, startsNow: true },
      '➡️ Next: the checklist your manager sent back, "Daily press check" for Press 7. Its questions follow now.',
    ],
    [{ waiting: 0, next: null, startsNow: true }, 'No other checklist is waiting for you.'],
    [{ waiting: 2, next: names, nextIsRework: true, startsNow: true }, 'After it, 1 more checklist is waiting.'],
  ])(
    'when a checklist is submitted with %j waiting, then the thank-you says what comes next, a rework included (item 2)',
    (queue, line) => {
      expect(m.submitted(names, queue).split('\n')).toContain(line);
    },
  );
});
