// The dashboard's compliance figures from per machine and day counts (pure: the day "today" is given, so a test
// can fix it). A checklist counts on the day of its outcome: completed on the day it was completed (late when it
// was completed after its due time or after a restart of a missed one), missed on the day it was missed.
import { resultGrid, type GridState, type ResultGridView } from '../charts/result-grid.js';
import { barChart, type BarChartView } from '../charts/bar-chart.js';

/** One machine's checklists on one local day (YYYY-MM-DD), as complianceByMachineDay counts them. */
export interface ComplianceRow {
  machineId: number;
  machineName: string;
  day: string;
  onTime: number;
  late: number;
  missed: number;
  /** Completed (on time or late) with at least one NOT OK answer. */
  notOk: number;
  /** Not finished yet (waiting or in progress), counted on the day it was due or assigned. */
  open: number;
}

export interface Counts {
  onTime: number;
  late: number;
  missed: number;
  notOk: number;
  open: number;
}

export interface DayFigures extends Counts {
  day: string;
  label: string;
  /** Completed (on time or late) out of those with an outcome; null when nothing was due. */
  completedRate: number | null;
}

export interface ComplianceView {
  today: Counts;
  week: Counts;
  month: Counts & { completedRate: number | null };
  days: DayFigures[];
  chart: BarChartView;
  grid: ResultGridView;
}

const DAY_MS = 86_400_000;
const dayDate = (day: string) => new Date(`${day}T00:00:00Z`);
const longDay = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
const shortDay = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });

/** The `count` days up to and including `today` (YYYY-MM-DD), oldest first; calendar days, so no DST arithmetic. */
export function lastDays(today: string, count: number): string[] {
  const end = dayDate(today).getTime();
  return Array.from({ length: count }, (_, i) => new Date(end - (count - 1 - i) * DAY_MS).toISOString().slice(0, 10));
}

const zero = (): Counts => ({ onTime: 0, late: 0, missed: 0, notOk: 0, open: 0 });
function add(into: Counts, r: Counts): Counts {
  into.onTime += r.onTime;
  into.late += r.late;
  into.missed += r.missed;
  into.notOk += r.notOk;
  into.open += r.open;
  return into;
}
const rateOf = (c: Counts) => {
  const due = c.onTime + c.late + c.missed;
  return due === 0 ? null : (c.onTime + c.late) / due;
};

/** A cell's or a day's numbers in words: "2 on time, 1 late, 1 missed (1 with NOT OK)", or "nothing due". */
export function countsInWords(c: Counts): string {
  const parts = [
    c.onTime && `${c.onTime} on time`,
    c.late && `${c.late} late`,
    c.missed && `${c.missed} missed`,
    c.open && `${c.open} not finished yet`,
  ].filter(Boolean);
  if (parts.length === 0) return 'nothing due';
  return parts.join(', ') + (c.notOk ? ` (${c.notOk} with NOT OK)` : '');
}

/** Worst first: a cell shows the worst thing that happened on that machine that day. */
export const RESULT_STATES: GridState[] = [
  { key: 'not-ok', label: 'NOT OK found', symbol: '!' },
  { key: 'missed', label: 'Missed', symbol: '✕' },
  { key: 'late', label: 'Completed late', symbol: '◷' },
  { key: 'on-time', label: 'Completed on time', symbol: '✓' },
  { key: 'open', label: 'Not finished yet', symbol: '…' },
  { key: 'none', label: 'Nothing due', symbol: '' },
];

export function cellState(c: Counts): string {
  if (c.notOk) return 'not-ok';
  if (c.missed) return 'missed';
  if (c.late) return 'late';
  if (c.onTime) return 'on-time';
  return c.open ? 'open' : 'none';
}

export function complianceView(
  rows: ComplianceRow[],
  today: string,
  opts = { chartDays: 30, gridDays: 14 },
): ComplianceView {
  const chartDays = lastDays(today, opts.chartDays);
  const weekDays = new Set(lastDays(today, 7));
  const byDay = new Map(chartDays.map((d) => [d, zero()]));
  const byCell = new Map<string, Counts>();
  const machines = new Map<number, string>();
  const week = zero();
  for (const r of rows) {
    const day = byDay.get(r.day);
    if (!day) continue; // outside the 30 days (a due time later today's date in another zone)
    add(day, r);
    if (weekDays.has(r.day)) add(week, r);
    byCell.set(`${r.machineId}/${r.day}`, add(byCell.get(`${r.machineId}/${r.day}`) ?? zero(), r));
    machines.set(r.machineId, r.machineName);
  }

  const days: DayFigures[] = chartDays.map((d) => {
    const c = byDay.get(d)!;
    return { ...c, day: d, label: longDay.format(dayDate(d)), completedRate: rateOf(c) };
  });
  const month = days.reduce(add, zero());
  const chart = barChart({
    title: `Checklists per day, last ${opts.chartDays} days`,
    description: 'Each bar is one day: completed on time at the bottom, then completed late, then missed on top.',
    series: [
      { key: 'on-time', label: 'Completed on time' },
      { key: 'late', label: 'Completed late' },
      { key: 'missed', label: 'Missed' },
    ],
    bars: days.map((d, i) => ({
      title: `${d.label}: ${countsInWords({ ...d, open: 0 })}`,
      tick: (days.length - 1 - i) % 7 === 0 ? shortDay.format(dayDate(d.day)) : null,
      values: { 'on-time': d.onTime, late: d.late, missed: d.missed },
    })),
  });

  const gridDays = lastDays(today, opts.gridDays);
  const grid = resultGrid({
    title: `Each machine, last ${opts.gridDays} days`,
    columns: gridDays.map((d) => ({
      key: d,
      label: String(dayDate(d).getUTCDate()),
      long: longDay.format(dayDate(d)),
    })),
    rows: [...machines]
      .filter(([id]) => gridDays.some((d) => byCell.has(`${id}/${d}`)))
      .sort((a, b) => a[1].localeCompare(b[1], 'en') || a[0] - b[0]),
    rowLabel: ([, name]) => name,
    cell: ([id], day) => {
      const c = byCell.get(`${id}/${day}`) ?? zero();
      return { state: cellState(c), words: countsInWords(c) };
    },
    states: RESULT_STATES,
  });

  const todayCounts = byDay.get(today) ?? zero();
  return { today: { ...todayCounts }, week, month: { ...month, completedRate: rateOf(month) }, days, chart, grid };
}
