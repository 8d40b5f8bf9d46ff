// The dashboard's compliance counts from the database (dashboard-repository.complianceByMachineDay): which
// assignment counts as on time, late, missed or NOT OK, and on which local day, with a fixed clock. The card for
// missed checklists waiting for a restart is in dashboard-missed.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complianceByMachineDay } from '../../src/admin/dashboard/dashboard-repository.js';
import { createMachine, createOperator, createTemplate } from '../support/factories.js';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
let ids: { template: number; operator: number; machine: number };

beforeAll(async () => {
  h = await startHarness();
  const [t, o, m] = await Promise.all([createTemplate(h), createOperator(h), createMachine(h, { name: 'Press K' })]);
  ids = { template: t.id, operator: o.id, machine: m.id };
});
afterAll(async () => {
  await h?.close();
});

interface Seed {
  status: 'completed' | 'missed' | 'pending' | 'cancelled';
  at: string;
  dueAt?: string;
  late?: boolean;
  notOk?: boolean;
}

async function seed(s: Seed) {
  const r = await h.database.pool.query<{ id: string }>(
    `INSERT INTO checklist_assignments
       (template_id, machine_id, operator_id, status, created_at, due_at, completed_at, missed_at, completed_late, cancelled_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [
      ids.template,
      ids.machine,
      ids.operator,
      s.status,
      s.at,
      s.dueAt ?? null,
      s.status === 'completed' ? s.at : null,
      s.status === 'missed' ? s.at : null,
      s.late ?? false,
      s.status === 'cancelled' ? s.at : null,
    ],
  );
  if (s.notOk)
    await h.database.pool.query(
      `INSERT INTO checklist_submissions (assignment_id, template_id, machine_id, operator_id, status, completed_at, needs_review)
       VALUES ($1, $2, $3, $4, 'completed', $5, true)`,
      [r.rows[0]!.id, ids.template, ids.machine, ids.operator, s.at],
    );
}

const NOW = new Date('2026-12-07T12:00:00Z');

describe('complianceByMachineDay', () => {
  beforeAll(async () => {
    await seed({ status: 'completed', at: '2026-12-07T08:00:00Z' }); // no due time: on time
    await seed({ status: 'completed', at: '2026-12-07T08:00:00Z', dueAt: '2026-12-07T09:00:00Z' }); // before due
    await seed({ status: 'completed', at: '2026-12-07T09:30:00Z', dueAt: '2026-12-07T09:00:00Z' }); // after due: late
    await seed({ status: 'completed', at: '2026-12-07T10:00:00Z', late: true, notOk: true }); // restarted: late
    await seed({ status: 'missed', at: '2026-12-07T06:00:00Z' });
    await seed({ status: 'pending', at: '2026-12-07T07:00:00Z' });
    await seed({ status: 'cancelled', at: '2026-12-07T07:00:00Z' }); // counts nowhere
    await seed({ status: 'completed', at: '2026-12-06T20:00:00Z' }); // 6 Dec in UTC, 7 Dec in Kolkata (01:30)
    await seed({ status: 'missed', at: '2026-11-07T12:00:00Z' }); // 30 days before: outside the window
  });

  it('when checklists were completed before, after or without a due time, missed, open or cancelled, then each counts once as the dashboard defines it', async () => {
    const { today, rows } = await complianceByMachineDay(h.database.db, { now: NOW, timeZone: 'UTC', days: 30 });

    expect(today).toBe('2026-12-07');
    expect(rows).toEqual([
      {
        machineId: ids.machine,
        machineName: 'Press K',
        day: '2026-12-06',
        onTime: 1,
        late: 0,
        missed: 0,
        notOk: 0,
        open: 0,
      },
      {
        machineId: ids.machine,
        machineName: 'Press K',
        day: '2026-12-07',
        onTime: 2,
        late: 2,
        missed: 1,
        notOk: 1,
        open: 1,
      },
    ]);
  });

  it("when the factory's time zone is Asia/Kolkata, then an evening completion in UTC counts on the next local day", async () => {
    const { today, rows } = await complianceByMachineDay(h.database.db, {
      now: NOW,
      timeZone: 'Asia/Kolkata',
      days: 30,
    });

    expect(today).toBe('2026-12-07');
    expect(rows.map((r) => [r.day, r.onTime])).toEqual([['2026-12-07', 3]]);
  });
});
