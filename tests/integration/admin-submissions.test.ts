// The submission report (escaping, review) and the CSV export, as a signed-in manager sees them.
import { describe, expect, it } from 'vitest';
import { assignChecklist, createMachine } from '../support/factories.js';
import type { Harness } from '../support/harness.js';
import { useSignedInHarness, type Agent, type FormPost } from '../support/admin.js';
import { say, settle } from '../support/settle.js';

let h: Harness;
let agent: Agent;
let post: FormPost;
useSignedInHarness((s) => ({ h, agent, post } = s));

const today = () => new Date().toISOString().slice(0, 10);

/** A confirmed checklist whose answers are the given texts. */
async function completed(tasks: string[], answers: string[]) {
  const s = await assignChecklist(h, tasks);
  await settle(h);
  await say(h, s.operator.phoneNumber, ...answers, 'CONFIRM');
  return s;
}

describe('the submission report', () => {
  it('when a remark is <script>alert(1)</script>, then the report shows it as text, escaped', async () => {
    const s = await completed(
      ['Check oil level', 'Check belts'],
      ['NOT OK - <script>alert(1)</script>', 'OK - <img src=x onerror=alert(2)>'],
    );

    const res = await agent.get(`/submissions/${s.assignment.submissionId}`);

    expect(res.status).toBe(200);
    expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(res.text).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(res.text).not.toContain('<script>alert(1)');
    expect(res.text).not.toContain('<img src=x');
    expect(res.text).toContain('id="approve"');
  });

  it('when a NOT OK submission is approved, then it leaves the dashboard list, needs_review turns false and who and when are recorded', async () => {
    const s = await completed(['Check oil level'], ['NOT OK - leak at valve']);
    const id = s.assignment.submissionId;
    expect((await agent.get('/')).text).toContain(`/submissions/${id}`);

    const res = await post(`/submissions/${id}/review`);
    const twice = await post(`/submissions/${id}/review`);

    expect(res.status).toBe(303);
    expect(twice.status).toBe(303);
    const { rows } = await h.database.pool.query(
      'SELECT needs_review, review_status, reviewed_at, reviewed_by FROM checklist_submissions WHERE id = $1',
      [id],
    );
    // Issue 18: needs_review is true exactly while the review is pending, so approving clears it.
    expect(rows[0]).toMatchObject({
      needs_review: false,
      review_status: 'approved',
      reviewed_at: expect.any(Date),
      reviewed_by: expect.any(Number),
    });
    expect((await agent.get('/')).text).not.toContain(`/submissions/${id}"`);
    expect((await agent.get(`/submissions/${id}`)).text).toContain('Approved');
  });

  it('when a remark holds bidi overrides and isolates, then the report, the live page and the CSV show it without them; the stored text keeps them', async () => {
    const remark = 'leak at \u202Eevlav\u202C pump \u2067x\u2069 =1';
    const s = await completed(['Check oil level'], [`NOT OK - ${remark}`]);
    const shown = 'leak at evlav pump x =1';

    const report = await agent.get(`/submissions/${s.assignment.submissionId}`);
    const live = await agent.get(`/assignments/${s.assignment.id}`);
    const csv = await agent.get(`/submissions.csv?from=${today()}&to=${today()}&machineId=${s.machine.id}`);

    for (const page of [report.text, live.text, csv.text]) {
      expect(page).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
      expect(page).toContain(shown);
    }
    const { rows } = await h.database.pool.query<{ remarks: string }>(
      'SELECT remarks FROM checklist_submission_answers WHERE submission_id = $1',
      [s.assignment.submissionId],
    );
    expect(rows[0]!.remarks).toBe(remark);
  });

  it('when the id is not a submission, then a 404 page', async () => {
    expect((await agent.get('/submissions/not-a-uuid')).status).toBe(404);
    expect((await agent.get('/submissions/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});

describe('the CSV export', () => {
  it('when cells hold quotes or commas or start like a formula, then they are quoted and defused', async () => {
    const s = await completed(
      ['=HYPERLINK("http://evil.example","x")', 'Check belts, pulleys', 'Check filter'],
      ['OK - =1+2', 'NOT OK - said "worn", replace', 'NA'],
    );

    const res = await agent.get(`/submissions.csv?from=${today()}&to=${today()}&machineId=${s.machine.id}`);

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="kinto-submissions-${today()}-to-${today()}.csv"`,
    );
    const lines = res.text
      .replace(/^\uFEFF/, '')
      .split('\r\n')
      .filter(Boolean);
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain(`,1,"'=HYPERLINK(""http://evil.example"",""x"")",OK,'=1+2,,`);
    expect(lines[2]).toContain(',2,"Check belts, pulleys",NOT OK,"said ""worn"", replace",,');
    expect(lines[3]).toContain(',3,Check filter,NA,,,');
    expect(lines[1]!.startsWith(`${s.assignment.submissionId},`)).toBe(true);
  });

  it('when an answer has three photos, then photo_url is the first and other_photo_urls the other two, space-separated', async () => {
    const s = await completed(['Check oil level', 'Check belts'], ['NOT OK - leak', 'OK']);
    const id = s.assignment.submissionId;
    await h.database.pool.query(
      "UPDATE checklist_submission_answers SET photo_filename = 'first.jpg' WHERE submission_id = $1 AND position = 1",
      [id],
    );
    await h.database.pool.query(
      `INSERT INTO checklist_submission_answer_photos (submission_id, position, n, photo_filename)
       VALUES ($1, 1, 2, 'second.jpg'), ($1, 1, 3, 'third.jpg')`,
      [id],
    );

    const res = await agent.get(`/submissions.csv?from=${today()}&to=${today()}&machineId=${s.machine.id}`);

    const [header, first, second] = res.text.replace(/^\uFEFF/, '').split('\r\n');
    const columns = header!.split(',');
    const cell = (line: string, name: string) => line.split(',')[columns.indexOf(name)];
    const url = (name: string) => `${res.request.url.split('/submissions.csv')[0]}/api/whatsapp-photos/${name}`;
    expect(columns.slice(9, 12)).toEqual(['photo_url', 'answered_at', 'other_photo_urls']);
    expect(cell(first!, 'photo_url')).toBe(url('first.jpg'));
    expect(cell(first!, 'other_photo_urls')).toBe(`${url('second.jpg')} ${url('third.jpg')}`);
    expect(cell(second!, 'photo_url')).toBe('');
    expect(cell(second!, 'other_photo_urls')).toBe('');
  });

  it('when the range or machine excludes a submission, then its rows are not exported', async () => {
    const s = await completed(['Check oil level'], ['OK']);
    const other = await createMachine(h);

    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const past = await agent.get(`/submissions.csv?from=2020-01-01&to=${yesterday}`);
    const otherMachine = await agent.get(`/submissions.csv?from=${today()}&to=${today()}&machineId=${other.id}`);
    const all = await agent.get(`/submissions.csv?from=${today()}&to=${today()}`);

    expect(past.text).not.toContain(s.assignment.submissionId);
    expect(otherMachine.text).not.toContain(s.assignment.submissionId);
    expect(all.text).toContain(s.assignment.submissionId);
  });

  it('when the dates are missing or reversed, then 400 naming the field', async () => {
    const missing = await agent.get('/submissions.csv');
    const reversed = await agent.get('/submissions.csv?from=2025-02-01&to=2025-01-01');

    expect(missing.status).toBe(400);
    expect(reversed.status).toBe(400);
    expect(reversed.text).toContain('to');
  });
});
