// Issue 4, behaviour 8: a confirmed submission with NOT OK answers needs review, and ALERT_PHONE_NUMBERS are alerted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagesEn } from '../../src/conversation/messages.en.js';
import { startHarness, type Harness } from '../support/harness.js';
import { buttonsOf, operatorWithWork, rows, tap } from '../support/lifecycle.js';
import { say } from '../support/settle.js';

const ALERT_A = '+919811100001';
const ALERT_B = '+919811100002';
const TASKS = ['Check oil level', 'Check belt tension', 'Clean filter'];

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ ALERT_PHONE_NUMBERS: `${ALERT_A}, ${ALERT_B}` });
});
afterAll(async () => {
  await h?.close();
});

const needsReview = async (submissionId: string) =>
  (
    await rows<{ needs_review: boolean }>(h, 'SELECT needs_review FROM checklist_submissions WHERE id = $1', [
      submissionId,
    ])
  )[0]!.needs_review;
const alertsFor = (machineName: string) => (phone: string) =>
  h.graph.textsTo(phone).filter((t) => t.startsWith(`⚠️ ${machineName}:`));

describe('NOT OK follow-up', () => {
  it('when a submission with NOT OK answers is confirmed, then it needs review and each alert number gets one alert naming the machine, the failed tasks and the remarks', async () => {
    const w = await operatorWithWork(h, TASKS);
    const a = await w.assign();
    await say(h, w.phone, 'NOT OK - oil low', 'OK - belt fine');
    const notOk = buttonsOf(h.graph.sentTo(w.phone).at(-1)!).find((b) => b.title === 'NOT OK')!;
    await tap(h, w.phone, notOk.id, notOk.title);
    await say(h, w.phone, 'filter torn');
    expect(alertsFor(w.machine.name)(ALERT_A)).toEqual([]); // nothing before CONFIRM

    await say(h, w.phone, 'CONFIRM');

    expect(await needsReview(a.submissionId!)).toBe(true);
    const expected = messagesEn.notOkAlert(w.machine.name, w.template.name, [
      { task: 'Check oil level', remarks: 'oil low' },
      { task: 'Clean filter', remarks: 'filter torn' },
    ]);
    for (const phone of [ALERT_A, ALERT_B]) expect(alertsFor(w.machine.name)(phone), phone).toEqual([expected]);
    expect(expected).toContain(w.machine.name);
    expect(expected).toMatch(/1\. Check oil level - oil low\n2\. Clean filter - filter torn$/);
    expect(h.graph.textsTo(w.phone).join('\n')).not.toContain('⚠️');
  });

  it('when every answer is OK or NA, then the submission does not need review and nobody is alerted', async () => {
    const w = await operatorWithWork(h, TASKS);
    const a = await w.assign();

    await say(h, w.phone, 'OK', 'NA - no filter', 'OK', 'CONFIRM');

    expect(await needsReview(a.submissionId!)).toBe(false);
    for (const phone of [ALERT_A, ALERT_B]) expect(alertsFor(w.machine.name)(phone)).toEqual([]);
  });

  it('when a NOT OK is changed to OK with EDIT before CONFIRM, then no review and no alert', async () => {
    const w = await operatorWithWork(h, TASKS);
    const a = await w.assign();

    await say(h, w.phone, 'NOT OK - oil low', 'OK', 'OK', 'EDIT 1', 'OK - topped up', 'CONFIRM');

    expect(await needsReview(a.submissionId!)).toBe(false);
    expect(alertsFor(w.machine.name)(ALERT_A)).toEqual([]);
  });

  it('when the operator stops before CONFIRM, then no alert goes out and the submission is not flagged', async () => {
    const w = await operatorWithWork(h, TASKS);
    const a = await w.assign();

    await say(h, w.phone, 'NOT OK - oil low', 'OK', 'OK');

    expect(await needsReview(a.submissionId!)).toBe(false);
    expect(alertsFor(w.machine.name)(ALERT_A)).toEqual([]);
  });
});

describe('NOT OK follow-up without ALERT_PHONE_NUMBERS', () => {
  let quiet: Harness;
  beforeAll(async () => {
    quiet = await startHarness();
  });
  afterAll(async () => {
    await quiet?.close();
  });

  it('when a submission with NOT OK is confirmed, then it is still flagged for review and only the operator is written to', async () => {
    const w = await operatorWithWork(quiet, ['Check oil level']);
    const a = await w.assign();

    await say(quiet, w.phone, 'NOT OK - oil low', 'CONFIRM');

    const [row] = await quiet.database.pool
      .query<{ needs_review: boolean }>('SELECT needs_review FROM checklist_submissions WHERE id = $1', [
        a.submissionId,
      ])
      .then((r) => r.rows);
    expect(row).toEqual({ needs_review: true });
    expect(new Set(quiet.graph.sent.map((m) => m.to.replace(/^\+/, '')))).toEqual(
      new Set([w.phone.replace(/^\+/, '')]),
    );
  });
});
