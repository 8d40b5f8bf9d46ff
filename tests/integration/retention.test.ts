import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deleteOldWhatsAppRows } from '../../src/whatsapp/retention.js';
import { memoryLogger } from '../support/fault-harness.js';
import { startHarness } from '../support/harness.js';
import { newWamid } from '../support/meta-payloads.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

const PHONE = '+919812345678';
const DAYS = 90;

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});
beforeEach(async () => {
  await database.pool.query('TRUNCATE whatsapp_inbox, whatsapp_outbox');
});

/** An inbox row received `ageDays` ago; returns its id. */
async function inboxRow(
  status: 'pending' | 'processed' | 'failed',
  ageDays: number,
  pool = database.pool,
): Promise<number> {
  const { rows } = await pool.query<{ id: string }>(
    `
    INSERT INTO whatsapp_inbox (wa_message_id, phone_number, type, payload, sent_at, received_at, status)
    VALUES ($1, $2, 'text', '{"text":{"body":"OK"}}', now() - make_interval(days => $3), now() - make_interval(days => $3), $4)
    RETURNING id`,
    [newWamid(), PHONE, ageDays, status],
  );
  return Number(rows[0]!.id);
}

/** An outbox row created `ageDays` ago; returns its id. */
async function outboxRow(
  status: 'pending' | 'sending' | 'sent' | 'delivered' | 'read' | 'failed',
  ageDays: number,
  pool = database.pool,
): Promise<number> {
  const { rows } = await pool.query<{ id: string }>(
    `
    INSERT INTO whatsapp_outbox (phone_number, kind, payload, status, created_at)
    VALUES ($1, 'text', '{"type":"text","text":{"body":"Question 1"}}', $2, now() - make_interval(days => $3))
    RETURNING id`,
    [PHONE, status, ageDays],
  );
  return Number(rows[0]!.id);
}

async function ids(table: 'whatsapp_inbox' | 'whatsapp_outbox', pool = database.pool): Promise<number[]> {
  const { rows } = await pool.query<{ id: string }>(`SELECT id FROM ${table} ORDER BY id`);
  return rows.map((r) => Number(r.id));
}

describe('WhatsApp log retention', () => {
  it('when finished rows are older than the retention, then they are deleted and counted', async () => {
    for (const status of ['processed', 'failed'] as const) await inboxRow(status, DAYS + 1);
    for (const status of ['sent', 'delivered', 'read', 'failed'] as const) await outboxRow(status, DAYS + 1);

    const deleted = await deleteOldWhatsAppRows(database.db, DAYS);

    expect(deleted).toEqual({ inbox: 2, outbox: 4 });
    expect(await ids('whatsapp_inbox')).toEqual([]);
    expect(await ids('whatsapp_outbox')).toEqual([]);
  });

  it('when rows are younger than the retention, or old but pending or sending, then they stay', async () => {
    const keptInbox = [
      await inboxRow('processed', DAYS - 1),
      await inboxRow('failed', DAYS - 1),
      await inboxRow('pending', DAYS + 30),
    ];
    const keptOutbox = [
      await outboxRow('sent', DAYS - 1),
      await outboxRow('read', DAYS - 1),
      await outboxRow('failed', DAYS - 1),
      await outboxRow('pending', DAYS + 30),
      await outboxRow('sending', DAYS + 30),
    ];

    const deleted = await deleteOldWhatsAppRows(database.db, DAYS);

    expect(deleted).toEqual({ inbox: 0, outbox: 0 });
    expect(await ids('whatsapp_inbox')).toEqual(keptInbox);
    expect(await ids('whatsapp_outbox')).toEqual(keptOutbox);
  });

  it('when the retention is 0, then nothing is deleted, however old', async () => {
    await inboxRow('processed', 3650);
    await outboxRow('delivered', 3650);

    const deleted = await deleteOldWhatsAppRows(database.db, 0);

    expect(deleted).toEqual({ inbox: 0, outbox: 0 });
    expect(await ids('whatsapp_inbox')).toHaveLength(1);
    expect(await ids('whatsapp_outbox')).toHaveLength(1);
  });

  it('when there are more old rows than one batch, then batches repeat until all are gone', async () => {
    for (let i = 0; i < 10; i++) await inboxRow('processed', DAYS + 1 + i);
    for (let i = 0; i < 7; i++) await outboxRow('read', DAYS + 1 + i);

    const deleted = await deleteOldWhatsAppRows(database.db, DAYS, { batch: 3 });

    expect(deleted).toEqual({ inbox: 10, outbox: 7 });
    expect(await ids('whatsapp_inbox')).toEqual([]);
    expect(await ids('whatsapp_outbox')).toEqual([]);
  });

  it('when two processes run it at once, then each old row is deleted once, without error, and the young ones stay', async () => {
    for (let i = 0; i < 60; i++) await inboxRow(i % 2 ? 'processed' : 'failed', DAYS + 1 + (i % 5));
    for (let i = 0; i < 60; i++) await outboxRow(i % 2 ? 'delivered' : 'failed', DAYS + 1 + (i % 5));
    const keptInbox = [await inboxRow('processed', 1)];
    const keptOutbox = [await outboxRow('sent', 1)];

    // Two open connections first, so the runs overlap instead of one finishing while the other connects.
    await Promise.all([database.pool.query('SELECT pg_sleep(0.05)'), database.pool.query('SELECT pg_sleep(0.05)')]);

    const runs = await Promise.all([
      deleteOldWhatsAppRows(database.db, DAYS, { batch: 4 }),
      deleteOldWhatsAppRows(database.db, DAYS, { batch: 4 }),
    ]);

    expect(runs[0].inbox + runs[1].inbox).toBe(60);
    expect(runs[0].outbox + runs[1].outbox).toBe(60);
    expect(await ids('whatsapp_inbox')).toEqual(keptInbox);
    expect(await ids('whatsapp_outbox')).toEqual(keptOutbox);
  });

  it('when another process holds some old rows, then a run skips them without waiting, and a later run deletes them', async () => {
    const held = [await inboxRow('processed', DAYS + 5), await inboxRow('failed', DAYS + 5)];
    for (let i = 0; i < 3; i++) await inboxRow('processed', DAYS + 1);
    const other = await database.pool.connect();
    await other.query('BEGIN');
    await other.query('SELECT id FROM whatsapp_inbox WHERE id = ANY($1) FOR UPDATE', [held]);

    const first = await Promise.race([
      deleteOldWhatsAppRows(database.db, DAYS),
      new Promise<'waited'>((resolve) => setTimeout(() => resolve('waited'), 3000)),
    ]);
    await other.query('ROLLBACK');
    other.release();
    const second = await deleteOldWhatsAppRows(database.db, DAYS);

    expect(first).toEqual({ inbox: 3, outbox: 0 });
    expect(second).toEqual({ inbox: 2, outbox: 0 });
    expect(await ids('whatsapp_inbox')).toEqual([]);
  });
});

describe('autovacuum of the queue tables (migration 0006)', () => {
  it('when the database is migrated, then both queue tables vacuum after a fixed 2000 dead rows plus 1%, not the default 20%', async () => {
    const { rows } = await database.pool.query<{ relname: string; reloptions: string[] | null }>(`
      SELECT relname, reloptions FROM pg_class WHERE relname IN ('whatsapp_inbox', 'whatsapp_outbox') ORDER BY relname`);
    const expected = [
      'autovacuum_vacuum_threshold=2000',
      'autovacuum_vacuum_scale_factor=0.01',
      'autovacuum_analyze_scale_factor=0.02',
    ];
    expect(rows.map((r) => r.relname)).toEqual(['whatsapp_inbox', 'whatsapp_outbox']);
    for (const r of rows) expect(r.reloptions).toEqual(expected);
  });
});

describe('the retention worker in the runtime', () => {
  it('when WHATSAPP_LOG_RETENTION_DAYS=30 and the worker runs, then its pass deletes old finished rows and one INFO line gives the counts, without phone numbers', async () => {
    const { logger, lines } = memoryLogger();
    const h = await startHarness({ WHATSAPP_LOG_RETENTION_DAYS: '30' }, { logger });
    try {
      await h.runtime.retentionWorker.stop(); // its pass at start is over: the next one sees every row below
      await inboxRow('processed', 31, h.database.pool);
      await outboxRow('delivered', 31, h.database.pool);
      await outboxRow('read', 31, h.database.pool);
      const young = await outboxRow('sent', 29, h.database.pool);

      h.runtime.retentionWorker.start();

      const retention = () => lines.filter((l) => l.msg.includes('Retention'));
      await expect.poll(() => retention().length, { timeout: 10_000 }).toBe(1);
      expect(retention()[0]).toMatchObject({
        level: 30,
        msg: '[WHATSAPP] Retention: deleted 1 inbox and 2 outbox rows older than 30 days',
      });
      expect(JSON.stringify(retention()[0])).not.toContain(PHONE.slice(1));
      expect(await ids('whatsapp_inbox', h.database.pool)).toEqual([]);
      expect(await ids('whatsapp_outbox', h.database.pool)).toEqual([young]);
    } finally {
      await h.close();
    }
  });
});
