import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express from 'express';
import request from 'supertest';
import { expect } from 'vitest';
import { loadConfig } from '../../src/lib/config.js';
import { createLogger, type Logger } from '../../src/lib/logger.js';
import { createRuntime } from '../../src/runtime.js';
import type { ChatItem } from '../../src/simulator/chat-model.js';
import { simulatorRoutes } from '../../src/simulator/simulator-routes.js';
import { createSimulatorSender, SimulatorStore } from '../../src/whatsapp/simulator-sender.js';
import { API_TOKEN, APP_SECRET } from './harness.js';
import { createTestDatabase, type TestDatabase } from './test-db.js';

export interface SimulatorServer {
  database: TestDatabase;
  /** This server's own WHATSAPP_PHOTOS_DIR (a temp folder). */
  photosDir: string;
  store: SimulatorStore;
  logger: Logger;
  /** http://127.0.0.1:<port>: the simulator posts its webhook deliveries there, so it needs a real port. */
  base: string;
  /** A function, not a method: tests take it out of the object (`({ close } = ...)`). */
  close: () => Promise<void>;
}

/**
 * The real app in simulator mode (no WhatsApp account) on a fresh database, listening on a real port, workers running.
 * With `signIn: true` the app mounts /simulator behind the manager sign-in, as src/server.ts does; with `false`
 * /simulator is mounted in front of the app without it, so a test can play the operator without signing in.
 */
export async function startSimulatorServer(opts: { signIn: boolean }): Promise<SimulatorServer> {
  const database = await createTestDatabase();
  const photosDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kinto-sim-photos-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    WHATSAPP_APP_SECRET: APP_SECRET,
    WHATSAPP_PHOTOS_DIR: photosDir,
    API_TOKEN,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    // The test types as soon as the question is shown; a person reading first needs no such setting.
    QUESTION_READ_MARGIN_SECONDS: '0',
  });
  expect(config.simulator).toBe(true);
  const logger = createLogger({ level: config.LOG_LEVEL, pretty: false });
  const store = new SimulatorStore();
  let port = 0;
  const webhookUrl = () => `http://127.0.0.1:${port}/api/whatsapp/webhook`;
  const runtime = createRuntime({
    config,
    db: database.db,
    logger,
    sender: createSimulatorSender(store),
    media: store,
    outbox: { pollMs: 50, backoffMs: () => 20 },
    inboxPollMs: 50,
    ...(opts.signIn ? { simulator: { store, webhookUrl } } : {}),
  });
  runtime.startWorkers();
  const app = opts.signIn
    ? runtime.app
    : express()
        .use(
          '/simulator',
          simulatorRoutes({
            db: database.db,
            store,
            appSecret: config.appSecret,
            webhookUrl,
            logger,
            startAssignment: runtime.conversation.start,
          }),
        )
        .use(runtime.app);
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
  return {
    database,
    photosDir,
    store,
    logger,
    base: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runtime.stopWorkers();
      await database.drop();
      fs.rmSync(photosDir, { recursive: true, force: true });
    },
  };
}

/** Whose simulator chat: a phone number's, or a username's (someone who writes without a number). */
export type SimulatedPerson = { phone: string } | { username: string };

/** The chat of one simulated person, as the simulator page polls it. */
export async function simulatorChat(base: string, who: SimulatedPerson): Promise<ChatItem[]> {
  const res = await request(base).get(`/simulator/messages?${new URLSearchParams(who).toString()}`);
  expect(res.status).toBe(200);
  return (res.body as { messages: ChatItem[] }).messages;
}

/** Waits for a server message, after the first `after` chat items, whose text (or interactive body) matches. */
export async function waitForSimulatorMessage(
  base: string,
  who: SimulatedPerson,
  match: RegExp,
  after = 0,
  timeoutMs = 10_000,
): Promise<ChatItem> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const items = await simulatorChat(base, who);
    const found = items.slice(after).find((m) => m.direction === 'out' && match.test(m.text));
    if (found) return found;
    if (Date.now() >= deadline) {
      const seen = items.map((m) => `  ${m.direction} ${m.kind}: ${m.text}`).join('\n');
      throw new Error(`No server message matching ${match} within ${timeoutMs} ms. Chat:\n${seen}`);
    }
    await new Promise((r) => setTimeout(r, 30));
  }
}
