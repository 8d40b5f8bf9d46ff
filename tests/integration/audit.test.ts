// The audit trail (issue 18 item 4): who did what and when, append-only, for assignments and reviews.
import { describe, expect, it } from 'vitest';
import { assignChecklist, createMachine, createOperator, createTemplate } from '../support/factories.js';
import type { Harness } from '../support/harness.js';
import { createUser, useSignedInHarness, type Agent, type FormPost } from '../support/admin.js';
import { say, settle } from '../support/settle.js';

let h: Harness;
let agent: Agent;
let post: FormPost;
useSignedInHarness((s) => ({ h, agent, post } = s));

interface Row {
  actor_kind: string;
  actor_user_id: number | null;
  actor_label: string;
  action: string;
}
const eventsOf = async (subjectId: string) =>
  (
    await h.database.pool.query<Row>(
      'SELECT actor_kind, actor_user_id, actor_label, action FROM audit_events WHERE subject_id = $1 ORDER BY id',
      [subjectId],
    )
  ).rows;

async function newAssignmentBody() {
  const [operator, machine, template] = await Promise.all([createOperator(h), createMachine(h), createTemplate(h)]);
  return { templateId: template.id, machineId: machine.id, operatorId: operator.id };
}

describe('the audit trail', () => {
  it('when an assignment is created and cancelled through the API with X-Acting-User, then the trail names that account for each (line 7, assignments)', async () => {
    const manager = await createUser(h.database.db, { email: 'asha@kinto.test' });
    const created = await h.api
      .post('/api/assignments', await newAssignmentBody())
      .set('X-Acting-User', 'Asha@Kinto.test');
    expect(created.status).toBe(201);
    const id = (created.body as { id: string }).id;

    const cancelled = await h.api.post(`/api/assignments/${id}/cancel`).set('X-Acting-User', 'asha@kinto.test');

    expect(cancelled.status).toBe(200);
    expect(await eventsOf(id)).toEqual([
      expect.objectContaining({ action: 'assignment.created', actor_kind: 'api', actor_user_id: manager.id }),
      expect.objectContaining({ action: 'assignment.cancelled', actor_kind: 'api', actor_user_id: manager.id }),
    ]);
    expect((await eventsOf(id))[0]!.actor_label).toContain('asha@kinto.test');
  });

  it('when the API is called without X-Acting-User, then the change is recorded as made by the API token', async () => {
    const created = await h.api.post('/api/assignments', await newAssignmentBody());

    expect(created.status).toBe(201);
    expect(await eventsOf((created.body as { id: string }).id)).toEqual([
      { action: 'assignment.created', actor_kind: 'api', actor_user_id: null, actor_label: 'API token' },
    ]);
  });

  it('when X-Acting-User names no account, then the request is a 400 naming the header and nothing is created', async () => {
    const before = await h.database.pool.query('SELECT count(*)::int AS n FROM checklist_assignments');

    const res = await h.api.post('/api/assignments', await newAssignmentBody()).set('X-Acting-User', 'nobody@x.test');

    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('X-Acting-User');
    const after = await h.database.pool.query('SELECT count(*)::int AS n FROM checklist_assignments');
    expect(after.rows[0]).toEqual(before.rows[0]);
  });

  it('when a manager approves a NOT OK submission on its page, then the submission page lists it with the manager, in words', async () => {
    const s = await assignChecklist(h, ['Check oil level']);
    await settle(h);
    await say(h, s.operator.phoneNumber, 'NOT OK - leak', 'CONFIRM');
    const id = s.assignment.submissionId;

    expect((await post(`/submissions/${id}/review`, { decision: 'approve' })).status).toBe(303);
    const page = await agent.get(`/submissions/${id}`);

    expect(page.status).toBe(200);
    const trail = /<section class="audit-trail"[\s\S]*?<\/section>/.exec(page.text)?.[0] ?? '';
    expect(trail).toContain('API token</strong>: Assigned the checklist');
    expect(trail).toContain('Meena Manager');
    // Issue 18: "Mark as reviewed" became Approve (src/review records it).
    expect(trail).toContain('Approved the submission');
    expect(trail).not.toContain('submission.approved');
  });

  it.each([
    ['UPDATE', "UPDATE audit_events SET actor_label = 'someone else'"],
    ['DELETE', 'DELETE FROM audit_events'],
    ['TRUNCATE', 'TRUNCATE audit_events'],
  ])('when anyone runs %s on the trail, then PostgreSQL refuses it and the rows stay', async (_op, statement) => {
    await h.api.post('/api/assignments', await newAssignmentBody());
    const before = await h.database.pool.query('SELECT count(*)::int AS n FROM audit_events');

    await expect(h.database.pool.query(statement)).rejects.toThrow(/append-only/);

    const after = await h.database.pool.query('SELECT count(*)::int AS n FROM audit_events');
    expect(after.rows[0]).toEqual(before.rows[0]);
  });
});
