// Issue 4, behaviour 6: BACK, EDIT n (typed or the Edit button), STATUS and HELP, case-insensitive, end to end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagesEn } from '../../src/conversation/messages.en.js';
import { startHarness, type Harness } from '../support/harness.js';
import { assignmentOf, buttonsOf, operatorWithWork, storedAnswers, tap } from '../support/lifecycle.js';
import { say, settle } from '../support/settle.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const TASKS = ['Check oil level', 'Check belt tension', 'Clean filter'];

async function started(tasks = TASKS) {
  const w = await operatorWithWork(h, tasks);
  const a = await w.assign();
  // The operator answers what they have read: Question 1 has reached them first.
  await settle(h);
  return { ...w, a, submissionId: a.submissionId as string };
}

const lastText = (phone: string) => h.graph.textsTo(phone).at(-1) ?? '';
const answersOf = async (submissionId: string) =>
  (await storedAnswers(h, submissionId)).map((x) => `${x.position} ${x.status}${x.remarks ? ` ${x.remarks}` : ''}`);

describe('corrections over WhatsApp', () => {
  it('when BACK is sent at question 3, then question 2 is asked again with the earlier answer, and the new answer replaces it', async () => {
    const { phone, submissionId } = await started();
    await say(h, phone, 'OK - oil fine', 'OK - belt fine');

    await say(h, phone, 'back');

    expect(lastText(phone)).toMatch(/^📋 Question 2 of 3: Check belt tension/);
    expect(lastText(phone)).toContain(
      messagesEn.earlierAnswer({
        taskIndex: 1,
        taskId: 0,
        status: 'OK',
        remarks: 'belt fine',
        photo: null,
        answeredAt: '',
      }),
    );
    await say(h, phone, 'NOT OK - belt worn');
    expect(lastText(phone)).toMatch(/^📋 Question 3 of 3: Clean filter/);
    expect(await answersOf(submissionId)).toEqual(['1 OK oil fine', '2 NOT_OK belt worn']);
  });

  it('when BACK is sent at question 1, then it says there is no previous question and asks question 1 again', async () => {
    const { phone, submissionId } = await started();

    await say(h, phone, 'BACK');

    expect(lastText(phone)).toMatch(new RegExp(`^${messagesEn.noPreviousQuestion()}\\n\\n📋 Question 1 of 3`));
    expect(await answersOf(submissionId)).toEqual([]);
  });

  it('when EDIT 2 is sent at the summary, then question 2 reopens and its new answer goes straight back to the summary', async () => {
    const { phone, a, submissionId } = await started();
    await say(h, phone, 'OK - oil fine', 'OK - belt fine', 'NA');

    await say(h, phone, 'Edit 2');
    expect(lastText(phone)).toMatch(/^📋 Question 2 of 3: Check belt tension/);
    await say(h, phone, 'NOT OK - belt worn');

    expect(lastText(phone)).toMatch(/^✅ All 3 questions answered/);
    expect(lastText(phone)).toContain('2. Check belt tension - NOT OK - belt worn');
    await say(h, phone, 'confirm');
    expect((await assignmentOf(h, a.id)).status).toBe('completed');
    expect(await answersOf(submissionId)).toEqual(['1 OK oil fine', '2 NOT_OK belt worn', '3 NA']);
  });

  it('when the Edit button is tapped at the summary, then it explains EDIT n and EDIT 1 reopens question 1', async () => {
    const { phone } = await started();
    await say(h, phone, 'OK', 'OK', 'OK');
    const edit = buttonsOf(h.graph.sentTo(phone).at(-1)!).find((b) => b.title === messagesEn.buttonTitles.EDIT)!;

    await tap(h, phone, edit.id, edit.title);
    expect(lastText(phone)).toContain(messagesEn.editHelp(3));
    await say(h, phone, 'edit 1');

    expect(lastText(phone)).toMatch(/^📋 Question 1 of 3: Check oil level/);
  });

  it('when EDIT is sent before all questions are answered, then it says so and nothing changes', async () => {
    const { phone, submissionId } = await started();
    await say(h, phone, 'OK - oil fine');

    await say(h, phone, 'EDIT 1');

    expect(lastText(phone)).toMatch(new RegExp(`^${messagesEn.editNotYet()}\\n\\n📋 Question 2 of 3`));
    expect(await answersOf(submissionId)).toEqual(['1 OK oil fine']);
  });

  it('when STATUS is sent, then it tells the question and how many are answered, and asks the question again', async () => {
    const { phone, submissionId } = await started(['Q one', 'Q two', 'Q three', 'Q four', 'Q five']);
    await say(h, phone, 'OK', 'NA');

    await say(h, phone, 'sTaTuS');

    expect(lastText(phone)).toMatch(/^Question 3 of 5, 2 answered\n\n📋 Question 3 of 5: Q three/);
    expect(await answersOf(submissionId)).toEqual(['1 OK', '2 NA']);
  });

  it('when HELP is sent, then it explains the answer format and every command, and nothing is stored', async () => {
    const { phone, submissionId } = await started();

    await say(h, phone, 'Help');

    const help = lastText(phone);
    expect(help.startsWith(messagesEn.help())).toBe(true);
    for (const word of ['OK / NOT OK / NA', 'BACK', 'EDIT n', 'STATUS', 'HELP', 'CONFIRM', 'photo'])
      expect(help).toContain(word);
    expect(help).toMatch(/📋 Question 1 of 3/);
    expect(await answersOf(submissionId)).toEqual([]);
  });
});
