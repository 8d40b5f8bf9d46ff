import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignChecklist } from '../support/factories.js';
import { startHarness, type Harness } from '../support/harness.js';
import { makePng } from '../support/images.js';
import { createUser, signIn, type Agent } from '../support/admin.js';
import { settle } from '../support/settle.js';
import fs from 'node:fs';
import path from 'node:path';
import { errorOf } from '../support/api-bodies.js';

// Without signing in, no page, photo or form action is reachable (issue 5's acceptance), and a signed-in
// browser's forms need their CSRF token.

let h: Harness;
let ids: {
  assignment: string;
  submission: string;
  template: number;
  task: number;
  operator: number;
  machine: number;
  user: number;
};

beforeAll(async () => {
  h = await startHarness();
  const s = await assignChecklist(h, ['Check oil level', 'Check belts']);
  await settle(h);
  ids = {
    assignment: s.assignment.id,
    submission: s.assignment.submissionId,
    template: s.template.id,
    task: s.template.tasks[1]!.id,
    operator: s.operator.id,
    machine: s.machine.id,
    user: (await createUser(h.database.db)).id,
  };
});
afterAll(async () => {
  await h?.close();
});

const pages = () => [
  '/',
  '/assignments',
  '/assignments/new',
  `/assignments/${ids.assignment}`,
  `/assignments/${ids.assignment}/live`,
  `/submissions/${ids.submission}`,
  '/submissions.csv?from=2020-01-01&to=2099-12-31',
  '/templates',
  '/templates/new',
  `/templates/${ids.template}/edit`,
  '/operators',
  `/operators/${ids.operator}/edit`,
  '/machines',
  `/machines/${ids.machine}/edit`,
  '/settings',
  '/password',
  '/accounts',
  '/no-such-page',
];

/** Every form action, with a body that would change something if it were accepted. */
const actions = (): [string, Record<string, string>][] => [
  [
    '/assignments',
    { templateId: String(ids.template), machineId: String(ids.machine), operatorId: String(ids.operator) },
  ],
  [`/assignments/${ids.assignment}/cancel`, {}],
  [`/assignments/${ids.assignment}/restart`, {}],
  [`/submissions/${ids.submission}/review`, {}],
  ['/templates', { name: 'Forged', 'tasks[0][text]': 'x', action: 'create' }],
  [`/templates/${ids.template}`, { name: 'Renamed by a stranger' }],
  [`/templates/${ids.template}/tasks`, { text: 'Added by a stranger' }],
  [`/templates/${ids.template}/tasks/${ids.task}`, { text: 'Edited by a stranger' }],
  [`/templates/${ids.template}/tasks/${ids.task}/move`, { direction: 'up' }],
  [`/templates/${ids.template}/tasks/${ids.task}/delete`, {}],
  ['/operators', { name: 'Eve', phoneNumber: '+919800000666' }],
  [`/operators/${ids.operator}/edit`, { name: 'Renamed by a stranger', phoneNumber: '+919800000667' }],
  ['/machines', { name: 'Forged', code: 'FORGED' }],
  [`/machines/${ids.machine}/edit`, { name: 'Renamed by a stranger', code: 'FORGED-EDIT' }],
  ['/settings/whatsapp', { enabled: 'false' }],
  ['/password', { current: 'x', password: 'new-password-123', confirm: 'new-password-123' }],
  ['/accounts', { name: 'Eve', email: 'eve@evil.test', role: 'admin', password: 'eve-password-123' }],
  [`/accounts/${ids.user}/disable`, {}],
  [`/accounts/${ids.user}/password`, { password: 'eve-password-123' }],
  ['/accounts/unlock', { key: '0'.repeat(64) }],
  ['/logout', {}],
];

/** Everything a refused action could have changed. */
async function snapshot() {
  const { rows } = await h.database.pool.query<Record<string, unknown>>(`
    SELECT (SELECT count(*) FROM checklist_assignments) AS assignments,
           (SELECT string_agg(status, ',' ORDER BY id) FROM checklist_assignments) AS statuses,
           (SELECT count(*) FROM checklist_submissions WHERE reviewed_at IS NOT NULL) AS reviewed,
           (SELECT string_agg(name, ',' ORDER BY id) FROM checklist_templates) AS templates,
           (SELECT string_agg(id || ':' || position || ':' || text, ',' ORDER BY id) FROM checklist_template_tasks) AS tasks,
           (SELECT string_agg(id || ':' || name || ':' || phone_number, ',' ORDER BY id) FROM operators) AS operators,
           (SELECT string_agg(id || ':' || name || ':' || code, ',' ORDER BY id) FROM machines) AS machines,
           (SELECT whatsapp_enabled FROM system_config) AS whatsapp, (SELECT count(*) FROM users) AS users,
           (SELECT string_agg(password_hash, ',') FROM users) AS hashes,
           (SELECT count(*) FROM users WHERE disabled_at IS NOT NULL) AS disabled`);
  return rows[0];
}

describe('without signing in', () => {
  it('when any page is asked for, then the browser is sent to /login with the page to come back to', async () => {
    for (const page of pages()) {
      const res = await request(h.app).get(page);

      expect(res.status, page).toBe(303);
      expect(res.headers.location, page).toBe(`/login?next=${encodeURIComponent(page)}`);
    }
  });

  it('when any form action is posted, then 401 and nothing changes', async () => {
    const before = await snapshot();

    for (const [action, body] of actions()) {
      const res = await request(h.app).post(action).type('form').send(body);

      expect(res.status, action).toBe(401);
      expect(res.headers['content-type'], action).toMatch(/^text\/html/);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('when a photo is asked for, then 401; with a signed-in session or the API token, then the photo', async () => {
    const name = 'a1b2c3.png';
    fs.writeFileSync(path.join(h.photosDir, name), makePng());
    const user = await createUser(h.database.db);
    const { agent } = await signIn(h.app, user);

    const anonymous = await request(h.app).get(`/api/whatsapp-photos/${name}`);
    const forgedCookie = await request(h.app)
      .get(`/api/whatsapp-photos/${name}`)
      .set('Cookie', 'kinto.sid=s%3Aforged.signature');
    const signedIn = await agent.get(`/api/whatsapp-photos/${name}`);
    const bearer = await h.api.get(`/api/whatsapp-photos/${name}`);

    expect(anonymous.status).toBe(401);
    expect(forgedCookie.status).toBe(401);
    expect(signedIn.status).toBe(200);
    expect(signedIn.headers['content-type']).toBe('image/png');
    expect(bearer.status).toBe(200);
    expect((await agent.get('/api/whatsapp-photos/..%2F..%2Fetc%2Fpasswd')).status).toBe(403);
  });

  it('when the REST API is called with a session cookie but no token, then it still answers 401', async () => {
    const { agent } = await signIn(h.app, await createUser(h.database.db));

    const res = await agent.get('/api/operators');

    expect(res.status).toBe(401);
    expect(errorOf(res)?.code).toBe('unauthorized');
  });

  it('when /healthz, the stylesheet and the script are asked for, then they need no sign-in', async () => {
    expect((await request(h.app).get('/healthz')).status).toBe(200);
    expect((await request(h.app).get('/assets/app.css')).headers['content-type']).toMatch(/^text\/css/);
    expect((await request(h.app).get('/assets/admin.js')).headers['content-type']).toMatch(/javascript/);
  });
});

describe('signed in', () => {
  it('when every page is asked for, then each renders (an unknown one is a 404 page)', async () => {
    const { agent } = await signIn(h.app, await createUser(h.database.db, { role: 'admin' }));

    for (const page of pages()) {
      const res = await agent.get(page);

      expect(res.status, page).toBe(page === '/no-such-page' ? 404 : 200);
      expect(res.headers['content-type'], page).toMatch(
        page.startsWith('/submissions.csv') ? /^text\/csv/ : /^text\/html/,
      );
    }
  });
});

describe('signed in, but without the CSRF token', () => {
  let agent: Agent;
  beforeAll(async () => {
    ({ agent } = await signIn(h.app, await createUser(h.database.db, { role: 'admin' })));
  });

  it('when any form action is posted without _csrf or with a wrong one, then 403 and nothing changes', async () => {
    const before = await snapshot();

    for (const [action, body] of actions()) {
      const missing = await agent.post(action).type('form').send(body);
      const wrong = await agent
        .post(action)
        .type('form')
        .send({ ...body, _csrf: 'f'.repeat(256) });

      expect(missing.status, action).toBe(403);
      expect(wrong.status, action).toBe(403);
      expect(missing.text, action).toContain('form has expired');
    }
    expect(await snapshot()).toEqual(before);
    expect((await agent.get('/')).status).toBe(200); // and the session is still signed in
  });

  it('when the token of another session is used, then 403', async () => {
    const other = await signIn(h.app, await createUser(h.database.db));

    const res = await agent
      .post('/machines')
      .type('form')
      .send({ name: 'X', code: 'OTHER-SESSION', _csrf: other.csrf });

    expect(res.status).toBe(403);
  });
});
