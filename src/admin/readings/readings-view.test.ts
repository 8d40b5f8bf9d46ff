import { describe, expect, it } from 'vitest';
import { taskReadings, type ReadingRow } from './readings-view.js';

const to = new Date('2026-12-07T12:00:00Z');
const from = new Date(to.getTime() - 30 * 86_400_000);
const daysAgo = (d: number) => new Date(to.getTime() - d * 86_400_000);
const task = { type: 'number', unit: 'bar', min: 5, max: 8, decimals: null };
let nextId = 1;
const reading = (d: number, value: string, over: Partial<ReadingRow> = {}): ReadingRow => ({
  answerId: nextId++,
  submissionId: `s-${d}`,
  taskId: 1,
  templateName: 'Daily press check',
  taskText: 'Hydraulic pressure',
  answeredAt: daysAgo(d),
  operatorName: 'Ravi',
  value,
  unit: 'bar',
  min: 5,
  max: 8,
  status: 'OK',
  remarks: null,
  task,
  ...over,
});

describe('taskReadings', () => {
  it('when a task has 3 readings with one above its limit, then one chart has 3 points, 1 marked, and 3 rows newest first', () => {
    const [t, ...rest] = taskReadings(
      [reading(20, '6.5'), reading(10, '9.2', { status: 'NOT_OK' }), reading(2, '5.5')],
      { from, to },
    );
    expect(rest).toEqual([]);
    expect(t!.title).toBe('Hydraulic pressure (bar)');
    expect(t!.limits).toBe('5 to 8 bar');
    expect(t!.chart.points.map((p) => p.marked)).toEqual([false, true, false]);
    expect(t!.chart.band).toMatchObject({ min: 5, max: 8 });
    expect(t!.outCount).toBe(1);
    expect(t!.lines.map((l) => [l.value, l.side, l.verdict])).toEqual([
      ['5.5 bar', null, ''],
      ['9.2 bar', 'above', 'above the limit of 8 bar'],
      ['6.5 bar', null, ''],
    ]);
    expect(t!.chart.description).toContain('3 readings');
    expect(t!.chart.description).toContain('1 out of range (limits 5 to 8 bar)');
    expect(t!.limitsChanged).toBe(false);
  });

  it('when two tasks have readings, then each gets its own chart', () => {
    const out = taskReadings([reading(3, '6'), reading(2, '40', { taskId: 2, taskText: 'Oil temperature' })], {
      from,
      to,
    });
    expect(out.map((t) => [t.taskId, t.chart.points.length])).toEqual([
      [1, 1],
      [2, 1],
    ]);
  });

  it('when the limits were changed after a reading, then the band shows today’s and the reading keeps its own verdict', () => {
    const [t] = taskReadings([reading(9, '8.5', { min: 5, max: 9 }), reading(1, '8.5', { status: 'NOT_OK' })], {
      from,
      to,
    });
    expect(t!.chart.band).toMatchObject({ min: 5, max: 8 });
    expect(t!.lines.map((l) => [l.limits, l.side])).toEqual([
      ['5 to 8 bar', 'above'],
      ['5 to 9 bar', null],
    ]);
    expect(t!.limitsChanged).toBe(true);
  });

  it('when the task is no longer a number task, then the band is the latest reading’s limits', () => {
    const now = { type: 'check', unit: null, min: null, max: null, decimals: null };
    const [t] = taskReadings([reading(4, '6', { max: 7, task: now })], { from, to });
    expect(t!.chart.band).toMatchObject({ min: 5, max: 7 });
    expect(t!.unit).toBe('bar');
  });

  it('when the task shows 2 decimals, then the readings and limit labels use them', () => {
    const [t] = taskReadings([reading(4, '6.5', { task: { ...task, decimals: 2 } })], { from, to });
    expect(t!.lines[0]!.value).toBe('6.50 bar');
    expect(t!.chart.limits.map((l) => l.label)).toEqual(['min 5.00', 'max 8.00']);
  });

  it('when a reading had no limits, then its row says none and it is never marked', () => {
    const [t] = taskReadings([reading(4, '1000', { min: null, max: null, task: { ...task, min: null, max: null } })], {
      from,
      to,
    });
    expect(t!.lines[0]!.limits).toBe('none');
    expect(t!.chart.points[0]!.marked).toBe(false);
    expect(t!.chart.band).toBeNull();
  });
});
