// Issue 14, items 7, 8, 9 and 14: a message is filed under the question the operator actually read.
// The read margin is the default one here (the harness sets 0 for tests of other behaviour).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerButtonId, summaryButtonId } from '../../src/conversation/buttons.js';
import { AFTER_OTHER_MESSAGE_FACTOR } from '../../src/conversation/apply-plan.js';
import { messagesEn as m } from '../../src/conversation/messages.en.js';
import { DEFAULT_READ_MARGIN_SECONDS } from '../../src/lib/config.js';
import { startHarness, type Harness } from '../support/harness.js';
import { makePng } from '../support/images.js';
import { deliver, messagesDelivery, newWamid, textMessage, waId } from '../support/meta-payloads.js';
import {
  assignmentOf,
  buttonReply,
  operatorWithWork,
  rows,
  sessionOf,
  storedAnswers,
  submissionOf,
  unixNow,
} from '../support/lifecycle.js';
import { settle } from '../support/settle.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ QUESTION_READ_MARGIN_SECONDS: String(DEFAULT_READ_MARGIN_SECONDS) });
});
afterAll(async () => {
  await h?.close();
});

/** Delivers messages as Meta does and waits until they are applied and every reply is sent. */
async function send(...messages: object[]) {
  expect((await deliver(h.app, messagesDelivery(messages))).status).toBe(200);
  await settle(h);
}

/** The first time Meta accepted the session's question `taskIndex` (Unix seconds) and its wamid. */
async function question(sessionId: string, taskIndex: number) {
  const [q] = await rows<{ sent: number; wamid: string }>(
    h,
    `SELECT extract(epoch FROM sent_at)::float8 AS sent, wa_message_id AS wamid FROM whatsapp_outbox
     WHERE session_id = $1 AND task_index = $2 AND sent_at IS NOT NULL ORDER BY sent_at, id LIMIT 1`,
    [sessionId, taskIndex],
  );
  if (!q) throw new Error(`Question ${taskIndex} of ${sessionId} was never sent`);
  return { second: Math.floor(q.sent), wamid: q.wamid };
}

/** Sent once the question could be read: its accepted second plus the margin. */
const afterReading = async (sessionId: string, taskIndex: number) =>
  (await question(sessionId, taskIndex)).second + DEFAULT_READ_MARGIN_SECONDS;

const quoting = (message: Record<string, unknown>, wamid: string) => ({
  ...message,
  context: { from: '15550783881', id: wamid },
});
const reaction = (phone: string, wamid: string, emoji: string) => ({
  from: waId(phone),
  id: newWamid(),
  timestamp: String(unixNow()),
  type: 'reaction',
  reaction: { message_id: wamid, emoji },
});
const lastText = (phone: string) => h.graph.textsTo(phone).at(-1) ?? '';
const answersOf = async (submissionId: string) =>
  (await storedAnswers(h, submissionId)).map((x) => `${x.position} ${x.status}${x.remarks ? ` ${x.remarks}` : ''}`);

/** An operator whose checklist started, Question 1 sent. */
async function started(tasks: string[]) {
  const w = await operatorWithWork(h, tasks);
  const a = await w.assign();
  await settle(h);
  const session = (await sessionOf(h, a.id))!;
  return { ...w, a, sessionId: session.id, submissionId: a.submissionId! };
}

/** An operator confirms a checklist while another waits: its Question 1 goes out with the thank-you. */
async function confirmedWithNextQueued() {
  const w = await started(['Check oil level']);
  const next = await w.assign(['Grease the chain']);
  await send(buttonReply(w.phone, answerButtonId(w.sessionId, 0, 'OK'), 'OK'));
  await send(buttonReply(w.phone, summaryButtonId(w.sessionId, 'CONFIRM'), 'Confirm'));
  const q1 = await question((await sessionOf(h, next.id))!.id, 0);
  return { w, next, q1 };
}

describe('item 7: text sent before the question could be read', () => {
  it('when "ok thanks" follows CONFIRM and the next queued checklist has just started, then it is not its answer; the operator is told in one line and Question 1 is repeated', async () => {
    const { w, next, q1 } = await confirmedWithNextQueued();

    // Typed one second after the new Question 1 left us: within the reading margin.
    await send(textMessage(w.phone, 'ok thanks', { timestamp: q1.second + 1 }));

    expect(await answersOf((await assignmentOf(h, next.id)).submissionId!)).toEqual([]);
    expect(lastText(w.phone)).toMatch(
      new RegExp(`^${escape(m.sentBeforeQuestion())}\\n\\n📋 Question 1 of 1: Grease the chain`),
    );
    expect(lastText(w.phone).split('\n\n')[0]!.split('\n')).toHaveLength(1);
    expect((await sessionOf(h, next.id))!.answers).toEqual([]);
  });

  it('when "ok thanks" is typed a few seconds after the thank-you, then the next Question 1 (sent with it) is still not answered; later it is', async () => {
    const { w, next, q1 } = await confirmedWithNextQueued();

    // Past the plain margin, but the thank-you came first and had to be read.
    await send(textMessage(w.phone, 'ok thanks', { timestamp: q1.second + DEFAULT_READ_MARGIN_SECONDS + 2 }));
    expect(await answersOf((await assignmentOf(h, next.id)).submissionId!)).toEqual([]);
    expect(lastText(w.phone)).toMatch(new RegExp(`^${escape(m.sentBeforeQuestion())}`));

    const readBoth = q1.second + DEFAULT_READ_MARGIN_SECONDS * AFTER_OTHER_MESSAGE_FACTOR;
    await send(textMessage(w.phone, 'OK - greased', { timestamp: readBoth }));
    expect(await answersOf((await assignmentOf(h, next.id)).submissionId!)).toEqual(['1 OK greased']);
  });

  it('when the question was read (sent at its accepted second plus the margin), then the typed answer is stored', async () => {
    const w = await started(['Check oil level', 'Check belt']);

    await send(textMessage(w.phone, 'OK - fine', { timestamp: await afterReading(w.sessionId, 0) }));

    expect(await answersOf(w.submissionId)).toEqual(['1 OK fine']);
    expect(lastText(w.phone)).toMatch(/^📋 Question 2 of 2: Check belt/);
  });

  it('when the same question is repeated (a refusal, a reminder), then the bar stays at its first sending and a later answer is taken', async () => {
    const w = await started(['Check oil level']);
    const first = await question(w.sessionId, 0);
    await send(textMessage(w.phone, 'OK - early', { timestamp: first.second - 1 }));
    expect(await answersOf(w.submissionId)).toEqual([]);

    await send(textMessage(w.phone, 'OK - read it', { timestamp: first.second + DEFAULT_READ_MARGIN_SECONDS }));

    expect(await answersOf(w.submissionId)).toEqual(['1 OK read it']);
  });

  it('when a button is tapped before the margin, then it is taken (a tap names its question)', async () => {
    const w = await started(['Check oil level']);

    await send(
      buttonReply(w.phone, answerButtonId(w.sessionId, 0, 'NA'), 'NA', (await question(w.sessionId, 0)).second),
    );

    expect(await answersOf(w.submissionId)).toEqual(['1 NA']);
  });
});

describe('item 8: an answer in flight while a manager cancels and re-assigns', () => {
  it('when the answer was sent a second before the cancel and arrives after the new checklist started, then it is not stored in the new one', async () => {
    const w = await started(['Check oil level']);
    const sentAt = unixNow() - 1;
    expect((await h.api.post(`/api/assignments/${w.a.id}/cancel`)).status).toBe(200);
    const again = await w.assign(['Check oil level']);
    await settle(h);

    await send(textMessage(w.phone, 'OK - for the old one', { timestamp: sentAt }));

    expect(await answersOf(again.submissionId!)).toEqual([]);
    expect(lastText(w.phone)).toMatch(new RegExp(`^${escape(m.forPreviousChecklist())}\\n\\n📋 Question 1 of 1`));
    const cancelled = await submissionOf(h, w.a.id);
    expect(cancelled.answers).toEqual([]);
  });
});

describe('item 9: a reply quoting an earlier question', () => {
  const TASKS = ['Check oil level', 'Check belt', 'Clean filter'];

  it('when an answered question is quoted mid-checklist, then its answer is replaced and the current question is asked again', async () => {
    const w = await started(TASKS);
    await send(buttonReply(w.phone, answerButtonId(w.sessionId, 0, 'OK'), 'OK'));
    await send(buttonReply(w.phone, answerButtonId(w.sessionId, 1, 'OK'), 'OK'));
    const q1 = await question(w.sessionId, 0);

    await send(quoting(textMessage(w.phone, 'NOT OK - oil low', { timestamp: unixNow() }), q1.wamid));

    expect(await answersOf(w.submissionId)).toEqual(['1 NOT_OK oil low', '2 OK']);
    expect(lastText(w.phone)).toMatch(new RegExp(`^${escape(m.quotedAnswerChanged(1))}\\n\\n📋 Question 3 of 3`));
    const session = (await sessionOf(h, w.a.id))!;
    expect(session.answers).toHaveLength(2);
    await send(buttonReply(w.phone, answerButtonId(w.sessionId, 2, 'NA'), 'NA'));
    expect(lastText(w.phone)).toContain('1. Check oil level - NOT OK - oil low');
  });

  it('when an answered question is quoted at the summary, then the summary is sent again with the new answer', async () => {
    const w = await started(TASKS);
    for (const i of [0, 1, 2]) await send(buttonReply(w.phone, answerButtonId(w.sessionId, i, 'OK'), 'OK'));

    await send(quoting(textMessage(w.phone, 'NA', { timestamp: unixNow() }), (await question(w.sessionId, 1)).wamid));

    expect(await answersOf(w.submissionId)).toEqual(['1 OK', '2 NA', '3 OK']);
    expect(lastText(w.phone)).toMatch(
      new RegExp(`^${escape(m.quotedAnswerChanged(2))}\\n\\n✅ All 3 questions answered`),
    );
    expect(lastText(w.phone)).toContain('2. Check belt - NA');
  });

  it('when the current question is quoted within the reading margin, then it answers it', async () => {
    const w = await started(TASKS);
    const q1 = await question(w.sessionId, 0);

    await send(quoting(textMessage(w.phone, 'OK - quick', { timestamp: q1.second }), q1.wamid));

    expect(await answersOf(w.submissionId)).toEqual(['1 OK quick']);
  });

  it("when another checklist's question is quoted, then nothing is stored in this one and the operator is told in one line", async () => {
    const w = await started(['Check oil level']);
    const old = await question(w.sessionId, 0);
    await send(buttonReply(w.phone, answerButtonId(w.sessionId, 0, 'OK'), 'OK'));
    await send(buttonReply(w.phone, summaryButtonId(w.sessionId, 'CONFIRM'), 'Confirm'));
    const next = await w.assign(['Grease the chain']);
    await settle(h);

    await send(quoting(textMessage(w.phone, 'NOT OK - forgot', { timestamp: unixNow() + 5 }), old.wamid));

    expect(await answersOf((await assignmentOf(h, next.id)).submissionId!)).toEqual([]);
    expect(await answersOf(w.submissionId)).toEqual(['1 OK']);
    expect(lastText(w.phone)).toMatch(new RegExp(`^${escape(m.quotedOtherChecklist())}\\n\\n📋 Question 1 of 1`));
  });
});

describe('item 14: reactions and photos sent as documents', () => {
  it('when 👍 is the reaction to the current question, then it is answered OK', async () => {
    const w = await started(['Check oil level', 'Check belt']);

    await send(reaction(w.phone, (await question(w.sessionId, 0)).wamid, '👍'));

    expect(await answersOf(w.submissionId)).toEqual(['1 OK']);
    expect(lastText(w.phone)).toMatch(/^📋 Question 2 of 2: Check belt/);
  });

  it.each([
    ['another emoji', '❤️'],
    ['a removed reaction', ''],
  ])('when %s is the reaction, then nothing is stored and nothing is said', async (_what, emoji) => {
    const w = await started(['Check oil level']);
    const sent = h.graph.sentTo(w.phone).length;

    await send(reaction(w.phone, (await question(w.sessionId, 0)).wamid, emoji));

    expect(await answersOf(w.submissionId)).toEqual([]);
    expect(h.graph.sentTo(w.phone)).toHaveLength(sent);
    const [inbox] = await rows<{ status: string }>(
      h,
      `SELECT status FROM whatsapp_inbox WHERE phone_number = $1 AND type = 'reaction'`,
      [w.phone],
    );
    expect(inbox?.status).toBe('processed');
  });

  const document = (phone: string, doc: Record<string, unknown>, timestamp: number) => ({
    from: waId(phone),
    id: newWamid(),
    timestamp: String(timestamp),
    type: 'document',
    document: { sha256: 'x', ...doc },
  });

  it.each([
    ['an image mime type', { mime_type: 'image/png', filename: 'gauge' }],
    ['a photo file name', { mime_type: 'application/octet-stream', filename: 'IMG_2041.JPG' }],
  ])(
    'when a photo is sent as a document (%s), then it is the answer’s photo and its caption the answer',
    async (_what, doc) => {
      const w = await started(['Photo of the gauge']);
      await h.database.pool.query('UPDATE checklist_template_tasks SET requires_photo = true WHERE template_id = $1', [
        w.template.id,
      ]);
      const id = h.graph.addMedia(makePng(), 'image/png');

      await send(document(w.phone, { id, caption: 'OK - reads 4 bar', ...doc }, await afterReading(w.sessionId, 0)));

      const [answer] = await storedAnswers(h, w.submissionId);
      expect(answer).toMatchObject({ position: 1, status: 'OK', remarks: 'reads 4 bar' });
      expect(answer?.photo_filename).toMatch(/\.png$/);
    },
  );

  it('when another document is sent, then it gets the polite unsupported reply and nothing is stored', async () => {
    const w = await started(['Check oil level']);
    const id = h.graph.addMedia(Buffer.from('%PDF-1.4'), 'application/pdf');

    await send(
      document(w.phone, { id, mime_type: 'application/pdf', filename: 'report.pdf', caption: 'OK' }, unixNow()),
    );

    expect(await answersOf(w.submissionId)).toEqual([]);
    expect(lastText(w.phone)).toMatch(new RegExp(`^${escape(m.unsupportedType())}`));
  });
});

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('what the read-time rule leaves alone (found by trying it as an operator)', () => {
  it('when STATUS is typed the moment the summary arrives, then it is answered, not refused', async () => {
    const w = await started(['Check oil level']);
    await send(buttonReply(w.phone, answerButtonId(w.sessionId, 0, 'OK'), 'OK'));

    await send(textMessage(waId(w.phone), 'STATUS', { timestamp: unixNow() - 1 }));

    expect(lastText(w.phone)).not.toContain(m.sentBeforeQuestion());
    expect(lastText(w.phone)).toContain('The question is answered');
  });

  it('when CONFIRM is typed again after the checklist was submitted, then the operator is told it was submitted already', async () => {
    const w = await started(['Check oil level']);
    await send(buttonReply(w.phone, answerButtonId(w.sessionId, 0, 'OK'), 'OK'));
    await send(buttonReply(w.phone, summaryButtonId(w.sessionId, 'CONFIRM'), 'Confirm'));

    await send(textMessage(waId(w.phone), 'confirm.'));

    expect(lastText(w.phone)).toBe(m.alreadySubmittedTyped());
    expect((await submissionOf(h, w.a.id))?.status).toBe('completed');
  });
});
