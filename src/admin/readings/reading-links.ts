/** The periods the page offers; the report links a reading to the shortest one that holds it. */
export const READING_DAYS = [30, 90] as const;
export const DAY_MS = 86_400_000;

/** The chart a reading is on: its machine's page over the shortest period that holds it, at its task's chart. */
export function readingChartUrl(machineId: number, taskId: number, answeredAt: Date, now = new Date()): string | null {
  const age = (now.getTime() - answeredAt.getTime()) / DAY_MS;
  const days = READING_DAYS.find((d) => age <= d);
  return days ? `/machines/${machineId}/readings?days=${days}#task-${taskId}` : null;
}
