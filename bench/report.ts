// The printed result: markdown tables (readable in a terminal, pasted as-is into docs/performance.md).
import type { FloorResult } from './floor.js';
import type { PhaseReport } from './phase.js';
import { statementsTable, writesTable, type TableWrites } from './pg-statements.js';
import { ms, pair, type Summary } from './stats.js';

export interface KRow {
  report: PhaseReport;
  floor: FloorResult;
}

const rate = (n: number, elapsedMs: number) => n / (elapsedMs / 1000);
const mib = (v: number) => v.toFixed(0);
const table = (head: string[], rows: string[][]) =>
  [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join(
    '\n',
  );

/** The locked-transaction figure the targets are judged on: /metrics when the server has it, else the probe. */
export const lockedOf = (r: PhaseReport): { s: Summary; source: string } =>
  r.metrics ? { s: r.metrics.lockedTx, source: '/metrics' } : { s: r.probe.lockedTx, source: 'probe' };

export function throughputTable(rows: KRow[]): string {
  return table(
    [
      'K',
      'inbound msg/s',
      'webhook POST/s',
      'ack p50 / p99 ms',
      'answer → next question p50 / p99 ms',
      'CONFIRM → next checklist p50 / p99 ms',
      'server RSS end / peak MiB',
    ],
    rows.map(({ report: { result: r, memory } }) => [
      String(r.k),
      rate(r.messages, r.elapsedMs).toFixed(0),
      `${rate(r.posts, r.elapsedMs).toFixed(0)} (${r.duplicates} dup)`,
      pair(r.ack),
      pair(r.reply),
      pair(r.nextChecklist),
      `${mib(memory.rssMiB)} / ${mib(memory.peakMiB)}`,
    ]),
  );
}

export function lockedTable(rows: KRow[]): string {
  return table(
    [
      'K',
      'locked tx p50 / p99 ms (/metrics)',
      'locked tx p50 / p99 ms (probe)',
      'statements / tx',
      'COMMIT p50 / p99 ms',
      'floor tx/s (conns)',
      'floor tx p50 / p99 ms',
      'ours / floor',
      'CPU ms per message (server + pg) / per floor tx (client + pg)',
    ],
    rows.map(({ report: r, floor }) => {
      const perMessage = (cpuS: number) => ((cpuS * 1000) / r.result.messages).toFixed(2);
      return [
        String(r.result.k),
        r.metrics ? pair(r.metrics.lockedTx) : 'n/a (no /metrics)',
        pair(r.probe.lockedTx),
        r.probe.statements.toFixed(1),
        pair(r.probe.commit),
        `${floor.txPerSec.toFixed(0)} (${floor.connections})`,
        pair(floor.tx),
        (rate(r.result.messages, r.result.elapsedMs) / floor.txPerSec).toFixed(2),
        `${perMessage(r.cpu.server)} + ${perMessage(r.cpu.postgres)} / ${floor.cpuMsPerTx.toFixed(2)}`,
      ];
    }),
  );
}

export function whereTable(rows: KRow[]): string {
  return table(
    [
      'K',
      'CPU server / driver / postgres / other processes (cores)',
      'kernel share of server / postgres CPU',
      'server event-loop delay p50 / p99 ms',
      'locked tx: in PostgreSQL / in Node p50 / p99 ms',
      'pool wait p50 / p99 ms',
      'server ack p50 / p99 ms (/metrics)',
      'busy backends, average (state, wait)',
    ],
    rows.map(({ report: r }) => {
      const s = r.result.elapsedMs / 1000;
      const cores = [r.cpu.server, r.cpu.driver, r.cpu.postgres, r.cpu.others]
        .map((c) => (c / s).toFixed(2))
        .join(' / ');
      const busy =
        r.activity
          .slice(0, 4)
          .map((a) => `${a.state} ${a.avg.toFixed(2)}`)
          .join('; ') || '-';
      const split = `${pair(r.probe.db)} / ${pair(r.probe.node)}`;
      const kernel = `${((100 * r.cpu.serverSystem) / r.cpu.server).toFixed(0)}% / ${((100 * r.cpu.postgresSystem) / r.cpu.postgres).toFixed(0)}%`;
      return [
        String(r.result.k),
        cores,
        kernel,
        pair(r.probe.loopDelay),
        split,
        pair(r.probe.poolWait),
        r.metrics ? pair(r.metrics.ack) : 'n/a',
        busy,
      ];
    }),
  );
}

/** The paced phase: the locked transaction at the rate Meta allows one number, on a machine not saturated. */
export function pacedLine(r: PhaseReport): string {
  const x = r.result;
  const tx = lockedOf(r);
  const cores = (seconds: number) => (seconds / (x.elapsedMs / 1000)).toFixed(2);
  return (
    `Paced, K=${x.k} at Meta's 80 msg/s (operators pause between taps): ${rate(x.messages, x.elapsedMs).toFixed(0)} ` +
    `inbound msg/s, ack p50 / p99 ${pair(x.ack)} ms, locked tx p50 / p99 ${pair(tx.s)} ms (${tx.source}), ` +
    `CPU server / postgres ${cores(r.cpu.server)} / ${cores(r.cpu.postgres)} cores`
  );
}

export function settleLine(r: PhaseReport): string {
  const x = r.result;
  return (
    `INBOX_SETTLE_MS=1000 (the default), K=${x.k}: ${rate(x.messages, x.elapsedMs).toFixed(0)} inbound msg/s, ` +
    `ack p50 / p99 ${pair(x.ack)} ms, answer → next question p50 / p99 ${pair(x.reply)} ms`
  );
}

export function checks(rows: KRow[]): string[] {
  const verdict = (ok: boolean) => (ok ? 'MET   ' : 'MISSED');
  const lines = rows.map(({ report: r, floor }) => {
    const ratio = rate(r.result.messages, r.result.elapsedMs) / floor.txPerSec;
    // When both sides are CPU-bound (as on a busy machine), throughputs stand in the inverse ratio of CPU costs.
    const cpuRatio = floor.cpuMsPerTx / (((r.cpu.server + r.cpu.postgres) * 1000) / r.result.messages);
    return `       K=${r.result.k}: throughput ${ratio.toFixed(2)} of the floor (CPU cost ratio floor/ours ${cpuRatio.toFixed(2)})`;
  });
  const k200 = rows.find((x) => x.report.result.k === 200);
  if (k200)
    lines.push(
      `${verdict(k200.report.result.ack.p99 < 50)} K=200: ack p99 ${ms(k200.report.result.ack.p99)} ms (target < 50)`,
    );
  for (const { report: r } of rows) {
    const { s, source } = lockedOf(r);
    const target = r.result.k === 50 ? `; target p50 < 3` : '';
    const line = `K=${r.result.k}: locked tx p50 / p99 ${ms(s.p50)} / ${ms(s.p99)} ms (${source}${target})`;
    lines.push(r.result.k === 50 ? `${verdict(s.p50 < 3)} ${line}` : `       ${line}`);
  }
  return lines;
}

/** Anything that makes the figures suspect: failed deliveries, lost replies, operators that ran out of work. */
export function anomalies(reports: PhaseReport[]): string[] {
  const out: string[] = [];
  for (const r of reports) {
    const x = r.result;
    const bad = [
      x.non200 && `${x.non200} non-200 acks`,
      x.timeouts && `${x.timeouts} replies never came`,
      x.unexpected && `${x.unexpected} unexpected messages`,
      x.ranOut && `${x.ranOut} operators ran out of checklists`,
      r.metrics &&
        r.metrics.duplicates !== x.duplicates &&
        `server counted ${r.metrics.duplicates} duplicates, driver sent ${x.duplicates}`,
      r.cpu.others / (x.elapsedMs / 1000) > 0.25 &&
        `other processes kept ${(r.cpu.others / (x.elapsedMs / 1000)).toFixed(2)} cores busy (the figures are pessimistic)`,
    ].filter(Boolean);
    if (bad.length) out.push(`K=${x.k}: ${bad.join(', ')}`);
  }
  return out;
}

export interface FullReport {
  machine: string[];
  backgroundCores: number;
  seconds: number;
  phaseMs: number;
  floorMs: number;
  duplicateRate: number;
  rows: KRow[];
  workerFloor: FloorResult;
  /** K=50 paced to Meta's default ceiling for one number (PACED_PHASE in run.ts). */
  paced: PhaseReport;
  settled: PhaseReport;
  /** BENCH_PG_STATEMENTS=1 only. */
  writes: TableWrites[] | null;
}

export function render(r: FullReport): string {
  const out = [
    `# npm run bench (${new Date().toISOString()}, ${r.seconds.toFixed(0)} s)`,
    '',
    ...r.machine,
    `Other processes kept ${r.backgroundCores.toFixed(2)} cores busy in the second before the bench started.`,
    `Each K: ${r.phaseMs / 1000} s of closed-loop operators (tap -> wait for the next question -> tap; they start one by one over the first 0.5 s), ` +
      `${r.duplicateRate * 100}% of deliveries sent twice; INBOX_SETTLE_MS=0; floor ${r.floorMs / 1000} s.`,
    '',
    throughputTable(r.rows),
    '',
    lockedTable(r.rows),
    '',
    whereTable(r.rows),
    '',
    `Floor at the inbox worker's concurrency (${r.workerFloor.workers} lockers): ${r.workerFloor.txPerSec.toFixed(0)} tx/s, ` +
      `tx p50 / p99 ${pair(r.workerFloor.tx)} ms`,
    pacedLine(r.paced),
    settleLine(r.settled),
    '',
    'Targets:',
    ...checks(r.rows).map((l) => `  ${l}`),
  ];
  for (const { report } of r.rows) {
    if (report.statements) out.push('', statementsTable(report.result.k, report.result.messages, report.statements));
  }
  if (r.writes) out.push('', writesTable(r.writes));
  const problems = anomalies([...r.rows.map((x) => x.report), r.paced, r.settled]);
  if (problems.length) out.push('', 'Anomalies:', ...problems.map((l) => `  ${l}`));
  return out.join('\n');
}
