import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import { loadConfig, type Config } from '../../src/lib/config.js';
import { createLogger, type Logger } from '../../src/lib/logger.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { createGraphClient, type GraphClient } from '../../src/whatsapp/graph-client.js';
import type { WhatsAppSender } from '../../src/whatsapp/whatsapp-types.js';
import { graphMediaSource } from '../../src/whatsapp/media-source.js';
import { startFakeGraphApi, type FakeGraphApi } from './fake-graph-api.js';
import { createTestDatabase, type TestDatabase } from './test-db.js';

import { ACCESS_TOKEN, API_TOKEN, APP_SECRET, VERIFY_TOKEN } from './secrets.js';

export { ACCESS_TOKEN, API_TOKEN, APP_SECRET, VERIFY_TOKEN };

export interface Harness {
  config: Config;
  /** This harness's own WHATSAPP_PHOTOS_DIR (a temp folder). */
  photosDir: string;
  database: TestDatabase;
  graph: FakeGraphApi;
  runtime: Runtime;
  app: Express;
  api: {
    get(path: string): request.Test;
    post(path: string, body?: object): request.Test;
  };
  close(): Promise<void>;
}

export interface HarnessOptions {
  lifecyclePollMs?: number;
  /** A database of the test's own (e.g. on a PostgreSQL it stops); default a clone of the template. */
  database?: TestDatabase;
  logger?: Logger;
  /** The outbox's retry backoff; default 20 ms. */
  backoffMs?: (attempt: number) => number;
  /** Wraps the Graph API client the outbox sends with (to act between a send and its bookkeeping). */
  wrapSender?: (client: GraphClient) => WhatsAppSender;
}

/** The real app on a fresh database, with the Graph API pointed at a fake Meta server on 127.0.0.1. */
export async function startHarness(env: Record<string, string> = {}, opts: HarnessOptions = {}): Promise<Harness> {
  const database = opts.database ?? (await createTestDatabase());
  const graph = await startFakeGraphApi({ accessToken: ACCESS_TOKEN });
  const photosDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kinto-photos-'));
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
    // No reordering wait by default: tests that deliver out of order set it themselves.
    INBOX_SETTLE_MS: '0',
    // Tests answer as soon as the question is sent; the read-time rule's own tests use the default margin.
    QUESTION_READ_MARGIN_SECONDS: '0',
    ...env,
  });
  const logger = opts.logger ?? createLogger({ level: config.LOG_LEVEL, pretty: false });
  const client = createGraphClient({
    baseUrl: config.WHATSAPP_API_BASE_URL,
    version: config.WHATSAPP_API_VERSION,
    phoneNumberId: config.phoneNumberId,
    accessToken: ACCESS_TOKEN,
    // Generous: under a loaded CI machine a slow fake must not look like Meta timing out.
    timeoutMs: 5000,
  });
  const runtime = createRuntime({
    config,
    db: database.db,
    logger,
    sender: opts.wrapSender ? opts.wrapSender(client) : client,
    media: graphMediaSource(client),
    outbox: { pollMs: 50, backoffMs: opts.backoffMs ?? (() => 20) },
    inboxPollMs: 50,
    ...(opts.lifecyclePollMs ? { lifecyclePollMs: opts.lifecyclePollMs } : {}),
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
      get: (path) => request(runtime.app).get(path).set('Authorization', auth),
      post: (path, body) =>
        request(runtime.app)
          .post(path)
          .set('Authorization', auth)
          .send(body ?? {}),
    },
    async close() {
      await runtime.stopWorkers();
      await graph.close();
      await database.drop();
      fs.rmSync(photosDir, { recursive: true, force: true });
    },
  };
}
