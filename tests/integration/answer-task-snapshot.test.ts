// Each answer keeps its task as it was answered (migration 0007): editing a checklist's tasks later must
// not rewrite past submissions in the API, the report, the CSV or the progress page.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../../src/lib/db/migrate.js';
import { useSignedInHarness, type Agent, type FormPost } from '../support/admin.js';
import type { Harness } from '../support/harness.js';
import { operatorWithWork, rows } from '../support/lifecycle.js';
import { say, settle } from '../support/settle.js';
import type { SubmissionBody } from '../support/api-bodies.js';

let h: Harness;
let agent: Agent;
let post: FormPost;
useSignedInHarness((s) => ({ h, agent, post } = s));

const today = () => new Date().toISOString().slice(0, 10);

/** An operator whose checklist has started (Question 1 sent), with its template's task ids in order. */
async function started(tasks: string[]) {
  const w = await operatorWithWork(h, tasks);
  const a = await w.assign();
  await settle(h);
  return { ...w, a, submissionId: a.submissionId!, taskIds: w.template.tasks.map((t) => t.id) };
}

const setTask = (taskId: number, text: string, requiresPhoto = false) =>
  h.database.pool.query('UPDATE checklist_template_tasks SET text = $2, requires_photo = $3 WHERE id = $1', [
    taskId,
    text,
    requiresPhoto,
  ]);

const snapshots = (submissionId: string) =>
  rows<{ position: number; task_text: string | null; task_requires_photo: boolean | null }>(
    h,
    'SELECT position, task_text, task_requires_photo FROM checklist_submission_answers WHERE submission_id = $1 ORDER BY position',
    [submissionId],
  );

const apiTaskTexts = async (submissionId: string) => {
  const res = await h.api.get(`/api/submissions/${submissionId}`);
  expect(res.status).toBe(200);
  return (res.body as SubmissionBody).answers.map((a) => a.taskText);
};

describe('a completed submission after its checklist is edited', () => {
  it("when a task's text is edited after a submission was completed, then the API, the report page, the CSV and the progress page still show the text as answered, and a new submission shows the new text", async () => {
    const w = await started(['Check oil level', 'Check belt tension']);
    await say(h, w.phone, 'OK - level fine', 'NOT OK - belt worn', 'CONFIRM');

    const edit = await post(`/templates/${w.template.id}/tasks/${w.taskIds[0]}`, {
      text: 'Check oil level (sight glass)',
    });

    expect(edit.status).toBe(303);
    expect(await apiTaskTexts(w.submissionId)).toEqual(['Check oil level', 'Check belt tension']);
    const report = await agent.get(`/submissions/${w.submissionId}`);
    expect(report.text).toContain('>Check oil level<');
    expect(report.text).not.toContain('sight glass');
    const csv = await agent.get(`/submissions.csv?from=${today()}&to=${today()}&machineId=${w.machine.id}`);
    expect(csv.text).toContain(`${w.submissionId},`);
    expect(csv.text).toContain(',1,Check oil level,OK,level fine,');
    expect(csv.text).not.toContain('sight glass');
    expect((await agent.get(`/assignments/${w.a.id}`)).text).not.toContain('sight glass');

    const next = await w.assign();
    await settle(h);
    await say(h, w.phone, 'OK - level fine', 'OK - belt fine', 'CONFIRM');
    expect(await apiTaskTexts(next.submissionId!)).toEqual(['Check oil level (sight glass)', 'Check belt tension']);
    expect(await apiTaskTexts(w.submissionId)).toEqual(['Check oil level', 'Check belt tension']);
  });

  it('when a task is made to need a photo after a submission was completed, then its progress page does not tag that answer "needs a photo"', async () => {
    const w = await started(['Check oil level']);
    await say(h, w.phone, 'OK - level fine', 'CONFIRM');

    await post(`/templates/${w.template.id}/tasks/${w.taskIds[0]}`, { text: 'Check oil level', requiresPhoto: 'on' });

    expect(await snapshots(w.submissionId)).toEqual([
      { position: 1, task_text: 'Check oil level', task_requires_photo: false },
    ]);
    const page = await agent.get(`/assignments/${w.a.id}`);
    expect(page.text).toContain('Check oil level');
    expect(page.text).not.toContain('needs a photo');
  });
});

describe('the snapshot on each write path', () => {
  it('when an answer is given, then it stores the task as it was when answered', async () => {
    const w = await started(['Check oil level', 'Check belt tension']);
    await setTask(w.taskIds[0]!, 'Check oil level (v2)');

    await say(h, w.phone, 'OK - level fine');
    await setTask(w.taskIds[0]!, 'Check oil level (v3)', true);

    expect(await snapshots(w.submissionId)).toEqual([
      { position: 1, task_text: 'Check oil level (v2)', task_requires_photo: false },
    ]);
    expect(await apiTaskTexts(w.submissionId)).toEqual(['Check oil level (v2)']);
  });

  it('when an answer is edited at the summary (EDIT 1), then it stores the text current at that time', async () => {
    const w = await started(['Check oil level', 'Check belt tension']);
    await say(h, w.phone, 'OK - level fine', 'OK - belt fine');
    await setTask(w.taskIds[0]!, 'Check oil level (sight glass)');

    await say(h, w.phone, 'EDIT 1', 'NOT OK - level low', 'CONFIRM');
    await setTask(w.taskIds[0]!, 'Check oil level (dipstick)');

    expect((await snapshots(w.submissionId)).map((s) => s.task_text)).toEqual([
      'Check oil level (sight glass)',
      'Check belt tension',
    ]);
    expect(await apiTaskTexts(w.submissionId)).toEqual(['Check oil level (sight glass)', 'Check belt tension']);
  });
});

describe('answers stored before the snapshot', () => {
  const migration = fs
    .readFileSync(path.join(MIGRATIONS_DIR, '0007_answer_task_snapshot.sql'), 'utf8')
    .split('--> statement-breakpoint');

  it('when an answer has no stored task text, then readers show the current text, and running migration 0007 again fills it in and leaves other snapshots alone', async () => {
    const old = await started(['Check oil level']);
    await say(h, old.phone, 'OK - level fine', 'CONFIRM');
    const kept = await started(['Check belt tension']);
    await say(h, kept.phone, 'OK - belt fine', 'CONFIRM');
    await h.database.pool.query(
      'UPDATE checklist_submission_answers SET task_text = NULL, task_requires_photo = NULL WHERE submission_id = $1',
      [old.submissionId],
    );
    await setTask(old.taskIds[0]!, 'Check oil level (sight glass)', true);
    await setTask(kept.taskIds[0]!, 'Check belt tension (new)');

    expect(await apiTaskTexts(old.submissionId)).toEqual(['Check oil level (sight glass)']);
    const csv = await agent.get(`/submissions.csv?from=${today()}&to=${today()}&machineId=${old.machine.id}`);
    expect(csv.text).toContain(',1,Check oil level (sight glass),OK,level fine,');

    for (const statement of migration) await h.database.pool.query(statement);

    expect(await snapshots(old.submissionId)).toEqual([
      { position: 1, task_text: 'Check oil level (sight glass)', task_requires_photo: true },
    ]);
    expect(await snapshots(kept.submissionId)).toEqual([
      { position: 1, task_text: 'Check belt tension', task_requires_photo: false },
    ]);
  });
});
