import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignChecklist } from '../support/factories.js';
import { startHarness, type Harness } from '../support/harness.js';
import { say, settle } from '../support/settle.js';
import type { AssignmentBody } from '../support/api-bodies.js';

// The SQL exactly as /work/shared/spec/deployment-guide.md prints it (trailing spaces included).
const ACTIVE_SESSIONS = `SELECT COUNT(*) FROM whatsapp_conversation_sessions WHERE status = 'active';`;
const COMPLETED_TODAY = `SELECT COUNT(*) FROM whatsapp_conversation_sessions 
WHERE status = 'completed' AND DATE(created_at) = CURRENT_DATE;`;
const AVERAGE_COMPLETION = `SELECT AVG(EXTRACT(EPOCH FROM (last_message_at - created_at))/60) as avg_minutes
FROM whatsapp_conversation_sessions WHERE status = 'completed';`;
const TEMPLATE_HAS_TASKS = `SELECT COUNT(*) FROM checklist_template_tasks WHERE template_id = X;`;
const ROLLBACK_MONITOR = `SELECT * FROM whatsapp_conversation_sessions WHERE status = 'active'`;
const DELETE_CORRUPTED = `DELETE FROM whatsapp_conversation_sessions WHERE id = 'session_id';`;
const GUIDE_COLUMNS = [
  'id',
  'phone_number',
  'assignment_id',
  'submission_id',
  'template_id',
  'machine_id',
  'operator_id',
  'status',
  'current_task_index',
  'total_tasks',
  'answers',
  'pending_photo_url',
  'last_message_at',
  'created_at',
  'expires_at',
];
const GUIDE = '/work/shared/spec/deployment-guide.md';

let h: Harness;
let completed: Awaited<ReturnType<typeof assignChecklist>>;
let active: Awaited<ReturnType<typeof assignChecklist>>;
beforeAll(async () => {
  h = await startHarness();
  completed = await assignChecklist(h, ['Check oil level', 'Check belt tension']);
  active = await assignChecklist(h, ['Clean filter', 'Check guard', 'Check lamp']);
  await settle(h);
  await say(h, completed.operator.phoneNumber, 'OK - oil fine', 'NOT OK - belt worn', 'CONFIRM');
});
afterAll(async () => {
  await h?.close();
});

/** The guide's SQL, run as written; `T` is what the guide says its rows hold. */
const run = <T extends object = Record<string, unknown>>(text: string) => h.database.pool.query<T>(text);

describe("the deployment guide's SQL on a real database", () => {
  it.skipIf(!fs.existsSync(GUIDE))('when the guide is at hand, then every query here is its text verbatim', () => {
    const guide = fs.readFileSync(GUIDE, 'utf8');

    for (const q of [
      ACTIVE_SESSIONS,
      COMPLETED_TODAY,
      AVERAGE_COMPLETION,
      TEMPLATE_HAS_TASKS,
      ROLLBACK_MONITOR,
      DELETE_CORRUPTED,
    ]) {
      expect(guide, q).toContain(q);
    }
  });

  it('when one checklist is completed and one is active, then "Active sessions" counts 1', async () => {
    const { rows } = await run<{ count: string }>(ACTIVE_SESSIONS);

    expect(rows).toHaveLength(1);
    expect(Number(rows[0]!.count)).toBe(1);
  });

  it('when one checklist was completed today, then "Completed today" counts 1', async () => {
    const { rows } = await run<{ count: string }>(COMPLETED_TODAY);

    expect(Number(rows[0]!.count)).toBe(1);
  });

  it('when a checklist is completed, then "Average completion time" is a number of minutes >= 0', async () => {
    const { rows } = await run<{ avg_minutes: string | null }>(AVERAGE_COMPLETION);

    expect(rows[0]!.avg_minutes).not.toBeNull();
    const minutes = Number(rows[0]!.avg_minutes);
    expect(Number.isFinite(minutes)).toBe(true);
    expect(minutes).toBeGreaterThanOrEqual(0);
    expect(minutes).toBeLessThan(5);
  });

  it('when "Check template has tasks" names a template, then it counts its tasks', async () => {
    const two = await run<{ count: string }>(TEMPLATE_HAS_TASKS.replace('X', String(completed.template.id)));
    const three = await run<{ count: string }>(TEMPLATE_HAS_TASKS.replace('X', String(active.template.id)));
    const none = await run<{ count: string }>(TEMPLATE_HAS_TASKS.replace('X', '999999'));

    expect([two, three, none].map((r) => Number(r.rows[0]!.count))).toEqual([2, 3, 0]);
  });

  it('when the rollback monitor runs, then it lists the active session with every column the guide names', async () => {
    const result = await run<{ expires_at: Date }>(ROLLBACK_MONITOR);

    expect(result.fields.map((f) => f.name)).toEqual(expect.arrayContaining(GUIDE_COLUMNS));
    expect(result.rows).toHaveLength(1);
    expect(result.rows[0]).toMatchObject({
      assignment_id: active.assignment.id,
      phone_number: active.operator.phoneNumber,
      template_id: active.template.id,
      status: 'active',
      current_task_index: 0,
      total_tasks: 3,
      pending_photo_url: null,
    });
    expect(result.rows[0]!.expires_at.getTime()).toBeGreaterThan(Date.now());
  });

  // Last: it removes a session, which the counts above would see.
  it('when "Delete corrupted session" removes an active session, then the operator gets the no-checklist reply and the assignment can be cancelled', async () => {
    const { rows } = await run<{ id: string }>(
      `SELECT id FROM whatsapp_conversation_sessions WHERE assignment_id = '${active.assignment.id}'`,
    );

    const deleted = await run(DELETE_CORRUPTED.replace('session_id', rows[0]!.id));
    await say(h, active.operator.phoneNumber, 'OK - filter clean');
    const cancel = await h.api.post(`/api/assignments/${active.assignment.id}/cancel`);

    expect(deleted.rowCount).toBe(1);
    expect(h.graph.textsTo(active.operator.phoneNumber).at(-1)).toContain('no open checklist');
    expect([cancel.status, (cancel.body as AssignmentBody).status]).toEqual([200, 'cancelled']);
  });

  it('when the rollback switch is flipped in psql, then system_config.updated_at says when', async () => {
    await h.database.pool.query(`UPDATE system_config SET updated_at = now() - interval '1 day'`);

    await h.database.pool.query('UPDATE system_config SET whatsapp_enabled = false;');
    const { rows } = await h.database.pool.query(
      `SELECT whatsapp_enabled, updated_at > now() - interval '1 minute' AS just_now FROM system_config`,
    );
    await h.database.pool.query('UPDATE system_config SET whatsapp_enabled = true;');

    expect(rows).toEqual([{ whatsapp_enabled: false, just_now: true }]);
  });
});
