// A grid of coloured cells (rows x columns, e.g. machines x days) for views/partials/result-grid.ejs. It is an HTML
// table, not an SVG: a screen reader walks it by row and column headers, each cell's words are both its hover
// title and its hidden text, and a narrow phone can scroll it inside its box. Pure: a unit test counts the cells.

/** One result a cell can show, worst first in `states`; `symbol` keeps it readable without colour. */
export interface GridState {
  key: string;
  label: string;
  symbol: string;
}

export interface GridInput<Row> {
  /** The table's caption, in words. */
  title: string;
  columns: { key: string; label: string; long: string }[];
  rows: Row[];
  rowLabel: (row: Row) => string;
  /** The state of one cell (a key of `states`) and the words a hover and a screen reader read for it. */
  cell: (row: Row, columnKey: string) => { state: string; words: string };
  states: GridState[];
}

export interface GridCell {
  state: string;
  symbol: string;
  title: string;
}

export interface ResultGridView {
  title: string;
  columns: { key: string; label: string; long: string }[];
  rows: { label: string; cells: GridCell[] }[];
  /** The states in the legend's order, each with how many cells show it. */
  legend: (GridState & { cells: number })[];
}

export function resultGrid<Row>(input: GridInput<Row>): ResultGridView {
  const byKey = new Map(input.states.map((s) => [s.key, s]));
  const counts = new Map(input.states.map((s) => [s.key, 0]));
  const rows = input.rows.map((row) => {
    const label = input.rowLabel(row);
    const cells = input.columns.map((col) => {
      const { state, words } = input.cell(row, col.key);
      const known = byKey.get(state);
      if (!known) throw new Error(`resultGrid: no state '${state}' in the legend`);
      counts.set(state, (counts.get(state) ?? 0) + 1);
      return { state, symbol: known.symbol, title: `${label}, ${col.long}: ${words}` };
    });
    return { label, cells };
  });
  return {
    title: input.title,
    columns: input.columns,
    rows,
    legend: input.states.map((s) => ({ ...s, cells: counts.get(s.key) ?? 0 })),
  };
}
