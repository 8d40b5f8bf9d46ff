import { describe, expect, it } from 'vitest';
import { lineChart, timeAxis, type Band, type LineChartInput } from './line-chart.js';
import { labelWidth, type LabelAnchor } from './scales.js';

const to = new Date('2026-12-07T12:00:00Z');
const daysAgo = (d: number) => new Date(to.getTime() - d * 86_400_000);
const point = (d: number, value: number, band: Band | null = { min: 5, max: 8 }) => ({
  at: daysAgo(d),
  value,
  // The caller decides what is out of range (a reading is judged by the limits that applied to it).
  marked: !!band && ((band.min !== null && value < band.min) || (band.max !== null && value > band.max)),
  note: `${value} bar`,
});
const chart = (over: Partial<LineChartInput> = {}) =>
  lineChart({
    title: 'Hydraulic pressure',
    description: 'Readings in bar',
    domain: { from: daysAgo(30), to },
    points: [point(20, 6.5), point(10, 9.2), point(2, 5.5)],
    band: { min: 5, max: 8 },
    ...over,
  });

describe('lineChart', () => {
  it('when 3 readings have one out of range, then it draws 3 points, marks 1 and joins them with one line', () => {
    const view = chart();
    expect(view.points).toHaveLength(3);
    expect(view.points.filter((p) => p.marked).map((p) => p.value)).toEqual([9.2]);
    expect(view.line.match(/[ML]/g)).toEqual(['M', 'L', 'L']);
  });

  it('when the limits are 5 to 8, then the band runs from the height of 8 down to the height of 5', () => {
    const view = chart();
    const [min, max] = view.limits;
    expect(view.limits.map((l) => [l.kind, l.value])).toEqual([
      ['min', 5],
      ['max', 8],
    ]);
    expect(view.band).toMatchObject({ y: max!.y, min: 5, max: 8 });
    expect(view.band!.y + view.band!.height).toBeCloseTo(min!.y, 5);
    const inside = (cy: number) => cy >= view.band!.y && cy <= view.band!.y + view.band!.height;
    expect(view.points.map((p) => inside(p.cy))).toEqual([true, false, true]);
  });

  it('when only a maximum is set, then the band is open down to the bottom of the plot', () => {
    const view = chart({ band: { min: null, max: 60 }, points: [point(3, 40, null), point(1, 75, null)] });
    expect(view.limits.map((l) => l.kind)).toEqual(['max']);
    expect(view.band!.y + view.band!.height).toBeCloseTo(view.plot.bottom, 5);
  });

  it('when only a minimum is set, then the band is open up to the top of the plot', () => {
    const view = chart({ band: { min: 0, max: null } });
    expect(view.band!.y).toBe(view.plot.top);
  });

  it('when no limit is set, then no band and no limit line is drawn', () => {
    const view = chart({ band: { min: null, max: null } });
    expect(view.band).toBeNull();
    expect(view.limits).toEqual([]);
  });

  it('when readings and limits differ widely, then the value axis covers all of them', () => {
    const view = chart({ points: [point(5, -4), point(4, 61)] });
    const ys = [...view.points.map((p) => p.cy), ...view.limits.map((l) => l.y)];
    for (const y of ys) expect(y >= view.plot.top && y <= view.plot.bottom).toBe(true);
    expect(view.yTicks.length).toBeGreaterThanOrEqual(3);
  });

  it('when the readings come in any order, then the line follows time from left to right', () => {
    const view = chart({ points: [point(2, 6), point(25, 7), point(12, 5.5)] });
    const xs = view.points.map((p) => p.cx);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(view.points.map((p) => p.value)).toEqual([7, 5.5, 6]);
  });

  it('when there is one reading or none, then no line is drawn and the axes still are', () => {
    expect(chart({ points: [point(3, 6)] }).line).toBe('');
    const empty = chart({ points: [] });
    expect(empty.points).toEqual([]);
    expect(empty.xTicks.length).toBeGreaterThan(0);
    expect(empty.yTicks.length).toBeGreaterThan(0);
  });

  it('when a limit has decimals to show, then its label uses the given format', () => {
    const view = chart({ formatValue: (v) => v.toFixed(1) });
    expect(view.limits.map((l) => l.label)).toEqual(['min 5.0', 'max 8.0']);
  });

  // Several readings on one day in a 30-day view stood in one column at the right edge (issue 17 QA).
  const hoursAgo = (h: number) => new Date(to.getTime() - h * 3_600_000);
  const sameDay = [7, 6, 5, 4, 3, 2, 1, 0.5].map((h, i) => ({ ...point(0, 5 + (i % 4)), at: hoursAgo(h) }));
  const extent = (t: { x: number; label: string; anchor: LabelAnchor }) => {
    const w = labelWidth(t.label);
    const left = t.anchor === 'start' ? t.x : t.anchor === 'end' ? t.x - w : t.x - w / 2;
    return { left, right: left + w };
  };

  it('when eight readings fall within hours of one day, then they spread over the plot in time order, spaced by their times', () => {
    const view = chart({ points: sameDay });
    const xs = view.points.map((p) => p.cx);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    const plotWidth = view.plot.right - view.plot.left;
    expect(xs.at(-1)! - xs[0]!).toBeGreaterThan(plotWidth * 0.7);
    // An hour apart is twice as far as half an hour apart: placed by time, not by rank.
    const [, , , , , a, b, c] = xs;
    expect(b! - a!).toBeCloseTo(2 * (c! - b!), 0);
  });

  it('when readings fall within hours of one day, then the axis is labelled in hours, the day on its first label, all inside the view box', () => {
    const view = chart({ points: sameDay });
    expect(view.xTicks.map((t) => t.label)).toEqual(['7 Dec 06:00', '08:00', '10:00', '12:00']);
    for (const t of view.xTicks) {
      expect(extent(t).left, t.label).toBeGreaterThanOrEqual(0);
      expect(extent(t).right, t.label).toBeLessThanOrEqual(view.width);
    }
  });

  it('when a short span crosses midnight, then the midnight label says the new day', () => {
    const view = chart({ points: [13, 11, 10].map((h) => ({ ...point(0, 6), at: hoursAgo(h) })) });
    expect(view.xTicks.map((t) => t.label)).toEqual(['23:00', '7 Dec', '01:00', '02:00']);
  });

  it("when the factory is in Asia/Kolkata and readings fall within hours of one day, then the hours are labelled on the factory's clock", () => {
    // 05:00 to 11:30 UTC is 10:30 to 17:00 in Kolkata (UTC+05:30).
    const view = chart({ points: sameDay, timeZone: 'Asia/Kolkata' });

    expect(view.timeZone).toBe('Asia/Kolkata');
    expect(view.xTicks.map((t) => t.label)).toEqual(['7 Dec 10:00', '12:00', '14:00', '16:00']);
    // Each label stands where its time is: whole hours there are half past in UTC.
    expect(view.xTicks.map((t) => t.at.toISOString().slice(11, 16))).toEqual(['04:30', '06:30', '08:30', '10:30']);
  });

  it("when the factory is in Asia/Kolkata and a short span crosses its midnight, then the new day is labelled at the factory's midnight, not UTC's", () => {
    // 18:00 to 21:00 UTC on 6 Dec: 23:30 on 6 Dec to 02:30 on 7 Dec in Kolkata.
    const view = chart({
      points: [18, 17, 15].map((h) => ({ ...point(0, 6), at: hoursAgo(h) })),
      timeZone: 'Asia/Kolkata',
    });

    expect(view.xTicks.map((t) => t.label)).toEqual(['23:00', '7 Dec', '01:00', '02:00', '03:00']);
    expect(view.xTicks[1]!.at.toISOString()).toBe('2026-12-06T18:30:00.000Z');
  });

  it("when the factory is in Asia/Kolkata and readings span the period, then each day label stands at the factory's midnight", () => {
    const view = chart({ timeZone: 'Asia/Kolkata' });

    expect(view.xTicks.length).toBeGreaterThanOrEqual(3);
    for (const t of view.xTicks) expect(t.at.toISOString(), t.label).toMatch(/T18:30:00\.000Z$/);
    // 18:30 UTC on 7 Nov is midnight of 8 Nov in Kolkata: the label names the factory's day.
    expect(view.xTicks.map((t) => t.label)).toEqual(['8 Nov', '15 Nov', '22 Nov', '29 Nov', '6 Dec']);
  });

  it.each([
    ['readings 20 days apart', [20, 2], 'the period'],
    ['two readings 5 days apart', [8, 3], 'their span'],
    ['one reading', [3], 'their span'],
    ['no reading', [], 'the period'],
  ])('when %s in 30 days, then the time axis is %s', (_, days, shown) => {
    const domain = { from: daysAgo(30), to };
    const axis = timeAxis(domain, days.map(daysAgo));
    expect(axis.from.getTime() === domain.from.getTime() && axis.to.getTime() === to.getTime()).toBe(
      shown === 'the period',
    );
  });

  it('when readings span the period, then the axis is labelled in days, the last label inside the view box', () => {
    const view = chart();
    expect(view.xTicks.every((t) => /^\d+ \w{3}$/.test(t.label))).toBe(true);
    expect(extent(view.xTicks.at(-1)!).right).toBeLessThanOrEqual(view.width);
  });
});
