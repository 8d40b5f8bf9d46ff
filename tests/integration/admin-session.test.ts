// Signed in: signing out, password changes, people, security headers; and the cookie in production.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdLocks, waitForLockWaiters } from '../support/pg-locks.js';
import { startHarness, type Harness } from '../support/harness.js';
import { cookieNamed, createUser, csrfOf, sessionCookie, signIn, tryLogin } from '../support/admin.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('signed in', () => {
  it('when a form answers with a flash and a redirect, then the redirect is sent only once the flash is saved', async () => {
    const user = await createUser(h.database.db);
    const { res: login } = await tryLogin(h.app, user.email, user.password);
    const cookie = sessionCookie(login)!.split(';')[0]!;
    const csrf = csrfOf((await request(h.app).get('/machines').set('Cookie', cookie)).text);
    const server = h.app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    // The session store's write waits behind this lock, as it would behind a slow database.
    const lock = await holdLocks(h, [
      "SELECT sid FROM user_sessions WHERE sess->>'userId' = $1 FOR UPDATE",
      [String(user.id)],
    ]);
    try {
      let headersAt: number | null = null;
      const answered = new Promise<http.IncomingMessage>((resolve, reject) => {
        const req = http.request(
          {
            port: (server.address() as AddressInfo).port,
            host: '127.0.0.1',
            method: 'POST',
            path: '/machines',
            headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
          },
          (res) => {
            headersAt = Date.now();
            res.resume().on('end', () => resolve(res));
          },
        );
        req.on('error', reject);
        req.end(new URLSearchParams({ _csrf: csrf, name: 'Flash press', code: `FLASH-${Date.now()}` }).toString());
      });

      await waitForLockWaiters(h, 1, '%user_sessions%');
      await new Promise((r) => setTimeout(r, 200)); // time for headers written too early to arrive
      expect(headersAt, 'the 303 left before the session (and its flash) was saved').toBeNull();
      await lock.commit();
      const res = await answered;

      expect([res.statusCode, res.headers.location]).toEqual([303, '/machines']);
      expect((await request(h.app).get('/machines').set('Cookie', cookie)).text).toContain('Machine Flash press');
    } finally {
      await lock.rollback();
      server.close();
    }
  });

  it('when signing out, then the session ends and its cookie no longer opens a page', async () => {
    const user = await createUser(h.database.db);
    const { agent, csrf } = await signIn(h.app, user);
    const res = await agent.post('/logout').type('form').send({ _csrf: csrf });

    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login');
    expect((await agent.get('/')).status).toBe(303);
    const { rows } = await h.database.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM user_sessions WHERE sess->>'userId' = $1",
      [String(user.id)],
    );
    expect(rows[0]!.n).toBe(0);
  });

  it('when the password is changed, then other sessions of that user end, this one goes on, and only the new password works', async () => {
    const user = await createUser(h.database.db);
    const phone = await signIn(h.app, user);
    const desk = await signIn(h.app, user);

    const wrongCurrent = await desk.agent
      .post('/password')
      .type('form')
      .send({ _csrf: desk.csrf, current: 'nope', password: 'a-new-password-1', confirm: 'a-new-password-1' });
    const mismatch = await desk.agent
      .post('/password')
      .type('form')
      .send({ _csrf: desk.csrf, current: user.password, password: 'a-new-password-1', confirm: 'other' });
    const changed = await desk.agent
      .post('/password')
      .type('form')
      .send({ _csrf: desk.csrf, current: user.password, password: 'a-new-password-1', confirm: 'a-new-password-1' });

    expect(wrongCurrent.status).toBe(401);
    expect(wrongCurrent.text).toContain('is not your current password');
    expect(mismatch.status).toBe(400);
    expect(mismatch.text).toContain('does not match the new password');
    expect(changed.status).toBe(303);
    expect((await desk.agent.get('/settings')).status).toBe(200);
    expect((await phone.agent.get('/settings')).status).toBe(303);
    expect((await tryLogin(h.app, user.email, user.password)).res.status).toBe(401);
    expect((await tryLogin(h.app, user.email, 'a-new-password-1')).res.status).toBe(303);
  });

  it('when the current password is wrong 10 times, then the 11th try is refused with 429 even when right, and sign-in too', async () => {
    const user = await createUser(h.database.db);
    const { agent, csrf } = await signIn(h.app, user);
    const change = (current: string) =>
      agent
        .post('/password')
        .type('form')
        .send({ _csrf: csrf, current, password: 'a-new-password-1', confirm: 'a-new-password-1' });
    for (let i = 0; i < 10; i++) expect((await change(`wrong ${i}`)).status).toBe(401);

    const limited = await change(user.password);

    expect(limited.status).toBe(429);
    expect(limited.text).toContain('Too many wrong passwords');
    // The same counts as sign-in: guessing here locks guessing there, and the password did not change.
    expect((await tryLogin(h.app, user.email, user.password)).res.status).toBe(429);
    expect((await agent.get('/settings')).status).toBe(200);
  });

  it('when the current password is right but the new one is refused, then that is not a wrong password', async () => {
    const user = await createUser(h.database.db);
    const { agent, csrf } = await signIn(h.app, user);
    for (let i = 0; i < 11; i++) {
      const res = await agent
        .post('/password')
        .type('form')
        .send({ _csrf: csrf, current: user.password, password: 'a-new-password-1', confirm: `other ${i}` });
      expect(res.status).toBe(400);
    }
  });

  it('when an admin adds a manager, then the manager can sign in but cannot add people', async () => {
    const admin = await createUser(h.database.db, { role: 'admin' });
    const { agent, csrf } = await signIn(h.app, admin);

    const bad = await agent
      .post('/accounts')
      .type('form')
      .send({ _csrf: csrf, name: 'Lata', email: 'not-an-email', role: 'manager', password: 'short' });
    const added = await agent.post('/accounts').type('form').send({
      _csrf: csrf,
      name: 'Lata\u202E Rao',
      email: 'Lata@Kinto.test',
      role: 'manager',
      password: 'lata-password-1',
    });
    const again = await agent
      .post('/accounts')
      .type('form')
      .send({ _csrf: csrf, name: 'Lata', email: 'lata@kinto.test', role: 'manager', password: 'lata-password-1' });

    expect(bad.status).toBe(400);
    expect(bad.text).toContain('must be an email address');
    expect(bad.text).toContain('must be at least 10 characters');
    expect(bad.text).toContain('value="Lata"');
    expect(added.status).toBe(303);
    expect(again.status).toBe(409);
    const { rows } = await h.database.pool.query("SELECT name FROM users WHERE email = 'lata@kinto.test'");
    expect(rows).toEqual([{ name: 'Lata Rao' }]); // the right-to-left override is removed
    const manager = await signIn(h.app, { email: 'lata@kinto.test', password: 'lata-password-1' });
    const refused = await manager.agent
      .post('/accounts')
      .type('form')
      .send({ _csrf: manager.csrf, name: 'Eve', email: 'eve@kinto.test', role: 'admin', password: 'eve-password-12' });
    expect(refused.status).toBe(403);
    expect((await manager.agent.get('/accounts')).status).toBe(403);
    expect((await manager.agent.get('/settings')).text).not.toContain('href="/accounts"');
  });

  it("when a page is served, then helmet's headers carry a strict CSP and the page has no inline script or style", async () => {
    const { agent } = await signIn(h.app, await createUser(h.database.db));

    for (const page of ['/', '/login', '/settings', '/templates/new']) {
      const res = await agent.get(page);
      const csp = res.headers['content-security-policy'] as string;

      expect(csp, page).toContain("default-src 'self'");
      expect(csp, page).toContain("script-src 'self'");
      expect(csp, page).toContain("style-src 'self'");
      expect(csp, page).toContain("img-src 'self' data:");
      expect(csp, page).toContain("frame-ancestors 'none'");
      expect(csp, page).not.toContain('unsafe-inline');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(res.text).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    }
  });
});

describe('in production', () => {
  let prod: Harness;
  beforeAll(async () => {
    prod = await startHarness({ NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(40) });
  });
  afterAll(async () => {
    await prod?.close();
  });

  it('when the pages come through the HTTPS proxy, then the login and session cookies are Secure and HSTS is sent', async () => {
    const user = await createUser(prod.database.db);
    const page = await request(prod.app).get('/login').set('X-Forwarded-Proto', 'https');
    const loginCookie = cookieNamed(page, 'kinto.login')!;

    const res = await request(prod.app)
      .post('/login')
      .set('X-Forwarded-Proto', 'https')
      .set('Cookie', loginCookie.split(';')[0]!)
      .type('form')
      .send({ email: user.email, password: user.password, _csrf: csrfOf(page.text) });

    for (const cookie of [loginCookie, sessionCookie(res)]) {
      expect(cookie).toMatch(/; Secure/);
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; SameSite=Lax/);
    }
    expect(res.status).toBe(303);
    expect(page.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(page.headers['content-security-policy']).toContain('upgrade-insecure-requests');
  });

  it('when the page comes over plain http, then no session cookie is set and the page says to use HTTPS', async () => {
    const res = await request(prod.app).get('/login');

    expect(sessionCookie(res)).toBeUndefined();
    expect(res.text).toContain('not served over HTTPS');
  });
});
