import { describe, expect, it } from 'vitest';
import { BAR_FONT_SIZE_MAX, countTicks, barChart } from './bar-chart.js';
import { labelWidth, type LabelAnchor } from './scales.js';

const series = [
  { key: 'a', label: 'A' },
  { key: 'b', label: 'B' },
];

describe('countTicks', () => {
  it.each([
    [0, [0, 1]],
    [1, [0, 1]],
    [5, [0, 1, 2, 3, 4, 5]],
    [7, [0, 2, 4, 6, 8]],
    [10, [0, 2, 4, 6, 8, 10]],
    [23, [0, 5, 10, 15, 20, 25]],
    [300, [0, 100, 200, 300]],
  ])('when the highest count is %i, then the ticks are whole numbers %j', (max, ticks) => {
    expect(countTicks(max)).toEqual(ticks);
  });
});

describe('barChart', () => {
  const view = barChart({
    title: 'T',
    description: 'D',
    series,
    size: { width: 136, height: 140 },
    bars: [
      { title: 'day 1', tick: '1', values: { a: 2, b: 2 } },
      { title: 'day 2', tick: null, values: { a: 0, b: 1 } },
      { title: 'day 3', tick: '3', values: {} },
      { title: 'day 4', tick: null, values: { a: 1 } },
    ],
  });

  it('when some segments are zero, then only the non-zero ones are drawn, each with its bar title', () => {
    expect(view.rects.map((r) => [r.key, r.title])).toEqual([
      ['a', 'day 1'],
      ['b', 'day 1'],
      ['b', 'day 2'],
      ['a', 'day 4'],
    ]);
  });

  it('when a bar is stacked, then its segments touch, bottom first, and their heights follow the values', () => {
    const [a, b] = view.rects;
    expect(a!.y + a!.height).toBe(view.plot.bottom);
    expect(b!.y + b!.height).toBeCloseTo(a!.y, 5);
    expect(a!.height).toBeCloseTo(b!.height, 5);
    // The tallest bar (4) reaches the top tick (4), the plot's top.
    expect(b!.y).toBeCloseTo(view.plot.top, 5);
  });

  it('when bars are labelled sparsely, then only the labelled ones get an axis label, under their bar', () => {
    expect(view.xTicks.map((t) => t.label)).toEqual(['1', '3']);
    expect(view.xTicks[0]!.x).toBeCloseTo(view.rects[0]!.x + view.rects[0]!.width / 2, 0);
    expect(view.yTicks.map((t) => t.label)).toEqual(['0', '1', '2', '3', '4']);
  });

  it('when nothing is due on any day, then no bar is drawn and the axis still reads 0 to 1', () => {
    const empty = barChart({ title: 'T', description: 'D', series, bars: [{ title: 'x', tick: 'x', values: {} }] });
    expect(empty.rects).toEqual([]);
    expect(empty.yTicks.map((t) => t.label)).toEqual(['0', '1']);
  });

  // The dashboard's 30-day chart: 480 wide, today's bar last and labelled (a phone showed "7 De").
  const month = (last: string) =>
    barChart({
      title: 'T',
      description: 'D',
      series,
      bars: Array.from({ length: 30 }, (_, i) => ({
        title: `day ${i}`,
        tick: (29 - i) % 7 === 0 ? (i === 29 ? last : '9 Nov') : null,
        values: { a: 1 },
      })),
    });
  /** Where a label's text lies, from its x and anchor, at the largest font size (a phone's). */
  const extent = (t: { x: number; label: string; anchor: LabelAnchor }) => {
    const w = labelWidth(t.label, BAR_FONT_SIZE_MAX);
    const left = t.anchor === 'start' ? t.x : t.anchor === 'end' ? t.x - w : t.x - w / 2;
    return { left, right: left + w };
  };
  it.each(['7 Dec', '30 Nov', '1 Jan', '28 Sept'])(
    'when the last bar is labelled %s, then all of its label lies inside the view box, ending at that bar; the others are centred under theirs',
    (last) => {
      const view = month(last);
      const lastTick = view.xTicks.at(-1)!;
      const lastBar = view.rects.at(-1)!;
      expect(lastTick).toMatchObject({ label: last, anchor: 'end', x: lastBar.x + lastBar.width });
      expect(extent(lastTick).right).toBeLessThanOrEqual(view.width);
      expect(extent(lastTick).left).toBeGreaterThanOrEqual(0);
      const centres = view.rects.map((r) => r.x + r.width / 2);
      // Each label clear of the next: a week of bars apart, none runs into another.
      for (const [i, t] of view.xTicks.slice(1).entries())
        expect(extent(view.xTicks[i]!).right).toBeLessThan(extent(t).left);
      for (const t of view.xTicks.slice(0, -1)) {
        expect(t.anchor).toBe('middle');
        expect(centres.some((c) => Math.abs(c - t.x) < 0.2)).toBe(true);
      }
    },
  );
});
