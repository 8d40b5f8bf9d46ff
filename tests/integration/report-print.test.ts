// Issue 18 item 6: the printable report (company name, review, actions, signature line) and the CSV's new columns.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignChecklist } from '../support/factories.js';
import { startHarness, type Harness } from '../support/harness.js';
import { createUser, signIn, type Agent } from '../support/admin.js';
import { say, settle } from '../support/settle.js';

const COMPANY = 'Acme Forge <Pvt> Ltd';
let h: Harness;
let agent: Agent;

beforeAll(async () => {
  h = await startHarness({ COMPANY_NAME: COMPANY });
  ({ agent } = await signIn(h.app, await createUser(h.database.db, { role: 'admin' })));
});
afterAll(async () => {
  await h?.close();
});

const today = () => new Date().toISOString().slice(0, 10);

/** A confirmed checklist whose answers are the given texts. */
async function completed(tasks: string[], answers: string[]) {
  const s = await assignChecklist(h, tasks);
  await settle(h);
  await say(h, s.operator.phoneNumber, ...answers, 'CONFIRM');
  return s;
}

const csvLines = (text: string) =>
  text
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .filter(Boolean);

describe('the printable report', () => {
  it('when COMPANY_NAME is set, then the report is headed by it (escaped), shows the review in words, each action with its status in words and a signature line for the reviewer', async () => {
    const s = await completed(
      ['Check oil level', 'Check belts', 'Check filter'],
      ['OK', 'NOT OK - worn', 'NOT OK - torn'],
    );
    const id = s.assignment.submissionId;
    await h.database.pool.query(
      "UPDATE corrective_actions SET status = 'done', note = 'replaced', closed_at = now() WHERE submission_id = $1 AND position = 3",
      [id],
    );

    const res = await agent.get(`/submissions/${id}`);

    expect(res.status).toBe(200);
    expect(res.text).toContain(
      '<p class="report-company" id="report-company">Acme Forge &lt;Pvt&gt; Ltd · Checklist report</p>',
    );
    expect(res.text).toMatch(/id="review-state">.*Waiting for review/);
    const actions = /<section class="report-actions" id="submission-actions">([\s\S]*?)<\/section>/.exec(res.text)?.[1];
    expect(actions).toMatch(/Task 2: <a [^>]+>Check belts<\/a> · Open/);
    expect(actions).toMatch(/Task 3: <a [^>]+>Check filter<\/a> · Done/);
    expect(actions).not.toMatch(/\bopen\b|\bdone\b/);
    expect(res.text).toMatch(
      /<section class="signature print-only" id="signature"[\s\S]*Reviewer \(name\)[\s\S]*Signature[\s\S]*Date/,
    );
  });

  it('when the submission is reviewed, then the review line and the signature line name the reviewer', async () => {
    const s = await completed(['Check oil level'], ['NOT OK - leak']);
    const id = s.assignment.submissionId;
    const { rows } = await h.database.pool.query<{ id: number }>(
      "INSERT INTO users (email, name, role, password_hash) VALUES ('rita@kinto.test', 'Rita Reviewer', 'manager', 'x') RETURNING id",
    );
    await h.database.pool.query(
      "UPDATE checklist_submissions SET reviewed_at = now(), reviewed_by = $2, review_status = 'approved', needs_review = false WHERE id = $1",
      [id, rows[0]!.id],
    );

    const res = await agent.get(`/submissions/${id}`);

    expect(res.text).toMatch(/id="review-state">.*Approved<\/span> <time[^>]*>[^<]+<\/time> by Rita Reviewer/);
    expect(res.text).toMatch(
      /<span class="signature-line">Rita Reviewer<\/span><span class="signature-label">Reviewer \(name\)/,
    );
  });

  it('when COMPANY_NAME is empty, then the report has no company line', async () => {
    const plain = await startHarness();
    try {
      const { agent: other } = await signIn(plain.app, await createUser(plain.database.db, { role: 'admin' }));
      const s = await assignChecklist(plain, ['Check oil level']);
      await settle(plain);
      await say(plain, s.operator.phoneNumber, 'OK', 'CONFIRM');

      const res = await other.get(`/submissions/${s.assignment.submissionId}`);

      expect(res.status).toBe(200);
      expect(res.text).not.toContain('report-company');
      expect(res.text).toMatch(/id="review-state">.*Not required/);
    } finally {
      await plain.close();
    }
  });
});

describe('the CSV export (issue 18 columns)', () => {
  it('when answers are exported, then the header keeps every earlier column in order and ends with operator_phone, review_state and action_status, in words', async () => {
    const s = await completed(['Check oil level', 'Check belts'], ['OK', 'NOT OK - worn']);

    const res = await agent.get(`/submissions.csv?from=${today()}&to=${today()}&machineId=${s.machine.id}`);

    const [header, ok, notOk] = csvLines(res.text);
    expect(header).toBe(
      'submission_id,completed_at,machine,operator,template,position,task,status,remarks,photo_url,answered_at,other_photo_urls,value,unit,min,max,out_of_range,operator_phone,review_state,action_status',
    );
    // The phone starts with "+", so it carries the formula guard's leading quote like any such cell.
    expect(ok!.endsWith(`,'${s.operator.phoneNumber},Waiting for review,`)).toBe(true);
    expect(notOk!.endsWith(`,'${s.operator.phoneNumber},Waiting for review,Open`)).toBe(true);
  });

  it('when a submission had no NOT OK answer, then its review_state is Not required and action_status is empty', async () => {
    const s = await completed(['Check oil level'], ['OK']);

    const res = await agent.get(`/submissions.csv?from=${today()}&to=${today()}&machineId=${s.machine.id}`);

    expect(csvLines(res.text)[1]!.endsWith(',Not required,')).toBe(true);
  });
});
