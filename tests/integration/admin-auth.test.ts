// Signing in: the first admin, wrong passwords, session id and cookie flags, CSRF, redirects, rate limits.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFirstAdmin } from '../../src/admin/auth/first-admin.js';
import { safeNext } from '../../src/admin/auth/login-routes.js';
import { createLogger } from '../../src/lib/logger.js';
import { createRuntime } from '../../src/runtime.js';
import { startHarness, type Harness } from '../support/harness.js';
import { createUser, csrfOf, sessionCookie, tryLogin } from '../support/admin.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const silent = createLogger({ level: 'silent', pretty: false });
const cookiePair = (setCookie: string) => setCookie.split(';')[0]!;

describe('the first start', () => {
  it('when no user exists and no ADMIN_PASSWORD is set, then an admin is created and its generated password printed once', async () => {
    const printed: string[] = [];

    const first = await ensureFirstAdmin(h.database.db, { email: 'admin@localhost' }, silent, (l) => printed.push(l));
    const second = await ensureFirstAdmin(h.database.db, { email: 'admin@localhost' }, silent, (l) => printed.push(l));

    expect(first).toBe('admin@localhost');
    expect(second).toBeNull();
    expect(printed).toHaveLength(1);
    const m = /^Admin account created: admin@localhost \/ (\S+) \(shown once; change it under Your password\)$/.exec(
      printed[0]!,
    );
    expect(m).not.toBeNull();
    const { rows } = await h.database.pool.query<{ role: string; password_hash: string }>(
      "SELECT role, password_hash FROM users WHERE email = 'admin@localhost'",
    );
    expect(rows[0]!.role).toBe('admin');
    expect(rows[0]!.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(rows[0]!.password_hash).not.toContain(m![1]);
    expect((await tryLogin(h.app, 'admin@localhost', m![1]!)).res.status).toBe(303);
  });
});

describe('signing in', () => {
  it('when the password is wrong or the email unknown, then 401 with the same message, and no session is signed in', async () => {
    const user = await createUser(h.database.db);

    const wrong = await tryLogin(h.app, user.email, 'not the password');
    const unknown = await tryLogin(h.app, 'nobody@kinto.test', 'whatever');

    for (const { res, agent } of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.text).toContain('That email and password do not match an account.');
      expect((await agent.get('/')).status).toBe(303);
    }
    expect(wrong.res.text).toContain(`value="${user.email}"`);
  });

  it('when the email is typed in capitals with spaces, then it still signs in', async () => {
    const user = await createUser(h.database.db);

    const { res } = await tryLogin(h.app, `  ${user.email.toUpperCase()} `, user.password);

    expect(res.status).toBe(303);
  });

  it('when signing in, then a new session id is set in a cookie that is HttpOnly, SameSite=Lax, not Secure over plain http in tests', async () => {
    const user = await createUser(h.database.db);
    const agent = request.agent(h.app);
    const page = await agent.get('/login');
    // An id planted in the browser before sign-in (here: one of a signed-out session) is not taken over.
    const planted = cookiePair(sessionCookie((await tryLogin(h.app, user.email, user.password)).res)!);

    const res = await agent
      .set('Cookie', planted)
      .post('/login')
      .type('form')
      .send({ email: user.email, password: user.password, _csrf: csrfOf(page.text) });

    const after = sessionCookie(res)!;
    expect(after).toBeDefined();
    expect(cookiePair(after)).not.toBe(planted);
    expect(after).toMatch(/; HttpOnly/);
    expect(after).toMatch(/; SameSite=Lax/);
    expect(after).toMatch(/; Path=\//);
    expect(after).not.toMatch(/; Secure/);
    expect((await request(h.app).get('/').set('Cookie', cookiePair(after))).status).toBe(200);
  });

  it('when the login form comes without its CSRF token, then 403 and nobody is signed in', async () => {
    const user = await createUser(h.database.db);
    const agent = request.agent(h.app);
    await agent.get('/login');

    const res = await agent.post('/login').type('form').send({ email: user.email, password: user.password });

    expect(res.status).toBe(403);
    expect((await agent.get('/')).status).toBe(303);
  });

  it('when next names a page, then sign-in goes there; another site or a login loop goes to the dashboard', async () => {
    const user = await createUser(h.database.db);

    expect((await tryLogin(h.app, user.email, user.password, { next: '/operators?x=1' })).res.headers.location).toBe(
      '/operators?x=1',
    );
    expect((await tryLogin(h.app, user.email, user.password, { next: '//evil.example/x' })).res.headers.location).toBe(
      '/',
    );
    expect(['/', 'https://evil.example', '/\\evil.example', '/login', '/logout', ' /x', '/a b'].map(safeNext)).toEqual([
      '/',
      '/',
      '/',
      '/',
      '/',
      '/',
      '/',
    ]);
  });

  it('when 10 sign-ins fail for one email, then the 11th is refused with 429 even with the right password; another email still works', async () => {
    const user = await createUser(h.database.db);
    const other = await createUser(h.database.db);
    for (let i = 0; i < 10; i++) expect((await tryLogin(h.app, user.email, `wrong ${i}`)).res.status).toBe(401);

    const limited = await tryLogin(h.app, user.email, user.password);
    const otherEmail = await tryLogin(h.app, other.email, other.password);

    expect(limited.res.status).toBe(429);
    expect(limited.res.text).toContain('Too many failed sign-ins');
    expect((await limited.agent.get('/')).status).toBe(303);
    expect(otherEmail.res.status).toBe(303);
  });
});

describe('before sign-in', () => {
  const storedSessions = async () =>
    (await h.database.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM user_sessions')).rows[0]!.n;

  it('when the login page is fetched many times without a cookie, then no session is stored and no session cookie is set', async () => {
    const before = await storedSessions();

    const pages = await Promise.all(Array.from({ length: 30 }, () => request(h.app).get('/login')));

    for (const page of pages) {
      expect(page.status).toBe(200);
      expect(sessionCookie(page)).toBeUndefined();
    }
    expect(await storedSessions()).toBe(before);
  });

  it('when sign-in fails, then no session is stored either', async () => {
    const before = await storedSessions();

    const { res } = await tryLogin(h.app, 'nobody@kinto.test', 'whatever');

    expect(res.status).toBe(401);
    expect(sessionCookie(res)).toBeUndefined();
    expect(await storedSessions()).toBe(before);
  });

  it("when the form's token comes with another browser's login cookie, then 403 and nobody is signed in", async () => {
    const user = await createUser(h.database.db);
    const mine = request.agent(h.app);
    await mine.get('/login');
    const theirs = await request(h.app).get('/login');

    const res = await mine
      .post('/login')
      .type('form')
      .send({ email: user.email, password: user.password, _csrf: csrfOf(theirs.text) });

    expect(res.status).toBe(403);
    expect(sessionCookie(res)).toBeUndefined();
  });

  it('when the login cookie carries the form token with a forged signature, then 403', async () => {
    const user = await createUser(h.database.db);
    const page = await request(h.app).get('/login');
    const token = csrfOf(page.text);

    const res = await request(h.app)
      .post('/login')
      .set('Cookie', `kinto.login=${token}.forged-signature`)
      .type('form')
      .send({ email: user.email, password: user.password, _csrf: token });

    expect(res.status).toBe(403);
  });

  it('when the login page is opened in two tabs, then the first tab still signs in', async () => {
    const user = await createUser(h.database.db);
    const agent = request.agent(h.app);
    const first = await agent.get('/login');
    await agent.get('/login');

    const res = await agent
      .post('/login')
      .type('form')
      .send({ email: user.email, password: user.password, _csrf: csrfOf(first.text) });

    expect(res.status).toBe(303);
  });
});

describe('with two processes (PM2 cluster mode)', () => {
  it('when failed sign-ins are spread over two app instances, then they count together', async () => {
    const user = await createUser(h.database.db);
    const second = createRuntime({
      config: h.config,
      db: h.database.db,
      logger: silent,
      sender: {
        send: () => Promise.reject(new Error('unused')),
      } as never,
      media: {} as never,
    }).app;
    for (let i = 0; i < 10; i++)
      expect((await tryLogin(i % 2 ? h.app : second, user.email, `wrong ${i}`)).res.status).toBe(401);

    expect((await tryLogin(second, user.email, user.password)).res.status).toBe(429);
    expect((await tryLogin(h.app, user.email, user.password)).res.status).toBe(429);
  });
});
