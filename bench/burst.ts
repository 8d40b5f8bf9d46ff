// The shift-start phase (issue 17 item 4): 300 schedules start their checklists at one instant at the default
// send pace; how long until the last Question 1 reached the fake Graph API, and the most in any one second.
import type pg from 'pg';
import type { Child } from './processes.js';
import type { FromDriver } from './protocol.js';
import type { Api } from './seed.js';

export const BURST_STARTS = 300;
/** The default WHATSAPP_MAX_MESSAGES_PER_SECOND: the phase shows what production does at 06:00. */
export const BURST_PACE = 60;

export interface BurstReport {
  starts: number;
  pace: number;
  /** From the schedules' common start instant to the last Question 1 at the fake Graph API. */
  lastQuestionMs: number;
  busiestSecond: number;
  arrived: number;
}

const isWatched = (m: unknown): m is Extract<FromDriver, { type: 'watched' }> =>
  (m as FromDriver | null)?.type === 'watched';

/** Seconds between the last schedule made and their common start: room for the schedules worker to be idle. */
const LEAD_MS = 3_000;

/**
 * 300 schedules (POST /api/schedules, 32 at a time), one per operator, whose occurrence falls at one instant:
 * made for 06:00, their next run is then moved in SQL to a whole second a few seconds ahead (the bench cannot
 * wait for 06:00, nor move a child server's clock). The schedules worker meets them as it meets 06:00: on its
 * next poll (SCHEDULES_POLL_MS, default 5 s), so the time measured from that instant includes that wait.
 */
export async function runBurst(api: Api, driver: Child, pool: pg.Pool, ids: { templateId: number; machineId: number }) {
  const phones = Array.from({ length: BURST_STARTS }, (_, i) => `+91979${String(i).padStart(7, '0')}`);
  const operators: number[] = [];
  for (const phone of phones)
    operators.push(
      (await api.post<{ id: number }>('/operators', { name: `Shift ${phone.slice(-4)}`, phoneNumber: phone })).id,
    );
  const schedules: number[] = [];
  let next = 0;
  const lane = async () => {
    while (next < operators.length) {
      const operatorId = operators[next++]!;
      const body = { ...ids, operatorId, timezone: 'UTC', times: ['06:00'] };
      schedules.push((await api.post<{ id: number }>('/schedules', body)).id);
    }
  };
  await Promise.all(Array.from({ length: 32 }, lane));
  const watched = driver.message(isWatched, 120_000);
  driver.proc.send({ type: 'watch', phones, timeoutMs: 90_000 });
  const startAt = new Date(Math.ceil((Date.now() + LEAD_MS) / 1000) * 1000);
  await pool.query('UPDATE checklist_schedules SET next_run_at = $1 WHERE id = ANY($2::int[])', [startAt, schedules]);
  const { arrivals } = await watched;
  const perSecond = new Map<number, number>();
  for (const at of arrivals) perSecond.set(Math.floor(at / 1000), (perSecond.get(Math.floor(at / 1000)) ?? 0) + 1);
  return {
    starts: BURST_STARTS,
    pace: BURST_PACE,
    lastQuestionMs: Math.max(...arrivals) - startAt.getTime(),
    busiestSecond: Math.max(0, ...perSecond.values()),
    arrived: arrivals.length,
  } satisfies BurstReport;
}

export function burstLine(b: BurstReport): string {
  return (
    `${b.starts} scheduled starts at once (${b.starts} schedules due at one instant, met by the schedules worker; ` +
    `WHATSAPP_MAX_MESSAGES_PER_SECOND=${b.pace}): last Question 1 at the Graph API after ${(b.lastQuestionMs / 1000).toFixed(1)} s, ` +
    `highest rate in any second ${b.busiestSecond} msg/s` +
    (b.arrived < b.starts ? `; only ${b.arrived} of ${b.starts} Question 1s arrived within 90 s` : '')
  );
}
