import { getTableColumns, type InferSelectModel, type Table } from 'drizzle-orm';

/**
 * A row read by hand-written SQL (`SELECT t.*`), mapped the way drizzle's builder maps it: keys by
 * field name, values by each column's own mapping. drizzle runs `execute(sql...)` without its date
 * parsing, so timestamps arrive as PostgreSQL's text; the column turns them into Dates.
 */
export function fromRow<T extends Table>(table: T, raw: Record<string, unknown>): InferSelectModel<T> {
  const row: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = raw[column.name];
    row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return row as InferSelectModel<T>;
}
