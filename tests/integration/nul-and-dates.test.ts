// Input PostgreSQL cannot take (U+0000 in a text, a year it cannot parse) is refused at the edge: a 400
// naming the field, or the form again with a message, never a 500 from the database.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { errorOf } from '../support/api-bodies.js';
import type { Harness } from '../support/harness.js';
import { createUser, csrfOf, useSignedInHarness, type Agent, type FormPost } from '../support/admin.js';

let h: Harness;
let agent: Agent;
let post: FormPost;
useSignedInHarness((s) => ({ h, agent, post } = s));

const NUL = '\u0000';

describe('a NUL character in what a person sends', () => {
  it('when the sign-in email ends with NUL, then the form comes back with its message, not a 500', async () => {
    const user = await createUser(h.database.db);
    const login = request.agent(h.app);
    const page = await login.get('/login');

    const res = await login
      .post('/login')
      .type('form')
      .send(`email=${encodeURIComponent(user.email)}%00&password=x&_csrf=${csrfOf(page.text)}`);

    expect(res.status).toBe(400);
    expect(res.text).toContain('id="login-error"');
    expect(res.text).toContain('must not contain NUL characters');
  });

  it('when the sign-in password or next holds NUL, then the form comes back (400), not a 500', async () => {
    const user = await createUser(h.database.db);
    const login = request.agent(h.app);
    const page = await login.get('/login');

    const res = await login
      .post('/login')
      .type('form')
      .send({ email: user.email, password: `${user.password}${NUL}`, next: `/x${NUL}`, _csrf: csrfOf(page.text) });

    expect(res.status).toBe(400);
    expect(res.text).toContain('id="login-error"');
  });

  it('when the login page is asked to go back to a path with NUL, then it goes to the dashboard instead', async () => {
    const res = await request(h.app).get('/login?next=/x%00y');

    expect(res.status).toBe(200);
    expect(res.text).toContain('name="next" value="/"');
  });

  it('when an admin adds a person whose email holds NUL, then 400 next to the email field', async () => {
    const res = await post('/accounts', {
      name: 'Nul',
      email: `nul${NUL}@kinto.test`,
      role: 'manager',
      password: 'a-long-password-1',
    });

    expect(res.status).toBe(400);
    expect(res.text).toContain('must not contain NUL characters');
  });

  it('when a REST id holds NUL, then 400 naming the id, not a 500', async () => {
    const responses = await Promise.all([
      h.api.get('/api/assignments/abc%00'),
      h.api.get('/api/submissions/abc%00'),
      h.api.post('/api/assignments/abc%00/start'),
      h.api.post('/api/assignments/abc%00/cancel'),
    ]);

    expect(responses.map((r) => r.status)).toEqual([400, 400, 400, 400]);
    for (const res of responses)
      expect(errorOf(res)?.details).toEqual({ fields: [{ field: 'id', message: 'must not contain NUL characters' }] });
  });

  it('when a REST query holds NUL, then 400 naming the field', async () => {
    const res = await h.api.get('/api/assignments?status=active%00');

    expect(res.status).toBe(400);
    expect(JSON.stringify(errorOf(res)?.details)).toContain('status');
  });

  it('when a simulator form field holds NUL, then 400, not a 500', async () => {
    const responses = await Promise.all([
      post('/simulator/button', { phone: `+919812345678${NUL}`, id: 'x', title: 'OK' }),
      post('/simulator/send', { phone: '+919812345678', text: `OK${NUL}` }),
    ]);

    for (const res of responses) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
  });
});

describe('dates on the CSV export', () => {
  it.each([
    ['0000-01-01', '2025-01-01', 'From'],
    ['2025-01-01', '2025-02-30', 'To'],
    ['2025-01-01', '10000-01-01', 'To'],
  ])('when from=%s and to=%s, then 400 naming %s', async (from, to, field) => {
    const res = await agent.get(`/submissions.csv?from=${from}&to=${to}`);

    expect(res.status).toBe(400);
    expect(res.text).toContain(`${field}: `);
  });

  it.each([
    ['0001-01-01', '9999-12-31'],
    ['2020-01-01', '2099-12-31'],
  ])('when from=%s and to=%s (years PostgreSQL holds), then the CSV is sent', async (from, to) => {
    const res = await agent.get(`/submissions.csv?from=${from}&to=${to}`);

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
  });
});
