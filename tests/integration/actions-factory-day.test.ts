// "Overdue" by the factory's date (DEFAULT_TIMEZONE), not the server's: the API's flag and filter, the actions page
// and the dashboard count agree with factoryToday. The zone is picked so that its day differs from UTC's right now.
import request from 'supertest';
import { expect, it } from 'vitest';
import { factoryToday } from '../../src/actions/factory-day.js';
import { assignChecklist } from '../support/factories.js';
import { API_TOKEN, type Harness } from '../support/harness.js';
import { useSignedInHarness, type Agent } from '../support/admin.js';
import { say, settle } from '../support/settle.js';

let h: Harness;
let agent: Agent;
/** UTC+14 is a day ahead of UTC from 10:00 UTC on; UTC-12 a day behind until 12:00 UTC. */
const zone = new Date().getUTCHours() >= 11 ? 'Etc/GMT-14' : 'Etc/GMT+12';
useSignedInHarness(
  (s) => ({ h, agent } = s),
  () => ({ DEFAULT_TIMEZONE: zone }),
);

it("when the factory's day differs from UTC's, then overdue follows the factory's day in the API, its filter, the actions page and the dashboard", async () => {
  const s = await assignChecklist(h, ['Check oil level']);
  await settle(h);
  await say(h, s.operator.phoneNumber, 'NOT OK - leak', 'CONFIRM');
  const now = new Date();
  const factoryDay = factoryToday(now, zone);
  const utcDay = factoryToday(now, 'UTC');
  expect(factoryDay).not.toBe(utcDay);
  // Due on the earlier of the two days: overdue for the factory exactly when its day is the later one.
  const due = factoryDay < utcDay ? factoryDay : utcDay;
  const overdue = factoryDay > utcDay;
  const [action] = (
    (await h.api.get('/api/actions')).body as { actions: { id: number; submissionId: string }[] }
  ).actions.filter((a) => a.submissionId === s.assignment.submissionId);
  const patched = await request(h.app)
    .patch(`/api/actions/${action!.id}`)
    .set('Authorization', `Bearer ${API_TOKEN}`)
    .send({ dueAt: due });
  expect(patched.status).toBe(200);

  const one = await h.api.get(`/api/actions/${action!.id}`);
  const filtered = await h.api.get('/api/actions?overdue=true');
  const page = await agent.get('/actions?show=overdue');
  const dashboard = await agent.get('/');

  expect(one.body).toMatchObject({ dueAt: due, overdue });
  expect((filtered.body as { actions: { id: number }[] }).actions.map((a) => a.id)).toEqual(
    overdue ? [action!.id] : [],
  );
  expect(page.text.includes(`href="/actions/${action!.id}"`)).toBe(overdue);
  expect(dashboard.text).toMatch(
    new RegExp(`id="metric-actions-overdue">\\s*<span class="metric-value">${overdue ? 1 : 0}<`),
  );
});
