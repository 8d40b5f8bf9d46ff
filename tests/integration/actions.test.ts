// Corrective actions (issue 18 item 3): opened at CONFIRM for each NOT OK, listed and changed through the REST API
// and the pages, every change in the audit trail, closed by itself when a reworked answer comes back OK.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { withTransaction } from '../../src/lib/db/transaction.js';
import { closeActionsForReworkedOk, CLOSED_BY_REWORK_NOTE } from '../../src/actions/actions-service.js';
import { actionSchema } from '../../src/docs/response-schemas.js';
import { assignChecklist } from '../support/factories.js';
import { API_TOKEN, type Harness } from '../support/harness.js';
import { createUser, useSignedInHarness, type Agent, type FormPost } from '../support/admin.js';
import { say, settle } from '../support/settle.js';

let h: Harness;
let agent: Agent;
let post: FormPost;
useSignedInHarness((s) => ({ h, agent, post } = s));

interface ActionJson {
  id: number;
  submissionId: string;
  position: number;
  taskText: string;
  machineId: number;
  remarks: string | null;
  status: string;
  ownerId: number | null;
  dueAt: string | null;
  note: string | null;
  closedAt: string | null;
}

const patch = (id: number, body: object, actingUser?: string) => {
  const r = request(h.app).patch(`/api/actions/${id}`).set('Authorization', `Bearer ${API_TOKEN}`);
  return (actingUser ? r.set('X-Acting-User', actingUser) : r).send(body);
};

/** A confirmed checklist answered with the given texts (through signed webhooks). */
async function confirmed(tasks: string[], answers: string[]) {
  const s = await assignChecklist(h, tasks);
  await settle(h);
  await say(h, s.operator.phoneNumber, ...answers, 'CONFIRM');
  return s;
}

async function actionsOf(submissionId: string): Promise<ActionJson[]> {
  const res = await h.api.get('/api/actions');
  expect(res.status).toBe(200);
  return (res.body as { actions: ActionJson[] }).actions.filter((a) => a.submissionId === submissionId);
}

const auditOf = async (actionId: number) =>
  (
    await h.database.pool.query<{ action: string; actor_label: string; details: Record<string, unknown> }>(
      "SELECT action, actor_label, details FROM audit_events WHERE subject_type = 'action' AND subject_id = $1 ORDER BY id",
      [String(actionId)],
    )
  ).rows;

describe('corrective actions', () => {
  it('when a submission with one NOT OK is confirmed, then one open action is created and GET /api/actions?status=open lists it (acceptance line 1)', async () => {
    const s = await confirmed(['Check oil level', 'Check belts'], ['OK', 'NOT OK - belt frayed']);

    const res = await h.api.get('/api/actions?status=open');

    expect(res.status).toBe(200);
    const mine = (res.body as { actions: ActionJson[] }).actions.filter(
      (a) => a.submissionId === s.assignment.submissionId,
    );
    expect(mine).toEqual([
      expect.objectContaining({
        position: 2,
        taskText: 'Check belts',
        machineId: s.machine.id,
        remarks: 'belt frayed',
        status: 'open',
        ownerId: null,
        dueAt: null,
        closedAt: null,
      }),
    ]);
    expect(() => actionSchema.parse(mine[0])).not.toThrow();
  });

  it('when a submission has no NOT OK, or is not confirmed yet, then it has no action', async () => {
    const allOk = await confirmed(['Check oil level'], ['OK']);
    const unconfirmed = await assignChecklist(h, ['Check oil level', 'Check belts']);
    await settle(h);
    await say(h, unconfirmed.operator.phoneNumber, 'NOT OK - leak');

    expect(await actionsOf(allOk.assignment.submissionId)).toEqual([]);
    expect(await actionsOf(unconfirmed.assignment.submissionId)).toEqual([]);
  });

  it('when PATCH sets wont_fix without a note, then it is a 400 naming note and nothing changes', async () => {
    const s = await confirmed(['Check oil level'], ['NOT OK - leak']);
    const [action] = await actionsOf(s.assignment.submissionId);

    const res = await patch(action!.id, { status: 'wont_fix' });

    expect(res.status).toBe(400);
    expect((res.body as { error: { details: { fields: { field: string }[] } } }).error.details.fields).toEqual([
      expect.objectContaining({ field: 'note' }),
    ]);
    expect((await actionsOf(s.assignment.submissionId))[0]!.status).toBe('open');
  });

  it('when PATCH changes owner, due day and status with X-Acting-User, then the action shows them and the audit trail lists each change with that account (line 7, actions)', async () => {
    const s = await confirmed(['Check oil level'], ['NOT OK - leak']);
    const [action] = await actionsOf(s.assignment.submissionId);
    const owner = await createUser(h.database.db, { email: `owner${Date.now()}@kinto.test` });

    const first = await patch(
      action!.id,
      { ownerId: owner.id, dueAt: '2026-12-24', status: 'in_progress' },
      owner.email,
    );
    const closed = await patch(action!.id, { status: 'wont_fix', note: 'machine is being retired' });

    expect(first.status).toBe(200);
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({
      status: 'wont_fix',
      note: 'machine is being retired',
      ownerId: owner.id,
      dueAt: '2026-12-24',
      closedAt: expect.any(String),
    });
    const trail = await auditOf(action!.id);
    expect(trail.map((e) => e.action)).toEqual([
      'action.status_changed',
      'action.owner_changed',
      'action.due_changed',
      'action.status_changed',
    ]);
    expect(trail[0]!.actor_label).toContain(owner.email);
    expect(trail[3]).toMatchObject({ actor_label: 'API token', details: { to: 'wont_fix' } });
    const page = await agent.get(`/submissions/${s.assignment.submissionId}`);
    expect(page.text).toContain('Set the action for task 1 to Won&#39;t fix with the note “machine is being retired”');
  });

  it('when PATCH names an owner no account has, then it is a 400 naming ownerId', async () => {
    const s = await confirmed(['Check oil level'], ['NOT OK - leak']);
    const [action] = await actionsOf(s.assignment.submissionId);

    const res = await patch(action!.id, { ownerId: 999999 });

    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('ownerId');
  });

  it('when closeActionsForReworkedOk runs for a reworked position, then its open action is done with a note saying so, and the others stay open', async () => {
    const s = await confirmed(['Check oil level', 'Check belts'], ['NOT OK - leak', 'NOT OK - frayed']);
    const id = s.assignment.submissionId;

    const closed = await withTransaction(h.database.db, (tx) => closeActionsForReworkedOk(tx, id, [2]));
    const again = await withTransaction(h.database.db, (tx) => closeActionsForReworkedOk(tx, id, [2]));

    expect(closed).toHaveLength(1);
    expect(again).toEqual([]);
    const [one, two] = await actionsOf(id).then((a) => a.sort((x, y) => x.position - y.position));
    expect(one).toMatchObject({ status: 'open', closedAt: null });
    expect(two).toMatchObject({ status: 'done', note: CLOSED_BY_REWORK_NOTE, closedAt: expect.any(String) });
    expect((await auditOf(two!.id)).map((e) => [e.action, e.actor_label])).toEqual([
      ['action.closed_by_rework', 'System'],
    ]);
  });

  it('when an action is overdue, then the dashboard counts it and links to the filtered list, which shows it', async () => {
    const s = await confirmed(['Check oil level'], ['NOT OK - leak']);
    const [action] = await actionsOf(s.assignment.submissionId);
    expect((await patch(action!.id, { dueAt: '2020-01-01' })).status).toBe(200);
    const { rows } = await h.database.pool.query<{ open: number; overdue: number }>(
      `SELECT count(*) FILTER (WHERE status IN ('open', 'in_progress'))::int AS open,
              count(*) FILTER (WHERE status IN ('open', 'in_progress') AND due_at < current_date)::int AS overdue
       FROM corrective_actions`,
    );

    const dashboard = await agent.get('/');
    const overdueList = await agent.get('/actions?show=overdue');

    expect(dashboard.text).toMatch(
      new RegExp(
        `href="/actions\\?show=overdue" id="metric-actions-overdue">\\s*<span class="metric-value">${rows[0]!.overdue}<`,
      ),
    );
    expect(dashboard.text).toMatch(
      new RegExp(
        `href="/actions\\?show=open" id="metric-actions-open">\\s*<span class="metric-value">${rows[0]!.open}<`,
      ),
    );
    expect(overdueList.status).toBe(200);
    expect(overdueList.text).toContain(`href="/actions/${action!.id}"`);
    expect(overdueList.text).toContain('Overdue');
  });

  it('when a manager saves the action page with "won\'t fix" and no note, then the page says the note is required; with a note it is saved and recorded under their name', async () => {
    const s = await confirmed(['Check oil level'], ['NOT OK - leak']);
    const [action] = await actionsOf(s.assignment.submissionId);

    const refused = await post(`/actions/${action!.id}`, { status: 'wont_fix', ownerId: '', dueAt: '', note: '' });
    const saved = await post(`/actions/${action!.id}`, {
      status: 'wont_fix',
      ownerId: '',
      dueAt: '',
      note: 'spare part discontinued',
    });

    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Say why this won&#39;t be fixed (a reason is needed for Won&#39;t fix).');
    expect(refused.text).not.toMatch(/>[^<]*wont_fix/); // the option's value, never its shown text
    expect(saved.status).toBe(303);
    const page = await agent.get(`/actions/${action!.id}`);
    expect(page.text).toContain('Won&#39;t fix');
    expect(page.text).toContain('Meena Manager');
    expect((await auditOf(action!.id)).map((e) => e.action)).toEqual(['action.status_changed']);
  });
});
