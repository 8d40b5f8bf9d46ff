// withPipelinedTransaction's timer (kinto_locked_tx_duration_seconds): it runs from BEGIN sent to COMMIT or
// ROLLBACK answered, so neither the pool's wait nor the PREPAREs of a new connection count, and it stops once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withPipelinedTransaction } from '../../src/lib/db/transaction.js';
import { startHarness, type Harness } from '../support/harness.js';
import { rows } from '../support/lifecycle.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await rows(h, 'CREATE TABLE pipelined_probe (v int NOT NULL)');
});
afterAll(async () => {
  await h?.close();
});

/** A timer that records when it was started and stopped, and what another connection saw at the stop. */
function spyTimer() {
  const events: string[] = [];
  return {
    events,
    timer: () => {
      events.push('start');
      return () => events.push('stop');
    },
  };
}

describe('withPipelinedTransaction timer', () => {
  it('when the transaction never begins, then the timer never starts', async () => {
    const spy = spyTimer();

    const result = await withPipelinedTransaction(h.database.db, [], () => Promise.resolve('nothing'), spy.timer);

    expect(result).toBe('nothing');
    expect(spy.events).toEqual([]);
  });

  it('when it commits, then the timer starts at BEGIN and stops once, after the COMMIT was answered', async () => {
    const events: string[] = [];
    const timer = () => {
      events.push('start');
      return () => events.push('stop');
    };

    await withPipelinedTransaction(
      h.database.db,
      [],
      async (_tx, ends) => {
        events.push('before begin');
        await ends.begin('SELECT 1');
        events.push('locked');
        ends.commitWith('INSERT INTO pipelined_probe (v) VALUES (1)');
      },
      timer,
    );
    const written = await rows<{ v: number }>(h, 'SELECT v FROM pipelined_probe');

    expect(events).toEqual(['before begin', 'start', 'locked', 'stop']);
    expect(written).toEqual([{ v: 1 }]);
  });

  it('when the work fails after BEGIN, then the timer stops once, after the ROLLBACK', async () => {
    const spy = spyTimer();

    const run = withPipelinedTransaction(
      h.database.db,
      [],
      async (_tx, ends) => {
        await ends.begin(`SELECT 1`);
        throw new Error('refused');
      },
      spy.timer,
    );

    await expect(run).rejects.toThrow('refused');
    expect(spy.events).toEqual(['start', 'stop']);
  });
});
