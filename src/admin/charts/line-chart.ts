import { dayTicks, hourTicks, linearScale, niceDomain, niceTicks, placeLabel, type LabelAnchor } from './scales.js';

/** One reading on the chart; `marked` draws it as out of range, `note` is its tooltip (the point's <title>). */
export interface LinePoint {
  at: Date;
  value: number;
  marked: boolean;
  note: string;
}

/** The allowed range, both ends inclusive; a missing end leaves the band open to that edge of the plot. */
export interface Band {
  min: number | null;
  max: number | null;
}

export interface LineChartInput {
  /** The chart's accessible name (the SVG's <title>) and its longer text (<desc>). */
  title: string;
  description: string;
  /**
   * The period asked for (the points are expected inside it). Readings that fill only a small part of it are
   * drawn over their own span instead (see `timeAxis`).
   */
  domain: { from: Date; to: Date };
  points: LinePoint[];
  band?: Band | null;
  /** How a limit is written on its label (e.g. with the task's decimals). */
  formatValue?: (v: number) => string;
  formatDay?: (d: Date) => string;
  /** The zone the time axis is labelled in (the factory's, DEFAULT_TIMEZONE); default UTC. */
  timeZone?: string;
  size?: { width: number; height: number };
}

/** Everything the SVG partial (views/partials/line-chart.ejs) draws, in SVG user units. */
export interface LineChartView {
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  title: string;
  description: string;
  band: { x: number; y: number; width: number; height: number; min: number | null; max: number | null } | null;
  limits: { kind: 'min' | 'max'; value: number; y: number; label: string }[];
  /** An SVG path through the points in time order; empty with fewer than two points. */
  line: string;
  points: (LinePoint & { cx: number; cy: number })[];
  /** The time axis drawn: the period, or the readings' own span when they fill a small part of it. */
  shown: { from: Date; to: Date };
  /** Day labels, or hour labels for a span of two days or less; anchored so none is cut at the view's edge. */
  xTicks: { at: Date; x: number; label: string; anchor: LabelAnchor }[];
  /** The zone of the time axis's labels. */
  timeZone: string;
  yTicks: { y: number; label: string }[];
}

const MARGIN = { left: 56, right: 16, top: 16, bottom: 32 };
const round = (n: number) => Math.round(n * 10) / 10;
const shortDay = (timeZone: string) => new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone });
const hourMinute = (timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone });
const HOUR_MS = 3_600_000;
/** Readings spanning less than this share of the period are drawn over their own span. */
const FIT_SHARE = 1 / 5;

/**
 * The time the x axis covers. Readings that fill a small part of the period (several on one day, in a 30-day
 * view) would stand in one column at the plot's edge, their order and times unreadable; they are spread over
 * their own span instead (a tenth of it, at least half an hour, added on each side, within the period).
 */
export function timeAxis(domain: { from: Date; to: Date }, times: Date[]): { from: Date; to: Date } {
  if (times.length === 0) return domain;
  const [first, last] = [Math.min(...times.map(Number)), Math.max(...times.map(Number))];
  const period = domain.to.getTime() - domain.from.getTime();
  if (last - first >= period * FIT_SHARE) return domain;
  const pad = Math.max((last - first) / 10, HOUR_MS / 2);
  return {
    from: new Date(Math.max(domain.from.getTime(), first - pad)),
    to: new Date(Math.min(domain.to.getTime(), last + pad)),
  };
}

/** Hour labels for a short span in `zone`: "14:00", and the day where one starts ("7 Dec"), or on the first label. */
function hourLabels(ticks: Date[], zone: string): string[] {
  const [day, time] = [shortDay(zone), hourMinute(zone)];
  const midnight = (d: Date) => time.format(d) === '00:00';
  return ticks.map((d, i) =>
    midnight(d)
      ? day.format(d)
      : i === 0 && !ticks.some(midnight)
        ? `${day.format(d)} ${time.format(d)}`
        : time.format(d),
  );
}

/**
 * Lays out a line chart of readings over time with its limits as a band: pure, so a unit test can count what is
 * drawn. The value axis covers every reading and every limit, widened to round numbers.
 */
export function lineChart(input: LineChartInput): LineChartView {
  const { width, height } = input.size ?? { width: 720, height: 260 };
  const fmt = input.formatValue ?? ((v: number) => String(v));
  const plot = { left: MARGIN.left, top: MARGIN.top, right: width - MARGIN.right, bottom: height - MARGIN.bottom };
  const band = input.band && (input.band.min !== null || input.band.max !== null) ? input.band : null;

  const values = [...input.points.map((p) => p.value), ...(band ? [band.min, band.max] : [])].filter(
    (v): v is number => v !== null,
  );
  // A little room above and below, so a limit or a reading is never drawn on the plot's edge (or under its labels).
  const [vMin, vMax] = [Math.min(...values), Math.max(...values)];
  const pad = (vMax - vMin) * 0.05;
  const [lo, hi] = values.length ? niceDomain(vMin - pad, vMax + pad) : [0, 1];
  const y = linearScale([lo, hi], [plot.bottom, plot.top]);
  const shown = timeAxis(
    input.domain,
    input.points.map((p) => p.at),
  );
  const x = linearScale([shown.from.getTime(), shown.to.getTime()], [plot.left, plot.right]);
  const short = shown.to.getTime() - shown.from.getTime() <= 2 * 24 * HOUR_MS;
  const zone = input.timeZone ?? 'UTC';
  const tickTimes = short ? hourTicks(shown.from, shown.to, 5, zone) : dayTicks(shown.from, shown.to, 7, zone);
  const day = shortDay(zone);
  const tickLabels = short
    ? hourLabels(tickTimes, zone)
    : tickTimes.map((d) => (input.formatDay ?? ((v: Date) => day.format(v)))(d));

  const points = [...input.points]
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .map((p) => ({ ...p, cx: round(x(p.at.getTime())), cy: round(y(p.value)) }));
  const line = points.length < 2 ? '' : points.map((p, i) => `${i ? 'L' : 'M'}${p.cx} ${p.cy}`).join(' ');

  const top = band?.max != null ? round(y(band.max)) : plot.top;
  const bottom = band?.min != null ? round(y(band.min)) : plot.bottom;
  const limits = (['min', 'max'] as const)
    .filter((kind) => band?.[kind] != null)
    .map((kind) => {
      const value = band![kind]!;
      return { kind, value, y: round(y(value)), label: `${kind} ${fmt(value)}` };
    });

  return {
    width,
    height,
    plot,
    title: input.title,
    description: input.description,
    band: band && { x: plot.left, y: top, width: plot.right - plot.left, height: round(bottom - top), ...band },
    limits,
    line,
    points,
    shown,
    xTicks: tickTimes.map((d, i) => {
      const at = x(d.getTime());
      return { at: d, ...placeLabel({ left: at, right: at }, tickLabels[i]!, width), label: tickLabels[i]! };
    }),
    timeZone: zone,
    // Ticks are round numbers and show as such; the task's decimals apply to readings and limits.
    yTicks: niceTicks(lo, hi).map((v) => ({ y: round(y(v)), label: String(v) })),
  };
}
