import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import request from 'supertest';
import { loadConfig } from '../../src/lib/config.js';
import { createLogger, type Logger } from '../../src/lib/logger.js';
import { createRuntime } from '../../src/runtime.js';
import { createGraphClient, type GraphClient } from '../../src/whatsapp/graph-client.js';
import { graphMediaSource } from '../../src/whatsapp/media-source.js';
import type { WhatsAppSender } from '../../src/whatsapp/whatsapp-types.js';
import { startFakeGraphApi } from './fake-graph-api.js';
import { ACCESS_TOKEN, API_TOKEN, APP_SECRET, VERIFY_TOKEN, type Harness } from './harness.js';
import { createTestDatabase, type TestDatabase } from './test-db.js';

export interface FaultHarnessOptions {
  /** A database of the test's own (e.g. on a PostgreSQL it stops); default a clone of the template. */
  database?: TestDatabase;
  logger?: Logger;
  /** The outbox's retry backoff; default 20 ms like the harness. */
  backoffMs?: (attempt: number) => number;
  /** Wraps the Graph API client the outbox sends with (to act between a send and its bookkeeping). */
  wrapSender?: (client: GraphClient) => WhatsAppSender;
}

/**
 * tests/support/harness.ts with the knobs fault tests need: its own database, logger, backoff and a
 * wrapped sender. Same wiring otherwise (createRuntime, fake Graph API, short polls).
 */
export async function startFaultHarness(opts: FaultHarnessOptions = {}): Promise<Harness> {
  const database = opts.database ?? (await createTestDatabase());
  const graph = await startFakeGraphApi({ accessToken: ACCESS_TOKEN });
  const photosDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kinto-fault-photos-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    WHATSAPP_ACCESS_TOKEN: ACCESS_TOKEN,
    WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
    WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
    WHATSAPP_APP_SECRET: APP_SECRET,
    WHATSAPP_API_BASE_URL: graph.baseUrl,
    API_TOKEN: API_TOKEN,
    WHATSAPP_PHOTOS_DIR: photosDir,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    INBOX_SETTLE_MS: '0',
  });
  const client = createGraphClient({
    baseUrl: config.WHATSAPP_API_BASE_URL,
    version: config.WHATSAPP_API_VERSION,
    phoneNumberId: config.phoneNumberId,
    accessToken: ACCESS_TOKEN,
    timeoutMs: 2000,
  });
  const runtime = createRuntime({
    config,
    db: database.db,
    logger: opts.logger ?? createLogger({ level: config.LOG_LEVEL, pretty: false }),
    sender: opts.wrapSender ? opts.wrapSender(client) : client,
    media: graphMediaSource(client),
    outbox: { pollMs: 50, backoffMs: opts.backoffMs ?? (() => 20) },
    inboxPollMs: 50,
  });
  runtime.startWorkers();
  const auth = `Bearer ${API_TOKEN}`;
  return {
    config,
    photosDir,
    database,
    graph,
    runtime,
    app: runtime.app,
    api: {
      get: (p) => request(runtime.app).get(p).set('Authorization', auth),
      post: (p, body) => request(runtime.app).post(p).set('Authorization', auth).send(body ?? {}),
    },
    async close() {
      await runtime.stopWorkers();
      await graph.close();
      await database.drop();
      fs.rmSync(photosDir, { recursive: true, force: true });
    },
  };
}

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A pino logger that keeps its JSON lines in memory, so a test can read what an operator would. */
export function memoryLogger(level = 'info'): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return { logger: pino({ level }, sink), lines };
}

export const PINO_ERROR = 50;
