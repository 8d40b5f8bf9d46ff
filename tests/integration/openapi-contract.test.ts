// The documented responses against the real app on a real database: each body parses with its
// (strict) response schema, and each status seen is one the OpenAPI document lists for that route.
import request from 'supertest';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { say, settle } from '../support/settle.js';
import { buildOpenApi } from '../../src/docs/openapi.js';
import * as schemas from '../../src/docs/response-schemas.js';

type Paths = Record<string, Record<string, { responses: Record<string, unknown> }>>;
const paths = (buildOpenApi() as { paths: Paths }).paths;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

/** Asserts the status is documented for `METHOD /path/{param}` and the body parses with `schema`; returns the body. */
function conforms<S extends z.ZodType>(
  route: string,
  res: { status: number; body: unknown },
  status: number,
  schema: S,
): z.infer<S> {
  const [method, path] = route.split(' ') as [string, string];
  expect(res.status, `${route}: ${JSON.stringify(res.body)}`).toBe(status);
  expect(paths[path]?.[method.toLowerCase()]?.responses[String(status)], `${route} documents ${status}`).toBeDefined();
  const parsed = schema.safeParse(res.body);
  expect(parsed.error?.issues ?? [], `${route} ${status} body`).toEqual([]);
  return parsed.data as z.infer<S>;
}

describe('responses match the OpenAPI document', () => {
  it('when a checklist is set up, assigned, queued, answered, confirmed and cancelled, then every body has its documented shape', async () => {
    const list = (key: string, item: z.ZodType) =>
      ({
        safeParse: (b: unknown) => item.array().safeParse((b as Record<string, unknown>)?.[key]),
      }) as unknown as z.ZodType;

    const operator = conforms(
      'POST /api/operators',
      await h.api.post('/api/operators', { name: 'Ravi', phoneNumber: '+91 98123 40001' }),
      201,
      schemas.operatorSchema,
    );
    const machine = conforms(
      'POST /api/machines',
      await h.api.post('/api/machines', { name: 'Press 7', code: 'DOC-1' }),
      201,
      schemas.machineSchema,
    );
    const template = conforms(
      'POST /api/templates',
      await h.api.post('/api/templates', {
        name: 'Daily press check',
        tasks: [{ text: 'Check oil level' }, { text: 'Check belts', requiresPhoto: false }],
      }),
      201,
      schemas.templateWithTasksSchema,
    );
    conforms('GET /api/operators', await h.api.get('/api/operators'), 200, list('operators', schemas.operatorSchema));
    conforms('GET /api/machines', await h.api.get('/api/machines'), 200, list('machines', schemas.machineSchema));
    conforms('GET /api/templates', await h.api.get('/api/templates'), 200, list('templates', schemas.templateSchema));
    conforms(
      'GET /api/templates/{id}',
      await h.api.get(`/api/templates/${template.id}`),
      200,
      schemas.templateWithTasksSchema,
    );

    const ids = { templateId: template.id, machineId: machine.id, operatorId: operator.id };
    const first = conforms(
      'POST /api/assignments',
      await h.api.post('/api/assignments', ids),
      201,
      schemas.assignmentWithStartSchema,
    );
    const second = conforms(
      'POST /api/assignments',
      await h.api.post('/api/assignments', ids),
      201,
      schemas.assignmentWithStartSchema,
    );
    expect([first.start.started, second.start.started, second.queuePosition]).toEqual([true, false, 1]);
    conforms(
      'POST /api/assignments/{id}/start',
      await h.api.post(`/api/assignments/${second.id}/start`),
      202,
      schemas.assignmentWithStartSchema,
    );
    conforms(
      'POST /api/assignments/{id}/start',
      await h.api.post(`/api/assignments/${first.id}/start`),
      409,
      schemas.errorSchema,
    );
    conforms(
      'GET /api/assignments',
      await h.api.get(`/api/assignments?status=active&operatorId=${operator.id}`),
      200,
      list('assignments', schemas.assignmentSummarySchema),
    );

    await settle(h);
    await say(h, operator.phoneNumber, 'OK - oil level normal', 'NOT OK - belt worn', 'CONFIRM');
    const done = conforms(
      'GET /api/assignments/{id}',
      await h.api.get(`/api/assignments/${first.id}`),
      200,
      schemas.assignmentDetailSchema,
    );
    const submission = conforms(
      'GET /api/submissions/{id}',
      await h.api.get(`/api/submissions/${done.submissionId}`),
      200,
      schemas.submissionSchema,
    );
    expect(submission.answers.map((a) => a.status)).toEqual(['OK', 'NOT_OK']);

    // The queued one started when the first was confirmed; cancelling it ends its conversation.
    conforms(
      'POST /api/assignments/{id}/cancel',
      await h.api.post(`/api/assignments/${second.id}/cancel`),
      200,
      schemas.assignmentDetailSchema,
    );
    conforms(
      'POST /api/assignments/{id}/cancel',
      await h.api.post(`/api/assignments/${second.id}/cancel`),
      409,
      schemas.errorSchema,
    );
  });

  it('when requests fail, then each error body and status is documented', async () => {
    conforms(
      'POST /api/operators',
      await h.api.post('/api/operators', { name: 'Ravi', phoneNumber: 'call me' }),
      400,
      schemas.errorSchema,
    );
    conforms(
      'POST /api/operators',
      await h.api.post('/api/operators', { name: 'Ravi', phoneNumber: '+91 98123 40001' }),
      409,
      schemas.errorSchema,
    );
    conforms('GET /api/operators', await request(h.app).get('/api/operators'), 401, schemas.errorSchema);
    conforms('GET /api/templates/{id}', await h.api.get('/api/templates/999999'), 404, schemas.errorSchema);
    conforms('GET /api/assignments', await h.api.get('/api/assignments?status=bogus'), 400, schemas.errorSchema);
    conforms(
      'POST /api/assignments/{id}/start',
      await h.api.post('/api/assignments/no-such-id/start'),
      404,
      schemas.errorSchema,
    );
    conforms('GET /api/submissions/{id}', await h.api.get('/api/submissions/no-such-id'), 404, schemas.errorSchema);
    conforms(
      'GET /api/whatsapp-photos/{filename}',
      await h.api.get('/api/whatsapp-photos/missing.jpg'),
      404,
      schemas.errorSchema,
    );
    conforms(
      'GET /api/whatsapp/webhook',
      await request(h.app).get('/api/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1'),
      403,
      schemas.errorSchema,
    );
    conforms(
      'POST /api/whatsapp/webhook',
      await request(h.app).post('/api/whatsapp/webhook').set('Content-Type', 'application/json').send('{}'),
      401,
      schemas.errorSchema,
    );
  });

  it('when /healthz is asked without a token, then it answers the documented 200', async () => {
    conforms('GET /healthz', await request(h.app).get('/healthz'), 200, schemas.healthSchema);
  });

  it('when a submission is sent back, its reworks listed, the rework cancelled and the submission approved, then every body has its documented shape', async () => {
    const { assignChecklist } = await import('../support/factories.js');
    const s = await assignChecklist(h, ['Check oil level', 'Check belts']);
    await settle(h);
    await say(h, s.operator.phoneNumber, 'OK', 'NOT OK - belt worn', 'CONFIRM');
    const id = s.assignment.submissionId;
    const route = 'POST /api/submissions/{id}/review';
    const reviewed = schemas.reviewedSubmissionSchema;

    conforms(
      route,
      await h.api.post(`/api/submissions/${id}/review`, { decision: 'rework' }),
      400,
      schemas.errorSchema,
    );
    const sent = conforms(
      route,
      await h.api.post(`/api/submissions/${id}/review`, { decision: 'rework', tasks: [2], comment: 'Look again' }),
      200,
      reviewed,
    );
    expect(sent.reviewStatus).toBe('rework');
    conforms(
      route,
      await h.api.post(`/api/submissions/${id}/review`, { decision: 'approve' }),
      409,
      schemas.errorSchema,
    );
    conforms(
      'GET /api/submissions/{id}/reworks',
      await h.api.get(`/api/submissions/${id}/reworks`),
      200,
      z.strictObject({ reworks: z.array(schemas.reworkSchema) }),
    );
    await settle(h);
    conforms(
      'POST /api/submissions/{id}/rework/cancel',
      await h.api.post(`/api/submissions/${id}/rework/cancel`),
      200,
      reviewed,
    );
    conforms(
      'POST /api/submissions/{id}/rework/cancel',
      await h.api.post(`/api/submissions/${id}/rework/cancel`),
      409,
      schemas.errorSchema,
    );
    const approved = conforms(
      route,
      await h.api.post(`/api/submissions/${id}/review`, { decision: 'approve' }),
      200,
      reviewed,
    );
    expect(approved.reviewStatus).toBe('approved');
  });

  it('when a schedule is made, listed, read, edited, paused, run, missed and deleted, then every body has its documented shape', async () => {
    const { scheduledOperator, patchSchedule, deleteSchedule, movableSchedulesWorker, occurrencesOf } =
      await import('../support/schedules.js');
    const { schedule } = await scheduledOperator(h);
    conforms(
      'GET /api/schedules',
      await h.api.get('/api/schedules'),
      200,
      z.object({ schedules: z.array(schemas.scheduleSchema) }),
    );
    conforms('GET /api/schedules/{id}', await h.api.get(`/api/schedules/${schedule.id}`), 200, schemas.scheduleSchema);
    conforms(
      'PATCH /api/schedules/{id}',
      await patchSchedule(h, schedule.id, { times: ['05:00'] }),
      200,
      schemas.scheduleSchema,
    );
    const missedAt = new Date(
      Date.parse(((await h.api.get(`/api/schedules/${schedule.id}`)).body as { nextRunAt: string }).nextRunAt) +
        200 * 60_000,
    );
    await movableSchedulesWorker(h, missedAt).runAt(missedAt);
    const ran = conforms(
      'GET /api/schedules/{id}',
      await h.api.get(`/api/schedules/${schedule.id}`),
      200,
      schemas.scheduleSchema,
    );
    expect(ran.lastResult?.status).toBe('missed');
    const [missed] = await occurrencesOf(h, schedule.id);
    conforms(
      'GET /api/assignments/{id}',
      await h.api.get(`/api/assignments/${missed!.id}`),
      200,
      schemas.assignmentDetailSchema,
    );
    conforms(
      'PATCH /api/schedules/{id}',
      await patchSchedule(h, schedule.id, { active: false }),
      200,
      schemas.scheduleSchema,
    );
    conforms('POST /api/schedules', await h.api.post('/api/schedules', { times: ['25:00'] }), 400, schemas.errorSchema);
    conforms('DELETE /api/schedules/{id}', await deleteSchedule(h, schedule.id), 204, z.any());
    conforms('GET /api/schedules/{id}', await h.api.get(`/api/schedules/${schedule.id}`), 404, schemas.errorSchema);
  });
});
