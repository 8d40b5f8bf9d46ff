// The webhook's group commit (src/whatsapp/inbound-recorder.ts): concurrent deliveries share statements, and
// each caller still learns exactly which of its messages were new, only after they are durable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, createPool } from '../../src/lib/db/client.js';
import type { NewInboxMessage } from '../../src/whatsapp/inbox-repository.js';
import { createInboundRecorder } from '../../src/whatsapp/inbound-recorder.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

let n = 0;
const message = (id: string, phone = '+4915112345678'): NewInboxMessage => ({
  waMessageId: id,
  phoneNumber: phone,
  type: 'text',
  payload: { text: { body: `message ${++n}` } },
  sentAt: new Date(),
});

describe('the inbound recorder', () => {
  it('when 100 deliveries arrive at once and 20 repeat an id of another, then each id is new for exactly one caller and stored once', async () => {
    const recorder = createInboundRecorder(database.db);
    const ids = Array.from({ length: 80 }, (_, i) => `wamid.rec.${i}`);
    const deliveries = [...ids, ...ids.slice(0, 20)].map((id, i) => [
      message(id, `+49151000${String(i % 7).padStart(4, '0')}`),
    ]);

    const results = await Promise.all(deliveries.map((rows) => recorder.record(rows)));

    const fresh = results.flat().map((r) => r.waMessageId);
    expect(fresh.sort()).toEqual([...ids].sort());
    const { rows } = await database.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM whatsapp_inbox WHERE wa_message_id LIKE 'wamid.rec.%'`,
    );
    expect(rows[0]!.n).toBe(80);
    const contacts = await database.pool.query(
      `SELECT phone_number FROM whatsapp_contacts WHERE phone_number LIKE '+49151000%'`,
    );
    expect(contacts.rows).toHaveLength(7);
  });

  it('when one delivery carries several messages, then it gets back only its new ones', async () => {
    const recorder = createInboundRecorder(database.db);
    await recorder.record([message('wamid.multi.1')]);

    const fresh = await recorder.record([message('wamid.multi.1'), message('wamid.multi.2'), message('wamid.multi.3')]);

    expect(fresh.map((r) => r.waMessageId)).toEqual(['wamid.multi.2', 'wamid.multi.3']);
  });

  it('when the database cannot be reached, then every waiting delivery fails (so the webhook answers non-2xx and Meta retries)', async () => {
    const pool = createPool(database.url, 2);
    const recorder = createInboundRecorder(createDb(pool));
    await pool.end();

    const results = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) => recorder.record([message(`wamid.down.${i}`)])),
    );

    expect(results.map((r) => r.status)).toEqual(Array(5).fill('rejected'));
    const { rows } = await database.pool.query(`SELECT 1 FROM whatsapp_inbox WHERE wa_message_id LIKE 'wamid.down.%'`);
    expect(rows).toEqual([]);
  });
});
