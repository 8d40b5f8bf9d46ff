// Issue 17: schedules create checklists by themselves, once, with a due time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagesEn } from '../../src/conversation/messages.en.js';
import { startHarness, type Harness } from '../support/harness.js';
import { rows } from '../support/lifecycle.js';
import {
  deleteSchedule,
  minutesAfter,
  movableSchedulesWorker,
  occurrencesOf,
  patchSchedule,
  scheduledOperator,
} from '../support/schedules.js';
import { say as sayAs, settle, textOf } from '../support/settle.js';

type Listed = { assignments: { id: string }[] };

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const questionOnes = (phone: string) => h.graph.textsTo(phone).filter((t) => t.startsWith('📋 Question 1 of'));

describe('POST /api/schedules (acceptance line 1)', () => {
  it('when a schedule is made in Asia/Kolkata at 06:00, then nextRunAt is 00:30 UTC', async () => {
    const { schedule } = await scheduledOperator(h, { timezone: 'Asia/Kolkata', times: ['06:00'] });

    expect(schedule.nextRunAt).toMatch(/T00:30:00\.000Z$/);
    expect(schedule).toMatchObject({
      timezone: 'Asia/Kolkata',
      daysOfWeek: [1, 2, 3, 4, 5, 6, 7],
      dueAfterMinutes: 120,
    });
  });

  it('when no time zone is given, then DEFAULT_TIMEZONE (UTC) is used', async () => {
    const { schedule } = await scheduledOperator(h, { times: ['06:00'] });

    expect(schedule.timezone).toBe('UTC');
    expect(schedule.nextRunAt).toMatch(/T06:00:00\.000Z$/);
  });

  it.each([
    ['a bad time zone', { timezone: 'Mars/Olympus' }, 'timezone'],
    ['25:00', { times: ['25:00'] }, 'times[0]'],
    ['an empty day list', { daysOfWeek: [] }, 'daysOfWeek'],
    ['no times', { times: [] }, 'times'],
    ['day 8', { daysOfWeek: [1, 8] }, 'daysOfWeek[1]'],
  ])('when the body has %s, then 400 names the field', async (_name, body, field) => {
    const w = await scheduledOperator(h);
    const res = await h.api.post('/api/schedules', {
      templateId: w.template.id,
      machineId: w.machine.id,
      operatorId: w.operator.id,
      times: ['06:00'],
      ...body,
    });

    expect(res.status).toBe(400);
    const { error } = res.body as { error: { details: { fields: { field: string }[] } } };
    expect(error.details.fields.map((f) => f.field)).toEqual([field]);
  });

  it('when paused, then it has no next run; resumed, it has one again; deleted, it is gone', async () => {
    const { schedule } = await scheduledOperator(h);

    const paused = await patchSchedule(h, schedule.id, { active: false });
    expect(paused.body).toMatchObject({ active: false, nextRunAt: null });
    const resumed = await patchSchedule(h, schedule.id, { active: true, times: ['07:15'] });
    expect(resumed.body).toMatchObject({ active: true, times: ['07:15'] });
    expect((resumed.body as { nextRunAt: string }).nextRunAt).toMatch(/T07:15:00\.000Z$/);
    expect((await deleteSchedule(h, schedule.id)).status).toBe(204);
    expect((await h.api.get(`/api/schedules/${schedule.id}`)).status).toBe(404);
  });
});

describe('Berlin on the day the clocks go forward (acceptance line 1)', () => {
  it('when a daily 02:30 Berlin schedule reaches 28 March 2027 (clocks go forward), then it is created once, at 03:00 local (01:00 UTC)', async () => {
    const { schedule } = await scheduledOperator(h, { timezone: 'Europe/Berlin', times: ['02:30'] });
    // The day before the change (02:30 CET = 01:30 UTC), as if the schedule had been waiting for it.
    await h.database.pool.query('UPDATE checklist_schedules SET next_run_at = $2 WHERE id = $1', [
      schedule.id,
      '2027-03-27T01:30:00Z',
    ]);
    const clock = movableSchedulesWorker(h, new Date('2027-03-27T01:30:00Z'));

    await clock.runAt('2027-03-27T01:30:00Z');
    await clock.runAt('2027-03-28T00:59:00Z');
    await clock.runAt('2027-03-28T01:00:00Z'); // 03:00 CEST
    await clock.runAt('2027-03-28T01:30:00Z'); // 03:30 CEST: luxon alone would run it now

    const made = await occurrencesOf(h, schedule.id);
    expect(made.map((o) => o.occurrence_at.toISOString())).toEqual([
      '2027-03-27T01:30:00.000Z',
      '2027-03-28T01:00:00.000Z',
    ]);
    const [s] = await rows<{ next_run_at: Date }>(h, 'SELECT next_run_at FROM checklist_schedules WHERE id = $1', [
      schedule.id,
    ]);
    expect(s!.next_run_at.toISOString()).toBe('2027-03-29T00:30:00.000Z');
  });
});

describe('occurrences, once (acceptance line 2)', () => {
  it('when two workers reach the start time together, then one assignment is made and Question 1 goes out once', async () => {
    const { schedule, phone } = await scheduledOperator(h);
    const at = new Date(schedule.nextRunAt!);
    const a = movableSchedulesWorker(h, at);
    const b = movableSchedulesWorker(h, at);

    await Promise.all([a.runAt(at), b.runAt(at)]);
    await settle(h);

    const made = await occurrencesOf(h, schedule.id);
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ status: 'active' });
    expect(made[0]!.due_at.toISOString()).toBe(minutesAfter(at, 120).toISOString());
    expect(questionOnes(phone)).toHaveLength(1);
  });

  it('when a restarted process runs in the same minute, even with the next run set back to it, then no second assignment is made', async () => {
    const { schedule, phone } = await scheduledOperator(h);
    const at = new Date(schedule.nextRunAt!);
    await movableSchedulesWorker(h, at).runAt(at);
    await h.database.pool.query('UPDATE checklist_schedules SET next_run_at = $2 WHERE id = $1', [schedule.id, at]);

    const restarted = movableSchedulesWorker(h, at);
    await restarted.runAt(minutesAfter(at, 0.5));
    await settle(h);

    const made = await occurrencesOf(h, schedule.id);
    expect(made).toHaveLength(1);
    // Not missed by its own occurrence met again: only older unfinished ones are.
    expect(made[0]).toMatchObject({ status: 'active' });
    expect(questionOnes(phone)).toHaveLength(1);
  });

  it('when the server was down at the start time and is back before the due time, then the occurrence is made and started', async () => {
    const { schedule, phone } = await scheduledOperator(h);
    const at = new Date(schedule.nextRunAt!);

    await movableSchedulesWorker(h, at).runAt(minutesAfter(at, 60));
    await settle(h);

    expect((await occurrencesOf(h, schedule.id)).map((o) => o.status)).toEqual(['active']);
    expect(questionOnes(phone)).toHaveLength(1);
  });

  it('when the server was down past the due time, then the occurrence is recorded missed and nothing is sent', async () => {
    const { schedule, phone } = await scheduledOperator(h);
    const at = new Date(schedule.nextRunAt!);

    await movableSchedulesWorker(h, at).runAt(minutesAfter(at, 121));
    await settle(h);

    const made = await occurrencesOf(h, schedule.id);
    expect(made.map((o) => o.status)).toEqual(['missed']);
    expect(h.graph.textsTo(phone)).toEqual([]);
    const missed = await h.api.get('/api/assignments?status=missed');
    expect((missed.body as Listed).assignments.map((x) => x.id)).toContain(made[0]!.id);
  });

  it('when the next occurrence comes while the last is unfinished, then the last is missed and the new one starts (not queued)', async () => {
    const { schedule } = await scheduledOperator(h, { times: ['06:00', '07:00'], dueAfterMinutes: 180 });
    const first = new Date(schedule.nextRunAt!);
    const clock = movableSchedulesWorker(h, first);
    await clock.runAt(first);

    const [s] = await rows<{ next_run_at: Date }>(h, 'SELECT next_run_at FROM checklist_schedules WHERE id = $1', [
      schedule.id,
    ]);
    await clock.runAt(s!.next_run_at);

    expect((await occurrencesOf(h, schedule.id)).map((o) => o.status)).toEqual(['missed', 'active']);
  });
});

describe('the due time under Question 1 (QA item 1)', () => {
  it('when a scheduled checklist in Asia/Kolkata starts at 06:00 with 120 minutes, then Question 1 says "due by 08:00" (the zone\'s time, not UTC)', async () => {
    const { schedule, phone, machine } = await scheduledOperator(h, { timezone: 'Asia/Kolkata', times: ['06:00'] });
    await say(phone, 'hello'); // opens the 24-hour window: Question 1, not the start template
    const at = new Date(schedule.nextRunAt!);

    await movableSchedulesWorker(h, at).runAt(at);
    await settle(h);

    const [q1] = questionOnes(phone);
    expect(q1).toMatch(/^📋 Question 1 of \d+: /);
    expect(q1!.split('\n').at(-1)).toBe(`🛠 ${machine.name} · Daily press check · due by 08:00`);
  });

  it('when a night shift starts at 22:00 and is due 8 hours later, then Question 1 says "due by 06:00 tomorrow"', async () => {
    const { schedule, phone, machine } = await scheduledOperator(h, { times: ['22:00'], dueAfterMinutes: 480 });
    await say(phone, 'hello');
    const at = new Date(schedule.nextRunAt!);

    await movableSchedulesWorker(h, at).runAt(at);
    await settle(h);

    const [q1] = questionOnes(phone);
    expect(q1!.split('\n').at(-1)).toBe(`🛠 ${machine.name} · Daily press check · due by 06:00 tomorrow`);
  });

  it('when a manager restarts a missed one, then its Question 1 says its new due time (DEFAULT_TIMEZONE, UTC here)', async () => {
    const { schedule, phone, machine } = await scheduledOperator(h);
    await say(phone, 'hello');
    const at = new Date(schedule.nextRunAt!);
    await movableSchedulesWorker(h, at).runAt(minutesAfter(at, 130)); // recorded missed, nothing sent
    const [made] = await occurrencesOf(h, schedule.id);

    const res = await h.api.post(`/api/assignments/${made!.id}/start`);
    await settle(h);

    const due = new Date((res.body as { dueAt: string }).dueAt).toISOString().slice(11, 16);
    const [q1] = questionOnes(phone);
    // Now plus 120 minutes: the same UTC day, or (restarted after 22:00) the next one.
    expect(q1!.split('\n').at(-1)).toMatch(
      new RegExp(`^🛠 ${machine.name} · Daily press check · due by ${due}( tomorrow)?$`),
    );
  });

  it('when an assignment has no due time, then Question 1 names no due time', async () => {
    const { phone, template, machine, operator } = await scheduledOperator(h);
    await say(phone, 'hello');

    await h.api.post('/api/assignments', { templateId: template.id, machineId: machine.id, operatorId: operator.id });
    await settle(h);

    const [q1] = questionOnes(phone);
    expect(q1!.split('\n').at(-1)).toBe(`🛠 ${machine.name} · Daily press check`);
  });
});

describe('due and missed (acceptance line 3)', () => {
  it('when a started scheduled checklist is unanswered at its due time, then it is missed, the conversation expired, and the operator (in the window) told once', async () => {
    const { schedule, phone, machine } = await scheduledOperator(h);
    const machineName = machine.name;
    await say(phone, 'hello'); // opens the 24-hour window
    const at = new Date(schedule.nextRunAt!);
    const clock = movableSchedulesWorker(h, at);
    await clock.runAt(at);
    await settle(h);

    await clock.runAt(minutesAfter(at, 120));
    await clock.runAt(minutesAfter(at, 121));
    await settle(h);

    const [made] = await occurrencesOf(h, schedule.id);
    expect(made!.status).toBe('missed');
    const [session] = await rows<{ status: string }>(
      h,
      'SELECT status FROM whatsapp_conversation_sessions WHERE assignment_id = $1',
      [made!.id],
    );
    expect(session!.status).toBe('expired');
    const missedLine = messagesEn.missed('Daily press check', machineName);
    expect(h.graph.textsTo(phone).filter((t) => t === missedLine)).toHaveLength(1);
    const listed = await h.api.get('/api/assignments?status=missed');
    expect((listed.body as Listed).assignments.find((x) => x.id === made!.id)).toMatchObject({
      status: 'missed',
      scheduleId: schedule.id,
      completedLate: false,
    });
  });

  it('when the operator has not written in 24 hours, then a missed checklist sends them nothing', async () => {
    const { schedule, phone } = await scheduledOperator(h);
    const at = new Date(schedule.nextRunAt!);
    const clock = movableSchedulesWorker(h, at);
    await clock.runAt(at);
    await settle(h);
    const before = h.graph.sentTo(phone).length;

    await clock.runAt(minutesAfter(at, 125));
    await settle(h);

    expect((await occurrencesOf(h, schedule.id))[0]!.status).toBe('missed');
    expect(h.graph.sentTo(phone)).toHaveLength(before);
  });
});

describe('a scheduled checklist missed while still queued (QA item 2)', () => {
  it('when it is still queued behind another checklist at its due time, then it is missed and the operator (in the window) is told once, with the due time in the zone', async () => {
    const { schedule, phone, template, machine, operator } = await scheduledOperator(h, {
      timezone: 'Asia/Kolkata',
      times: ['06:00'],
    });
    await say(phone, 'hello');
    await h.api.post('/api/assignments', { templateId: template.id, machineId: machine.id, operatorId: operator.id });
    await settle(h);
    const at = new Date(schedule.nextRunAt!);
    const clock = movableSchedulesWorker(h, at);
    await clock.runAt(at); // queued behind the one being answered
    expect((await occurrencesOf(h, schedule.id)).map((o) => o.status)).toEqual(['pending']);

    await clock.runAt(minutesAfter(at, 121));
    await clock.runAt(minutesAfter(at, 122));
    await settle(h);

    expect((await occurrencesOf(h, schedule.id)).map((o) => o.status)).toEqual(['missed']);
    // Due 08:00 in Kolkata (06:00 and its 2-hour window), found missed the same day there: the time alone.
    const line = `"Daily press check" for ${machine.name} was due at 08:00 and was not started`;
    expect(h.graph.textsTo(phone).filter((t) => t.includes(line))).toHaveLength(1);
  });

  it('when the operator has not written in 24 hours, then a queued checklist that is missed sends them nothing', async () => {
    const { schedule, phone, template, machine, operator } = await scheduledOperator(h);
    await h.api.post('/api/assignments', { templateId: template.id, machineId: machine.id, operatorId: operator.id });
    await settle(h);
    const at = new Date(schedule.nextRunAt!);
    const clock = movableSchedulesWorker(h, at);
    await clock.runAt(at);
    await settle(h);
    const before = h.graph.sentTo(phone).length;

    await clock.runAt(minutesAfter(at, 125));
    await settle(h);

    expect((await occurrencesOf(h, schedule.id)).map((o) => o.status)).toEqual(['missed']);
    expect(h.graph.sentTo(phone)).toHaveLength(before);
  });
});

describe('restarting a missed checklist (acceptance line 5)', () => {
  it('when a manager restarts a missed one, then it gets a new due time, is not missed again at once, and completed it is completedLate', async () => {
    const { schedule, phone } = await scheduledOperator(h);
    const at = new Date(schedule.nextRunAt!);
    const clock = movableSchedulesWorker(h, at);
    await clock.runAt(minutesAfter(at, 130)); // recorded missed
    const [made] = await occurrencesOf(h, schedule.id);

    const res = await h.api.post(`/api/assignments/${made!.id}/start`);
    await clock.runAt(new Date()); // the worker's next pass, now
    await settle(h);

    expect(res.status).toBe(200);
    const due = new Date((res.body as { dueAt: string }).dueAt).getTime();
    expect(due).toBeGreaterThan(Date.now() + 110 * 60_000);
    expect(due).toBeLessThanOrEqual(Date.now() + 120 * 60_000);
    expect((await occurrencesOf(h, schedule.id))[0]!.status).toBe('active');

    await say(phone, 'OK - fine', 'CONFIRM');

    const done = (await h.api.get(`/api/assignments/${made!.id}`)).body;
    expect(done).toMatchObject({ status: 'completed', completedLate: true });
  });

  it('when an assignment is not missed, then restarting it as missed is refused with 409', async () => {
    const { schedule } = await scheduledOperator(h);
    const at = new Date(schedule.nextRunAt!);
    await movableSchedulesWorker(h, at).runAt(at);
    const [made] = await occurrencesOf(h, schedule.id);

    await expect(h.runtime.conversation.restartMissed(made!.id)).rejects.toMatchObject({ status: 409 });
  });
});

describe('reminders before the due time', () => {
  it('when a scheduled checklist is due within 15 minutes and unfinished, then one reminder goes out', async () => {
    const { phone, made } = await startedDueIn10Minutes();
    await h.database.pool.query(
      `UPDATE whatsapp_conversation_sessions SET created_at = created_at - interval '1 hour' WHERE assignment_id = $1`,
      [made.id],
    );

    await h.runtime.lifecycleWorker.runOnce();
    await h.runtime.lifecycleWorker.runOnce();
    await settle(h);

    const reminders = h.graph.sentTo(phone).filter((m) => textOf(m).startsWith(messagesEn.reminder()));
    expect(reminders).toHaveLength(1);
    // Question 1 again, as it first came: with its due time (now plus 10 minutes, past midnight: tomorrow).
    expect(textOf(reminders[0]!).split('\n').at(-1)).toMatch(/ · due by \d\d:\d\d( tomorrow)?$/);
  });

  it('when the checklist began less than 15 minutes before its due time (a short window), then no reminder follows Question 1', async () => {
    const { phone } = await startedDueIn10Minutes();

    await h.runtime.lifecycleWorker.runOnce();
    await settle(h);

    expect(h.graph.textsTo(phone).join('\n')).toMatch(/Question 1 of/);
    expect(h.graph.sentTo(phone).filter((m) => textOf(m).startsWith(messagesEn.reminder()))).toHaveLength(0);
  });
});

const say = (phone: string, ...texts: string[]) => sayAs(h, phone, ...texts);

/** A scheduled checklist started (Question 1 sent) and then due in 10 minutes: inside the reminder's 15. */
async function startedDueIn10Minutes() {
  const { schedule, phone } = await scheduledOperator(h);
  await say(phone, 'hello');
  const at = new Date(schedule.nextRunAt!);
  await movableSchedulesWorker(h, at).runAt(at);
  await settle(h);
  const [made] = await occurrencesOf(h, schedule.id);
  await h.database.pool.query(`UPDATE checklist_assignments SET due_at = now() + interval '10 minutes' WHERE id = $1`, [
    made!.id,
  ]);
  return { phone, made: made! };
}
