// Issue 15 item 5: what each message costs, from the pricing objects on Meta's delivery statuses only.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn, type Agent } from '../support/admin.js';
import { BILLED_UTILITY, statusOf, type FakePricing } from '../support/fake-graph-api.js';
import { startHarness, type Harness } from '../support/harness.js';
import { operatorWithWork, submissionOf } from '../support/lifecycle.js';
import { deliver, messagesDelivery } from '../support/meta-payloads.js';
import { say, settle } from '../support/settle.js';

const FREE_SERVICE: FakePricing = {
  billable: false,
  pricing_model: 'PMP',
  category: 'service',
  type: 'free_customer_service',
};

const billableCounter = async (h: Harness) => {
  const text = (await request(h.app).get('/metrics')).text;
  const m = /^kinto_billable_messages_total\{category="utility"\} (\d+)$/m.exec(text);
  return m ? Number(m[1]) : 0;
};

describe('what each message costs', () => {
  let h: Harness;
  let manager: Agent;
  beforeAll(async () => {
    h = await startHarness();
    ({ agent: manager } = await signIn(h.app, await createUser(h.database.db, { role: 'manager' })));
  });
  afterAll(async () => {
    await h?.close();
  });

  it('when billable sent and delivered statuses arrive for a checklist, then each message is counted once in the submission, the dashboard and the counter', async () => {
    const w = await operatorWithWork(h, ['Check oil level', 'Check belts']);
    const assignment = await w.assign();
    await settle(h);
    await say(h, w.phone, 'OK', 'OK', 'CONFIRM');
    const sent = h.graph.sentTo(w.phone);
    expect(sent.length).toBeGreaterThanOrEqual(4);
    const [free, ...billed] = sent;
    const before = await billableCounter(h);

    // Meta repeats the pricing on sent and delivered; the first message was free (a service reply).
    const statuses = [
      statusOf(free!, 'delivered', { pricing: FREE_SERVICE }),
      ...billed.flatMap((m) => [
        statusOf(m, 'sent', { pricing: BILLED_UTILITY }),
        statusOf(m, 'delivered', { pricing: BILLED_UTILITY }),
      ]),
    ];
    expect((await deliver(h.app, messagesDelivery([], statuses))).status).toBe(200);
    expect((await deliver(h.app, messagesDelivery([], statuses.slice(1, 3)))).status).toBe(200); // a redelivery

    const submission = await submissionOf(h, assignment.id);
    expect(submission.status).toBe('completed');
    expect((submission as unknown as { messages: unknown }).messages).toEqual({
      sent: sent.length,
      billable: billed.length,
    });
    const page = await manager.get(`/submissions/${submission.id}`);
    expect(page.text).toContain(`${sent.length} sent · ${billed.length} charged by WhatsApp`);
    const dashboard = await manager.get('/');
    const card = /id="metric-billable-month">([\s\S]*?)<\/div>/.exec(dashboard.text)![1]!;
    expect(card).toContain(`<span class="metric-value">${billed.length}</span>`);
    expect(card).toContain(`about ${billed.length} per completed checklist; ${billed.length} utility`);
    expect((await billableCounter(h)) - before).toBe(billed.length);
  });

  it('when a status carries pricing for a message we never sent, then nothing is counted', async () => {
    const before = await billableCounter(h);
    const stranger = {
      id: 'wamid.NOT.OURS',
      to: '+919800000000',
      type: 'text',
      body: {},
      phoneNumberId: '1',
      at: new Date(),
    };

    const res = await deliver(
      h.app,
      messagesDelivery([], [statusOf(stranger, 'delivered', { pricing: BILLED_UTILITY })]),
    );

    expect(res.status).toBe(200);
    expect(await billableCounter(h)).toBe(before);
  });
});
