// Where the database's time goes during a phase: pg_stat_activity sampled every few milliseconds.
// "active, CPU" is a backend executing; "active, IO:WALSync" one waiting for the WAL flush of a
// COMMIT; "idle in transaction" one holding a transaction open while Node prepares its next statement.
import type pg from 'pg';

const EVERY_MS = 50;

export interface ActivitySampler {
  /** Average number of client backends in each state over the samples, biggest first. */
  stop(): Promise<{ state: string; avg: number }[]>;
}

export function sampleActivity(pool: pg.Pool, database: string): ActivitySampler {
  const totals = new Map<string, number>();
  let samples = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const { rows } = await pool.query<{ state: string; n: number }>(
        `SELECT state || ', ' || COALESCE(wait_event_type || ':' || wait_event, 'CPU') AS state, count(*)::int AS n
         FROM pg_stat_activity
         WHERE datname = $1 AND backend_type = 'client backend' AND pid <> pg_backend_pid() AND state <> 'idle'
         GROUP BY 1`,
        [database],
      );
      samples++;
      for (const r of rows) totals.set(r.state, (totals.get(r.state) ?? 0) + r.n);
      await new Promise((r) => setTimeout(r, EVERY_MS));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return [...totals].map(([state, n]) => ({ state, avg: n / Math.max(1, samples) })).sort((a, b) => b.avg - a.avg);
    },
  };
}
