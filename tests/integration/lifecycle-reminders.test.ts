// Issue 4, behaviour 5: one reminder after REMINDER_AFTER_MINUTES of silence; outside the 24-hour window, the template.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagesEn } from '../../src/conversation/messages.en.js';
import { loadConfig } from '../../src/lib/config.js';
import { startHarness, type Harness } from '../support/harness.js';
import { buttonsOf, lifecyclePass, operatorWithWork, rows, storedAnswers, waitUntil } from '../support/lifecycle.js';
import { deliver, messagesDelivery, newWamid, waId } from '../support/meta-payloads.js';
import { say, settle, textOf } from '../support/settle.js';

const START_TEMPLATE = 'checklist_start';
let h: Harness;
beforeAll(async () => {
  h = await startHarness(
    { REMINDER_AFTER_MINUTES: '1', WHATSAPP_START_TEMPLATE: START_TEMPLATE },
    { lifecyclePollMs: 100 },
  );
});
afterAll(async () => {
  await h?.close();
});

/** An operator who wrote recently (inside the 24-hour window), with Q1 of 3 answered and Q2 open. */
async function atQuestionTwo() {
  const w = await operatorWithWork(h, ['Check oil level', 'Check belt tension', 'Clean filter']);
  await say(h, w.phone, 'hello');
  const a = await w.assign();
  await say(h, w.phone, 'OK - oil fine');
  expect(h.graph.textsTo(w.phone).at(-1)).toMatch(/^📋 Question 2 of 3/);
  return { ...w, a };
}

/** Makes the operator look silent for two minutes. */
async function silentForTwoMinutes(assignmentId: string) {
  await h.database.pool.query(
    `UPDATE whatsapp_conversation_sessions
     SET last_message_at = (now() AT TIME ZONE 'UTC') - interval '2 minutes', created_at = (now() AT TIME ZONE 'UTC') - interval '3 minutes'
     WHERE assignment_id = $1 AND status = 'active'`,
    [assignmentId],
  );
}

const reminders = (phone: string) =>
  h.graph.sentTo(phone).filter((m) => textOf(m).startsWith(messagesEn.reminder()) || m.type === 'template');

describe('reminders', () => {
  it('when REMINDER_AFTER_MINUTES is not set, then it is 60', () => {
    expect(loadConfig({}).REMINDER_AFTER_MINUTES).toBe(60);
  });

  it('when the operator is silent for REMINDER_AFTER_MINUTES, then exactly one reminder repeats the current question with its buttons', async () => {
    const { phone, a } = await atQuestionTwo();

    await silentForTwoMinutes(a.id);
    await waitUntil('a reminder', () => reminders(phone).length > 0);
    await lifecyclePass(h); // one more sweeper pass

    const sent = reminders(phone);
    expect(sent).toHaveLength(1);
    expect(textOf(sent[0]!)).toMatch(/^⏰ Reminder: .*\n\n📋 Question 2 of 3: Check belt tension/s);
    expect(buttonsOf(sent[0]!).map((b) => b.title)).toEqual(['OK', 'NOT OK', 'N/A']);
    expect(buttonsOf(sent[0]!)[0]!.id).toContain(':1:OK');
  });

  it('when the operator answered recently, then no reminder is sent', async () => {
    const { phone } = await atQuestionTwo();

    await lifecyclePass(h);

    expect(reminders(phone)).toEqual([]);
  });

  it('when the operator answers after the reminder, then the answer is stored and the checklist goes on', async () => {
    const { phone, a } = await atQuestionTwo();
    await silentForTwoMinutes(a.id);
    await waitUntil('a reminder', () => reminders(phone).length > 0);

    await say(h, phone, 'OK - belt fine');

    expect(h.graph.textsTo(phone).at(-1)).toMatch(/^📋 Question 3 of 3/);
    const [{ submission_id }] = (await rows<{ submission_id: string }>(
      h,
      'SELECT submission_id FROM whatsapp_conversation_sessions WHERE assignment_id = $1',
      [a.id],
    )) as [{ submission_id: string }];
    expect((await storedAnswers(h, submission_id)).map((x) => x.remarks)).toEqual(['oil fine', 'belt fine']);
  });

  it('when the operator is silent and outside the 24-hour window, then the reminder is the start template, and their reply brings back the current question', async () => {
    const { phone, a, template, machine } = await atQuestionTwo();
    await h.database.pool.query(
      `UPDATE whatsapp_contacts SET last_inbound_at = now() - interval '25 hours' WHERE phone_number = $1`,
      [phone],
    );

    await silentForTwoMinutes(a.id);
    const sent = await waitUntil('the template', () => h.graph.sentTo(phone).find((m) => m.type === 'template'));
    await lifecyclePass(h);

    expect(reminders(phone)).toHaveLength(1);
    expect(sent.body.template).toMatchObject({ name: START_TEMPLATE });
    expect(JSON.stringify(sent.body.template?.components)).toContain(JSON.stringify(template.name));
    expect(JSON.stringify(sent.body.template?.components)).toContain(JSON.stringify(machine.name));
    const reply = {
      from: waId(phone),
      id: newWamid(),
      timestamp: String(Math.floor(Date.now() / 1000)),
      type: 'button',
      button: { payload: 'Start', text: 'Start' },
    };
    expect((await deliver(h.app, messagesDelivery([reply]))).status).toBe(200);
    await settle(h);
    expect(h.graph.textsTo(phone).at(-1)).toMatch(/^📋 Question 2 of 3: Check belt tension/);
  });
});
