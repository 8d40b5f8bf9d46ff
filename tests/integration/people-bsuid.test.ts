import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagesEn } from '../../src/conversation/messages.en.js';
import { assignChecklist } from '../support/factories.js';
import { startHarness, type Harness } from '../support/harness.js';
import {
  deliver,
  messagesDelivery,
  newBsuid,
  newWamid,
  textMessage,
  usernameMessage,
} from '../support/meta-payloads.js';
import { assignmentOf, rows, submissionOf, unixNow } from '../support/lifecycle.js';
import { settle, textOf } from '../support/settle.js';

// Issue 15 items 1 and 2: a person known by a phone number, a business-scoped user id (BSUID), or both.

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

/** Delivers one username message (with or without the number) and waits until it is applied and answered. */
async function write(userId: string, body: string, opts: { phone?: string; username?: string } = {}) {
  const res = await deliver(h.app, messagesDelivery([usernameMessage(userId, body, opts)], [], opts));
  expect(res.status).toBe(200);
  await settle(h);
}

describe('an operator who writes with a username', () => {
  it('when question 1 is answered with from and from_user_id and the rest with from_user_id only, then every answer is stored, question 3 goes out and the submission completes', async () => {
    const { operator, assignment } = await assignChecklist(h);
    const phone = operator.phoneNumber;
    const userId = newBsuid();
    await settle(h);

    await write(userId, 'OK', { phone, username: 'ravi.press' });
    const [op] = await rows<{ whatsapp_user_id: string; whatsapp_username: string }>(
      h,
      'SELECT whatsapp_user_id, whatsapp_username FROM operators WHERE id = $1',
      [operator.id],
    );
    expect(op).toEqual({ whatsapp_user_id: userId, whatsapp_username: 'ravi.press' });
    const [contact] = await rows(h, 'SELECT user_id, username FROM whatsapp_contacts WHERE phone_number = $1', [phone]);
    expect(contact).toEqual({ user_id: userId, username: 'ravi.press' });

    await write(userId, 'not ok: belt worn');
    const q3 = h.graph.textsTo(phone).at(-1);
    expect(q3).toMatch(/^📋 Question 3 of 3: Clean filter/);
    await write(userId, 'NA');
    await write(userId, 'CONFIRM');

    expect(await assignmentOf(h, assignment.id)).toMatchObject({ status: 'completed', submissionStatus: 'completed' });
    const submission = await submissionOf(h, assignment.id);
    expect(submission.answers.map((a) => [a.status, a.remarks])).toEqual([
      ['OK', null],
      ['NOT_OK', 'belt worn'],
      ['NA', null],
    ]);
    // Everything went to the number: the one address we have for them, and never a BSUID in `to`.
    expect(h.graph.sentTo(userId)).toEqual([]);
    const [count] = await rows<{ n: number }>(
      h,
      'SELECT count(*)::int AS n FROM whatsapp_inbox WHERE phone_number = $1 AND status = $2',
      [phone, 'processed'],
    );
    expect(count?.n).toBe(4); // the four messages of this test, all under the number
  });
});

describe('a stranger who writes with a username and no number', () => {
  it('when the message carries only from_user_id, then it is recorded under the BSUID and the reply goes to recipient, never to', async () => {
    const userId = newBsuid();
    const res = await deliver(h.app, messagesDelivery([usernameMessage(userId, 'hello')], [], { username: 'guest' }));
    expect(res.status).toBe(200);
    await settle(h);

    const recorded = await rows(h, 'SELECT status, type FROM whatsapp_inbox WHERE phone_number = $1', [userId]);
    expect(recorded).toEqual([{ status: 'processed', type: 'text' }]);
    const [reply] = h.graph.sentTo(userId);
    // They wrote without a number: the reply does not ask them to have "this number" added (QA pass).
    expect(textOf(reply!)).toBe(messagesEn.unknownUsername());
    expect(reply!.body.recipient).toBe(userId);
    expect(reply!.body.to).toBeUndefined();
    expect(reply!.body.recipient_type).toBe('individual');
  });

  it('when a status carries only recipient_user_id, then it updates its outbox row', async () => {
    const userId = newBsuid();
    await deliver(h.app, messagesDelivery([usernameMessage(userId, 'hi')]));
    await settle(h);
    const [sent] = await rows<{ wa_message_id: string; status: string }>(
      h,
      'SELECT wa_message_id, status FROM whatsapp_outbox WHERE phone_number = $1',
      [userId],
    );
    expect(sent!.status).toBe('sent');

    const status = {
      id: sent!.wa_message_id,
      status: 'delivered',
      timestamp: String(unixNow()),
      recipient_user_id: userId,
    };
    const res = await deliver(h.app, messagesDelivery([], [status]));
    expect(res.status).toBe(200);

    const after = await rows(h, 'SELECT status FROM whatsapp_outbox WHERE wa_message_id = $1', [sent!.wa_message_id]);
    expect(after).toEqual([{ status: 'delivered' }]);
  });

  it('when one delivery carries an answer and a status pairing the number with its BSUID, then the answer is applied and the operator and contact learn the BSUID', async () => {
    const { operator, assignment } = await assignChecklist(h);
    const phone = operator.phoneNumber;
    const userId = newBsuid();
    await settle(h);
    const status = {
      id: newWamid(),
      status: 'read',
      timestamp: String(unixNow()),
      recipient_id: phone.replace('+', ''),
      recipient_user_id: userId,
    };

    const res = await deliver(h.app, messagesDelivery([textMessage(phone, 'OK')], [status]));
    await settle(h);

    expect(res.status).toBe(200);
    const [op] = await rows(h, 'SELECT whatsapp_user_id FROM operators WHERE id = $1', [operator.id]);
    expect(op).toEqual({ whatsapp_user_id: userId });
    const [contact] = await rows(h, 'SELECT user_id FROM whatsapp_contacts WHERE phone_number = $1', [phone]);
    expect(contact).toEqual({ user_id: userId });
    const answers = await rows(
      h,
      `SELECT a.status FROM checklist_submission_answers a JOIN checklist_submissions s ON s.id = a.submission_id
       WHERE s.assignment_id = $1`,
      [assignment.id],
    );
    expect(answers).toEqual([{ status: 'OK' }]);
  });
});
