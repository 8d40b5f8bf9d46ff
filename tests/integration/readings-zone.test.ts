// The readings chart labels its days and hours in the factory's zone (DEFAULT_TIMEZONE), not UTC, and the page says
// which zone once, near the charts (issue 18 QA).
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { useSignedInHarness, type Agent } from '../support/admin.js';
import { createMachine, createOperator } from '../support/factories.js';
import type { Harness } from '../support/harness.js';
import { seedReadings } from '../support/readings.js';

const ZONE = 'Asia/Kolkata';

let h: Harness;
let agent: Agent;
useSignedInHarness(
  (s) => ({ h, agent } = s),
  () => ({ DEFAULT_TIMEZONE: ZONE }),
);

/** A machine with a number task read at the given moments. */
async function machineReadAt(moments: DateTime[]) {
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
  const ids = await seedReadings(
    h.database.db,
    { templateId: template.id, taskId: task.id, taskText: task.text, machineId: machine.id, operatorId: operator.id },
    moments.map(() => ({ daysAgo: 3, value: '6.5', min: 5, max: 8, unit: 'bar' })),
  );
  for (const [i, at] of moments.entries())
    await h.database.pool.query('UPDATE checklist_submission_answers SET answered_at = $1 WHERE submission_id = $2', [
      at.toJSDate(),
      ids[i],
    ]);
  return machine;
}

const xLabels = (html: string) =>
  [...html.matchAll(/<text class="chart-tick chart-tick--x"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

describe('the readings chart in the factory zone', () => {
  it("when a machine was read at 09:00, 11:00 and 13:00 in Kolkata on one day, then the chart's hours say 09:00 to 13:00, the day on the first, and the page names the zone once", async () => {
    // Three days back in the factory's calendar: whole hours there, half past in UTC.
    const day = DateTime.now().setZone(ZONE).startOf('day').minus({ days: 3 });
    const machine = await machineReadAt([9, 11, 13].map((hour) => day.set({ hour })));

    const page = await agent.get(`/machines/${machine.id}/readings`);

    expect(page.status).toBe(200);
    expect(xLabels(page.text)).toEqual([`${day.toFormat('d LLL')} 09:00`, '10:00', '11:00', '12:00', '13:00']);
    expect(page.text).toContain(
      `<span id="chart-zone">The charts' days and hours are the factory's, in ${ZONE}.</span>`,
    );
    expect(page.text.split(ZONE)).toHaveLength(2);
    // Each point's note (its tooltip) says its time on the same clock.
    expect(page.text).toMatch(new RegExp(`<title>${day.toFormat('d LLL yyyy')}, 11:00 · 6\\.5 bar`));
  });
});
