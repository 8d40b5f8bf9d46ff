import type { Logger } from '../lib/logger.js';

export interface WorkerLoop {
  start(): void;
  /** Run soon (after a commit that queued work, or `delayMs` later), instead of waiting for the next poll. */
  kick(delayMs?: number): void;
  /** Stops polling and waits for the current pass to finish. */
  stop(): Promise<void>;
}

/**
 * Runs `tick` on every kick and every `pollMs` (for work queued by other processes and retries due).
 * Never runs two passes at once; a kick during a pass runs one more pass after it.
 */
export interface StopSignal {
  /** True once stop() was called: finish the current row, then return. */
  readonly stopped: boolean;
}

export function createWorkerLoop(opts: {
  name: string;
  logger: Logger;
  pollMs: number;
  tick: (signal: StopSignal) => Promise<boolean>;
}): WorkerLoop {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = true;
  const signal: StopSignal = {
    get stopped() {
      return stopped;
    },
  };
  let timer: NodeJS.Timeout | null = null;

  const schedule = (ms: number) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(run, ms);
    timer.unref();
  };

  function run(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    again = false;
    running = (async () => {
      let progressed = false;
      try {
        progressed = await opts.tick(signal);
      } catch (err) {
        opts.logger.warn({ err }, `${opts.name} worker pass failed; retrying`);
      } finally {
        running = null;
      }
      schedule(again || progressed ? 0 : opts.pollMs);
    })();
  }

  return {
    start() {
      stopped = false;
      schedule(0);
    },
    kick(delayMs = 0) {
      if (stopped) return;
      if (delayMs > 0) {
        setTimeout(() => this.kick(), delayMs).unref();
        return;
      }
      if (running) again = true;
      else schedule(0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
