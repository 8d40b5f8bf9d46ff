import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { checklistTemplateTasks } from '../../src/lib/db/schema.js';
import { useSignedInHarness, type Agent, type FormPost } from '../support/admin.js';
import type { Harness } from '../support/harness.js';

let h: Harness;
let agent: Agent;
let post: FormPost;
useSignedInHarness((s) => ({ h, agent, post } = s));

/** A checklist with one choice task (Clean, Dirty, Damaged failing), made through the REST API. */
async function choiceTemplate() {
  const res = await h.api.post('/api/templates', {
    name: 'Guards',
    tasks: [
      {
        text: 'Guard condition',
        type: 'choice',
        options: [{ label: 'Clean' }, { label: 'Dirty' }, { label: 'Damaged', fails: true }],
      },
    ],
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const t = res.body as { id: number; tasks: { id: number }[] };
  return { templateId: t.id, taskId: t.tasks[0]!.id };
}

const taskRow = async (id: number) =>
  (await h.database.db.select().from(checklistTemplateTasks).where(eq(checklistTemplateTasks.id, id)))[0]!;

/** The text of the field error under the input with this id. */
const errorUnder = (html: string, id: string) =>
  new RegExp(`<p class="field-error" id="${id}-error">([^<]*)</p>`).exec(html)?.[1];

describe('the checklist editor', () => {
  it('when an option is reworded and one added, then the old options keep their keys and the new one gets the next', async () => {
    const { templateId, taskId } = await choiceTemplate();
    const res = await post(`/templates/${templateId}/tasks/${taskId}`, {
      text: 'Guard condition',
      type: 'choice',
      allowNa: 'on',
      'options[0][key]': 'o1',
      'options[0][label]': 'Spotless',
      'options[1][key]': 'o3',
      'options[1][label]': 'Damaged',
      'options[1][fails]': 'on',
      'options[2][key]': '',
      'options[2][label]': 'Missing',
      'options[2][fails]': 'on',
    });
    expect(res.status).toBe(303);
    expect((await taskRow(taskId)).options).toEqual([
      { key: 'o1', label: 'Spotless', fails: false },
      { key: 'o3', label: 'Damaged', fails: true },
      { key: 'o4', label: 'Missing', fails: true },
    ]);
  });

  it('when a choice task becomes a number task, then its options are cleared and its unit and limits saved', async () => {
    const { templateId, taskId } = await choiceTemplate();
    const res = await post(`/templates/${templateId}/tasks/${taskId}`, {
      text: 'Guard gap',
      type: 'number',
      unit: 'mm',
      min: '0',
      max: '2,5',
      decimals: '1',
      allowNa: 'off',
      'options[0][label]': 'Clean',
    });
    expect(res.status).toBe(303);
    expect(await taskRow(taskId)).toMatchObject({
      text: 'Guard gap',
      taskType: 'number',
      unit: 'mm',
      minValue: 0,
      maxValue: 2.5,
      decimals: 1,
      allowNa: false,
      options: null,
    });
  });

  it('when a task is saved with duplicate options, then the page is a 400 with the message under that option and nothing is saved', async () => {
    const { templateId, taskId } = await choiceTemplate();
    const res = await post(`/templates/${templateId}/tasks/${taskId}`, {
      text: 'Guard condition',
      type: 'choice',
      'options[0][key]': 'o1',
      'options[0][label]': 'Clean',
      'options[1][key]': 'o2',
      'options[1][label]': 'CLEAN',
    });
    expect(res.status).toBe(400);
    expect(errorUnder(res.text, `task-${taskId}-option-1`)).toBe('repeats another option (&#34;CLEAN&#34;)');
    expect(res.text).toContain('value="CLEAN"');
    expect((await taskRow(taskId)).options).toHaveLength(3);
  });

  it('when a number task is added with a word as its max, then the error says to type a number and no task is added', async () => {
    const { templateId } = await choiceTemplate();
    const res = await post(`/templates/${templateId}/tasks`, { text: 'Pressure', type: 'number', max: 'eight' });
    expect(res.status).toBe(400);
    expect(errorUnder(res.text, 'new-max')).toBe('must be a number, like 5 or 7.5');
    const page = await agent.get(`/templates/${templateId}/edit`);
    expect(page.text).not.toContain('value="Pressure"');
  });
});
