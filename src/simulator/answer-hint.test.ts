import { describe, expect, it } from 'vitest';
import type { TaskDefinition } from '../conversation/task-definitions.js';
import { answerHint } from './answer-hint.js';

const task = (over: Partial<TaskDefinition>): TaskDefinition => ({ id: 1, text: 'T', requiresPhoto: false, ...over });
const options = [
  { key: 'a', label: 'Clean', fails: false },
  { key: 'b', label: 'Dirty', fails: true },
];

describe('answerHint (the help line under the simulator chat, issue 16)', () => {
  it.each([
    { when: 'no question is open', t: null, says: 'OK, NOT OK or NA', not: 'Type the value' },
    { when: 'the question is a check', t: task({}), says: 'OK, NOT OK or NA', not: 'Type the value' },
    // QA pass: the example borrowed "oil level normal" whatever the task; it shows the form instead.
    { when: 'the question is any check', t: task({}), says: '“NOT OK - what is wrong”', not: 'oil level' },
    {
      when: 'the question is a reading in bar, 5 to 8',
      t: task({ type: 'number', unit: 'bar', min: 5, max: 8 }),
      says: 'Type the value in bar (5 to 8), e.g. “6.5”',
      not: 'NOT OK',
    },
    {
      when: 'the question is a reading that cannot be NA',
      t: task({ type: 'number', max: 60, allowNa: false }),
      says: 'Type the value (at most 60), e.g. “60”',
      not: 'NA',
    },
    {
      when: 'the question is a choice',
      t: task({ type: 'choice', options }),
      says: 'type its number or its label (or NA)',
      not: 'NOT OK',
    },
    { when: 'the question is a text', t: task({ type: 'text' }), says: 'Type your answer as text', not: 'NOT OK' },
  ])('when $when, then the line says "$says"', ({ t, says, not }) => {
    const line = answerHint(t);

    expect(line).toContain(says);
    expect(line).not.toContain(not);
    expect(line).toContain('CONFIRM');
  });
});
