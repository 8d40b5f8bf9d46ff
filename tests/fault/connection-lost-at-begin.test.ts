import { describe, expect, it } from 'vitest';
import { createDb, createPool } from '../../src/lib/db/client.js';
import { startFaultHarness } from '../support/fault-harness.js';
import { deliver, messagesDelivery, textMessage } from '../support/meta-payloads.js';
import { dropConnectionsOnCheckout, guardCheckedOutClients, trackCheckouts } from '../support/pool-faults.js';
import { createTestDatabase } from '../support/test-db.js';

describe('a connection dies as a transaction begins', () => {
  it('when webhook transactions lose their connection at BEGIN, then those connections go back to the pool and the next delivery is recorded', async () => {
    const database = await createTestDatabase();
    const small = createPool(database.url, 3);
    small.on('error', () => undefined);
    guardCheckedOutClients(small);
    const leaks = trackCheckouts(small);
    const drop = dropConnectionsOnCheckout(small);
    const t = await startFaultHarness({
      database: {
        url: database.url,
        pool: small,
        db: createDb(small),
        async drop() {
          leaks.releaseLeaked();
          await small.end();
          await database.drop();
        },
      },
    });
    try {
      await t.runtime.stopWorkers(); // only the webhook uses the pool now
      drop.arm(3);
      for (let i = 0; i < 3; i++) {
        expect((await deliver(t.app, messagesDelivery([textMessage('+919811177002', `hello ${i}`)]))).status).toBe(500);
      }

      expect(leaks.outstanding()).toBe(0);
      expect((await deliver(t.app, messagesDelivery([textMessage('+919811177002', 'hello again')]))).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});
