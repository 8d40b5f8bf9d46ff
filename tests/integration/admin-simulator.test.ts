import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, seedDemoData } from '../../src/simulator/seed-demo.js';
import { simulatedBsuid } from '../../src/simulator/username.js';
import { startSimulatorServer } from '../support/simulator-server.js';
import type { TestDatabase } from '../support/test-db.js';
import { createUser, signIn, type Agent } from '../support/admin.js';
import { API_TOKEN } from '../support/secrets.js';
import { restClient } from '../support/server-process.js';

// The simulator page (simulator mode only) sits behind the same sign-in as the manager pages.

let database: TestDatabase;
let base: string;
let agent: Agent;
let csrf: string;
let demoOperatorId: number;
let close: (() => Promise<void>) | undefined;

beforeAll(async () => {
  const sim = await startSimulatorServer({ signIn: true });
  ({ database, base, close } = sim);
  demoOperatorId = (await seedDemoData(database.db, sim.logger))!.operatorId;
  ({ agent, csrf } = await signIn(base, await createUser(database.db)));
});
afterAll(async () => {
  await close?.();
});

const inboxCount = async () =>
  (await database.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM whatsapp_inbox')).rows[0]!.n;

describe('the simulator behind the sign-in', () => {
  it('when nobody is signed in, then its page and chat go to /login and its forms answer 401 without sending anything', async () => {
    const before = await inboxCount();

    const page = await request(base).get('/simulator');
    const chat = await request(base).get(`/simulator/messages?phone=${encodeURIComponent(DEMO.operator.phoneNumber)}`);
    const send = await request(base)
      .post('/simulator/send')
      .type('form')
      .send({ phone: DEMO.operator.phoneNumber, text: 'OK' });

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

    const forged = await agent
      .post('/simulator/send')
      .set('Origin', 'http://evil.example')
      .type('form')
      .send({ phone: DEMO.operator.phoneNumber, text: 'OK' });
    expect(forged.status).toBe(403);
    expect(await inboxCount()).toBe(before);

    const own = await agent
      .post('/simulator/send')
      .set('Origin', base)
      .type('form')
      .send({ phone: DEMO.operator.phoneNumber, text: 'hello' });
    expect(own.status).toBe(303);
    expect(await inboxCount()).toBe(before + 1);
  });
});

describe('a username played in the simulator, linked by the manager', () => {
  it('when the manager links it on Unknown senders, then its simulator chat is that operator’s', async () => {
    const username = 'meera.k';
    const sent = await agent
      .post('/simulator/send')
      .set('Origin', base)
      .type('form')
      .send({ username, text: 'Hello, Meera here on my username' });
    expect(sent.status).toBe(303);
    expect((await agent.get(`/simulator?username=${username}`)).text).toContain('belongs to no operator yet');

    const listed = await agent.get('/unknown-senders');
    expect(listed.text).toContain(`@${username}`);
    expect(listed.text).toContain(`name="userId" value="${simulatedBsuid(username)}"`);
    const linked = await agent
      .post('/unknown-senders/link')
      .set('Origin', base)
      .type('form')
      .send({ _csrf: csrf, userId: simulatedBsuid(username), operatorId: String(demoOperatorId) });
    expect(linked.status).toBe(303);

    const chat = await agent.get(`/simulator?username=${username}`);
    expect(chat.text).toContain(`linked to the operator <strong>${DEMO.operator.name}</strong>`);
    expect(chat.text).toMatch(new RegExp(`<option value="${demoOperatorId}" selected>`));
  });

  it('when another operator’s checklist is under way, then the simulator opens on that operator’s chat', async () => {
    const api = restClient(base, API_TOKEN);
    const operator = await api.post('/api/operators', { name: 'Ravi Kumar', phoneNumber: '+919812345670' });
    const [template] = (await api.get('/api/templates')).body.templates as { id: number }[];
    const [machine] = (await api.get('/api/machines')).body.machines as { id: number }[];
    const assigned = await api.post('/api/assignments', {
      templateId: template!.id,
      machineId: machine!.id,
      operatorId: operator.body.id,
    });
    expect(assigned.status).toBe(201);

    const page = await agent.get('/simulator');

    expect(page.text).toMatch(/aria-current="page">Ravi Kumar /);
    expect(page.text).not.toMatch(new RegExp(`aria-current="page">${DEMO.operator.name} `));
  });
});
