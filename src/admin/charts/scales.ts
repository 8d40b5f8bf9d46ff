// Scales and ticks shared by the charts in this folder (pure: no I/O, no DOM, no clock).
import { DateTime } from 'luxon';

/** Maps a value of [d0, d1] linearly onto [r0, r1] (an SVG coordinate); a zero-width domain maps to the middle. */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]) {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  return (v: number): number => (span === 0 ? (r0 + r1) / 2 : r0 + ((v - d0) / span) * (r1 - r0));
}

/** A step of 1, 2 or 5 times a power of ten that cuts [lo, hi] into about `count` parts. */
export function niceStep(lo: number, hi: number, count = 5): number {
  const raw = Math.abs(hi - lo) / Math.max(1, count);
  if (raw === 0 || !Number.isFinite(raw)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power;
}

/** [lo, hi] widened to whole steps, so the axis starts and ends on a tick. */
export function niceDomain(lo: number, hi: number, count = 5): [number, number] {
  if (lo === hi) return [lo - 1, hi + 1];
  const step = niceStep(lo, hi, count);
  return [Math.floor(lo / step) * step, Math.ceil(hi / step) * step];
}

/** The ticks of a nice domain, from lo to hi; values are rounded to the step's decimals (no 0.30000000000000004). */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  const step = niceStep(lo, hi, count);
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step / 1e6; v += step) ticks.push(Number(v.toFixed(decimals)));
  return ticks;
}

/**
 * The line chart's largest text size in SVG user units: `.chart { font-size }` in public/app.css is 12 on a wide
 * screen and 22 on a phone (where the SVG is drawn at about half size); keep this in step with the larger.
 */
export const CHART_FONT_SIZE_MAX = 22;

/**
 * A label's width in SVG user units at `fontSize`, on the generous side (0.62 em a character: digits and most
 * letters are narrower), since a server-rendered chart has no DOM to measure text in.
 */
export const labelWidth = (label: string, fontSize = CHART_FONT_SIZE_MAX): number => label.length * fontSize * 0.62;

export type LabelAnchor = 'start' | 'middle' | 'end';

/**
 * How an axis label under the span [left, right] (a bar, or a point when equal) is drawn so that all of it
 * stays inside a view `width` wide at any font size up to `fontSize`: centred under the span, or, where that
 * would cross an edge, ending at the span's right end (starting at its left end), never beyond the view.
 */
export function placeLabel(
  span: { left: number; right: number },
  label: string,
  width: number,
  fontSize = CHART_FONT_SIZE_MAX,
  pad = 2,
): { x: number; anchor: LabelAnchor } {
  const r = (n: number) => Math.round(n * 10) / 10;
  const centre = (span.left + span.right) / 2;
  const half = labelWidth(label, fontSize) / 2;
  if (centre + half > width - pad) return { x: r(Math.min(span.right, width - pad)), anchor: 'end' };
  if (centre - half < pad) return { x: r(Math.max(span.left, pad)), anchor: 'start' };
  return { x: r(centre), anchor: 'middle' };
}

const DAY_MS = 86_400_000;

/**
 * Midnights in `zone` (the factory's, DEFAULT_TIMEZONE) between from and to, every 1, 2, 7 or 14 days, so a 30- or
 * 90-day axis gets 4 to 8 labels. Counted in calendar days, so a clock change keeps them at midnight.
 */
export function dayTicks(from: Date, to: Date, most = 7, zone = 'UTC'): Date[] {
  const days = (to.getTime() - from.getTime()) / DAY_MS;
  const every = [1, 2, 7, 14, 28].find((d) => days / d <= most) ?? Math.ceil(days / most);
  let t = DateTime.fromJSDate(from, { zone }).startOf('day');
  if (t.toMillis() < from.getTime()) t = t.plus({ days: 1 });
  const ticks: Date[] = [];
  for (; t.toMillis() <= to.getTime(); t = t.plus({ days: every })) ticks.push(t.toJSDate());
  return ticks;
}

const HOUR_MS = 3_600_000;

/**
 * Whole hours in `zone` between from and to, every 1, 2, 3, 6, 12 or 24 hours of its clock (06:00, 09:00, ...
 * there, also in a zone half an hour off UTC), so a short span gets a few labels.
 */
export function hourTicks(from: Date, to: Date, most = 5, zone = 'UTC'): Date[] {
  const hours = (to.getTime() - from.getTime()) / HOUR_MS;
  const every = [1, 2, 3, 6, 12, 24].find((h) => hours / h <= most) ?? 24;
  let t = DateTime.fromJSDate(from, { zone }).startOf('hour');
  if (t.toMillis() < from.getTime()) t = t.plus({ hours: 1 });
  const ticks: Date[] = [];
  // Hour by hour (a short span: at most a few dozen), keeping those on the clock's multiples of `every`.
  for (; t.toMillis() <= to.getTime(); t = t.plus({ hours: 1 })) if (t.hour % every === 0) ticks.push(t.toJSDate());
  return ticks;
}
