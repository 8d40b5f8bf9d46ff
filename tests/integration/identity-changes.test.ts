// Issue 15 item 1, Meta's system webhooks: a person's changed number moves their operator and conversation.
import { describe, expect, it } from 'vitest';
import { assignChecklist, newPhone } from '../support/factories.js';
import type { Harness } from '../support/harness.js';
import { useSignedInHarness, type Agent } from '../support/admin.js';
import {
  deliver,
  messagesDelivery,
  newBsuid,
  newWamid,
  numberChangeMessage,
  usernameMessage,
} from '../support/meta-payloads.js';
import { assignmentOf, rows, sessionOf, storedAnswers, unixNow } from '../support/lifecycle.js';
import { say, settle } from '../support/settle.js';

let h: Harness;
let agent: Agent;
useSignedInHarness((s) => ({ h, agent } = s));

describe('user_changed_number', () => {
  it('when an operator changes number mid-checklist, then the operator moves to it and their next message is applied to the same conversation', async () => {
    const { operator, assignment } = await assignChecklist(h);
    const oldPhone = operator.phoneNumber;
    const newNumber = newPhone();
    await settle(h);
    await say(h, oldPhone, 'OK');
    const before = await sessionOf(h, assignment.id);

    const res = await deliver(h.app, messagesDelivery([numberChangeMessage(oldPhone, newNumber)]));
    expect(res.status).toBe(200);
    const [op] = await rows(h, 'SELECT phone_number, whatsapp_note FROM operators WHERE id = $1', [operator.id]);
    expect(op).toMatchObject({ phone_number: newNumber });
    expect(String(op!.whatsapp_note)).toContain(`changed their number from ${oldPhone} to ${newNumber}`);
    // The system message is no operator's answer: nothing is queued for it.
    expect(await rows(h, 'SELECT 1 FROM whatsapp_inbox WHERE type = $1', ['system'])).toEqual([]);

    await say(h, newNumber, 'not ok: belt worn');

    const after = await sessionOf(h, assignment.id);
    expect(after!.id).toBe(before!.id);
    expect(after!.status).toBe('active');
    const { submissionId } = await assignmentOf(h, assignment.id);
    expect((await storedAnswers(h, submissionId!)).map((a) => [a.position, a.status])).toEqual([
      [1, 'OK'],
      [2, 'NOT_OK'],
    ]);
    expect(h.graph.textsTo(newNumber).at(-1)).toMatch(/^📋 Question 3 of 3/);
    // Found by trying it: the answer sent from the old number did not turn into an unknown sender's message.
    const unknown = await agent.get('/unknown-senders');
    expect(unknown.status).toBe(200);
    expect(unknown.text).not.toContain(oldPhone);
  });

  it("when the operator's page is opened after the change, then it shows the note and the new number", async () => {
    const { operator } = await assignChecklist(h);
    const newNumber = newPhone();
    await settle(h);
    await deliver(h.app, messagesDelivery([numberChangeMessage(operator.phoneNumber, newNumber)]));

    const page = await agent.get(`/operators/${operator.id}/edit`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(
      /id="whatsapp-note">WhatsApp told us this operator changed their number from \+\d+ to \+\d+/,
    );
    expect(page.text).toContain(`value="${newNumber}"`);
  });
});

describe('user_changed_user_id', () => {
  it("when an operator's user id changes, then the operator keeps the new one and the note says so", async () => {
    const { operator } = await assignChecklist(h);
    const [oldId, newId] = [newBsuid(), newBsuid()];
    await settle(h);
    await deliver(h.app, messagesDelivery([usernameMessage(oldId, 'OK', { phone: operator.phoneNumber })]));
    await settle(h);

    const change = {
      from_user_id: oldId,
      id: newWamid(),
      timestamp: String(unixNow()),
      type: 'system',
      system: { body: 'User changed their user id', type: 'user_changed_user_id', new_user_id: newId },
    };
    const res = await deliver(h.app, messagesDelivery([change]));
    expect(res.status).toBe(200);

    const [op] = await rows(h, 'SELECT whatsapp_user_id, whatsapp_note FROM operators WHERE id = $1', [operator.id]);
    expect(op).toEqual({ whatsapp_user_id: newId, whatsapp_note: 'WhatsApp told us this operator’s user id changed.' });
  });
});
