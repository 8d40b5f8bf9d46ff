// Assigning, checklists, operators, machines and settings through the forms, as a signed-in manager.
import { describe, expect, it } from 'vitest';
import { assignChecklist, createMachine, createOperator, createTemplate } from '../support/factories.js';
import type { Harness } from '../support/harness.js';
import { csrfOf, useSignedInHarness, type Agent, type FormPost } from '../support/admin.js';
import { say, settle } from '../support/settle.js';

let h: Harness;
let agent: Agent;
let csrf: string;
let post: FormPost;
useSignedInHarness((s) => ({ h, agent, csrf, post } = s));

describe('assigning from the page', () => {
  it('when nothing is chosen, then 400 with a message next to each field', async () => {
    const res = await post('/assignments', { templateId: '', machineId: '', operatorId: '' });

    expect(res.status).toBe(400);
    expect(res.text).toContain('id="templateId-error">Choose a checklist');
    expect(res.text).toContain('id="machineId-error">Choose a machine');
    expect(res.text).toContain('id="operatorId-error">Choose an operator');
  });

  it('when a choice no longer exists, then 400 on that field and the others stay selected', async () => {
    const [operator, machine] = await Promise.all([createOperator(h), createMachine(h)]);

    const res = await post('/assignments', {
      templateId: '999999',
      machineId: String(machine.id),
      operatorId: String(operator.id),
    });

    expect(res.status).toBe(400);
    expect(res.text).toContain('This checklist does not exist any more');
    expect(res.text).toContain(`<option value="${machine.id}" selected>`);
    expect(res.text).toContain(`<option value="${operator.id}" selected>`);
    expect(
      (await h.database.pool.query('SELECT 1 FROM checklist_assignments WHERE operator_id = $1', [operator.id]))
        .rowCount,
    ).toBe(0);
  });

  it('when a checklist is assigned, then it starts (Question 1 goes out) and the page shows its live progress', async () => {
    const [operator, machine, template] = await Promise.all([
      createOperator(h),
      createMachine(h),
      createTemplate(h, ['Check oil level', 'Check belts']),
    ]);

    const res = await post('/assignments', {
      templateId: String(template.id),
      machineId: String(machine.id),
      operatorId: String(operator.id),
    });

    expect(res.status).toBe(303);
    const id = /^\/assignments\/([0-9a-f-]{36})$/.exec(res.headers.location ?? '')![1]!;
    await h.graph.waitForSent((m) => m.to === operator.phoneNumber);
    const page = await agent.get(`/assignments/${id}`);
    expect(page.text).toContain('Question 1 is on its way');
    expect(page.text).toContain('data-active="true"');
    await say(h, operator.phoneNumber, 'OK - fine');
    const live = await agent.get(`/assignments/${id}/live`);
    expect(live.headers['x-live-active']).toBe('true');
    expect(live.text).toContain('fine');
    expect(live.text).not.toContain('<html');
  });

  it('when an active assignment is cancelled, then the conversation ends and the operator is told', async () => {
    const s = await assignChecklist(h);
    await settle(h);

    const res = await post(`/assignments/${s.assignment.id}/cancel`);
    const again = await post(`/assignments/${s.assignment.id}/cancel`);

    expect(res.status).toBe(303);
    await settle(h);
    const { rows } = await h.database.pool.query<{ status: string }>(
      'SELECT status FROM checklist_assignments WHERE id = $1',
      [s.assignment.id],
    );
    expect(rows[0]!.status).toBe('cancelled');
    expect(h.graph.textsTo(s.operator.phoneNumber).at(-1)).toMatch(/cancel/i);
    expect((await agent.get(again.headers.location ?? '')).text).toContain('already cancelled');
  });

  it('when an active assignment is cancelled, then the page says the operator has been told', async () => {
    const s = await assignChecklist(h);
    await settle(h);

    const asked = (await agent.get(`/assignments/${s.assignment.id}`)).text;
    const res = await post(`/assignments/${s.assignment.id}/cancel`);

    expect(asked).toContain('data-confirm="Cancel this checklist? The operator is told on WhatsApp."');
    expect((await agent.get(res.headers.location ?? '')).text).toContain('Cancelled. The operator has been told.');
  });

  it('when an assignment whose conversation was deleted by hand is cancelled, then the page says "Cancelled." and not that the operator was told (QA)', async () => {
    const s = await assignChecklist(h);
    await settle(h);
    // The deployment guide's "Delete corrupted session" fix.
    await h.database.pool.query('DELETE FROM whatsapp_conversation_sessions WHERE assignment_id = $1', [
      s.assignment.id,
    ]);
    const before = h.graph.textsTo(s.operator.phoneNumber).length;
    await h.runtime.lifecycleWorker.runOnce();
    // As docs/deployment-guide.md says after that DELETE: the lifecycle pass makes it "Expired", to restart or cancel.
    const listed = (await agent.get(`/assignments?status=expired&operatorId=${s.operator.id}`)).text;
    const asked = (await agent.get(`/assignments/${s.assignment.id}`)).text;
    expect(listed).toContain(`href="/assignments/${s.assignment.id}"`);
    expect(asked).toContain('<span class="badge badge--expired">Expired</span>');
    expect(asked).toContain('>Restart: send Question 1 again</button>');
    expect(asked).toContain('>Cancel assignment</button>');

    const res = await post(`/assignments/${s.assignment.id}/cancel`);
    await settle(h);

    const page = (await agent.get(res.headers.location ?? '')).text;
    expect(page).toContain('Cancelled.');
    expect(page).not.toContain('has been told');
    expect(asked).toContain('data-confirm="Cancel this checklist?"');
    expect(h.graph.textsTo(s.operator.phoneNumber)).toHaveLength(before);
  });

  it.each(['cancel', 'restart'])(
    'when an unknown assignment is posted to %s, then the 404 page, not a redirect',
    async (action) => {
      const res = await post(`/assignments/00000000-0000-4000-8000-000000000000/${action}`);

      expect(res.status).toBe(404);
      expect(res.text).toContain('not found');
    },
  );

  it('when a conversation expired, then Restart sends Question 1 again and the assignment is active', async () => {
    const s = await assignChecklist(h, ['Check oil level']);
    await settle(h);
    await h.database.pool.query(
      "UPDATE whatsapp_conversation_sessions SET expires_at = (now() AT TIME ZONE 'UTC') - interval '1 minute' WHERE assignment_id = $1",
      [s.assignment.id],
    );
    h.runtime.lifecycleWorker.kick();
    await expect
      .poll(
        async () =>
          (
            await h.database.pool.query<{ last_expired_at: Date | null }>(
              'SELECT last_expired_at FROM checklist_assignments WHERE id = $1',
              [s.assignment.id],
            )
          ).rows[0]!.last_expired_at,
        { timeout: 10_000 },
      )
      .not.toBeNull();
    const page = await agent.get(`/assignments/${s.assignment.id}`);
    expect(page.text).toContain('Restart: send Question 1 again');
    expect((await agent.get('/')).text).toContain(`/assignments/${s.assignment.id}`);
    const sentBefore = h.graph.sentTo(s.operator.phoneNumber).length;

    const res = await post(`/assignments/${s.assignment.id}/restart`);

    expect(res.status).toBe(303);
    await settle(h);
    const { rows } = await h.database.pool.query(
      'SELECT status, last_expired_at FROM checklist_assignments WHERE id = $1',
      [s.assignment.id],
    );
    expect(rows[0]).toEqual({ status: 'active', last_expired_at: null });
    expect(h.graph.textsTo(s.operator.phoneNumber).slice(sentBefore).join('\n')).toMatch(/Question 1 of 1/);
  });

  it('when the list is filtered by status, operator and machine, then only matching assignments show', async () => {
    const a = await assignChecklist(h);
    const b = await assignChecklist(h);

    const byOperator = await agent.get(`/assignments?operatorId=${a.operator.id}`);
    const byMachine = await agent.get(`/assignments?machineId=${b.machine.id}&status=active`);
    const cancelled = await agent.get(`/assignments?status=cancelled&machineId=${b.machine.id}`);

    expect(byOperator.text).toContain(`/assignments/${a.assignment.id}`);
    expect(byOperator.text).not.toContain(`/assignments/${b.assignment.id}`);
    expect(byMachine.text).toContain(`/assignments/${b.assignment.id}`);
    expect(cancelled.text).not.toContain(`/assignments/${b.assignment.id}`);
  });

  it('when the list is filtered by missed or by completed late, then only those show, with their due time, and a missed one offers its restart', async () => {
    const missed = await assignChecklist(h);
    const late = await assignChecklist(h);
    const onTime = await assignChecklist(h);
    const due = '2026-03-02T06:00:00Z';
    await h.database.pool.query(
      `UPDATE checklist_assignments SET due_at = $2,
              status = CASE WHEN id = $1 THEN 'missed' ELSE 'completed' END,
              missed_at = CASE WHEN id = $1 THEN $2::timestamptz END,
              completed_at = CASE WHEN id = $1 THEN NULL ELSE $2::timestamptz END,
              completed_late = (id = $3)
        WHERE id IN ($1, $3, $4)`,
      [missed.assignment.id, due, late.assignment.id, onTime.assignment.id],
    );

    const missedList = await agent.get('/assignments?status=missed');
    const lateList = await agent.get('/assignments?status=late');

    expect(missedList.status).toBe(200);
    expect(missedList.text).toContain(`/assignments/${missed.assignment.id}`);
    expect(missedList.text).not.toContain(`/assignments/${late.assignment.id}`);
    expect(missedList.text).toContain('<option value="missed" selected>Missed</option>');
    expect(missedList.text).toContain('data-label="Due"><time');
    expect(lateList.text).toContain(`/assignments/${late.assignment.id}`);
    expect(lateList.text).not.toContain(`/assignments/${onTime.assignment.id}`);
    expect(lateList.text).not.toContain(`/assignments/${missed.assignment.id}`);
    expect(lateList.text).toContain('class="muted late-mark">late</span>');
    const missedPage = await agent.get(`/assignments/${missed.assignment.id}`);
    expect(missedPage.text).toContain('id="restart-missed"');
    expect((await agent.get(`/assignments/${late.assignment.id}`)).text).not.toContain('id="restart-missed"');
  });
});

describe('checklists, operators, machines, settings', () => {
  it('when a checklist is created with an error, then the typed values come back with the message next to the field', async () => {
    const res = await post('/templates', {
      name: '',
      'tasks[0][text]': 'Check oil level',
      'tasks[0][requiresPhoto]': 'on',
      'tasks[1][text]': 'x'.repeat(901),
      action: 'create',
    });

    expect(res.status).toBe(400);
    expect(res.text).toContain('id="name-error">is required');
    expect(res.text).toContain('id="task-1-error">must be at most 900 characters');
    expect(res.text).toContain('value="Check oil level"');
    expect(res.text).toMatch(/name="tasks\[0\]\[requiresPhoto\]" value="on" checked/);
  });

  it('when tasks are added, moved and removed, then positions stay 1..n; while a conversation runs, the order cannot change', async () => {
    const created = await post('/templates', {
      name: 'Shift start',
      'tasks[0][text]': 'A',
      'tasks[1][text]': 'B',
      'tasks[2][text]': 'C',
      action: 'create',
    });
    const templateId = Number(/\/templates\/(\d+)\/edit/.exec(created.headers.location ?? '')![1]);
    type TaskRow = { id: number; position: number; text: string; requires_photo: boolean };
    const tasks = async () =>
      (
        await h.database.pool.query<TaskRow>(
          'SELECT id, position, text, requires_photo FROM checklist_template_tasks WHERE template_id = $1 ORDER BY position',
          [templateId],
        )
      ).rows;
    const [a, b, c] = (await tasks()) as [TaskRow, TaskRow, TaskRow];

    await post(`/templates/${templateId}/tasks`, { text: 'D', requiresPhoto: 'on' });
    await post(`/templates/${templateId}/tasks/${c.id}/move`, { direction: 'up' });
    await post(`/templates/${templateId}/tasks/${a.id}/delete`);
    await post(`/templates/${templateId}/tasks/${b.id}`, { text: 'B2' });

    expect((await tasks()).map((t) => [t.position, t.text, t.requires_photo])).toEqual([
      [1, 'C', false],
      [2, 'B2', false],
      [3, 'D', true],
    ]);
    expect((await agent.get(`/templates/${templateId}/edit`)).text).not.toContain('id="busy-notice"');
    const [operator, machine] = await Promise.all([createOperator(h), createMachine(h)]);
    await post('/assignments', {
      templateId: String(templateId),
      machineId: String(machine.id),
      operatorId: String(operator.id),
    });
    const busy = (await agent.get(`/templates/${templateId}/edit`)).text;
    expect(busy).toMatch(/id="busy-notice" role="status">1 operator is answering this checklist now/);
    expect(busy.match(/>(↑ Up|↓ Down|Remove|Add task)</g)?.length).toBe(3 * 3 + 1);
    expect(busy.match(/ disabled>(↑ Up|↓ Down|Remove|Add task)</g)?.length).toBe(3 * 3 + 1);
    const refused = await post(`/templates/${templateId}/tasks/${c.id}/move`, { direction: 'down' });
    expect((await agent.get(refused.headers.location ?? '')).text).toContain('answering this checklist now');
    expect((await tasks()).map((t) => t.text)).toEqual(['C', 'B2', 'D']);
  });

  it('when an operator is added with a typed phone, then it is stored in E.164; a bad or taken number is refused next to the field', async () => {
    const ok = await post('/operators', { name: 'Sunil', phoneNumber: '0091 98765 43210' });
    const bad = await post('/operators', { name: 'Anil', phoneNumber: '12345' });
    const taken = await post('/operators', { name: 'Anil', phoneNumber: '+91 98765 43210' });

    expect(ok.status).toBe(303);
    expect((await agent.get('/operators')).text).toContain('+919876543210');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('id="phoneNumber-error">This is not a phone number. Type the operator');
    expect(bad.text).toContain('value="Anil"');
    expect(taken.status).toBe(409);
    expect(taken.text).toContain(
      'id="phoneNumber-error">The number +919876543210 already belongs to another operator, Sunil.<',
    );
  });

  it('when a machine code is taken, then 409 next to the code', async () => {
    await post('/machines', { name: 'Lathe', code: 'LT-1' });

    const taken = await post('/machines', { name: 'Lathe 2', code: 'LT-1' });

    expect(taken.status).toBe(409);
    expect(taken.text).toContain('id="code-error"');
    expect(taken.text).toContain('value="Lathe 2"');
  });

  it("when WhatsApp is switched off in Settings, then the guide's system_config flag is false and new assignments wait", async () => {
    const off = await post('/settings/whatsapp', { enabled: 'false' });
    const flag = await h.database.pool.query('SELECT whatsapp_enabled FROM system_config');
    const s = await assignChecklist(h);
    const on = await post('/settings/whatsapp', { enabled: 'true' });

    expect(off.status).toBe(303);
    expect(flag.rows).toEqual([{ whatsapp_enabled: false }]);
    expect(s.assignment.status).toBe('pending');
    expect(on.status).toBe(303);
    expect((await h.database.pool.query('SELECT whatsapp_enabled FROM system_config')).rows).toEqual([
      { whatsapp_enabled: true },
    ]);
    expect((await agent.get('/settings')).text).toContain('<strong>ON</strong>');
  });

  it('when the form token of the page is used, then it is the same one the session holds', async () => {
    expect(csrfOf((await agent.get('/operators')).text)).toBe(csrf);
  });
});

describe('the dashboard', () => {
  it('when photos are stored, then the dashboard shows the disk they use', async () => {
    const fs = await import('node:fs');
    const path = await import('node:path');
    for (const f of fs.readdirSync(h.photosDir)) fs.rmSync(path.join(h.photosDir, f));
    fs.writeFileSync(path.join(h.photosDir, 'a.jpg'), Buffer.alloc(3 * 1024 * 1024));

    const page = await agent.get('/');

    expect(page.status).toBe(200);
    expect(page.text).toMatch(/id="metric-photo-storage">\s*<span class="metric-value">3\.0 MB<\/span>/);
  });

  it('when an operator message failed for good, then the dashboard counts it as not processed, in red', async () => {
    const unanswered = async () =>
      /id="metric-unanswered">\s*<span class="metric-value">(\d+)/.exec((await agent.get('/')).text);
    const before = Number((await unanswered())![1]);
    await h.database.pool.query(
      `INSERT INTO whatsapp_inbox (wa_message_id, phone_number, type, payload, sent_at, status, attempts)
       VALUES ('wamid.dashboard-failed', '+919800000555', 'text', '{}', now(), 'failed', 5)`,
    );

    const page = await agent.get('/');

    expect(Number((await unanswered())![1])).toBe(before + 1);
    expect(page.text).toContain('class="card card--alert" id="metric-unanswered"');
    expect(page.text).toContain('the operator got no answer');
  });
});
