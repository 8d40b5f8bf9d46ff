import { describe, expect, it } from 'vitest';
import { resultGrid } from './result-grid.js';

const states = [
  { key: 'bad', label: 'Bad', symbol: '!' },
  { key: 'good', label: 'Good', symbol: '✓' },
  { key: 'none', label: 'Nothing', symbol: '' },
];
const columns = [
  { key: 'd1', label: '1', long: 'Mon 1 Dec' },
  { key: 'd2', label: '2', long: 'Tue 2 Dec' },
];

describe('resultGrid', () => {
  it('when rows and columns are given, then each cell has its state, symbol and a title naming its row and column', () => {
    const view = resultGrid({
      title: 'Grid',
      columns,
      rows: [{ name: 'Press', d1: 'good', d2: 'bad' }],
      rowLabel: (r) => r.name,
      cell: (r, key) => ({ state: r[key as 'd1' | 'd2'], words: `was ${r[key as 'd1' | 'd2']}` }),
      states,
    });

    expect(view.rows).toEqual([
      {
        label: 'Press',
        cells: [
          { state: 'good', symbol: '✓', title: 'Press, Mon 1 Dec: was good' },
          { state: 'bad', symbol: '!', title: 'Press, Tue 2 Dec: was bad' },
        ],
      },
    ]);
    expect(view.legend.map((s) => [s.key, s.cells])).toEqual([
      ['bad', 1],
      ['good', 1],
      ['none', 0],
    ]);
  });

  it('when a cell names a state the legend does not have, then it throws instead of drawing an unexplained colour', () => {
    expect(() =>
      resultGrid({
        title: 'G',
        columns,
        rows: [1],
        rowLabel: String,
        cell: () => ({ state: 'odd', words: '' }),
        states,
      }),
    ).toThrow(/no state 'odd'/);
  });
});
