// Preloaded into the server child only by the bench (`node --import tsx --import ./bench/tx-probe.ts
// src/server.ts`). It wraps pg's Client#query to time, on the connection itself, each transaction that
// locks a conversation session row (BEGIN issued -> COMMIT answered: no pool wait, no retries), split
// into time spent waiting for PostgreSQL and time Node took between statements; and every COMMIT.
// It also watches the event loop's delay. src/ is untouched; the cost is a few performance.now() calls.
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import pg from 'pg';
import type { ProbeReport } from './protocol.js';

interface OpenTx {
  begin: number;
  locksSession: boolean;
  statements: number;
  /** Sum of statement round trips (issued -> answered). */
  dbMs: number;
  lastAnswered: number;
  /** Sum of the gaps between one statement's answer and the next one's issue. */
  nodeMs: number;
}

type Query = (this: object, ...args: unknown[]) => unknown;

const open = new WeakMap<object, OpenTx>();
const fresh = (): ProbeReport => ({
  type: 'bench:probe',
  lockedTx: [],
  lockedDb: [],
  lockedNode: [],
  commits: [],
  statements: [],
  poolWait: [],
  loopDelayP50: 0,
  loopDelayP99: 0,
});
let report = fresh();
const loop = monitorEventLoopDelay({ resolution: 1 });
loop.enable();

const proto = pg.Client.prototype as unknown as { query: Query };
const original = proto.query;

proto.query = function timedQuery(this: object, ...args: unknown[]): unknown {
  const first = args[0];
  const text = typeof first === 'string' ? first : (first as { text?: unknown } | null)?.text;
  const issued = performance.now();
  const result = original.apply(this, args);
  if (typeof text !== 'string' || !(result instanceof Promise)) return result;
  const head = text.trimStart().slice(0, 8).toLowerCase();
  if (head.startsWith('begin'))
    open.set(this, { begin: issued, locksSession: false, statements: 0, dbMs: 0, lastAnswered: issued, nodeMs: 0 });
  const tx = open.get(this);
  if (!tx) return result;
  tx.statements++;
  tx.nodeMs += issued - tx.lastAnswered;
  // A session row lock: the start of a conversation reads sessions but locks only its assignment and its
  // operator (FOR UPDATE OF a FOR KEY SHARE OF o), so a "FOR UPDATE OF" does not count.
  // The apply's lock is a prepared statement (EXECUTE apply_lock, see src/conversation/apply-repository.ts).
  const locks = /\bexecute apply_lock\b/i.test(text);
  if (
    !tx.locksSession &&
    (locks || (/whatsapp_conversation_sessions/.test(text) && /for update(?!\s+of\b)/i.test(text)))
  )
    tx.locksSession = true;
  // The apply sends its last statement and COMMIT as one query (withPipelinedTransaction).
  const ends = head.startsWith('commit') || head.startsWith('rollback') || /;\s*commit\s*$/i.test(text);
  if (ends) open.delete(this);
  result.then(
    () => {
      const now = performance.now();
      tx.dbMs += now - issued;
      tx.lastAnswered = now;
      if (!ends) return;
      report.commits.push(now - issued);
      if (!tx.locksSession) return;
      report.lockedTx.push(now - tx.begin);
      report.lockedDb.push(tx.dbMs);
      report.lockedNode.push(tx.nodeMs);
      report.statements.push(tx.statements);
    },
    () => undefined,
  );
  return result;
};

// Time spent waiting for a free connection (db.transaction and pool.query both go through connect).
const poolProto = pg.Pool.prototype as unknown as { connect: (...args: unknown[]) => unknown };
const originalConnect = poolProto.connect;
poolProto.connect = function timedConnect(this: object, ...args: unknown[]): unknown {
  const asked = performance.now();
  const done = () => report.poolWait.push(performance.now() - asked);
  const cb = args[0];
  if (typeof cb === 'function') {
    return originalConnect.call(this, (...res: unknown[]) => {
      done();
      return (cb as (...a: unknown[]) => unknown)(...res);
    });
  }
  const result = originalConnect.apply(this, args);
  if (result instanceof Promise) result.then(done, () => undefined);
  return result;
};

// bench/run.ts asks over the IPC channel; the answer covers everything since the previous question.
process.on('message', (m: unknown) => {
  if ((m as { type?: unknown } | null)?.type !== 'bench:probe') return;
  process.send?.({ ...report, loopDelayP50: loop.percentile(50) / 1e6, loopDelayP99: loop.percentile(99) / 1e6 });
  report = fresh();
  loop.reset();
});
