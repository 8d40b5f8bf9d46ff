// `npm run bench`: the real server (a child process) on a fresh embedded PostgreSQL with production
// durability, driven by bench/driver.ts (another child, which also plays the Graph API) at K = 1, 50
// and 200 operators, each phase followed by the floor (bench/floor.ts). See docs/performance.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  describeMachine,
  lastResortCleanup,
  startDatabase,
  startServer,
  type Database,
  type RunningServer,
} from './environment.js';
import { runFloor } from './floor.js';
import { quiet, runPhase, type BenchContext } from './phase.js';
import { forkTs, machineCpuSeconds, type Child } from './processes.js';
import { SECRETS, type FromDriver } from './protocol.js';
import { render, type KRow } from './report.js';
import { createTemplateAndMachine, restApi } from './seed.js';
import { tableWrites } from './pg-statements.js';
import { sleep } from './stats.js';
import { BURST_PACE, burstLine, runBurst } from './burst.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PHASE_MS = 10_000;
const FLOOR_MS = 5_000;
const DUPLICATE_RATE = 0.1;
/** Checklists per operator: enough that nobody runs out before PHASE_MS (else "ran out" is reported). */
const PHASES = [
  { k: 1, checklists: 260 },
  { k: 50, checklists: 20 },
  { k: 200, checklists: 6 },
];
const SETTLE_PHASE = { k: 50, checklists: 2, durationMs: 8_000 };
/** K=50 at Meta's default ceiling for one business number (80 messages a second), operators pausing between taps. */
const PACED_PHASE = { k: 50, checklists: 5, ratePerSecond: 80 };
/** createInboxWorker's default parallelPhones (src/whatsapp/inbox-worker.ts). */
const INBOX_PARALLEL_PHONES = 3;
/** BENCH_CPU_PROF=<folder>: CPU profiles of the server (Node's --cpu-prof), one per server start. */
const cpuProfDir = process.env.BENCH_CPU_PROF;
/** BENCH_PG_STATEMENTS=1: per-statement PostgreSQL time for each phase (bench/pg-statements.ts). */
const pgStatements = process.env.BENCH_PG_STATEMENTS === '1';
/** BENCH_PHASES=burst: only the shift-start phase (300 starts at once); unset: every phase. */
const onlyBurst = process.env.BENCH_PHASES === 'burst';

const isGraph = (m: unknown): m is Extract<FromDriver, { type: 'graph' }> => (m as FromDriver | null)?.type === 'graph';

/** Drives every phase and the floors; `use` hands each child to the cleanup as soon as it exists. */
async function bench(
  tmp: string,
  use: { db(d: Database): void; driver(c: Child): void; server(c: Child | null): void },
) {
  const started = Date.now();
  const idleBefore = machineCpuSeconds();
  await sleep(1000);
  const backgroundCores = machineCpuSeconds() - idleBefore;

  console.error('Starting embedded PostgreSQL, the driver and the server ...');
  const db = await startDatabase(tmp, pgStatements);
  use.db(db);
  const driver = forkTs(path.join(ROOT, 'bench/driver.ts'), { cwd: ROOT, name: 'driver', env: process.env });
  use.driver(driver);
  const { baseUrl: graphUrl } = await driver.message(isGraph, 30_000);
  const serverOpts = {
    databaseUrl: db.embedded.url,
    graphUrl,
    photosDir: path.join(tmp, 'photos'),
    settleMs: 0,
    cpuProfDir,
  };
  if (onlyBurst) {
    const paced = await startServer(ROOT, { ...serverOpts, maxPerSecond: BURST_PACE });
    use.server(paced.server);
    const burstApi = restApi(paced.url, SECRETS.apiToken);
    return burstLine(await runBurst(burstApi, driver, db.pool, await createTemplateAndMachine(burstApi)));
  }
  let running: RunningServer = await startServer(ROOT, serverOpts);
  use.server(running.server);
  const api = restApi(running.url, SECRETS.apiToken);
  const ctx: BenchContext = {
    api,
    serverUrl: running.url,
    server: running.server,
    driver,
    pool: db.pool,
    dataDir: db.dataDir,
    statements: pgStatements,
    ...(await createTemplateAndMachine(api)),
  };

  console.error('Warm-up (K=20, 3 s, not reported) ...');
  await runPhase(ctx, { phase: 0, k: 20, checklists: 2, durationMs: 3_000, duplicateRate: DUPLICATE_RATE });
  await quiet(db.pool);

  const rows: KRow[] = [];
  let sessionIds: string[] = [];
  for (const [i, p] of PHASES.entries()) {
    console.error(
      `K=${p.k}: ${p.k} operators x ${p.checklists} checklists, driven for ${PHASE_MS / 1000} s, then the floor ...`,
    );
    const report = await runPhase(ctx, { phase: i + 1, ...p, durationMs: PHASE_MS, duplicateRate: DUPLICATE_RATE });
    await quiet(db.pool);
    // The floor locks the rows this phase's operators answered into: same table, same indexes.
    const { rows: sessions } = await db.pool.query<{ id: string }>(
      `SELECT DISTINCT ON (phone_number) id FROM whatsapp_conversation_sessions WHERE phone_number = ANY($1) ORDER BY phone_number, created_at DESC`,
      [report.phones],
    );
    sessionIds = sessions.map((s) => s.id);
    const floor = await runFloor(db.embedded.url, sessionIds, p.k, FLOOR_MS, db.dataDir);
    rows.push({ report, floor });
  }
  // The inbox worker applies at most INBOX_PARALLEL_PHONES messages at once: the floor at that concurrency.
  const workerFloor = await runFloor(db.embedded.url, sessionIds, INBOX_PARALLEL_PHONES, FLOOR_MS, db.dataDir);

  console.error(`K=${PACED_PHASE.k} paced to ${PACED_PHASE.ratePerSecond} msg/s, driven for ${PHASE_MS / 1000} s ...`);
  const paced = await runPhase(ctx, {
    phase: PHASES.length + 1,
    ...PACED_PHASE,
    durationMs: PHASE_MS,
    duplicateRate: DUPLICATE_RATE,
  });
  await quiet(db.pool);

  console.error('INBOX_SETTLE_MS=1000: restarting the server with the default reordering wait ...');
  await running.server.stop('shutdown');
  use.server(null);
  running = await startServer(ROOT, { ...serverOpts, settleMs: 1000 });
  use.server(running.server);
  const settled = await runPhase(
    { ...ctx, server: running.server, serverUrl: running.url, api: restApi(running.url, SECRETS.apiToken) },
    { phase: PHASES.length + 2, ...SETTLE_PHASE, duplicateRate: DUPLICATE_RATE },
  );

  await running.server.stop('shutdown');
  use.server(null);
  console.error(`300 starts at once at WHATSAPP_MAX_MESSAGES_PER_SECOND=${BURST_PACE} ...`);
  running = await startServer(ROOT, { ...serverOpts, maxPerSecond: BURST_PACE });
  use.server(running.server);
  const burst = await runBurst(restApi(running.url, SECRETS.apiToken), driver, db.pool, {
    templateId: ctx.templateId,
    machineId: ctx.machineId,
  });

  await running.server.stop('shutdown'); // its backends report their last counts as they exit
  use.server(null);
  const writes = pgStatements ? await tableWrites(db.pool) : null;
  const machine = await describeMachine(db.pool);
  const seconds = (Date.now() - started) / 1000;
  return `${render({
    machine,
    backgroundCores,
    seconds,
    phaseMs: PHASE_MS,
    floorMs: FLOOR_MS,
    duplicateRate: DUPLICATE_RATE,
    rows,
    workerFloor,
    paced,
    settled,
    writes,
  })}\n\n${burstLine(burst)}`;
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kinto-bench-'));
  fs.chmodSync(tmp, 0o755); // as root, the embedded PostgreSQL runs as the postgres user
  lastResortCleanup(tmp);
  let db: Database | null = null;
  let driver: Child | null = null;
  let server: Child | null = null;
  let cleaning: Promise<void> | null = null;
  const cleanup = () =>
    (cleaning ??= (async () => {
      await server?.stop('shutdown');
      await driver?.stop({ type: 'stop' });
      await db?.pool.end().catch(() => undefined);
      await db?.embedded.stop().catch(() => undefined);
      fs.rmSync(tmp, { recursive: true, force: true });
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void cleanup().finally(() => process.exit(130)));
  }
  try {
    const report = await bench(tmp, { db: (d) => (db = d), driver: (c) => (driver = c), server: (c) => (server = c) });
    console.log(report);
  } finally {
    await cleanup();
  }
}

main().catch((err: unknown) => {
  console.error('Bench failed:', err instanceof Error ? (err.stack ?? err.message) : err);
  process.exitCode = 1;
});
