import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/lib/config.js';
import { createLogger } from '../../src/lib/logger.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { createSimulatorSender, SimulatorStore } from '../../src/whatsapp/simulator-sender.js';
import { DEMO, seedDemoData } from '../../src/simulator/seed-demo.js';
import { APP_SECRET } from '../support/harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';
import { createUser, signIn, tolerateDropRace, type Agent } from '../support/admin.js';

// The simulator page (simulator mode only) sits behind the same sign-in as the manager pages.

let database: TestDatabase;
let runtime: Runtime;
let server: Server;
let base: string;
let photosDir: string;
let agent: Agent;

beforeAll(async () => {
  database = await createTestDatabase();
  tolerateDropRace(database.pool);
  photosDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kinto-admin-sim-'));
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: database.url, WHATSAPP_APP_SECRET: APP_SECRET, WHATSAPP_PHOTOS_DIR: photosDir, LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const store = new SimulatorStore();
  const logger = createLogger({ level: config.LOG_LEVEL, pretty: false });
  await seedDemoData(database.db, logger);
  let port = 0;
  runtime = createRuntime({
    config,
    db: database.db,
    logger,
    sender: createSimulatorSender(store),
    media: store,
    simulator: { store, webhookUrl: () => `http://127.0.0.1:${port}/api/whatsapp/webhook` },
  });
  server = runtime.app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
  ({ agent } = await signIn(base, await createUser(database.db)));
});

afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await database?.drop();
  fs.rmSync(photosDir, { recursive: true, force: true });
});

const inboxCount = async () => (await database.pool.query('SELECT count(*)::int AS n FROM whatsapp_inbox')).rows[0].n as number;

describe('the simulator behind the sign-in', () => {
  it('when nobody is signed in, then its page and chat go to /login and its forms answer 401 without sending anything', async () => {
    const before = await inboxCount();

    const page = await request(base).get('/simulator');
    const chat = await request(base).get(`/simulator/messages?phone=${encodeURIComponent(DEMO.operator.phoneNumber)}`);
    const send = await request(base).post('/simulator/send').type('form').send({ phone: DEMO.operator.phoneNumber, text: 'OK' });

    expect(page.status).toBe(303);
    expect(page.headers.location).toBe('/login?next=%2Fsimulator');
    expect(chat.status).toBe(303);
    expect(send.status).toBe(401);
    expect(await inboxCount()).toBe(before);
  });

  it('when signed in, then the simulator opens, keeps its own strict CSP, and the menu and Settings link to it', async () => {
    const page = await agent.get('/simulator');
    const settings = await agent.get('/settings');

    expect(page.status).toBe(200);
    expect(page.text).toContain('WhatsApp simulator');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(settings.text).toContain('open the WhatsApp simulator');
    expect(settings.text).toContain('<li><a href="/simulator">Simulator</a></li>');
  });

  it('when a signed-in browser posts a simulator form from another site, then 403 and nothing is sent; from this site it goes through', async () => {
    const before = await inboxCount();

    const forged = await agent.post('/simulator/send').set('Origin', 'http://evil.example').type('form').send({ phone: DEMO.operator.phoneNumber, text: 'OK' });
    expect(forged.status).toBe(403);
    expect(await inboxCount()).toBe(before);

    const own = await agent.post('/simulator/send').set('Origin', base).type('form').send({ phone: DEMO.operator.phoneNumber, text: 'hello' });
    expect(own.status).toBe(303);
    expect(await inboxCount()).toBe(before + 1);
  });
});
