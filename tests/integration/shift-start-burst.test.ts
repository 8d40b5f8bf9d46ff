// Issue 17, acceptance line 4: "300 starts at once, through two server processes, never exceed the configured
// messages per second in any second at the fake Graph API". Two real servers share one database; the
// fake Graph API, in a process of its own as Meta is another host, records when each message arrived.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGraphProcess, type FakeGraphProcess } from '../support/fake-graph-process.js';
import { ACCESS_TOKEN, API_TOKEN } from '../support/harness.js';
import { waitUntil } from '../support/lifecycle.js';
import {
  freePort,
  restClient,
  serverEnv,
  startServerProcess,
  waitHealthy,
  type ServerProcess,
} from '../support/server-process.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

const STARTS = 300;
/** Low, so the burst spans many seconds and the test still runs in about 15 s. */
const PER_SECOND = 20;
const FIRST_TASK = 'Check oil level';

let graph: FakeGraphProcess;
let database: TestDatabase;
let photosDir: string;
const servers: ServerProcess[] = [];

beforeAll(async () => {
  graph = await startFakeGraphProcess(ACCESS_TOKEN);
  database = await createTestDatabase();
  photosDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kinto-burst-photos-'));
  for (let i = 0; i < 2; i++) {
    const env = serverEnv({
      port: await freePort(),
      databaseUrl: database.url,
      graphUrl: graph.baseUrl,
      photosDir,
    });
    servers.push(
      startServerProcess({ ...env, KINTO_INSTANCES: '2', WHATSAPP_MAX_MESSAGES_PER_SECOND: `${PER_SECOND}` }),
    );
  }
  await Promise.all(servers.map((s) => waitHealthy(s, 90_000)));
}, 120_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.kill('SIGKILL')));
  await graph?.close();
  await database?.drop();
  if (photosDir) fs.rmSync(photosDir, { recursive: true, force: true });
});

/** Runs `fn` over `items`, `width` at a time. */
async function eachLimited<T>(items: T[], width: number, fn: (item: T, i: number) => Promise<void>) {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: width }, lane));
}

/** A counter's value on one server's /metrics (summed over its labels). */
async function counter(server: ServerProcess, name: string, labels = ''): Promise<number> {
  const res = await fetch(`${server.baseUrl}/metrics`, { headers: { authorization: `Bearer ${API_TOKEN}` } });
  const text = await res.text();
  const lines = text.split('\n').filter((l) => l.startsWith(name) && l.includes(labels));
  return lines.reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
}

describe('a shift start: 300 checklists start at once through two server processes', () => {
  it(`when 300 start at once with WHATSAPP_MAX_MESSAGES_PER_SECOND=${PER_SECOND}, then no second at the Graph API exceeds ${PER_SECOND} messages, and every operator gets Question 1 exactly once (acceptance line 4)`, async () => {
    const [a, b] = [restClient(servers[0]!.baseUrl, API_TOKEN), restClient(servers[1]!.baseUrl, API_TOKEN)];
    const template = await a.post('/api/templates', {
      name: 'Shift start check',
      tasks: [{ text: FIRST_TASK }, { text: 'Check belt tension' }],
    });
    const machine = await a.post('/api/machines', { name: 'Press 1', code: 'BURST-1' });
    const phones = Array.from({ length: STARTS }, (_, i) => `+9197300${String(i).padStart(5, '0')}`);
    // The operators exist before the shift (arranged in SQL to keep the test short); the starts are the API's.
    const { rows: operators } = await database.pool.query<{ id: number }>(
      `INSERT INTO operators (name, phone_number)
       SELECT 'Operator ' || n, p FROM unnest($1::text[]) WITH ORDINALITY AS x(p, n) ORDER BY n RETURNING id`,
      [phones],
    );

    // Every second request to the other process: both start conversations, both send.
    await eachLimited(operators, 24, async (op, i) => {
      const api = i % 2 === 0 ? a : b;
      const res = await api.post('/api/assignments', {
        templateId: template.body.id,
        machineId: machine.body.id,
        operatorId: op.id,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    });
    await waitUntil(`${STARTS} messages at the Graph API`, async () => (await graph.sent()).length >= STARTS, 90_000);
    await waitUntil(
      'the outbox drained',
      async () =>
        (
          await database.pool.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM whatsapp_outbox WHERE status IN ('pending', 'sending')`,
          )
        ).rows[0]!.n === 0,
      30_000,
    );

    const sent = await graph.sent();
    const perSecond = new Map<number, number>();
    for (const m of sent)
      perSecond.set(Math.floor(m.at.getTime() / 1000), (perSecond.get(Math.floor(m.at.getTime() / 1000)) ?? 0) + 1);
    const busiest = Math.max(...perSecond.values());
    expect(busiest, JSON.stringify([...perSecond.values()])).toBeLessThanOrEqual(PER_SECOND);
    expect(sent).toHaveLength(STARTS);
    for (const phone of phones)
      expect(
        sent.filter((m) => m.to.replace(/\D/g, '') === phone.replace(/\D/g, '')).map((m) => m.text),
        phone,
      ).toEqual([expect.stringContaining(FIRST_TASK)]);
    // Both processes sent, and the pace held them back: the share is taken together, not per process.
    const sends = await Promise.all(servers.map((s) => counter(s, 'kinto_outbound_sends_total', 'result="sent"')));
    const waits = await Promise.all(servers.map((s) => counter(s, 'kinto_outbox_paced_waits_total')));
    expect(
      sends.every((n) => n > 0),
      `sent per process: ${sends.join(', ')}`,
    ).toBe(true);
    expect(sends[0]! + sends[1]!).toBe(STARTS);
    expect(waits[0]! + waits[1]!).toBeGreaterThan(0);
  }, 180_000);
});
