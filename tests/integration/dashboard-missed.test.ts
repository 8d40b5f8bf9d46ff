// The dashboard's card "Missed checklists waiting for a restart" (issue 18 QA): it counts the missed checklists of the
// factory's last 7 days (DEFAULT_TIMEZONE), says that period, and links to the list filtered the same way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn, type Agent } from '../support/admin.js';
import { createMachine, createOperator, createTemplate } from '../support/factories.js';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
let agent: Agent;
const missed: Record<'hourAgo' | 'fiveDaysAgo' | 'eightDaysAgo' | 'monthAgo', string> = {
  hourAgo: '',
  fiveDaysAgo: '',
  eightDaysAgo: '',
  monthAgo: '',
};

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;

beforeAll(async () => {
  h = await startHarness({ DEFAULT_TIMEZONE: 'Asia/Kolkata' });
  const [t, o, m] = await Promise.all([createTemplate(h), createOperator(h), createMachine(h)]);
  // Away from the period's first day (6 to 7 days back, by the factory's midnight): in or out whatever the hour.
  const ago = { hourAgo: HOUR, fiveDaysAgo: 5 * DAY, eightDaysAgo: 8 * DAY, monthAgo: 30 * DAY };
  for (const [key, ms] of Object.entries(ago) as [keyof typeof missed, number][]) {
    const at = new Date(Date.now() - ms).toISOString();
    const r = await h.database.pool.query<{ id: string }>(
      `INSERT INTO checklist_assignments (template_id, machine_id, operator_id, status, created_at, due_at, missed_at)
       VALUES ($1, $2, $3, 'missed', $4, $4, $4) RETURNING id`,
      [t.id, m.id, o.id, at],
    );
    missed[key] = r.rows[0]!.id;
  }
  ({ agent } = await signIn(h.app, await createUser(h.database.db, { role: 'admin' })));
});
afterAll(async () => {
  await h?.close();
});

/** The assignment ids a list page links to, in its order. */
const listed = (html: string) => [
  ...new Set([...html.matchAll(/href="\/assignments\/([0-9a-f-]{36})"/g)].map((m) => m[1]!)),
];

describe('the missed card on the dashboard', () => {
  it('when checklists were missed an hour, 5 days, 8 days and a month ago, then the card counts the 2 of the last 7 days and says so', async () => {
    const page = await agent.get('/');

    expect(page.status).toBe(200);
    const card =
      /<a class="card card--warn" href="([^"]+)" id="metric-missed">\s*<span class="metric-value">(\d+)<\/span>\s*<span class="metric-label">(.+?)<\/span>/.exec(
        page.text,
      );
    expect(card?.slice(1)).toEqual([
      '/assignments?status=missed&amp;days=7',
      '2',
      'Missed checklists waiting for a restart <small>(missed in the last 7 days, today included)</small>',
    ]);
  });

  it("when the card's link is followed, then the list shows the same 2 and says since which day, with a link to every missed one", async () => {
    const recent = await agent.get('/assignments?status=missed&days=7');
    const all = await agent.get('/assignments?status=missed');

    expect(recent.status).toBe(200);
    expect(listed(recent.text)).toEqual([missed.hourAgo, missed.fiveDaysAgo]);
    expect(recent.text).toMatch(
      /id="recent-missed">Missed in the last 7 days, since \w{3} \d{1,2} \w{3} \(today included\): the ones still worth a restart\. <a href="\/assignments\?status=missed">Show every missed checklist<\/a>/,
    );
    // The filter form keeps the period when the operator or machine is changed.
    expect(recent.text).toContain('<input type="hidden" name="days" value="7">');
    expect(listed(all.text)).toEqual([missed.hourAgo, missed.fiveDaysAgo, missed.eightDaysAgo, missed.monthAgo]);
    expect(all.text).not.toContain('id="recent-missed"');
  });
});
