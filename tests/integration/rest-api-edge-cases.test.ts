import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { errorOf } from '../support/api-bodies.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('REST API edge cases', () => {
  it('when the caller sends an x-request-id, then the error carries and echoes it', async () => {
    const res = await request(h.app).get('/api/operators').set('x-request-id', 'req-abc.123');

    expect(res.headers['x-request-id']).toBe('req-abc.123');
    expect(errorOf(res)?.requestId).toBe('req-abc.123');
  });

  it('when an id is beyond the integer range, then 4xx (not 500)', async () => {
    const responses = await Promise.all([
      h.api.get('/api/templates/99999999999'),
      h.api.get('/api/assignments?operatorId=99999999999'),
      h.api.post('/api/assignments', { templateId: 99999999999, machineId: 1, operatorId: 1 }),
    ]);

    for (const res of responses) expect(res.status).toBeLessThan(500);
  });

  it('when a text field contains U+0000, then 400 (not 500)', async () => {
    const res = await h.api.post('/api/templates', { name: 'Bad', tasks: [{ text: 'Check\u0000oil' }] });

    expect(res.status).toBe(400);
  });
});
