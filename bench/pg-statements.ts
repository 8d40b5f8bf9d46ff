// BENCH_PG_STATEMENTS=1: what PostgreSQL itself spends per statement during each phase, from the
// pg_stat_statements extension (shipped with the embedded build, but it must be preloaded, so the
// database restarts once with it). Off by default: planning statistics cost a little.
import type pg from 'pg';

export interface StatementRow {
  query: string;
  calls: number;
  execMs: number;
  planMs: number;
  walBytes: number;
}

/** Preloads the extension; the caller restarts PostgreSQL, then calls `createStatementsExtension`. */
export async function preloadStatements(pool: pg.Pool): Promise<void> {
  await pool.query(`ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'`);
  await pool.query(`ALTER SYSTEM SET pg_stat_statements.track_planning = on`);
}

export async function createStatementsExtension(pool: pg.Pool): Promise<void> {
  await pool.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
}

export async function resetStatements(pool: pg.Pool): Promise<void> {
  await pool.query('SELECT pg_stat_statements_reset()');
}

/** The statements that took the most server time (execution + planning) since the last reset. */
export async function topStatements(pool: pg.Pool, limit = 12): Promise<StatementRow[]> {
  const { rows } = await pool.query<{ query: string; calls: string; exec: number; plan: number; wal: string }>(
    `SELECT query, calls, total_exec_time AS exec, total_plan_time AS plan, wal_bytes AS wal
     FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
     WHERE d.datname = current_database() AND query NOT ILIKE '%pg_stat%'
     ORDER BY total_exec_time + total_plan_time DESC LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({
    query: r.query.replace(/\s+/g, ' ').slice(0, 110),
    calls: Number(r.calls),
    execMs: r.exec,
    planMs: r.plan,
    walBytes: Number(r.wal),
  }));
}

export function statementsTable(k: number, messages: number, rows: StatementRow[]): string {
  const lines = [
    `K=${k}: top statements by PostgreSQL time (${messages} inbound messages)`,
    '| calls / message | exec ms (mean) | plan ms (mean) | total ms | WAL bytes / call | statement |',
    '|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const total = r.execMs + r.planMs;
    lines.push(
      `| ${(r.calls / Math.max(1, messages)).toFixed(2)} | ${(r.execMs / r.calls).toFixed(3)} | ${(r.planMs / r.calls).toFixed(3)} | ${total.toFixed(0)} | ${(r.walBytes / r.calls).toFixed(0)} | \`${r.query.replaceAll('|', '\\|')}\` |`,
    );
  }
  return lines.join('\n');
}

export interface TableWrites {
  table: string;
  inserts: number;
  updates: number;
  /** Updates that stayed on their page without touching an index (heap-only tuples). */
  hotUpdates: number;
}

/** Row writes per table since the database started (pg_stat_user_tables; backends report about once a second). */
export async function tableWrites(pool: pg.Pool): Promise<TableWrites[]> {
  const { rows } = await pool.query<{ table: string; inserts: string; updates: string; hot: string }>(
    `SELECT relname AS table, n_tup_ins AS inserts, n_tup_upd AS updates, n_tup_hot_upd AS hot
     FROM pg_stat_user_tables WHERE n_tup_upd + n_tup_ins > 0 ORDER BY n_tup_upd DESC`,
  );
  return rows.map((r) => ({
    table: r.table,
    inserts: Number(r.inserts),
    updates: Number(r.updates),
    hotUpdates: Number(r.hot),
  }));
}

export function writesTable(rows: TableWrites[]): string {
  const lines = [
    'Row writes over the whole run (pg_stat_user_tables): an update that is not HOT also writes every index of its table',
    '| table | inserts | updates | HOT share of updates |',
    '|---|---|---|---|',
  ];
  for (const r of rows) {
    const hot = r.updates === 0 ? '-' : `${((100 * r.hotUpdates) / r.updates).toFixed(0)}%`;
    lines.push(`| ${r.table} | ${r.inserts} | ${r.updates} | ${hot} |`);
  }
  return lines.join('\n');
}
