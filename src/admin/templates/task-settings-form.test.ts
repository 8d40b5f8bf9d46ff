import { describe, expect, it } from 'vitest';
import { blankTaskForm, optionKeys, parseTaskForm, taskColumns, taskFormFromBody } from './task-settings-form.js';

const form = (body: Record<string, unknown>) => taskFormFromBody({ text: 'Hydraulic pressure', ...body });
const options = (...labels: string[]) => labels.map((label) => ({ label }));

describe('parseTaskForm', () => {
  it.each([
    {
      case: 'min above max',
      body: { type: 'number', min: '8', max: '5' },
      field: 'min',
      says: 'must not be above max (5)',
    },
    {
      case: 'a word as min',
      body: { type: 'number', min: 'five' },
      field: 'min',
      says: 'must be a number, like 5 or 7.5',
    },
    {
      case: 'decimals 1.5',
      body: { type: 'number', decimals: '1.5' },
      field: 'decimals',
      says: 'whole number from 0 to 6',
    },
    { case: 'decimals 9', body: { type: 'number', decimals: '9' }, field: 'decimals', says: '6' },
    {
      case: 'a 17-character unit',
      body: { type: 'number', unit: 'x'.repeat(17) },
      field: 'unit',
      says: 'at most 16 characters',
    },
    {
      case: 'one option',
      body: { type: 'choice', options: options('Clean') },
      field: 'options',
      says: 'needs 2 to 9 options',
    },
    {
      case: 'a repeated label (case and accents aside)',
      body: { type: 'choice', options: options('Dañado', '', 'danado') },
      field: 'options.1.label', // blank rows are dropped: the form is shown again without them
      says: 'repeats another option',
    },
    {
      case: 'a 21-character label',
      body: { type: 'choice', options: options('Clean', 'y'.repeat(21)) },
      field: 'options.1.label',
      says: 'at most 20 characters',
    },
    { case: 'no text', body: { text: '  ', type: 'text' }, field: 'text', says: 'is required' },
  ])('when the form has $case, then the error is on $field and says so in words', ({ body, field, says }) => {
    const { value, errors } = parseTaskForm(form(body));
    expect(value).toBeNull();
    expect(errors[field]).toContain(says);
  });

  it('when a number task is typed with a comma and one limit, then it parses to numbers and the other limit stays open', () => {
    const { value, errors } = parseTaskForm(form({ type: 'number', unit: ' °C ', max: '60,5', decimals: '1' }));
    expect(errors).toEqual({});
    expect(value).toMatchObject({ type: 'number', unit: '°C', max: 60.5, decimals: 1 });
    expect(value!.min ?? null).toBeNull();
  });

  it('when a check task is sent with number and choice fields filled in, then only its own settings are read', () => {
    const { value, errors } = parseTaskForm(
      form({ type: 'check', unit: 'bar', min: 'x', options: options('Clean', 'Clean') }),
    );
    expect(errors).toEqual({});
    expect(taskColumns(value!, [], null)).toMatchObject({
      taskType: 'check',
      unit: null,
      minValue: null,
      options: null,
    });
  });

  it('when the N/A box is unticked, then N/A is off; when the form has no N/A box at all, then it stays allowed', () => {
    expect(taskFormFromBody({ text: 'x', allowNa: 'off' }).allowNa).toBe(false);
    expect(taskFormFromBody({ text: 'x', allowNa: ['off', 'on'] }).allowNa).toBe(true);
    expect(taskFormFromBody({ text: 'x' }).allowNa).toBe(true);
  });

  it('when 10 options are given with N/A allowed, then they are refused, and without N/A they are taken', () => {
    const ten = options(...Array.from({ length: 10 }, (_, i) => `Option ${i + 1}`));
    expect(parseTaskForm(form({ type: 'choice', options: ten })).errors.options).toContain('N/A takes a list row');
    expect(parseTaskForm(form({ type: 'choice', allowNa: 'off', options: ten })).errors).toEqual({});
  });

  it('when a blank form is shown, then it offers 4 option rows and a check task', () => {
    expect(blankTaskForm()).toMatchObject({ type: 'check', allowNa: true });
    expect(blankTaskForm().options).toHaveLength(4);
  });
});

describe('optionKeys', () => {
  const existing = [
    { key: 'o1', label: 'Clean', fails: false },
    { key: 'o2', label: 'Dirty', fails: false },
    { key: 'o3', label: 'Damaged', fails: true },
  ];

  it.each([
    {
      case: 'a label is reworded',
      submitted: [
        { key: 'o1', label: 'Spotless', fails: false },
        { key: 'o2', label: 'Dirty', fails: false },
      ],
      keys: ['o1', 'o2'],
    },
    {
      case: 'an option is added',
      submitted: [
        { key: 'o1', label: 'Clean', fails: false },
        { key: '', label: 'Leaking', fails: true },
      ],
      keys: ['o1', 'o4'],
    },
    {
      case: 'a key the task never had is sent',
      submitted: [
        { key: 'o9', label: 'Clean', fails: false },
        { key: 'o1', label: 'Dirty', fails: false },
      ],
      keys: ['o4', 'o1'],
    },
    {
      case: 'one key is sent twice',
      submitted: [
        { key: 'o2', label: 'A', fails: false },
        { key: 'o2', label: 'B', fails: false },
      ],
      keys: ['o2', 'o4'],
    },
  ])('when $case, then the keys are $keys', ({ submitted, keys }) => {
    expect(optionKeys(existing, submitted).map((o) => o.key)).toEqual(keys);
  });

  it('when a task had no options, then they are numbered from o1', () => {
    expect(
      optionKeys(null, [
        { key: '', label: 'A', fails: false },
        { key: '', label: 'B', fails: true },
      ]),
    ).toEqual([
      { key: 'o1', label: 'A', fails: false },
      { key: 'o2', label: 'B', fails: true },
    ]);
  });
});
