import { describe, expect, it } from 'vitest';
import { cellState, complianceView, countsInWords, lastDays, type ComplianceRow, type Counts } from './compliance.js';

const counts = (c: Partial<Counts>): Counts => ({ onTime: 0, late: 0, missed: 0, notOk: 0, open: 0, ...c });
const row = (machineId: number, day: string, c: Partial<Counts>): ComplianceRow => ({
  machineId,
  machineName: machineId === 1 ? 'Press 1' : `Lathe ${machineId}`,
  day,
  ...counts(c),
});

describe('lastDays', () => {
  it.each([
    ['2026-03-02', 3, ['2026-02-28', '2026-03-01', '2026-03-02']],
    ['2024-03-01', 2, ['2024-02-29', '2024-03-01']],
    ['2026-03-29', 2, ['2026-03-28', '2026-03-29']], // Europe's spring-forward day is still one calendar day
    ['2027-01-01', 2, ['2026-12-31', '2027-01-01']],
  ])('when today is %s and %i days are asked, then they are %j', (today, n, days) => {
    expect(lastDays(today, n)).toEqual(days);
  });
});

describe('cellState (worst first)', () => {
  it.each([
    [{}, 'none'],
    [{ open: 1 }, 'open'],
    [{ onTime: 2, open: 1 }, 'on-time'],
    [{ onTime: 2, late: 1 }, 'late'],
    [{ onTime: 1, late: 1, missed: 1 }, 'missed'],
    [{ onTime: 1, missed: 1, notOk: 1 }, 'not-ok'],
  ])('when a day holds %j, then its cell shows %s', (c, state) => {
    expect(cellState(counts(c))).toBe(state);
  });
});

describe('countsInWords', () => {
  it.each([
    [{}, 'nothing due'],
    [{ onTime: 2 }, '2 on time'],
    [{ onTime: 1, late: 1, missed: 2, open: 1 }, '1 on time, 1 late, 2 missed, 1 not finished yet'],
    [{ late: 1, notOk: 1 }, '1 late (1 with NOT OK)'],
  ])('when the counts are %j, then the words are %j', (c, words) => {
    expect(countsInWords(counts(c))).toBe(words);
  });
});

describe('complianceView', () => {
  const today = '2026-12-07';
  const rows = [
    row(1, '2026-12-07', { onTime: 2, notOk: 1 }),
    row(2, '2026-12-07', { missed: 1, open: 1 }),
    row(1, '2026-12-03', { late: 1 }),
    row(2, '2026-11-30', { onTime: 1 }), // 8 days ago: in the 30 days, not the 7, not the 14-day grid's... yes, it is
    row(3, '2026-11-10', { missed: 4 }), // 27 days ago: chart only, machine 3 has no grid row
    row(3, '2026-11-01', { missed: 9 }), // 36 days ago: outside everything
  ];
  const view = complianceView(rows, today, { chartDays: 30, gridDays: 14 });

  it('when checklists happened today and earlier, then today and the last 7 days count only their own days', () => {
    expect(view.today).toEqual(counts({ onTime: 2, missed: 1, notOk: 1, open: 1 }));
    expect(view.week).toEqual(counts({ onTime: 2, late: 1, missed: 1, notOk: 1, open: 1 }));
    expect(view.month).toMatchObject({ onTime: 3, late: 1, missed: 5, completedRate: 4 / 9 });
  });

  it('when the 30-day chart is laid out, then it has one rect per non-zero series of each day, newest bar last', () => {
    expect(view.days).toHaveLength(30);
    expect(view.days[29]!.day).toBe(today);
    expect(view.chart.rects.map((r) => r.key)).toEqual(['missed', 'on-time', 'late', 'on-time', 'missed']);
    expect(view.chart.rects.at(-1)!.title).toBe('Mon 7 Dec: 2 on time, 1 missed (1 with NOT OK)');
    expect(view.chart.xTicks.map((t) => t.label)).toEqual(['9 Nov', '16 Nov', '23 Nov', '30 Nov', '7 Dec']);
  });

  it('when the grid is laid out, then machines with a checklist in 14 days get a row and each cell its worst result', () => {
    expect(view.grid.columns).toHaveLength(14);
    expect(view.grid.rows.map((r) => r.label)).toEqual(['Lathe 2', 'Press 1']);
    const lathe = view.grid.rows[0]!.cells;
    expect(lathe[13]).toEqual({
      state: 'missed',
      symbol: '✕',
      title: 'Lathe 2, Mon 7 Dec: 1 missed, 1 not finished yet',
    });
    expect(lathe[6]!.state).toBe('on-time'); // 30 Nov
    const press = view.grid.rows[1]!.cells;
    expect(press[13]!.state).toBe('not-ok');
    expect(press[9]!.state).toBe('late'); // 3 Dec
    expect(view.grid.legend.map((s) => [s.key, s.cells])).toEqual([
      ['not-ok', 1],
      ['missed', 1],
      ['late', 1],
      ['on-time', 1],
      ['open', 0],
      ['none', 24],
    ]);
  });

  it('when nothing happened, then the rate is unknown, nothing is drawn and the grid has no rows', () => {
    const empty = complianceView([], today, { chartDays: 30, gridDays: 14 });
    expect(empty.month.completedRate).toBeNull();
    expect(empty.chart.rects).toEqual([]);
    expect(empty.grid.rows).toEqual([]);
  });
});
