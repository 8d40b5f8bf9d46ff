import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGraphApi, type FakeGraphApi } from '../support/fake-graph-api.js';
import { ACCESS_TOKEN, API_TOKEN } from '../support/harness.js';
import { waitUntil } from '../support/lifecycle.js';
import { createMetaSender, postToUrl } from '../support/meta-sender.js';
import { driveOperator, expectTranscript, type DrivenOperator } from '../support/operator-driver.js';
import {
  freePort,
  restClient,
  serverEnv,
  startServerProcess,
  waitHealthy,
  type ServerProcess,
} from '../support/server-process.js';
import { textOf } from '../support/settle.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

const OPERATORS = 20;
const TASKS = ['Check oil level', 'Check belt tension', 'Clean filter'];
/** Deliveries acknowledged before the kill: about a third of the 80 answers. */
const KILL_AFTER_ACKS = 27;
/** The server's connections carry this name, so the test can tell when the killed one's are gone. */
const APP_NAME = 'kinto_sigkill_server';

let graph: FakeGraphApi;
let database: TestDatabase;
let photosDir: string;
let env: Record<string, string>;
let server: ServerProcess | null = null;

beforeAll(async () => {
  graph = await startFakeGraphApi({ accessToken: ACCESS_TOKEN });
  database = await createTestDatabase();
  photosDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kinto-fault-kill-photos-'));
  env = serverEnv({
    port: await freePort(),
    databaseUrl: `${database.url}?application_name=${APP_NAME}`,
    graphUrl: graph.baseUrl,
    photosDir,
  });
});

afterAll(async () => {
  await server?.kill('SIGKILL');
  await graph?.close();
  await database?.drop();
  if (photosDir) fs.rmSync(photosDir, { recursive: true, force: true });
});

async function startServer(): Promise<ServerProcess> {
  const s = startServerProcess(env);
  await waitHealthy(s, 60_000);
  return s;
}

async function createOperators(baseUrl: string) {
  const api = restClient(baseUrl, API_TOKEN);
  const template = await api.post('/api/templates', {
    name: 'Daily press check',
    tasks: TASKS.map((text) => ({ text })),
  });
  expect(template.status, JSON.stringify(template.body)).toBe(201);
  return Promise.all(
    Array.from({ length: OPERATORS }, async (_, i) => {
      const phone = `+9197100${String(i).padStart(5, '0')}`;
      const op = await api.post('/api/operators', { name: `Operator ${i}`, phoneNumber: phone });
      const machine = await api.post('/api/machines', { name: `Press ${i}`, code: `KILL-${i}` });
      const a = await api.post('/api/assignments', {
        templateId: template.body.id,
        machineId: machine.body.id,
        operatorId: op.body.id,
      });
      expect(a.status, JSON.stringify(a.body)).toBe(201);
      const driven: DrivenOperator = {
        phone,
        tasks: TASKS,
        remarks: TASKS.map((_t, k) => `operator ${i} answer ${k + 1}`),
      };
      return { ...driven, submissionId: a.body.submissionId as string };
    }),
  );
}

describe('the server is killed with SIGKILL mid-load', () => {
  it('when it is restarted on the same database, then no answer is lost or doubled and every pending message is sent once', async ({
    annotate,
  }) => {
    server = await startServer();
    const operators = await createOperators(server.baseUrl);
    const meta = createMetaSender(postToUrl(`${server.baseUrl}/api/whatsapp/webhook`, 5000), {
      retryMs: 100,
      duplicateEvery: 4,
    });
    const driving = operators.map((op) => driveOperator(op, { graph, sender: meta, timeoutMs: 60_000 }));

    await waitUntil(
      'a third of the answers acknowledged',
      () => meta.attempts.filter((a) => a.status === 200).length >= KILL_AFTER_ACKS,
      60_000,
    );
    const serverConnections = async () =>
      (
        await database.pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1`,
          [APP_NAME],
        )
      ).rows[0]!.n;
    expect(await serverConnections()).toBeGreaterThan(0);
    meta.phase = 'killed';
    const killed = await server.kill('SIGKILL');
    // PostgreSQL finishes a statement the dead process had sent (a claim, a commit) before it notices.
    await waitUntil("the killed server's connections are gone", async () => (await serverConnections()) === 0, 20_000);
    // What the dead process had claimed but not recorded as sent: the at-least-once window.
    const orphans = await database.pool.query<{
      id: number;
      phone_number: string;
      payload: { text?: { body: string }; interactive?: { body: { text: string } } };
    }>(`SELECT id, phone_number, payload FROM whatsapp_outbox WHERE status = 'sending' ORDER BY id`);
    // Stands in for their lease (LEASE_SECONDS) running out, as waiting it out would: no live process holds them.
    await database.pool.query(`UPDATE whatsapp_outbox SET lease_until = now() WHERE status = 'sending'`);
    server = await startServer();
    meta.phase = 'restarted';
    await Promise.all(driving);
    await meta.drain(30_000);
    await waitUntil(
      'outbox and inbox drained',
      async () => {
        const r = await database.pool.query<{
          n: number;
        }>(`SELECT (SELECT count(*)::int FROM whatsapp_inbox WHERE status = 'pending')
        + (SELECT count(*)::int FROM whatsapp_outbox WHERE status IN ('pending', 'sending')) AS n`);
        return r.rows[0]!.n === 0;
      },
      30_000,
    );

    expect(killed.signal).toBe('SIGKILL');
    const inbox = await database.pool.query(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE status = 'processed')::int AS processed FROM whatsapp_inbox`,
    );
    expect(inbox.rows[0]).toEqual({ n: OPERATORS * (TASKS.length + 1), processed: OPERATORS * (TASKS.length + 1) });
    const outbox = await database.pool.query(`SELECT status, count(*)::int AS n FROM whatsapp_outbox GROUP BY status`);
    expect(outbox.rows).toEqual([{ status: 'sent', n: OPERATORS * (TASKS.length + 2) }]);
    const doubled: string[] = [];
    for (const op of operators) {
      const answers = await database.pool.query(
        `SELECT a.position, a.status, a.remarks, s.status AS submission FROM checklist_submission_answers a
         JOIN checklist_submissions s ON s.id = a.submission_id WHERE a.submission_id = $1 ORDER BY a.position`,
        [op.submissionId],
      );
      expect(answers.rows).toEqual(
        op.remarks.map((remarks, k) => ({ position: k + 1, status: 'OK', remarks, submission: 'completed' })),
      );
      // Each text once, in order; a text twice only where the kill fell between its send and its record.
      const mayRepeat = new Set(
        orphans.rows
          .filter((o) => o.phone_number === op.phone)
          .map((o) => o.payload.text?.body ?? o.payload.interactive?.body.text),
      );
      const texts = graph.sentTo(op.phone).map(textOf);
      const once = texts.filter((t, k) => !(k > 0 && texts[k - 1] === t && mayRepeat.has(t)));
      doubled.push(
        ...texts.filter((t, k) => k > 0 && texts[k - 1] === t).map((t) => `${op.phone}: ${t.split('\n')[0]}`),
      );
      expectTranscript(once, TASKS);
    }
    meta.close();
    const refused = meta.attempts.filter((a) => a.phase === 'killed' && a.status === 'network').length;
    await annotate(
      `${refused} delivery attempt(s) found no server; killed with ${orphans.rowCount} message(s) claimed but not recorded as sent; sent twice: ${doubled.length}${doubled.length ? ` (${doubled.join('; ')})` : ''}`,
    );
  }, 120_000);
});
