// Child processes of the bench (the server and the driver), and what /proc says about them.
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';

const children = new Set<ChildProcess>();
// Whatever happens to the bench (an exception, Ctrl-C), no child outlives it.
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

export interface Child {
  proc: ChildProcess;
  pid: number;
  /** The next IPC message that `accept` takes; rejects on timeout or when the child exits first. */
  message<T>(accept: (m: unknown) => m is T, timeoutMs: number): Promise<T>;
  /** Sends `stopMessage` and waits for the exit; kills the child if it does not exit in time. */
  stop(stopMessage: unknown, timeoutMs?: number): Promise<void>;
}

/** Runs a TypeScript file with Node and tsx, with an IPC channel; `imports` are preloaded modules. */
export function forkTs(
  script: string,
  opts: { env: NodeJS.ProcessEnv; imports?: string[]; execArgv?: string[]; cwd: string; name: string },
): Child {
  const execArgv = [
    '--import',
    'tsx',
    ...(opts.imports ?? []).flatMap((m) => ['--import', m]),
    ...(opts.execArgv ?? []),
  ];
  const proc = fork(script, [], { cwd: opts.cwd, env: opts.env, execArgv, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  children.add(proc);
  proc.once('exit', () => children.delete(proc));
  // Its output (warnings and errors only, at LOG_LEVEL=warn) goes to our stderr, marked.
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n'))
      if (line.trim()) process.stderr.write(`[${opts.name}] ${line}\n`);
  };
  proc.stdout?.on('data', forward);
  proc.stderr?.on('data', forward);
  if (proc.pid === undefined) throw new Error(`Could not start ${script}`);

  return {
    proc,
    pid: proc.pid,
    message<T>(accept: (m: unknown) => m is T, timeoutMs: number) {
      return new Promise<T>((resolve, reject) => {
        const done = () => {
          clearTimeout(timer);
          proc.off('message', onMessage);
          proc.off('exit', onExit);
        };
        const onMessage = (m: unknown) => {
          if (!accept(m)) return;
          done();
          resolve(m);
        };
        const onExit = (code: number | null) => {
          done();
          reject(new Error(`${opts.name} exited (code ${code}) while we waited for it`));
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`${opts.name} did not answer within ${timeoutMs} ms`));
        }, timeoutMs);
        proc.on('message', onMessage);
        proc.once('exit', onExit);
      });
    },
    async stop(stopMessage, timeoutMs = 15_000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      if (proc.connected) proc.send(stopMessage as object);
      else proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resident memory now and its peak so far (VmHWM), in MiB. */
export function memoryOf(pid: number): { rssMiB: number; peakMiB: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU seconds (user + system, or system only) each process has used so far; processes gone meanwhile are left out. */
export function cpuSeconds(pids: number[], which: 'all' | 'system' = 'all'): Map<number, number> {
  const used = new Map<number, number>();
  for (const pid of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const [utime, stime] = [Number(fields[11]), Number(fields[12])]; // fields 14 and 15 of stat
      used.set(pid, (which === 'all' ? utime + stime : stime) / TICKS_PER_SECOND);
    } catch {
      // exited meanwhile
    }
  }
  return used;
}

/** CPU seconds used between two readings (a process started in between counts from zero). */
export function cpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, s] of after) total += s - (before.get(pid) ?? 0);
  return total;
}

/** The postmaster of a data directory and every process it started (its backends). */
export function postgresPids(dataDir: string): number[] {
  const postmaster = Number(fs.readFileSync(`${dataDir}/postmaster.pid`, 'utf8').split('\n')[0]);
  const pids = [postmaster];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster) pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

/** CPU seconds the whole machine (every CPU, every process) has spent busy so far (/proc/stat). */
export function machineCpuSeconds(): number {
  const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const idle = cpu[3]! + cpu[4]!; // idle + iowait
  return (cpu.reduce((a, b) => a + b, 0) - idle) / TICKS_PER_SECOND;
}
