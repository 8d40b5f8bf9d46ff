// Issue 17, acceptance line 2: "At its time a schedule creates exactly one assignment, also with two server
// processes running and after a restart at that minute; Question 1 goes out once". Real servers on one
// database, their schedules workers polling every POLL_MS; the fake Graph API records what reached Meta.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGraphApi, type FakeGraphApi } from '../support/fake-graph-api.js';
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

/** Often, so "several passes of every worker" takes about a second, not half a minute. */
const POLL_MS = 250;
const PASSES = 4;
const PHONE = '+919730012345';

let graph: FakeGraphApi;
let database: TestDatabase;
let photosDir: string;
const servers: ServerProcess[] = [];

async function startServer(): Promise<ServerProcess> {
  const env = serverEnv({
    port: await freePort(),
    databaseUrl: database.url,
    graphUrl: graph.baseUrl,
    photosDir,
  });
  const server = startServerProcess({ ...env, KINTO_INSTANCES: '2', SCHEDULES_POLL_MS: `${POLL_MS}` });
  servers.push(server);
  return server;
}

beforeAll(async () => {
  graph = await startFakeGraphApi({ accessToken: ACCESS_TOKEN });
  database = await createTestDatabase();
  photosDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kinto-once-photos-'));
}, 60_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.kill('SIGKILL')));
  await graph?.close();
  await database?.drop();
  if (photosDir) fs.rmSync(photosDir, { recursive: true, force: true });
});

/**
 * Finished passes of one server's schedules worker, from its /metrics. A request that fails on the way while the
 * server still runs is made again (twice at most): in a full run on two loaded cores one once failed with "fetch
 * failed" (2026-12-07; its cause was not kept then, it is printed now); this test counts passes, not transport.
 */
async function passes(server: ServerProcess, tries = 3): Promise<number> {
  const res = await fetch(`${server.baseUrl}/metrics`, { headers: { authorization: `Bearer ${API_TOKEN}` } }).catch(
    (err: unknown) => {
      const how = server.child.exitCode ?? server.child.signalCode ?? 'still running';
      const c = (err as { cause?: { code?: string; message?: string } }).cause;
      const cause = c ? `${c.code ?? ''} ${c.message ?? ''}` : '';
      if (how === 'still running' && tries > 1) return null;
      throw new Error(`/metrics failed (${String(err)}: ${cause}); the server: ${how}\n${server.output()}`);
    },
  );
  if (!res) return passes(server, tries - 1);
  const line = (await res.text()).split('\n').find((l) => l.startsWith('kinto_schedule_passes_total '));
  return Number(line?.split(' ').at(-1) ?? 0);
}

/** Waits until every server's schedules worker has finished `count` more passes than now. */
async function morePasses(running: ServerProcess[], count: number): Promise<void> {
  const start = await Promise.all(running.map(passes));
  await waitUntil(
    `${count} more schedules passes on each server`,
    async () => (await Promise.all(running.map(passes))).every((n, i) => n >= start[i]! + count),
    30_000,
  );
}

const query = async <T extends object>(text: string, params: unknown[] = []) =>
  (await database.pool.query<T>(text, params)).rows;

const occurrences = (scheduleId: number) =>
  query<{ id: string; status: string; occurrence_at: Date }>(
    'SELECT id, status, occurrence_at FROM checklist_assignments WHERE schedule_id = $1',
    [scheduleId],
  );

const outboxDrained = () =>
  waitUntil(
    'the outbox drained',
    async () =>
      (
        await query<{ n: number }>(
          `SELECT count(*)::int AS n FROM whatsapp_outbox WHERE status IN ('pending', 'sending')`,
        )
      )[0]!.n === 0,
    30_000,
  );

const questionOnes = () => graph.textsTo(PHONE).filter((t) => t.startsWith('📋 Question 1 of'));

const hhmm = (d: Date) => d.toISOString().slice(11, 16);

describe('a schedule met by two server processes, and again after they restart (acceptance line 2)', () => {
  it('when two server processes reach a start time, and after a restart at that minute the occurrence is due again, then the schedule has made exactly one assignment and Question 1 went out once (acceptance line 2)', async () => {
    const [a, b] = await Promise.all([startServer(), startServer()]);
    await Promise.all([waitHealthy(a, 90_000), waitHealthy(b, 90_000)]);
    const api = restClient(a.baseUrl, API_TOKEN);
    const template = await api.post('/api/templates', { name: 'Shift start', tasks: [{ text: 'Check oil level' }] });
    const machine = await api.post('/api/machines', { name: 'Press 1', code: 'ONCE-1' });
    const operator = await api.post('/api/operators', { name: 'Ravi', phoneNumber: PHONE });
    // This minute is a start time of the schedule (UTC, every day); made now, its next run is tomorrow's.
    const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const created = await api.post('/api/schedules', {
      templateId: template.body.id,
      machineId: machine.body.id,
      operatorId: operator.body.id,
      timezone: 'UTC',
      times: [hhmm(minute)],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const scheduleId = created.body.id as number;

    // Arranged in SQL so the test need not wait for a minute to come: the occurrence of this minute is due.
    await query('UPDATE checklist_schedules SET next_run_at = $2 WHERE id = $1', [scheduleId, minute]);
    await waitUntil('the occurrence made', async () => (await occurrences(scheduleId)).length > 0, 30_000);
    await waitUntil('Question 1 at the Graph API', () => questionOnes().length > 0, 30_000);
    await morePasses([a, b], PASSES);

    const first = await occurrences(scheduleId);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ status: 'active', occurrence_at: minute });
    expect(questionOnes()).toHaveLength(1);

    // A restart at that minute: both processes die (the host went down) and, as if one had died half-way
    // through the occurrence, the schedule's next run is that minute again. The first process back meets it.
    await Promise.all([a.kill('SIGKILL'), b.kill('SIGKILL')]);
    await query('UPDATE checklist_schedules SET next_run_at = $2 WHERE id = $1', [scheduleId, minute]);
    const restarted = await startServer();
    await waitHealthy(restarted, 90_000);
    await morePasses([restarted], PASSES);
    await outboxDrained();

    // The restarted worker met the occurrence again (its next run moved on to tomorrow) and made nothing new;
    // the assignment it had is still the one under way (not missed by its own occurrence).
    const [schedule] = await query<{ next_run_at: Date }>('SELECT next_run_at FROM checklist_schedules WHERE id = $1', [
      scheduleId,
    ]);
    expect(schedule!.next_run_at.getTime()).toBe(minute.getTime() + 24 * 3600_000);
    const after = await occurrences(scheduleId);
    expect(after).toEqual(first);
    expect(questionOnes()).toHaveLength(1);
  }, 180_000);
});
