import type { Logger } from '../lib/logger.js';

export interface WorkerLoop {
  start(): void;
  /** Run soon (after a commit that queued work, or `delayMs` later), instead of waiting for the next poll. */
  kick(delayMs?: number): void;
  /**
   * One pass now, awaited (after the pass under way, if any), whether or not the loop was started; schedules
   * nothing. Resolves to whether the pass did any work; a failing pass rejects. For tests that prove that
   * nothing happens: after it, whatever a pass would have done is done.
   */
  runOnce(): Promise<boolean>;
  /** Stops polling and waits for the current pass to finish. */
  stop(): Promise<void>;
}

export interface StopSignal {
  /** True once stop() was called: finish the current row, then return. */
  readonly stopped: boolean;
}

/**
 * Runs `tick` on every kick and every `pollMs` (for work queued by other processes and retries due).
 * Never runs two passes at once; a kick during a pass runs one more pass after it.
 */
export function createWorkerLoop(opts: {
  name: string;
  logger: Logger;
  pollMs: number;
  tick: (signal: StopSignal) => Promise<boolean>;
}): WorkerLoop {
  let running: Promise<boolean> | null = null;
  let again = false;
  let started = false;
  let stopping = false;
  const signal: StopSignal = {
    get stopped() {
      return stopping;
    },
  };
  let timer: NodeJS.Timeout | null = null;

  const schedule = (ms: number) => {
    if (!started) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(run, ms);
    timer.unref();
  };

  /** Starts a pass; the caller has checked that none is running. */
  function pass(): Promise<boolean> {
    again = false;
    const current = Promise.resolve()
      .then(() => opts.tick(signal))
      .finally(() => {
        running = null;
      });
    running = current;
    return current;
  }

  function run(): void {
    if (!started) return;
    if (running) {
      again = true;
      return;
    }
    pass().then(
      (progressed) => schedule(again || progressed ? 0 : opts.pollMs),
      (err: unknown) => {
        opts.logger.warn({ err }, `${opts.name} worker pass failed; retrying`);
        schedule(again ? 0 : opts.pollMs);
      },
    );
  }

  return {
    start() {
      started = true;
      stopping = false;
      schedule(0);
    },
    kick(delayMs = 0) {
      if (!started) return;
      if (delayMs > 0) {
        setTimeout(() => this.kick(), delayMs).unref();
        return;
      }
      if (running) again = true;
      else schedule(0);
    },
    async runOnce() {
      while (running) await running.catch(() => undefined);
      try {
        return await pass();
      } finally {
        // A kick or a poll that came during this pass found it running: it is owed a pass of its own.
        if (again) schedule(0);
      }
    },
    async stop() {
      const wasStarted = started;
      started = false;
      stopping = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
      if (wasStarted) opts.logger.info(`${opts.name} worker stopped`);
    },
  };
}
