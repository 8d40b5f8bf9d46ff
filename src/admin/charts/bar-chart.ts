// A stacked bar chart laid out as plain numbers for views/partials/bar-chart.ejs (pure: no I/O, no DOM, no
// clock), so a unit test can count what will be drawn.
import { niceStep, placeLabel, type LabelAnchor } from './scales.js';

/** One series of the stack, bottom first; `key` becomes the rect's CSS class (`bar--<key>`). */
export interface BarSeries {
  key: string;
  label: string;
}

export interface Bar {
  /** What the bar's rects say on hover (their <title>), e.g. the day and its numbers in words. */
  title: string;
  /** An axis label, or null for a bar left unlabelled (a 30-day axis labels a few days only). */
  tick: string | null;
  /** A count per series key; missing keys are zero. */
  values: Record<string, number>;
}

export interface BarChartInput {
  /** The chart's accessible name (the SVG's <title>) and its longer text (<desc>). */
  title: string;
  description: string;
  series: BarSeries[];
  bars: Bar[];
  size?: { width: number; height: number };
}

export interface BarRect {
  key: string;
  x: number;
  y: number;
  width: number;
  height: number;
  title: string;
}

export interface BarChartView {
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  title: string;
  description: string;
  /** One rect per non-zero segment: a day with nothing due draws nothing. */
  rects: BarRect[];
  /** Axis labels, centred under their bar, or anchored at its end near the view's edge so none is cut off. */
  xTicks: { x: number; label: string; anchor: LabelAnchor }[];
  yTicks: { y: number; label: string }[];
}

/** Its largest text size: `.chart--bars` on a phone in public/app.css; keep the two in step. */
export const BAR_FONT_SIZE_MAX = 18;

const MARGIN = { left: 36, right: 8, top: 12, bottom: 28 };
const round = (n: number) => Math.round(n * 10) / 10;

/** Whole-number ticks from 0 to at least `max`, on round steps of at least 1 (counts have no halves). */
export function countTicks(max: number, most = 5): number[] {
  if (max <= 0) return [0, 1];
  const step = Math.max(1, niceStep(0, max, most));
  const ticks: number[] = [];
  for (let v = 0; v < max + step; v += step) ticks.push(v);
  return ticks;
}

/** Lays out the bars left to right, each stacked from the bottom in the order of `series`. */
export function barChart(input: BarChartInput): BarChartView {
  const { width, height } = input.size ?? { width: 480, height: 220 };
  const plot = { left: MARGIN.left, top: MARGIN.top, right: width - MARGIN.right, bottom: height - MARGIN.bottom };
  const totals = input.bars.map((b) => input.series.reduce((n, s) => n + (b.values[s.key] ?? 0), 0));
  const ticks = countTicks(Math.max(0, ...totals));
  const top = ticks[ticks.length - 1]!;
  const unit = (plot.bottom - plot.top) / top;
  const slot = (plot.right - plot.left) / Math.max(1, input.bars.length);
  const barWidth = round(Math.max(1, slot * 0.7));

  const rects: BarRect[] = [];
  const xTicks: BarChartView['xTicks'] = [];
  input.bars.forEach((bar, i) => {
    const x = plot.left + slot * i + (slot - barWidth) / 2;
    let base = plot.bottom;
    for (const s of input.series) {
      const v = bar.values[s.key] ?? 0;
      if (v <= 0) continue;
      const h = v * unit;
      rects.push({ key: s.key, x: round(x), y: round(base - h), width: barWidth, height: round(h), title: bar.title });
      base -= h;
    }
    if (bar.tick !== null)
      xTicks.push({
        ...placeLabel({ left: x, right: x + barWidth }, bar.tick, width, BAR_FONT_SIZE_MAX),
        label: bar.tick,
      });
  });

  return {
    width,
    height,
    plot,
    title: input.title,
    description: input.description,
    rects,
    xTicks,
    yTicks: ticks.map((t) => ({ y: round(plot.bottom - t * unit), label: String(t) })),
  };
}
