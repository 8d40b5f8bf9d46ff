import { lineChart, type LineChartView } from '../charts/line-chart.js';
import { limitsText, outOfRange, rangeText, readingValue, withUnit, type Limits } from './reading-format.js';

/** One reading as the readings query returns it: the answer (with what applied then) and its task as it is now. */
export interface ReadingRow {
  answerId: number;
  submissionId: string;
  taskId: number;
  templateName: string;
  /** The task's text as answered last (readings of one task may span a reworded text). */
  taskText: string;
  answeredAt: Date;
  operatorName: string;
  /** As stored (numeric as text: what was typed). */
  value: string;
  unit: string | null;
  min: number | null;
  max: number | null;
  status: string;
  remarks: string | null;
  /** The task now: its type, unit, limits and decimals (a reading is shown with today's decimals). */
  task: { type: string; unit: string | null; min: number | null; max: number | null; decimals: number | null };
}

export interface ReadingLine {
  answerId: number;
  submissionId: string;
  at: Date;
  operatorName: string;
  value: string;
  limits: string;
  side: 'above' | 'below' | null;
  verdict: string;
  status: string;
  remarks: string | null;
}

export interface TaskReadings {
  taskId: number;
  title: string;
  templateName: string;
  unit: string | null;
  limits: string;
  /** Some reading was judged by other limits than the band shows (the task's limits were changed). */
  limitsChanged: boolean;
  outCount: number;
  chart: LineChartView;
  /** Newest first. */
  lines: ReadingLine[];
}

const sameLimits = (a: Limits, b: Limits) => a.min === b.min && a.max === b.max;

/**
 * Groups a machine's readings by task and lays out each task's chart. The band shows the task's limits now (or
 * the latest reading's, if the task is no longer a number task); each point is marked by the limits that
 * applied when it was read, which is also what its row in the table says.
 */
export function taskReadings(rows: ReadingRow[], domain: { from: Date; to: Date }, timeZone = 'UTC'): TaskReadings[] {
  // The chart's words (its description, each point's note) are in the zone its axis is labelled in.
  const when = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone });
  const dateTime = (d: Date) => when.format(d);
  const byTask = new Map<number, ReadingRow[]>();
  for (const r of rows) byTask.set(r.taskId, [...(byTask.get(r.taskId) ?? []), r]);

  return [...byTask.values()].map((readings) => {
    const sorted = [...readings].sort((a, b) => a.answeredAt.getTime() - b.answeredAt.getTime());
    const latest = sorted.at(-1)!;
    const current = latest.task.type === 'number';
    const band: Limits = current
      ? { min: latest.task.min, max: latest.task.max }
      : { min: latest.min, max: latest.max };
    const unit = current ? latest.task.unit : latest.unit;
    const decimals = latest.task.decimals;
    const lines = sorted.map((r): ReadingLine => {
      const applied = { min: r.min, max: r.max };
      const n = Number(r.value);
      return {
        answerId: r.answerId,
        submissionId: r.submissionId,
        at: r.answeredAt,
        operatorName: r.operatorName,
        value: withUnit(readingValue(r.value, decimals), r.unit),
        limits: limitsText(applied, r.unit) || 'none',
        side: outOfRange(n, applied),
        verdict: rangeText(n, applied, r.unit),
        status: r.status,
        remarks: r.remarks,
      };
    });
    const outCount = lines.filter((l) => l.side).length;
    const limits = limitsText(band, unit);
    const title = `${latest.taskText}${unit ? ` (${unit})` : ''}`;
    const span = `${dateTime(sorted[0]!.answeredAt)} to ${dateTime(latest.answeredAt)}`;
    const chart = lineChart({
      title,
      description:
        `${lines.length} reading${lines.length === 1 ? '' : 's'} from ${span}; ` +
        `${outCount} out of range${limits ? ` (limits ${limits})` : ''}.`,
      domain,
      timeZone,
      band,
      formatValue: (v) => readingValue(v, decimals),
      points: lines.map((l, i) => ({
        at: l.at,
        value: Number(sorted[i]!.value),
        marked: l.side !== null,
        note: `${dateTime(l.at)} · ${l.value}${l.verdict ? ` · ${l.verdict}` : ''} · ${l.operatorName}`,
      })),
    });
    return {
      taskId: latest.taskId,
      title,
      templateName: latest.templateName,
      unit,
      limits,
      limitsChanged: sorted.some((r) => !sameLimits({ min: r.min, max: r.max }, band)),
      outCount,
      chart,
      lines: [...lines].reverse(),
    };
  });
}
