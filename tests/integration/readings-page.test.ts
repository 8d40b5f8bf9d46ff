import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { checklistSubmissions } from '../../src/lib/db/schema.js';
import { useSignedInHarness, type Agent } from '../support/admin.js';
import { createMachine, createOperator } from '../support/factories.js';
import type { Harness } from '../support/harness.js';
import { seedReadings } from '../support/readings.js';

let h: Harness;
let agent: Agent;
useSignedInHarness((s) => ({ h, agent } = s));

const bar = { min: 5, max: 8, unit: 'bar' };

/** A machine with a number task's readings seeded on it. */
async function machineWith(readings: { daysAgo: number; value: string }[]) {
  const [machine, operator, res] = await Promise.all([
    createMachine(h),
    createOperator(h),
    h.api.post('/api/templates', {
      name: 'Hydraulics',
      tasks: [{ text: 'Hydraulic pressure', type: 'number', unit: 'bar', min: 5, max: 8, decimals: 1 }],
    }),
  ]);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const template = res.body as { id: number; tasks: { id: number; text: string }[] };
  const task = template.tasks[0]!;
  const at = {
    templateId: template.id,
    taskId: task.id,
    taskText: task.text,
    machineId: machine.id,
    operatorId: operator.id,
  };
  const submissions = await seedReadings(
    h.database.db,
    at,
    readings.map((r) => ({ ...r, ...bar })),
  );
  return { machine, task, submissions };
}

const pointsIn = (html: string) => (html.match(/class="chart-point[ "]/g) ?? []).length;

describe('the readings page', () => {
  it('when a reading is 45 days old, then it is drawn over 90 days and not over 30', async () => {
    const { machine } = await machineWith([
      { daysAgo: 45, value: '7' },
      { daysAgo: 3, value: '6' },
    ]);

    const last30 = await agent.get(`/machines/${machine.id}/readings`);
    const last90 = await agent.get(`/machines/${machine.id}/readings?days=90`);

    expect(last30.status).toBe(200);
    expect(pointsIn(last30.text)).toBe(1);
    expect(pointsIn(last90.text)).toBe(2);
    expect(last90.text).toContain('aria-current="page">Last 90 days');
  });

  it('when the task shows 1 decimal, then the table shows each reading with it and its unit', async () => {
    const { machine } = await machineWith([{ daysAgo: 1, value: '6' }]);
    const page = await agent.get(`/machines/${machine.id}/readings`);
    expect(page.text).toContain('<strong>6.0 bar</strong>');
  });

  it('when another machine has readings, then they are not on this machine’s page', async () => {
    const { machine } = await machineWith([{ daysAgo: 1, value: '6' }]);
    await machineWith([{ daysAgo: 1, value: '7' }]);
    const page = await agent.get(`/machines/${machine.id}/readings`);
    expect(pointsIn(page.text)).toBe(1);
  });

  it('when the period is not 30 or 90 days, then a 400 page says which periods there are', async () => {
    const { machine } = await machineWith([]);
    const page = await agent.get(`/machines/${machine.id}/readings?days=7`);
    expect(page.status).toBe(400);
    expect(page.text).toContain('The readings can be shown for the last 30 or 90 days only.');
  });

  it('when the machine does not exist, then the page is a 404', async () => {
    expect((await agent.get('/machines/999999/readings')).status).toBe(404);
    expect((await agent.get('/machines/abc/readings')).status).toBe(404);
  });
});

describe('a reading in the report and the CSV', () => {
  const today = () => new Date().toISOString().slice(0, 10);

  it('when a report has a reading above its limit, then it shows the value with its unit and limits, marks it, and links to its chart', async () => {
    const { machine, task, submissions } = await machineWith([{ daysAgo: 0, value: '9.2' }]);
    const page = await agent.get(`/submissions/${submissions[0]}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<strong>9.2 bar</strong>');
    expect(page.text).toContain('(limits 5 to 8 bar)');
    expect(page.text).toContain('<span class="out-of-range">⚠ above the limit of 8 bar</span>');
    expect(page.text).toContain(`href="/machines/${machine.id}/readings?days=30#task-${task.id}"`);
  });

  it('when an assignment has a reading above its limit, then its page shows the reading, its limits and which limit it broke, as the report does (QA)', async () => {
    const { submissions } = await machineWith([{ daysAgo: 0, value: '9.2' }]);
    const [row] = await h.database.db
      .select({ assignmentId: checklistSubmissions.assignmentId })
      .from(checklistSubmissions)
      .where(eq(checklistSubmissions.id, submissions[0]!));
    const page = await agent.get(`/assignments/${row!.assignmentId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<strong>9.2 bar</strong>');
    expect(page.text).toContain('(limits 5 to 8 bar)');
    expect(page.text).toContain('<span class="out-of-range">⚠ above the limit of 8 bar</span>');
    expect(page.text).toContain('gauge reads high');
  });

  it('when a reading is 40 days old, then the report links to the 90-day chart', async () => {
    const { machine, task, submissions } = await machineWith([{ daysAgo: 40, value: '6' }]);
    const page = await agent.get(`/submissions/${submissions[0]}`);
    expect(page.text).toContain(`href="/machines/${machine.id}/readings?days=90#task-${task.id}"`);
    expect(page.text).not.toContain('out-of-range');
  });

  it('when readings are exported, then the CSV has value, unit, min, max and which limit was broken after the photo columns', async () => {
    const { machine } = await machineWith([
      { daysAgo: 0, value: '9.2' },
      { daysAgo: 0, value: '-4' },
    ]);
    const res = await agent.get(`/submissions.csv?from=${today()}&to=${today()}&machineId=${machine.id}`);
    const [header, ...lines] = res.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    // Issue 18 added operator_phone, review_state and action_status after them.
    expect(header!.split(',').slice(-8, -3)).toEqual(['value', 'unit', 'min', 'max', 'out_of_range']);
    const tails = lines.map((l) => l.split(',').slice(-8, -3).join(',')).sort();
    expect(tails).toEqual(['-4,bar,5,8,below the limit of 5 bar', '9.2,bar,5,8,above the limit of 8 bar']);
  });
});
