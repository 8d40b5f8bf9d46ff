import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Logger } from '../../src/lib/logger.js';
import { startHarness, type Harness, type HarnessOptions } from './harness.js';

export type FaultHarnessOptions = Pick<HarnessOptions, 'database' | 'logger' | 'backoffMs' | 'wrapSender'>;

/** tests/support/harness.ts with the knobs fault tests need: its own database, logger, backoff and a wrapped sender. */
export function startFaultHarness(opts: FaultHarnessOptions = {}): Promise<Harness> {
  return startHarness({}, opts);
}

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A pino logger that keeps its JSON lines in memory, so a test can read what an operator would. */
export function memoryLogger(level = 'info'): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return { logger: pino({ level }, sink), lines };
}

export const PINO_ERROR = 50;
