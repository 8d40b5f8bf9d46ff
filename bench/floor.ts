// The floor: the bare locking transaction the inbox worker wraps around each message (BEGIN; SELECT ...
// FOR UPDATE; UPDATE; COMMIT), issued straight through pg on the same database, with K workers each on
// its own session row, through a pool as large as the server's. Nothing we build can be faster.
import { performance } from 'node:perf_hooks';
import { createPool } from '../src/lib/db/client.js';
import { cpuBetween, cpuSeconds, postgresPids } from './processes.js';
import { summarise, type Summary } from './stats.js';

/** connectDatabase's pool size in src/lib/db/connect.ts. */
export const SERVER_POOL_SIZE = 20;

export interface FloorResult {
  workers: number;
  connections: number;
  txPerSec: number;
  /** BEGIN issued -> COMMIT answered, in milliseconds (no pool wait), like the probe's figure. */
  tx: Summary;
  /** CPU milliseconds per transaction: this process (the pg client) plus PostgreSQL. */
  cpuMsPerTx: number;
}

export async function runFloor(
  url: string,
  sessionIds: string[],
  workers: number,
  durationMs: number,
  dataDir: string,
): Promise<FloorResult> {
  if (sessionIds.length === 0) throw new Error('The floor needs session rows to lock');
  const connections = Math.min(workers, SERVER_POOL_SIZE);
  const pool = createPool(url, connections);
  const durations: number[] = [];
  try {
    const pgBefore = cpuSeconds(postgresPids(dataDir));
    const ownBefore = process.cpuUsage();
    const start = performance.now();
    const deadline = start + durationMs;
    const worker = async (id: string) => {
      while (performance.now() < deadline) {
        const client = await pool.connect();
        try {
          const t0 = performance.now();
          await client.query('BEGIN');
          await client.query('SELECT * FROM whatsapp_conversation_sessions WHERE id = $1 FOR UPDATE', [id]);
          await client.query(
            'UPDATE whatsapp_conversation_sessions SET current_task_index = current_task_index, last_message_at = now() WHERE id = $1',
            [id],
          );
          await client.query('COMMIT');
          durations.push(performance.now() - t0);
        } finally {
          client.release();
        }
      }
    };
    await Promise.all(Array.from({ length: workers }, (_, i) => worker(sessionIds[i % sessionIds.length]!)));
    const elapsedS = (performance.now() - start) / 1000;
    const own = process.cpuUsage(ownBefore);
    const cpuS = cpuBetween(pgBefore, cpuSeconds(postgresPids(dataDir))) + (own.user + own.system) / 1e6;
    return {
      workers,
      connections,
      txPerSec: durations.length / elapsedS,
      tx: summarise(durations),
      cpuMsPerTx: (cpuS * 1000) / durations.length,
    };
  } finally {
    await pool.end();
  }
}
