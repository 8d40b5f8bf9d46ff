// The shift-start phase (issue 17 item 4): 300 checklists start at once at the default send pace; how long
// until the last Question 1 reached the fake Graph API, and the most messages it got in any one second.
import type { Child } from './processes.js';
import type { FromDriver } from './protocol.js';
import type { Api } from './seed.js';

export const BURST_STARTS = 300;
/** The default WHATSAPP_MAX_MESSAGES_PER_SECOND: the phase shows what production does at 06:00. */
export const BURST_PACE = 60;

export interface BurstReport {
  starts: number;
  pace: number;
  /** From the first start request to the last Question 1 at the fake Graph API. */
  lastQuestionMs: number;
  busiestSecond: number;
  arrived: number;
}

const isWatched = (m: unknown): m is Extract<FromDriver, { type: 'watched' }> =>
  (m as FromDriver | null)?.type === 'watched';

/**
 * Schedules have no clock the bench can move in a child server, so the 300 starts are made the way a
 * schedule's occurrence makes them, through the start path: POST /api/assignments, 32 at a time.
 */
export async function runBurst(api: Api, driver: Child, ids: { templateId: number; machineId: number }) {
  const phones = Array.from({ length: BURST_STARTS }, (_, i) => `+91979${String(i).padStart(7, '0')}`);
  const operators: number[] = [];
  for (const phone of phones)
    operators.push(
      (await api.post<{ id: number }>('/operators', { name: `Shift ${phone.slice(-4)}`, phoneNumber: phone })).id,
    );
  const watched = driver.message(isWatched, 120_000);
  driver.proc.send({ type: 'watch', phones, timeoutMs: 90_000 });
  const started = Date.now();
  let next = 0;
  const lane = async () => {
    while (next < operators.length) {
      const operatorId = operators[next++]!;
      await api.post('/assignments', { ...ids, operatorId });
    }
  };
  await Promise.all(Array.from({ length: 32 }, lane));
  const { arrivals } = await watched;
  const perSecond = new Map<number, number>();
  for (const at of arrivals) perSecond.set(Math.floor(at / 1000), (perSecond.get(Math.floor(at / 1000)) ?? 0) + 1);
  return {
    starts: BURST_STARTS,
    pace: BURST_PACE,
    lastQuestionMs: Math.max(...arrivals) - started,
    busiestSecond: Math.max(0, ...perSecond.values()),
    arrived: arrivals.length,
  } satisfies BurstReport;
}

export function burstLine(b: BurstReport): string {
  return (
    `300 scheduled starts at once (made as ${b.starts} POST /api/assignments, the start path a schedule's occurrence takes; ` +
    `WHATSAPP_MAX_MESSAGES_PER_SECOND=${b.pace}): last Question 1 at the Graph API after ${(b.lastQuestionMs / 1000).toFixed(1)} s, ` +
    `highest rate in any second ${b.busiestSecond} msg/s` +
    (b.arrived < b.starts ? `; only ${b.arrived} of ${b.starts} Question 1s arrived within 90 s` : '')
  );
}
