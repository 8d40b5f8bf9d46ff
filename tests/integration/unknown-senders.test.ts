// Issue 15 item 3: messages from people who are no operator, listed for the manager; and a username-only sender
// linked to an operator answering a whole checklist by username alone (the last acceptance line of item 1).
import { describe, expect, it } from 'vitest';
import { assignChecklist, createOperator, newPhone } from '../support/factories.js';
import type { Harness } from '../support/harness.js';
import { useSignedInHarness, type Agent, type FormPost } from '../support/admin.js';
import { deliver, messagesDelivery, newBsuid, textMessage, usernameMessage } from '../support/meta-payloads.js';
import { assignmentOf, rows, submissionOf } from '../support/lifecycle.js';
import { settle } from '../support/settle.js';

let h: Harness;
let agent: Agent;
let post: FormPost;
useSignedInHarness((s) => ({ h, agent, post } = s));

async function strangerWrites(message: object, opts: { name?: string; username?: string } = {}) {
  const res = await deliver(h.app, messagesDelivery([message], [], opts));
  expect(res.status).toBe(200);
  await settle(h);
}

const unescape = (html: string) => html.replaceAll('&amp;', '&').replaceAll('&#34;', '"').replaceAll('&#39;', "'");

describe('the unknown senders page', () => {
  it('when a number and a username that are no operator write, then both are listed newest first with type and text, and the dashboard counts them', async () => {
    const phone = newPhone();
    const userId = newBsuid();
    await strangerWrites(textMessage(phone, 'Hello, I am the new fitter'), { name: 'Asha' });
    await strangerWrites(usernameMessage(userId, 'Is this the checklist number?'), { username: 'meera.k' });
    await createOperator(h); // someone to link the username to

    const page = await agent.get('/unknown-senders');
    expect(page.status).toBe(200);
    const html = unescape(page.text);
    const meera = html.indexOf('@meera.k');
    const asha = html.indexOf('Asha');
    expect(meera).toBeGreaterThan(-1);
    expect(asha).toBeGreaterThan(meera); // newest first
    expect(html).toContain('Is this the checklist number?');
    expect(html).toContain('Hello, I am the new fitter');
    expect(html).toContain(`name="userId" value="${userId}"`);
    // Types in a manager's words, not Meta's field values (QA pass).
    expect(html).toContain('<td data-label="Type">Text</td>');
    expect(html).not.toContain('<td data-label="Type">text</td>');

    const dashboard = await agent.get('/');
    expect(dashboard.text).toMatch(/id="metric-unknown-senders">\s*<span class="metric-value">2<\/span>/);
  });

  it('when Create operator is followed for a number, then the form is filled in and the saved operator leaves the list', async () => {
    const phone = newPhone();
    await strangerWrites(textMessage(phone, 'Please add me'), { name: 'Kiran' });
    const html = unescape((await agent.get('/unknown-senders')).text);
    const link = new RegExp(`href="(/operators\\?[^"]*${encodeURIComponent(phone)}[^"]*)"`).exec(html)?.[1];
    expect(link).toBeDefined();

    const form = await agent.get(link!);
    expect(form.text).toContain('value="Kiran"');
    expect(form.text).toContain(`value="${phone}"`);
    const saved = await post('/operators', { name: 'Kiran', phoneNumber: phone });
    expect(saved.status).toBe(303);

    expect((await agent.get('/unknown-senders')).text).not.toContain('Please add me');
  });
});

describe('a username-only sender linked to an operator', () => {
  it('when linked, then they answer a whole checklist by username alone and it completes', async () => {
    const userId = newBsuid();
    await strangerWrites(usernameMessage(userId, 'hi, Ravi here on my username'), { username: 'ravi.press' });
    const { operator, assignment } = await assignChecklist(h, ['Check oil level', 'Clean filter']);
    await settle(h);

    const linked = await post('/unknown-senders/link', { userId, operatorId: String(operator.id) });
    expect(linked.status).toBe(303);
    const [op] = await rows(h, 'SELECT whatsapp_user_id, whatsapp_username FROM operators WHERE id = $1', [
      operator.id,
    ]);
    expect(op).toEqual({ whatsapp_user_id: userId, whatsapp_username: 'ravi.press' });
    // The manager reads who was linked to whom (QA pass: it said only "that operator").
    expect((await agent.get('/unknown-senders')).text).toContain(`@ravi.press is now linked to ${operator.name}`);

    for (const body of ['OK', 'NOT OK: filter clogged', 'CONFIRM']) await strangerWrites(usernameMessage(userId, body));

    expect(await assignmentOf(h, assignment.id)).toMatchObject({ status: 'completed', submissionStatus: 'completed' });
    expect((await submissionOf(h, assignment.id)).answers.map((a) => a.status)).toEqual(['OK', 'NOT_OK']);
    // Their earlier message as a stranger is no longer listed: the sender is an operator now.
    expect((await agent.get('/unknown-senders')).text).not.toContain('Ravi here on my username');
  });

  it('when the username is already linked to another operator, then the link is refused and nothing changes', async () => {
    const userId = newBsuid();
    await strangerWrites(usernameMessage(userId, 'hello'));
    const [first, second] = await Promise.all([createOperator(h), createOperator(h)]);
    await post('/unknown-senders/link', { userId, operatorId: String(first.id) });

    const res = await post('/unknown-senders/link', { userId, operatorId: String(second.id) });
    expect(res.status).toBe(303);
    const page = await agent.get('/unknown-senders');
    expect(page.text).toContain('already linked to another operator');
    const [op] = await rows(h, 'SELECT whatsapp_user_id FROM operators WHERE id = $1', [second.id]);
    expect(op).toEqual({ whatsapp_user_id: null });
  });
});
