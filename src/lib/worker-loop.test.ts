import { describe, expect, it } from 'vitest';
import { createLogger } from '../lib/logger.js';
import { createWorkerLoop, type StopSignal } from './worker-loop.js';

const logger = createLogger({ level: 'silent', pretty: false });

interface Pass {
  signal: StopSignal;
  finish(progressed: boolean): void;
  fail(err: Error): void;
}

/** A tick whose passes end when the test says so; `pass(n)` resolves once the n-th pass (from 0) has begun. */
function controlledTick() {
  const passes: Pass[] = [];
  const waiting = new Map<number, () => void>();
  let active = 0;
  let overlapped = false;
  const tick = (signal: StopSignal) =>
    new Promise<boolean>((resolve, reject) => {
      if (++active > 1) overlapped = true;
      passes.push({
        signal,
        finish: (progressed) => (active--, resolve(progressed)),
        fail: (err) => (active--, reject(err)),
      });
      waiting.get(passes.length - 1)?.();
    });
  const pass = (n: number) =>
    n < passes.length ? Promise.resolve(passes[n]!) : new Promise<Pass>((r) => waiting.set(n, () => r(passes[n]!)));
  return { tick, passes, pass, overlapped: () => overlapped };
}

/** Lets every promise reaction and due timer (pollMs is long, so only the loop's zero-delay ones) run. */
const drain = () => new Promise((r) => setTimeout(r, 5));

describe('createWorkerLoop runOnce', () => {
  it('when the loop was never started, then runOnce runs one whole pass, resolves to its result and schedules nothing', async () => {
    const t = controlledTick();
    const loop = createWorkerLoop({ name: 'test', logger, pollMs: 1, tick: t.tick });

    const once = loop.runOnce();
    const pass = await t.pass(0);
    pass.finish(true);

    expect(await once).toBe(true);
    expect(pass.signal.stopped).toBe(false);
    await drain();
    expect(t.passes).toHaveLength(1);
  });

  it('when a pass is running, then runOnce waits for it and runs one more, never two at once', async () => {
    const t = controlledTick();
    const loop = createWorkerLoop({ name: 'test', logger, pollMs: 60_000, tick: t.tick });
    loop.start();
    const first = await t.pass(0);

    const once = loop.runOnce();
    await drain();
    expect(t.passes).toHaveLength(1);
    first.finish(false);
    (await t.pass(1)).finish(false);

    expect(await once).toBe(false);
    expect(t.overlapped()).toBe(false);
    await loop.stop();
  });

  it('when the pass fails, then runOnce rejects with its error and the next runOnce still runs', async () => {
    const t = controlledTick();
    const loop = createWorkerLoop({ name: 'test', logger, pollMs: 1, tick: t.tick });

    const failed = loop.runOnce();
    (await t.pass(0)).fail(new Error('database gone'));
    await expect(failed).rejects.toThrow('database gone');

    const next = loop.runOnce();
    (await t.pass(1)).finish(true);
    expect(await next).toBe(true);
  });

  it('when the started loop is kicked during a runOnce pass, then the kick gets a pass of its own afterwards', async () => {
    const t = controlledTick();
    const loop = createWorkerLoop({ name: 'test', logger, pollMs: 60_000, tick: t.tick });
    loop.start();
    (await t.pass(0)).finish(false);
    await drain();

    const once = loop.runOnce();
    const second = await t.pass(1);
    loop.kick();
    second.finish(false);
    await once;

    (await t.pass(2)).finish(false);
    expect(t.overlapped()).toBe(false);
    await loop.stop();
  });

  it('when stop is called during a pass, then the pass sees the stop signal and stop waits for the pass', async () => {
    const t = controlledTick();
    const loop = createWorkerLoop({ name: 'test', logger, pollMs: 60_000, tick: t.tick });
    loop.start();
    const pass = await t.pass(0);

    let stopped = false;
    const stopping = loop.stop().then(() => (stopped = true));
    await drain();
    expect(pass.signal.stopped).toBe(true);
    expect(stopped).toBe(false);
    pass.finish(true);
    await stopping;

    expect(stopped).toBe(true);
    await drain();
    expect(t.passes).toHaveLength(1);
  });
});
