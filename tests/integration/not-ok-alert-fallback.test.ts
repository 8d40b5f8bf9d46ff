// Issue 15 item 6: a free-form NOT OK alert that Meta refuses with 131047 (our record of the manager's
// 24-hour window was wrong) goes out again as WHATSAPP_ALERT_TEMPLATE, once; one that still cannot be
// delivered is listed on the dashboard.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn, type Agent } from '../support/admin.js';
import { REENGAGEMENT, statusOf } from '../support/fake-graph-api.js';
import { startHarness, type Harness } from '../support/harness.js';
import { operatorWithWork, rows } from '../support/lifecycle.js';
import { deliver, messagesDelivery, textMessage } from '../support/meta-payloads.js';
import { say, settle } from '../support/settle.js';

const TEMPLATE = 'checklist_not_ok';
const REFUSED_BY_HTTP = '+919833310001';
const REFUSED_BY_STATUS = '+919833310002';
const UNREACHABLE = '+919833310003';
const MANAGERS = [REFUSED_BY_HTTP, REFUSED_BY_STATUS, UNREACHABLE];

describe('NOT OK alerts refused outside the 24-hour window', () => {
  let h: Harness;
  let manager: Agent;
  beforeAll(async () => {
    h = await startHarness({ ALERT_PHONE_NUMBERS: MANAGERS.join(','), WHATSAPP_ALERT_TEMPLATE: TEMPLATE });
    ({ agent: manager } = await signIn(h.app, await createUser(h.database.db, { role: 'manager' })));
    // Each manager wrote to us, so our record says the free-form text may go.
    await deliver(h.app, messagesDelivery(MANAGERS.map((p) => textMessage(p, 'hello'))));
    await settle(h);
  });
  afterAll(async () => {
    await h?.close();
  });

  /** An operator confirms a one-task checklist with a NOT OK answer; the alerts are queued in that commit. */
  async function confirmNotOk() {
    const w = await operatorWithWork(h, ['Check oil level']);
    await w.assign();
    await settle(h);
    await say(h, w.phone, 'NOT OK - oil low', 'CONFIRM');
    return w;
  }
  const alertsTo = (phone: string, machine: string) =>
    h.graph
      .sentTo(phone)
      .filter((m) =>
        m.type === 'template'
          ? JSON.stringify(m.body.template).includes(machine)
          : (m.body.text?.body ?? '').includes(machine),
      );
  /** The alert rows of one machine's checklist to one manager, oldest first. */
  const outboxOf = (phone: string, machine: string) =>
    rows<{ kind: string; status: string; error_code: number | null; retried: boolean }>(
      h,
      `SELECT o.kind, o.status, o.error_code, o.retried_as IS NOT NULL AS retried
       FROM whatsapp_outbox o JOIN checklist_submissions s ON s.id = o.submission_id JOIN machines m ON m.id = s.machine_id
       WHERE o.phone_number = $1 AND m.name = $2 ORDER BY o.id`,
      [phone, machine],
    );

  it('when Meta answers the free-form alert with 131047, then the alert template goes out instead, once', async () => {
    const stop = h.graph.failWhen((a) => a.to === REFUSED_BY_HTTP && a.type !== 'template', REENGAGEMENT);
    try {
      const w = await confirmNotOk();

      const got = alertsTo(REFUSED_BY_HTTP, w.machine.name);
      expect(got.map((m) => [m.type, m.body.template?.name])).toEqual([['template', TEMPLATE]]);
      expect(await outboxOf(REFUSED_BY_HTTP, w.machine.name)).toEqual([
        { kind: 'text', status: 'failed', error_code: 131047, retried: true },
        { kind: 'template', status: 'sent', error_code: null, retried: false },
      ]);
    } finally {
      stop();
    }
  });

  it('when a failed status with 131047 arrives for an accepted alert, then the template goes out once, however often the status repeats', async () => {
    const w = await confirmNotOk();
    const [text] = alertsTo(REFUSED_BY_STATUS, w.machine.name);
    expect(text?.type).toBe('text');

    const failed = messagesDelivery([], [statusOf(text!, 'failed')]);
    expect((await deliver(h.app, failed)).status).toBe(200);
    await settle(h);
    expect((await deliver(h.app, failed)).status).toBe(200);
    await settle(h);

    const templates = alertsTo(REFUSED_BY_STATUS, w.machine.name).filter((m) => m.type === 'template');
    expect(templates.map((m) => m.body.template?.name)).toEqual([TEMPLATE]);
  });

  it('when the template is refused too, then it is not tried again and the dashboard lists the alert with whom, which checklist and why', async () => {
    const stopText = h.graph.failWhen((a) => a.to === UNREACHABLE && a.type !== 'template', REENGAGEMENT);
    const stopTemplate = h.graph.failWhen((a) => a.to === UNREACHABLE && a.type === 'template', {
      status: 400,
      code: 131026,
      title: 'Message undeliverable',
    });
    try {
      const w = await confirmNotOk();

      expect(await outboxOf(UNREACHABLE, w.machine.name)).toEqual([
        { kind: 'text', status: 'failed', error_code: 131047, retried: true },
        { kind: 'template', status: 'failed', error_code: 131026, retried: false },
      ]);
      const page = await manager.get('/');
      const list = /<table class="data" id="lost-alerts">([\s\S]*?)<\/table>/.exec(page.text)![1]!;
      const lines = list.split('<tr>').filter((r) => r.includes(w.machine.name));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(UNREACHABLE);
      expect(lines[0]).toContain(w.template.name);
      expect(lines[0]).toContain('WhatsApp could not deliver it to this number');
      // The alerts that arrived as templates are not listed.
      expect(list).not.toContain(REFUSED_BY_HTTP);
      expect(list).not.toContain(REFUSED_BY_STATUS);
    } finally {
      stopText();
      stopTemplate();
    }
  });
});
