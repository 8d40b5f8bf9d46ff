import { describe, expect, it } from 'vitest';
import { dayTicks, linearScale, niceDomain, niceStep, niceTicks } from './scales.js';

describe('linearScale', () => {
  it.each([
    { domain: [0, 10], range: [100, 0], v: 0, want: 100 },
    { domain: [0, 10], range: [100, 0], v: 10, want: 0 },
    { domain: [0, 10], range: [100, 0], v: 2.5, want: 75 },
    { domain: [5, 5], range: [0, 40], v: 5, want: 20 },
  ] as const)('when the domain is $domain and the value $v, then it maps to $want', ({ domain, range, v, want }) => {
    expect(linearScale(domain, range)(v)).toBe(want);
  });
});

describe('nice numbers', () => {
  it.each([
    { lo: 0, hi: 10, step: 2, domain: [0, 10] },
    { lo: 4.2, hi: 9.2, step: 1, domain: [4, 10] },
    { lo: 0.1, hi: 0.4, step: 0.1, domain: [0.1, 0.4] },
    { lo: -4, hi: 61, step: 20, domain: [-20, 80] },
  ])(
    'when the values run from $lo to $hi, then the step is $step and the domain $domain',
    ({ lo, hi, step, domain }) => {
      expect(niceStep(lo, hi)).toBe(step);
      expect(niceDomain(lo, hi)).toEqual(domain);
    },
  );

  it('when ticks are asked for a nice domain, then they are round numbers from its start to its end', () => {
    expect(niceTicks(4, 10)).toEqual([4, 6, 8, 10]);
    expect(niceTicks(0.1, 0.4)).toEqual([0.1, 0.2, 0.3, 0.4]);
    expect(niceTicks(-20, 80)).toEqual([-20, 0, 20, 40, 60, 80]);
  });

  it('when every value is the same, then the domain still has a height', () => {
    expect(niceDomain(6.5, 6.5)).toEqual([5.5, 7.5]);
  });
});

describe('dayTicks', () => {
  const to = new Date('2026-12-07T10:00:00Z');
  it.each([
    { days: 30, every: 7 },
    { days: 90, every: 14 },
    { days: 5, every: 1 },
  ])('when the axis covers $days days, then a label falls every $every days at midnight', ({ days, every }) => {
    const from = new Date(to.getTime() - days * 86_400_000);
    const ticks = dayTicks(from, to);
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect(ticks.length).toBeLessThanOrEqual(7);
    for (const t of ticks) expect(t.toISOString()).toMatch(/T00:00:00\.000Z$/);
    expect((ticks[1]!.getTime() - ticks[0]!.getTime()) / 86_400_000).toBe(every);
    expect(ticks[0]!.getTime()).toBeGreaterThanOrEqual(from.getTime());
    expect(ticks.at(-1)!.getTime()).toBeLessThanOrEqual(to.getTime());
  });
});
