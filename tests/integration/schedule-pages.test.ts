// Issue 17 item 6: the Schedules pages. The form posts' messages in words (never zod paths or column names),
// who may do what (a supervisor sees and pauses, a manager plans), the audit trail, and the link from a
// scheduled assignment to its schedule.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { API_TOKEN, type Harness } from '../support/harness.js';
import { createUser, signIn, useSignedInHarness, type Agent, type FormPost } from '../support/admin.js';
import { operatorWithWork, rows } from '../support/lifecycle.js';
import { movableSchedulesWorker, scheduledOperator } from '../support/schedules.js';

let h: Harness;
let agent: Agent;
let post: FormPost;
useSignedInHarness((s) => ({ h, agent, post } = s));

/** A signed-in client of a new account with `role`, and a form poster with its CSRF token. */
async function signedInAs(role: 'manager' | 'supervisor') {
  const { agent: a, csrf } = await signIn(h.app, await createUser(h.database.db, { role }));
  const postAs: FormPost = (path, body = {}) =>
    a
      .post(path)
      .type('form')
      .send({ _csrf: csrf, ...body });
  return { agent: a, post: postAs };
}

/** The messages under the fields of a page. */
const fieldErrors = (html: string) =>
  [...html.matchAll(/<p class="field-error"[^>]*>([^<]*)<\/p>/g)].map((m) => m[1]!.replace(/&#3[49];/g, "'"));

const scheduleRow = async (id: number) =>
  (
    await rows<{ active: boolean; next_run_at: Date | null; days_of_week: number[]; times: string[] }>(
      h,
      'SELECT active, next_run_at, days_of_week, times FROM checklist_schedules WHERE id = $1',
      [id],
    )
  )[0];

const auditOf = async (id: number) =>
  (
    await rows<{ action: string; actor_label: string }>(
      h,
      "SELECT action, actor_label FROM audit_events WHERE subject_type = 'schedule' AND subject_id = $1 ORDER BY id",
      [String(id)],
    )
  ).map((r) => r.action);

/** A schedule form as the browser posts it: two days, two times in Asia/Kolkata, 2 hours to finish. */
async function formFor() {
  const w = await operatorWithWork(h);
  return {
    w,
    body: {
      templateId: String(w.template.id),
      machineId: String(w.machine.id),
      operatorId: String(w.operator.id),
      days: ['1', '3'],
      times: ['14:00', '06:00'],
      timezone: 'Asia/Kolkata',
      dueAmount: '2',
      dueUnit: 'hours',
    } as Record<string, string | string[]>,
  };
}

const postForm = (path: string, body: Record<string, string | string[]>, by: FormPost = post) =>
  by(path, body as Record<string, string>);

const idFrom = (location: string) => Number(/#schedule-(\d+)$/.exec(location)![1]);

describe('the schedules list and form (issue 17 item 6)', () => {
  it('when there is no schedule, then the list says what a schedule is and links to New schedule', async () => {
    const res = await agent.get('/schedules');

    expect(res.status).toBe(200);
    expect(res.text).toContain('No schedules yet. A schedule sends a checklist by itself');
    expect(res.text).toContain('href="/schedules/new"');
    // Nothing to schedule yet: the form says what to add first.
    expect((await agent.get('/schedules/new')).text).toMatch(
      /id="first-add">First add <a href="\/templates\/new">a checklist<\/a>/,
    );
  });

  it("when a checklist's Schedule button on the Checklists page is followed, then the form opens with that checklist chosen", async () => {
    const { w } = await formFor();

    const list = await agent.get('/templates');
    const form = await agent.get(`/schedules/new?templateId=${w.template.id}`);

    expect(list.text).toContain(`href="/schedules/new?templateId=${w.template.id}">Schedule</a>`);
    expect(form.text).toContain(`<option value="${w.template.id}" selected>`);
  });

  it('when the form is posted with two days and two times in Asia/Kolkata, then it is saved and the list says it in words with its next run', async () => {
    const { w, body } = await formFor();

    const res = await postForm('/schedules', body);

    expect(res.status, res.text.slice(0, 300)).toBe(303);
    const id = idFrom(res.headers.location!);
    expect(await scheduleRow(id)).toMatchObject({ active: true, days_of_week: [1, 3], times: ['06:00', '14:00'] });
    const list = await agent.get('/schedules');
    const row = list.text.slice(list.text.indexOf(`id="schedule-${id}"`));
    expect(row).toContain(w.template.name);
    expect(row).toContain('Mon and Wed at 06:00 and 14:00');
    expect(row).toContain('(Asia/Kolkata)');
    expect(row).toContain('2 hours to finish');
    expect(row).toMatch(/class="schedule-next">(Today|Tomorrow|\w{3} \d+ \w{3}) (06|14):00 \(Asia\/Kolkata\)/);
    expect(row).toContain('Not run yet');
    expect(list.text).toMatch(/Schedule saved\. Next run: .+ \(Asia\/Kolkata\) · .+ in UTC\./);
    expect(await auditOf(id)).toEqual(['schedule.created']);
  });

  it.each<[string, Record<string, string | string[]>, string]>([
    ['no day', { days: [] }, 'Pick at least one day'],
    ['25:00', { times: ['06:00', '25:00'] }, '25:00 is not a time: use 00:00 to 23:59, such as 06:00'],
    ['no time', { times: [''] }, 'Add at least one start time'],
    [
      'an unknown time zone',
      { timezone: 'Mars/Olympus' },
      'Mars/Olympus is not a time zone we know: pick one from the list',
    ],
    ['no time to finish', { dueAmount: '' }, 'Type how long the operator has to finish, such as 2 hours'],
    ['200 hours to finish', { dueAmount: '200' }, 'At most 7 days (168 hours)'],
    ['no checklist', { templateId: '' }, 'Choose a checklist'],
  ])(
    'when the form is posted with %s, then 400, the message in words under the field, the entries kept and nothing saved',
    async (_what, change, message) => {
      const { body } = await formFor();
      const before = await rows(h, 'SELECT id FROM checklist_schedules');

      const res = await postForm('/schedules', { ...body, ...change });

      expect(res.status).toBe(400);
      const errors = fieldErrors(res.text);
      expect(errors).toEqual([message]);
      // Words only: no zod path, column or API field name in any message.
      expect(errors.join(' ')).not.toMatch(/daysOfWeek|dueAfterMinutes|times\[|templateId|days_of_week|invalid/i);
      // The other entries are kept: the machine picked, the time typed, the unit chosen.
      expect(res.text).toContain(`<option value="${String(body.machineId)}" selected>`);
      if (!('times' in change)) expect(res.text).toContain('value="06:00"');
      expect(res.text).toContain('<option value="hours" selected>');
      expect(await rows(h, 'SELECT id FROM checklist_schedules')).toHaveLength(before.length);
    },
  );

  it('when a schedule is edited, then the form says the change applies to checklists not yet sent, and the new days and times are saved', async () => {
    const { body } = await formFor();
    const id = idFrom((await postForm('/schedules', body)).headers.location!);

    const form = await agent.get(`/schedules/${id}/edit`);
    const res = await postForm(`/schedules/${id}`, { ...body, days: ['1', '2', '3', '4', '5'], times: ['22:00'] });

    expect(form.text).toContain('Changes apply to the checklists this schedule has not sent yet');
    expect(form.text).toContain('value="14:00"');
    expect(res.status).toBe(303);
    expect(await scheduleRow(id)).toMatchObject({ days_of_week: [1, 2, 3, 4, 5], times: ['22:00'] });
    expect((await agent.get('/schedules')).text).toContain('Mon to Fri at 22:00');
    const edit = await agent.get(`/schedules/${id}/edit`);
    expect(edit.text).toContain('Changed the schedule: Mon to Fri at 22:00 (Asia/Kolkata), 2 hours to finish');
    expect(await auditOf(id)).toEqual(['schedule.created', 'schedule.changed']);
  });

  it('when a schedule is paused and resumed, then the list says Paused, then its next run again, and both are in the trail', async () => {
    const { body } = await formFor();
    const id = idFrom((await postForm('/schedules', body)).headers.location!);

    expect((await post(`/schedules/${id}/pause`)).status).toBe(303);
    const paused = await agent.get('/schedules');
    const pausedRow = await scheduleRow(id);
    expect((await post(`/schedules/${id}/resume`)).status).toBe(303);

    expect(pausedRow).toMatchObject({ active: false, next_run_at: null });
    expect(paused.text.slice(paused.text.indexOf(`id="schedule-${id}"`))).toMatch(
      /class="schedule-next"><span class="badge badge--cancelled">Paused<\/span>/,
    );
    expect((await scheduleRow(id))?.next_run_at).not.toBeNull();
    expect(await auditOf(id)).toEqual(['schedule.created', 'schedule.paused', 'schedule.resumed']);
  });

  it("when a schedule in Asia/Kolkata is saved or resumed in a UTC factory, then the message says its next run as the list does, with the factory's time after it (issue 18 QA)", async () => {
    const { body } = await formFor();
    const nextInList = async (id: number) => {
      const list = await agent.get('/schedules');
      const row = list.text.slice(list.text.indexOf(`id="schedule-${id}"`));
      return {
        flash: /class="flash flash--ok"[^>]*>([^<]*)<\/p>/.exec(list.text)?.[1],
        next: /class="schedule-next">([^<]*)</.exec(row)?.[1],
      };
    };

    const id = idFrom((await postForm('/schedules', body)).headers.location!);
    const saved = await nextInList(id);
    await post(`/schedules/${id}/pause`);
    await agent.get('/schedules');
    await post(`/schedules/${id}/resume`);
    const resumed = await nextInList(id);

    // The harness's factory is on UTC (DEFAULT_TIMEZONE), the schedule on Asia/Kolkata: both times are said.
    expect(saved.next).toMatch(/ \(Asia\/Kolkata\) · .*\d\d:\d\d in UTC$/);
    expect(saved.flash).toBe(`Schedule saved. Next run: ${saved.next}.`);
    expect(resumed.flash).toBe(`Resumed. Next run: ${resumed.next}.`);
  });

  it('when a pause is posted without the form token, then 403 and the schedule runs on', async () => {
    const { body } = await formFor();
    const id = idFrom((await postForm('/schedules', body)).headers.location!);

    const res = await agent.post(`/schedules/${id}/pause`).type('form').send({});

    expect(res.status).toBe(403);
    expect((await scheduleRow(id))?.active).toBe(true);
  });
});

describe('a schedule that has run (issue 17 items 5 and 6)', () => {
  it('when its occurrence was created, then the list links its last result to the assignment, the assignment links back, and deleting keeps the assignment', async () => {
    const { schedule } = await scheduledOperator(h, { timezone: 'Asia/Kolkata', times: ['06:00'] });
    await movableSchedulesWorker(h, new Date()).runAt(schedule.nextRunAt!);
    const [a] = await rows<{ id: string }>(h, 'SELECT id FROM checklist_assignments WHERE schedule_id = $1', [
      schedule.id,
    ]);

    const list = await agent.get('/schedules');
    const page = await agent.get(`/assignments/${a!.id}`);
    const form = await agent.get(`/schedules/${schedule.id}/edit`);
    const del = await post(`/schedules/${schedule.id}/delete`);

    expect(list.text.slice(list.text.indexOf(`id="schedule-${schedule.id}"`))).toMatch(
      new RegExp(
        `href="/assignments/${a!.id}"><span class="badge badge--(active|pending)">(In progress|Waiting)</span>`,
      ),
    );
    expect(page.text).toMatch(
      new RegExp(`href="/schedules#schedule-${schedule.id}" id="its-schedule">Every day at 06:00 \\(Asia/Kolkata\\)`),
    );
    expect(form.text).toContain('The checklists it already sent stay, with their results.');
    expect(del.status).toBe(303);
    expect(await rows(h, 'SELECT id FROM checklist_schedules WHERE id = $1', [schedule.id])).toEqual([]);
    expect(await rows(h, 'SELECT schedule_id FROM checklist_assignments WHERE id = $1', [a!.id])).toEqual([
      { schedule_id: null },
    ]);
    expect((await agent.get('/schedules')).text).toContain('The checklists it already sent stay in Assignments.');
    expect(await auditOf(schedule.id)).toEqual(['schedule.created', 'schedule.deleted']);
  });

  it('when the REST API pauses a schedule, then the trail records it as the API token', async () => {
    const { schedule } = await scheduledOperator(h);

    const res = await request(h.app)
      .patch(`/api/schedules/${schedule.id}`)
      .set('Authorization', `Bearer ${API_TOKEN}`)
      .send({ active: false });

    expect(res.status).toBe(200);
    expect(
      await rows(
        h,
        "SELECT action, actor_label FROM audit_events WHERE subject_type = 'schedule' AND subject_id = $1",
        [String(schedule.id)],
      ),
    ).toEqual([
      { action: 'schedule.created', actor_label: 'API token' },
      { action: 'schedule.paused', actor_label: 'API token' },
    ]);
  });
});

describe('who may do what with schedules (issue 17 item 6, docs/roles.md)', () => {
  it('when a supervisor opens Schedules, then they see the list and may pause and resume, but not make, change or delete one (403)', async () => {
    const { schedule } = await scheduledOperator(h);
    const { body } = await formFor();
    const sup = await signedInAs('supervisor');
    const before = await rows(h, 'SELECT id FROM checklist_schedules');

    const list = await sup.agent.get('/schedules');
    const refused = [
      await sup.agent.get('/schedules/new'),
      await sup.agent.get(`/schedules/${schedule.id}/edit`),
      await postForm('/schedules', body, sup.post),
      await postForm(`/schedules/${schedule.id}`, { ...body, times: ['09:00'] }, sup.post),
      await sup.post(`/schedules/${schedule.id}/delete`),
    ];
    const pause = await sup.post(`/schedules/${schedule.id}/pause`);

    expect(list.status).toBe(200);
    expect(list.text).toContain('href="/schedules"'); // the menu entry
    expect(list.text).toContain(`id="schedule-${schedule.id}"`);
    expect(list.text).not.toContain('href="/schedules/new"');
    expect(list.text).not.toContain(`/schedules/${schedule.id}/edit`);
    expect(refused.map((r) => r.status)).toEqual([403, 403, 403, 403, 403]);
    expect(refused[0]!.text).toContain('Only admins and managers may make, change or delete schedules.');
    expect(await rows(h, 'SELECT id FROM checklist_schedules')).toHaveLength(before.length);
    expect((await scheduleRow(schedule.id))?.times).toEqual(['06:00']);
    expect(pause.status).toBe(303);
    expect((await scheduleRow(schedule.id))?.active).toBe(false);
  });

  it('when a manager opens the form and saves, then the schedule is made', async () => {
    const { body } = await formFor();
    const manager = await signedInAs('manager');

    const form = await manager.agent.get('/schedules/new');
    const res = await postForm('/schedules', body, manager.post);

    expect(form.status).toBe(200);
    expect(res.status).toBe(303);
  });
});
