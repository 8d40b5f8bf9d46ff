// Issue 14 items 5, 13, 16, 17 and 19: what operators type and what they read, through signed webhooks
// against the real server and database, each checked in what is stored and in what the phone received.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerButtonId, summaryButtonId } from '../../src/conversation/buttons.js';
import { messagesEn } from '../../src/conversation/messages.en.js';
import { createUser, signIn } from '../support/admin.js';
import { createMachine, createOperator } from '../support/factories.js';
import { startHarness, type Harness } from '../support/harness.js';
import { assignmentOf, buttonsOf, sessionOf, storedAnswers, submissionOf, tap } from '../support/lifecycle.js';
import { say, settle, textOf } from '../support/settle.js';

const ALERT_PHONE = '+919855500001';
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ ALERT_PHONE_NUMBERS: ALERT_PHONE });
});
afterAll(async () => {
  await h?.close();
});

let templates = 0;
/** An operator and a machine; `assign(tasks)` gives them a checklist on a template of its own name. */
async function operator() {
  const [op, machine] = await Promise.all([
    createOperator(h),
    createMachine(h, { name: `Press ${Math.floor(Math.random() * 1e6)}` }),
  ]);
  const assign = async (tasks: string[]) => {
    const name = `Checklist ${++templates}`;
    const t = await h.api.post('/api/templates', { name, tasks: tasks.map((text) => ({ text })) });
    expect(t.status).toBe(201);
    const res = await h.api.post('/api/assignments', {
      templateId: (t.body as { id: number }).id,
      machineId: machine.id,
      operatorId: op.id,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    await settle(h);
    const a = res.body as { id: string; status: string; submissionId: string | null; statusReason: string | null };
    return { ...a, names: { template: name, machine: machine.name } };
  };
  return { phone: op.phoneNumber, machine, assign };
}

const sent = (phone: string) => h.graph.sentTo(phone);
const last = (phone: string) => sent(phone).at(-1)!;
const lastText = (phone: string) => textOf(last(phone));
const titles = (m: Harness['graph']['sent'][number]) => buttonsOf(m).map((b) => b.title);
const answersOf = async (assignmentId: string) => {
  const { submissionId } = await assignmentOf(h, assignmentId);
  return (await storedAnswers(h, submissionId!)).map((a) => [a.position, a.status, a.remarks]);
};

describe('issue 14 item 5: long remarks', () => {
  it('when a NOT OK remark fills a 4,096-character message, then it is stored and shown to managers whole, and the summary and the alert show its first 100 characters with "…"', async () => {
    const w = await operator();
    const a = await w.assign(['Check oil level', 'Check belts']);
    const remark = Array.from({ length: 4096 - 'NOT OK - '.length }, (_, i) => String.fromCharCode(97 + (i % 26))).join(
      '',
    );
    const shown = `${remark.slice(0, 100)}…`;

    await say(h, w.phone, `NOT OK - ${remark}`, 'OK');

    const summary = lastText(w.phone);
    expect(summary).toContain(`1. Check oil level - NOT OK - ${shown}\n`);
    expect(summary).not.toContain(remark.slice(0, 101));
    await say(h, w.phone, 'CONFIRM');
    const alert = h.graph.textsTo(ALERT_PHONE).at(-1)!;
    expect(alert).toContain(`1. Check oil level - ${shown}`);
    expect(alert).not.toContain(remark.slice(0, 101));
    expect(await answersOf(a.id)).toEqual([
      [1, 'NOT_OK', remark],
      [2, 'OK', null],
    ]);
    const api = await submissionOf(h, a.id);
    expect(api.answers[0]!.remarks).toBe(remark);
    const { agent } = await signIn(h.app, await createUser(h.database.db));
    const page = await agent.get(`/submissions/${api.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(remark);
  });
});

describe('issue 14 item 13: answers as people type them', () => {
  it('when the forms quoted in the issue are typed, then each is stored as its answer and "Confirm!" submits', async () => {
    const w = await operator();
    const forms = ['Ok.', 'okay', 'o.k.', 'OK👍', 'OK,fine', '👍', '✅', '❌ - guard loose'];
    const a = await w.assign(forms.map((_, i) => `Task ${i + 1}`));

    await say(h, w.phone, ...forms);
    expect(lastText(w.phone)).toMatch(/^✅ All 8 questions answered/);
    await say(h, w.phone, 'Confirm!');

    expect(lastText(w.phone).startsWith(messagesEn.completed())).toBe(true);
    expect((await assignmentOf(h, a.id)).status).toBe('completed');
    expect(await answersOf(a.id)).toEqual([
      [1, 'OK', null],
      [2, 'OK', null],
      [3, 'OK', null],
      [4, 'OK', null],
      [5, 'OK', 'fine'],
      [6, 'OK', null],
      [7, 'OK', null],
      [8, 'NOT_OK', 'guard loose'],
    ]);
  });

  it.each(['confirm.', 'CONFIRMED', 'Confirmed!'])(
    'when the summary is answered with "%s", then the checklist is submitted',
    async (word) => {
      const w = await operator();
      const a = await w.assign(['Check oil level']);

      await say(h, w.phone, 'okay!', word);

      expect((await assignmentOf(h, a.id)).status).toBe('completed');
      expect(await answersOf(a.id)).toEqual([[1, 'OK', null]]);
    },
  );

  it('when "EDIT 2." and "back." are typed at the summary, then they reopen question 2 and the new answers replace the old', async () => {
    const w = await operator();
    const a = await w.assign(['Check oil level', 'Check belts']);
    await say(h, w.phone, 'OK', 'OK');

    await say(h, w.phone, 'EDIT 2.');
    expect(lastText(w.phone)).toMatch(/^📋 Question 2 of 2: Check belts/);
    await say(h, w.phone, 'not okay: belt worn');
    expect(lastText(w.phone)).toMatch(/^✅ All 2 questions answered/);
    await say(h, w.phone, 'back.');
    expect(lastText(w.phone)).toMatch(/^📋 Question 2 of 2: Check belts/);
    await say(h, w.phone, 'o.k. - belt replaced', 'CONFIRM');

    expect(await answersOf(a.id)).toEqual([
      [1, 'OK', null],
      [2, 'OK', 'belt replaced'],
    ]);
  });

  it.each([
    { text: 'OK?', reply: /^🤔 "OK\?" reads as a question, so it was not saved as your answer\./ },
    { text: 'nah', reply: /^🤔 Sorry, I didn't understand "nah"\. Start your answer with OK, NOT OK or NA/ },
  ])(
    'when "$text" is typed, then the refusal quotes it, shows the answer buttons again and stores nothing',
    async ({ text, reply }) => {
      const w = await operator();
      const a = await w.assign(['Check oil level', 'Check belts']);

      await say(h, w.phone, text);

      expect(lastText(w.phone)).toMatch(reply);
      expect(lastText(w.phone)).toContain('📋 Question 1 of 2: Check oil level');
      expect(titles(last(w.phone))).toEqual(['OK', 'NOT OK', 'N/A']);
      expect(await answersOf(a.id)).toEqual([]);
    },
  );
});

describe('issue 14 item 16: taps after submitting', () => {
  it('when Confirm is tapped again or Edit late after submitting, then the operator is told that this checklist was already submitted', async () => {
    const w = await operator();
    const a = await w.assign(['Check oil level']);
    const sessionId = (await sessionOf(h, a.id))!.id;
    await say(h, w.phone, 'OK');
    await tap(h, w.phone, summaryButtonId(sessionId, 'CONFIRM'), 'Confirm');
    expect(lastText(w.phone).startsWith(messagesEn.completed())).toBe(true);

    await tap(h, w.phone, summaryButtonId(sessionId, 'CONFIRM'), 'Confirm');
    expect(lastText(w.phone)).toBe(messagesEn.alreadySubmitted(a.names));
    await tap(h, w.phone, summaryButtonId(sessionId, 'EDIT'), 'Edit');
    expect(lastText(w.phone)).toBe(messagesEn.alreadySubmitted(a.names));

    expect(h.graph.textsTo(w.phone).some((t) => t.includes('no open checklist'))).toBe(false);
    expect(await answersOf(a.id)).toEqual([[1, 'OK', null]]);
  });

  it('when the next checklist started already, then the late tap names the submitted one and asks the open question again', async () => {
    const w = await operator();
    const first = await w.assign(['Check oil level']);
    const next = await w.assign(['Grease the chain', 'Check the guard']);
    const sessionId = (await sessionOf(h, first.id))!.id;
    await say(h, w.phone, 'OK', 'CONFIRM');
    expect(lastText(w.phone)).toMatch(/^📋 Question 1 of 2: Grease the chain/);

    await tap(h, w.phone, summaryButtonId(sessionId, 'CONFIRM'), 'Confirm');

    expect(lastText(w.phone)).toMatch(
      new RegExp(`^${escape(messagesEn.alreadySubmitted(first.names))}\\n\\n📋 Question 1 of 2: Grease the chain`),
    );
    expect(titles(last(w.phone))).toEqual(['OK', 'NOT OK', 'N/A']);
    expect(await answersOf(next.id)).toEqual([]);
  });
});

describe('issue 14 item 17: the queue is visible', () => {
  it('when checklists are queued for an operator inside the 24-hour window, then each is told in one line, and the thank-you names the checklist, the next one and how many wait', async () => {
    const w = await operator();
    await say(h, w.phone, 'hello'); // the operator wrote: free-form messages reach them
    const first = await w.assign(['Check oil level']);
    const sentBefore = sent(w.phone).length;

    const second = await w.assign(['Grease the chain']);
    const third = await w.assign(['Clean the filter']);

    expect([second.status, third.status]).toEqual(['pending', 'pending']);
    const notices = sent(w.phone).slice(sentBefore);
    expect(notices.map(textOf)).toEqual([messagesEn.queued(second.names), messagesEn.queued(third.names)]);
    expect(notices.map((m) => m.type)).toEqual(['text', 'text']);
    expect(messagesEn.queued(second.names)).not.toContain('\n');

    await say(h, w.phone, 'OK', 'CONFIRM');

    const [thanks, question] = h.graph.textsTo(w.phone).slice(-2);
    expect(thanks).toBe(messagesEn.submitted(first.names, { waiting: 2, next: second.names, startsNow: true }));
    expect(thanks).toMatch(/^🎉 Thank you! Your checklist has been submitted\.\n/);
    expect(thanks).toContain(`"${first.names.template}" for ${first.names.machine}`);
    expect(thanks).toContain('After it, 1 more checklist is waiting.');
    expect(question).toMatch(/^📋 Question 1 of 1: Grease the chain/);
    expect((await assignmentOf(h, second.id)).status).toBe('active');
  });

  it('when the operator has not written in 24 hours, then nothing is sent for the queued checklist (it would be refused)', async () => {
    const w = await operator();
    await w.assign(['Check oil level']);
    const sentBefore = sent(w.phone).length;

    const queued = await w.assign(['Grease the chain']);

    expect(queued.status).toBe('pending');
    expect(sent(w.phone)).toHaveLength(sentBefore);
  });

  it('when nothing else waits, then the thank-you names the checklist and says no other is waiting', async () => {
    const w = await operator();
    const a = await w.assign(['Check oil level']);

    await say(h, w.phone, 'OK', 'CONFIRM');

    expect(lastText(w.phone)).toBe(messagesEn.submitted(a.names, { waiting: 0, next: null, startsNow: true }));
    expect(lastText(w.phone)).toContain('No other checklist is waiting for you.');
  });
});

describe('issue 14 item 19: STATUS, EDIT out of range and stale buttons', () => {
  it('when STATUS is sent at the summary, then one message says it once, with the Confirm / Edit buttons', async () => {
    const w = await operator();
    const a = await w.assign(['Check oil level', 'Check belts']);
    await say(h, w.phone, 'OK', 'OK');
    const before = sent(w.phone).length;

    await say(h, w.phone, 'STATUS');

    const replies = sent(w.phone).slice(before);
    expect(replies).toHaveLength(1);
    expect(textOf(replies[0]!)).toBe(`All 2 questions answered.\n\n${messagesEn.confirmPrompt()}`);
    expect(titles(replies[0]!)).toEqual(['Confirm', 'Edit']);
    expect((await sessionOf(h, a.id))!.status).toBe('active');
  });

  it('when EDIT 9 is sent at the summary of 5 questions with long remarks, then one short line names the range', async () => {
    const w = await operator();
    const a = await w.assign(['T1', 'T2', 'T3', 'T4', 'T5']);
    const long = 'remark '.repeat(140);
    await say(h, w.phone, ...Array.from({ length: 5 }, () => `OK - ${long}`));
    const before = sent(w.phone).length;

    await say(h, w.phone, 'EDIT 9');

    const replies = sent(w.phone).slice(before);
    expect(replies.map(textOf)).toEqual([
      'There is no question 9: there are 5 questions. Reply EDIT and a number from 1 to 5.',
    ]);
    expect(titles(replies[0]!)).toEqual(['Confirm', 'Edit']);
    expect((await answersOf(a.id)).map(([n, status]) => [n, status])).toHaveLength(5);
  });

  it("when an earlier question's answer button is tapped, then the reply says how to change that answer and nothing changes", async () => {
    const w = await operator();
    const a = await w.assign(['Check oil level', 'Check belts', 'Clean filter']);
    const sessionId = (await sessionOf(h, a.id))!.id;
    await say(h, w.phone, 'OK - level fine', 'OK');

    await tap(h, w.phone, answerButtonId(sessionId, 0, 'NOT_OK'), 'NOT OK');

    expect(lastText(w.phone)).toBe(
      `${messagesEn.staleAnswerButton(1, 'answering')}\n\n${messagesEn.question(3, 3, 'Clean filter')}`,
    );
    expect(lastText(w.phone)).toContain('reply EDIT 1');
    await say(h, w.phone, 'OK');
    await tap(h, w.phone, answerButtonId(sessionId, 1, 'NA'), 'N/A');
    expect(lastText(w.phone)).toBe(
      'That button belongs to question 2, which is already answered. To change that answer, reply EDIT 2 or tap Edit.',
    );
    expect(titles(last(w.phone))).toEqual(['Confirm', 'Edit']);
    expect(await answersOf(a.id)).toEqual([
      [1, 'OK', 'level fine'],
      [2, 'OK', null],
      [3, 'OK', null],
    ]);
  });
});

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
