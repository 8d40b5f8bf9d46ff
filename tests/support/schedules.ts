import request from 'supertest';
import { expect } from 'vitest';
import { createLogger } from '../../src/lib/logger.js';
import { createSchedulesWorker } from '../../src/schedules/schedules-worker.js';
import { API_TOKEN, type Harness } from './harness.js';
import { operatorWithWork, rows } from './lifecycle.js';

export interface ScheduleBody {
  id: number;
  timezone: string;
  daysOfWeek: number[];
  times: string[];
  dueAfterMinutes: number;
  active: boolean;
  nextRunAt: string | null;
  lastResult: { status: string; completedLate: boolean } | null;
}

const auth = `Bearer ${API_TOKEN}`;

/** PATCH and DELETE, which the harness's api does not have. */
export const patchSchedule = (h: Harness, id: number, body: object) =>
  request(h.app).patch(`/api/schedules/${id}`).set('Authorization', auth).send(body);
export const deleteSchedule = (h: Harness, id: number) =>
  request(h.app).delete(`/api/schedules/${id}`).set('Authorization', auth);

/** An operator with a machine and template, and a schedule for them made through the API. */
export async function scheduledOperator(
  h: Harness,
  schedule: { timezone?: string; daysOfWeek?: number[]; times?: string[]; dueAfterMinutes?: number } = {},
  tasks: string[] = ['Check oil level'],
) {
  const w = await operatorWithWork(h, tasks);
  const res = await h.api.post('/api/schedules', {
    templateId: w.template.id,
    machineId: w.machine.id,
    operatorId: w.operator.id,
    times: ['06:00'],
    ...schedule,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { ...w, schedule: res.body as ScheduleBody };
}

/**
 * A schedules worker of the test's own on the harness's database, on a clock the test moves (the
 * harness's own worker runs on the real clock, which these schedules' times have not reached).
 */
export function movableSchedulesWorker(h: Harness, start: Date) {
  let now = start;
  const worker = createSchedulesWorker({
    db: h.database.db,
    logger: createLogger({ level: 'silent', pretty: false }),
    conversation: h.runtime.conversation,
    now: () => now,
  });
  return {
    worker,
    /** Moves the clock to `at` and runs one pass. */
    async runAt(at: Date | string) {
      now = new Date(at);
      await worker.runOnce();
    },
  };
}

export const occurrencesOf = (h: Harness, scheduleId: number) =>
  rows<{ id: string; status: string; occurrence_at: Date; due_at: Date; completed_late: boolean }>(
    h,
    'SELECT id, status, occurrence_at, due_at, completed_late FROM checklist_assignments WHERE schedule_id = $1 ORDER BY occurrence_at',
    [scheduleId],
  );

export const minutesAfter = (iso: string | Date, minutes: number) =>
  new Date(new Date(iso).getTime() + minutes * 60_000);
