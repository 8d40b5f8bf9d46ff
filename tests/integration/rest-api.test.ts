import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignChecklist, createMachine, createOperator, createTemplate } from '../support/factories.js';
import { memoryLogger } from '../support/fault-harness.js';
import { API_TOKEN, startHarness, type Harness } from '../support/harness.js';
import { say, settle } from '../support/settle.js';
import {
  errorOf,
  type ApiResponse,
  type AssignmentListBody,
  type AssignmentStartBody,
  type OperatorBody,
} from '../support/api-bodies.js';
import { assignmentOf } from '../support/lifecycle.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const fieldsOf = (res: { body: unknown }) => errorOf(res)?.details?.fields.map((f) => f.field) ?? [];
/** The guide's rollback switch, run verbatim; always switched back on afterwards. */
async function withWhatsAppOff(fn: () => Promise<void>) {
  await h.database.pool.query('UPDATE system_config SET whatsapp_enabled = false;');
  try {
    await fn();
  } finally {
    await h.database.pool.query('UPDATE system_config SET whatsapp_enabled = true;');
  }
}
async function setup() {
  const [operator, machine, template] = await Promise.all([
    createOperator(h),
    createMachine(h),
    createTemplate(h, ['Check oil level']),
  ]);
  const assign = async (templateId = template.id) =>
    (await h.api.post('/api/assignments', {
      templateId,
      machineId: machine.id,
      operatorId: operator.id,
    })) as ApiResponse<AssignmentStartBody>;
  return { operator, machine, template, assign };
}

describe('authentication', () => {
  const routes = [
    ['get', '/api/operators'],
    ['post', '/api/operators'],
    ['get', '/api/machines'],
    ['post', '/api/machines'],
    ['get', '/api/templates'],
    ['post', '/api/templates'],
    ['get', '/api/templates/1'],
    ['get', '/api/assignments'],
    ['post', '/api/assignments'],
    ['get', '/api/assignments/x'],
    ['post', '/api/assignments/x/start'],
    ['post', '/api/assignments/x/cancel'],
    ['get', '/api/submissions/x'],
    ['get', '/api/no-such-route'],
  ] as const;
  const credentials = [undefined, 'Bearer wrong-token', `Basic ${API_TOKEN}`, API_TOKEN];

  it.each(routes)(
    'when %s %s has no token or a wrong one, then 401 unauthorized with a requestId',
    async (method, path) => {
      for (const authorization of credentials) {
        const req = request(h.app)[method](path);
        if (authorization) req.set('Authorization', authorization);

        const res = await req.send({});

        expect(res.status, String(authorization)).toBe(401);
        expect(errorOf(res)).toMatchObject({ code: 'unauthorized', requestId: expect.any(String) });
      }
    },
  );

  it('when an unauthenticated POST /api/operators is refused, then no operator is created', async () => {
    const res = await request(h.app).post('/api/operators').send({ name: 'Eve', phoneNumber: '+919899999999' });

    expect(res.status).toBe(401);
    expect(
      ((await h.api.get('/api/operators')).body as { operators: OperatorBody[] }).operators.map((o) => o.phoneNumber),
    ).not.toContain('+919899999999');
  });
});

describe('validation and lookups', () => {
  it.each(['12', 'call me', '+0 98123 45678', ''])(
    'when an operator phone is %j, then 400 naming phoneNumber',
    async (phoneNumber) => {
      const res = await h.api.post('/api/operators', { name: 'Ravi', phoneNumber });

      expect(res.status).toBe(400);
      expect(fieldsOf(res)).toEqual(['phoneNumber']);
    },
  );

  it.each([
    ['+91 98123 45678', '+919812345678'],
    ['0091 98123 45679', '+919812345679'],
    ['919812345680', '+919812345680'],
  ])('when the phone is typed as %j, then it is stored as %s', async (typed, e164) => {
    const res = await h.api.post('/api/operators', { name: 'Ravi', phoneNumber: typed });

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: expect.any(Number), phoneNumber: e164 });
    expect((await h.database.pool.query('SELECT 1 FROM operators WHERE phone_number = $1', [e164])).rowCount).toBe(1);
  });

  it('when a phone or a machine code is taken (in another spelling too), then 409', async () => {
    await createOperator(h, { phoneNumber: '+91 98123 45690' });
    await createMachine(h, { code: 'PRESS-DUP' });

    const phone = await h.api.post('/api/operators', { name: 'Twin', phoneNumber: '0091-98123-45690' });
    const machine = await h.api.post('/api/machines', { name: 'Twin', code: 'PRESS-DUP' });

    expect([phone.status, errorOf(phone)?.code]).toEqual([409, 'conflict']);
    expect([machine.status, errorOf(machine)?.code]).toEqual([409, 'conflict']);
  });

  it('when a taken phone number is posted, then the 409 names it to the caller but the log line does not', async () => {
    const { logger, lines } = memoryLogger();
    const own = await startHarness({}, { logger });
    try {
      await createOperator(own, { phoneNumber: '+91 98123 45691' });

      const res = await own.api.post('/api/operators', { name: 'Twin', phoneNumber: '+919812345691' });

      expect([res.status, errorOf(res)?.message]).toEqual([
        409,
        'An operator with phone number +919812345691 already exists',
      ]);
      const conflict = lines.filter((l) => l.msg.includes('already exists'));
      expect(conflict.map((l) => l.msg)).toEqual(['An operator with this phone number already exists']);
      expect(JSON.stringify(lines)).not.toContain('9812345691');
    } finally {
      await own.close();
    }
  });

  it('when created, then operators, machines, templates and assignments come back 201 with a top-level id', async () => {
    const { template, machine, operator, assign } = await setup();

    const assignment = await assign();

    expect([operator.id, machine.id, template.id].every((id) => typeof id === 'number')).toBe(true);
    expect(assignment.status).toBe(201);
    expect(assignment.body.id).toEqual(expect.any(String));
  });

  it('when a template has no tasks, then 400 naming tasks', async () => {
    const res = await h.api.post('/api/templates', { name: 'Empty', tasks: [] });

    expect([res.status, fieldsOf(res)]).toEqual([400, ['tasks']]);
  });

  it('when an assignment names an unknown operator, then 400 naming operatorId', async () => {
    const { template, machine } = await setup();

    const res = await h.api.post('/api/assignments', {
      templateId: template.id,
      machineId: machine.id,
      operatorId: 999999,
    });

    expect([res.status, fieldsOf(res)]).toEqual([400, ['operatorId']]);
    expect(errorOf(res)?.message).toContain('operatorId');
  });

  it.each([
    ['/api/templates/999999', 404, 'not_found'],
    ['/api/templates/abc', 400, 'validation_failed'],
    ['/api/assignments/unknown-id', 404, 'not_found'],
    ['/api/submissions/unknown', 404, 'not_found'],
    ['/api/assignments?status=bogus', 400, 'validation_failed'],
  ])('when GET %s, then %i %s', async (path, status, code) => {
    const res = await h.api.get(path);

    expect([res.status, errorOf(res)?.code]).toEqual([status, code]);
  });

  it('when the JSON body is malformed, then 400 invalid_json', async () => {
    const res = await request(h.app)
      .post('/api/operators')
      .set('Authorization', `Bearer ${API_TOKEN}`)
      .set('Content-Type', 'application/json')
      .send('{"name": "Ravi", ');

    expect([res.status, errorOf(res)?.code]).toEqual([400, 'invalid_json']);
  });

  it('when GET /healthz, then 200 {"status":"ok"} without a token', async () => {
    const res = await request(h.app).get('/healthz');

    expect([res.status, res.body]).toEqual([200, { status: 'ok' }]);
  });
});

describe('assignment lifecycle', () => {
  const activeSessions = async (assignmentId: string) =>
    (
      await h.database.pool.query(
        "SELECT 1 FROM whatsapp_conversation_sessions WHERE assignment_id = $1 AND status = 'active'",
        [assignmentId],
      )
    ).rowCount;

  it('when an active assignment is started again, then 409', async () => {
    const { assignment } = await assignChecklist(h);

    const res = await h.api.post(`/api/assignments/${assignment.id}/start`);

    expect([res.status, errorOf(res)?.code]).toEqual([409, 'conflict']);
  });

  it('when two starts of one pending assignment race, then one 200, one 409, no 5xx and one active session', async () => {
    const { assign } = await setup();
    let id = '';
    await withWhatsAppOff(async () => {
      id = (await assign()).body.id;
    });

    const results = await Promise.all([1, 2].map(() => h.api.post(`/api/assignments/${id}/start`)));

    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await activeSessions(id)).toBe(1);
  });

  it('when two assignments for one idle operator are created at once, then both are 201 (one active, one queued)', async () => {
    const { assign } = await setup();

    const results = await Promise.all([assign(), assign()]);

    expect(results.map((r) => r.status)).toEqual([201, 201]);
    expect(results.map((r) => r.body.status).sort()).toEqual(['active', 'pending']);
  });

  it('when an active assignment is cancelled, then it and its session are cancelled, the operator is told, and later texts are not stored', async () => {
    const { operator, assignment } = await assignChecklist(h, ['Check oil level', 'Check belt']);
    await settle(h);

    const res = await h.api.post(`/api/assignments/${assignment.id}/cancel`);
    await settle(h);
    await say(h, operator.phoneNumber, 'OK - oil fine');
    const again = await h.api.post(`/api/assignments/${assignment.id}/cancel`);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'cancelled', session: { status: 'cancelled' } });
    const texts = h.graph.textsTo(operator.phoneNumber);
    expect(texts.at(-2)).toContain('cancelled');
    expect(texts.at(-1)).toContain('no open checklist');
    expect((await assignmentOf(h, assignment.id)).progress.answered).toBe(0);
    expect(again.status).toBe(409);
  });

  it('when an operator is busy, then a second assignment is queued and starts once the first is confirmed', async () => {
    const { operator, assign } = await setup();
    const second = await createTemplate(h, ['Grease the chain', 'Check guard']);
    const first = await assign();
    await settle(h);

    const queued = await assign(second.id);

    expect(queued.status).toBe(201);
    expect(queued.body).toMatchObject({ status: 'pending', statusReason: expect.stringMatching(/another checklist/) });
    await say(h, operator.phoneNumber, 'OK - fine', 'CONFIRM');
    expect((await assignmentOf(h, first.body.id)).status).toBe('completed');
    expect((await assignmentOf(h, queued.body.id)).status).toBe('active');
    expect(h.graph.textsTo(operator.phoneNumber).at(-1)).toMatch(/^📋 Question 1 of 2: Grease the chain/);
  });

  it('when two assignments wait for a busy operator, then their queuePositions are 1 and 2', async () => {
    const { assign } = await setup();
    await assign();

    const queued = [await assign(), await assign()];

    expect(queued.map((r) => r.body.queuePosition)).toEqual([1, 2]);
  });

  it('when WhatsApp is switched off, then a new assignment waits without a message and an active one still completes', async () => {
    const { operator: busy, assignment: running } = await assignChecklist(h, ['Check oil level']);
    const { operator: idle, assign } = await setup();
    await settle(h);

    await withWhatsAppOff(async () => {
      const waiting = await assign();
      await say(h, busy.phoneNumber, 'OK - fine', 'CONFIRM');

      expect(waiting.status).toBe(201);
      expect(waiting.body).toMatchObject({
        status: 'pending',
        statusReason: expect.stringMatching(/WhatsApp is switched off/),
      });
      expect(h.graph.sentTo(idle.phoneNumber)).toEqual([]);
      expect((await assignmentOf(h, running.id)).status).toBe('completed');
    });
  });

  it('when listing by status, then only that status comes back', async () => {
    const { operator, assignment } = await assignChecklist(h, ['Check oil level']);
    await say(h, operator.phoneNumber, 'NA', 'CONFIRM');

    const completed = (await h.api.get('/api/assignments?status=completed')) as ApiResponse<AssignmentListBody>;
    const active = (await h.api.get('/api/assignments?status=active')) as ApiResponse<AssignmentListBody>;

    expect(completed.status).toBe(200);
    expect(completed.body.assignments.map((a) => a.id)).toContain(assignment.id);
    expect(new Set(completed.body.assignments.map((a) => a.status))).toEqual(new Set(['completed']));
    expect(active.body.assignments.map((a) => a.id)).not.toContain(assignment.id);
  });
});
