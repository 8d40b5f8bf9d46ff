// One measured phase: K fresh operators driven for a fixed time, with everything read around it.
import type pg from 'pg';
import { countOf, histogram, minus, quantileMs, scrapeMetrics, type Buckets } from './metrics-scrape.js';
import { sampleActivity } from './pg-sampler.js';
import { resetStatements, topStatements, type StatementRow } from './pg-statements.js';
import { cpuBetween, cpuSeconds, machineCpuSeconds, memoryOf, postgresPids, type Child } from './processes.js';
import { SECRETS, type FromDriver, type PhaseResult, type ProbeReport } from './protocol.js';
import { createOperators, type Api } from './seed.js';
import { sleep, summarise, type Summary } from './stats.js';

export interface BenchContext {
  api: Api;
  serverUrl: string;
  server: Child;
  driver: Child;
  /** The bench's own connection to the database (readiness checks, pg_stat_activity). */
  pool: pg.Pool;
  dataDir: string;
  templateId: number;
  machineId: number;
  /** BENCH_PG_STATEMENTS=1: pg_stat_statements is loaded; read it around each phase. */
  statements: boolean;
}

export interface PhaseReport {
  result: PhaseResult;
  phones: string[];
  /** From /metrics (bucket-interpolated); null when the server has no /metrics. */
  metrics: { lockedTx: Summary; ack: Summary; duplicates: number } | null;
  probe: {
    lockedTx: Summary;
    db: Summary;
    node: Summary;
    commit: Summary;
    poolWait: Summary;
    statements: number;
    loopDelay: { p50: number; p99: number };
  };
  memory: { rssMiB: number; peakMiB: number };
  /** CPU seconds over the phase; `others` is what the rest of the machine used meanwhile. */
  cpu: {
    server: number;
    driver: number;
    postgres: number;
    bench: number;
    others: number;
    serverSystem: number;
    postgresSystem: number;
  };
  activity: { state: string; avg: number }[];
  statements: StatementRow[] | null;
}

const isProbe = (m: unknown): m is ProbeReport => (m as ProbeReport | null)?.type === 'bench:probe';
const isDriverAnswer = (m: unknown): m is Extract<FromDriver, { type: 'result' | 'error' }> =>
  ['result', 'error'].includes((m as FromDriver | null)?.type ?? '');

export async function readProbe(server: Child): Promise<ProbeReport> {
  const answer = server.message(isProbe, 10_000);
  server.proc.send({ type: 'bench:probe' });
  return answer;
}

/** Waits until every recorded inbound message is applied and every queued reply is sent. */
export async function quiet(pool: pg.Pool, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await pool.query<{ busy: number }>(`
      SELECT ((SELECT count(*) FROM whatsapp_inbox WHERE status = 'pending')
            + (SELECT count(*) FROM whatsapp_outbox WHERE status IN ('pending', 'sending')))::int AS busy`);
    if (rows[0]?.busy === 0) return;
    if (Date.now() > deadline) throw new Error(`Server still busy after ${timeoutMs} ms (${rows[0]?.busy} messages)`);
    await sleep(50);
  }
}

export async function runPhase(
  ctx: BenchContext,
  opts: {
    phase: number;
    k: number;
    checklists: number;
    durationMs: number;
    duplicateRate: number;
    ratePerSecond?: number;
  },
): Promise<PhaseReport> {
  const phones = await createOperators(ctx.api, { ...opts, templateId: ctx.templateId, machineId: ctx.machineId });
  await quiet(ctx.pool);
  const metricsBefore = await scrapeMetrics(ctx.serverUrl, SECRETS.apiToken);
  await readProbe(ctx.server); // starts the probe's count afresh
  const cpu = startCpuMeter(ctx);
  if (ctx.statements) await resetStatements(ctx.pool);
  const activity = sampleActivity(ctx.pool, 'kinto');

  const answer = ctx.driver.message(isDriverAnswer, opts.durationMs + 120_000);
  ctx.driver.proc.send({
    type: 'run',
    phase: `phase-${opts.phase}`,
    webhookUrl: `${ctx.serverUrl}/api/whatsapp/webhook`,
    phones,
    checklists: opts.checklists,
    durationMs: opts.durationMs,
    duplicateRate: opts.duplicateRate,
    ...(opts.ratePerSecond ? { ratePerSecond: opts.ratePerSecond } : {}),
  });
  const reply = await answer;
  if (reply.type === 'error') throw new Error(`The driver failed: ${reply.message}`);

  const cpuUsed = cpu.stop();
  const memory = memoryOf(ctx.server.pid);
  const [states, probe, metricsAfter] = await Promise.all([
    activity.stop(),
    readProbe(ctx.server),
    scrapeMetrics(ctx.serverUrl, SECRETS.apiToken),
  ]);
  const statements = ctx.statements ? await topStatements(ctx.pool) : null;
  return {
    result: reply.result,
    phones,
    metrics: metricsFrom(metricsBefore, metricsAfter),
    probe: {
      lockedTx: summarise(probe.lockedTx),
      db: summarise(probe.lockedDb),
      node: summarise(probe.lockedNode),
      loopDelay: { p50: probe.loopDelayP50, p99: probe.loopDelayP99 },
      commit: summarise(probe.commits),
      poolWait: summarise(probe.poolWait),
      statements: probe.statements.reduce((a, b) => a + b, 0) / Math.max(1, probe.statements.length),
    },
    memory,
    cpu: cpuUsed,
    activity: states,
    statements,
  };
}

type CpuUse = PhaseReport['cpu'];

/** CPU seconds of the server, the driver, PostgreSQL, this process, and everything else, from now to stop(). */
function startCpuMeter(ctx: BenchContext): { stop(): CpuUse } {
  const pids = () => ({ server: [ctx.server.pid], driver: [ctx.driver.pid], postgres: postgresPids(ctx.dataDir) });
  const read = (p: ReturnType<typeof pids>) => ({
    server: cpuSeconds(p.server),
    driver: cpuSeconds(p.driver),
    postgres: cpuSeconds(p.postgres),
    serverSystem: cpuSeconds(p.server, 'system'),
    postgresSystem: cpuSeconds(p.postgres, 'system'),
  });
  const before = read(pids());
  const benchBefore = process.cpuUsage();
  const machineBefore = machineCpuSeconds();
  return {
    stop() {
      const after = read(pids());
      const bench = process.cpuUsage(benchBefore);
      const d = (k: keyof typeof after) => cpuBetween(before[k], after[k]);
      const ours = {
        server: d('server'),
        driver: d('driver'),
        postgres: d('postgres'),
        bench: (bench.user + bench.system) / 1e6,
      };
      const machine = machineCpuSeconds() - machineBefore;
      return {
        ...ours,
        others: Math.max(0, machine - ours.server - ours.driver - ours.postgres - ours.bench),
        serverSystem: d('serverSystem'),
        postgresSystem: d('postgresSystem'),
      };
    },
  };
}

function metricsFrom(before: string | null, after: string | null): PhaseReport['metrics'] {
  const locked = minus(
    histogram(after, 'kinto_locked_tx_duration_seconds'),
    histogram(before, 'kinto_locked_tx_duration_seconds'),
  );
  if (!locked) return null;
  const ack = minus(
    histogram(after, 'kinto_webhook_ack_duration_seconds'),
    histogram(before, 'kinto_webhook_ack_duration_seconds'),
  );
  const fromBuckets = (b: Buckets | null): Summary => ({
    count: countOf(b),
    p50: quantileMs(b, 0.5),
    p99: quantileMs(b, 0.99),
    max: Number.NaN,
  });
  const counter = (text: string | null) =>
    Number(/^kinto_inbound_duplicates_total\s+(\S+)/m.exec(text ?? '')?.[1] ?? NaN);
  return { lockedTx: fromBuckets(locked), ack: fromBuckets(ack), duplicates: counter(after) - counter(before) };
}
