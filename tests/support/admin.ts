import request from 'supertest';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Express } from 'express';
import type { Db } from '../../src/lib/db/client.js';
import { hashPassword } from '../../src/admin/auth/password.js';
import { insertUser, type Role } from '../../src/admin/auth/users-repository.js';
import { startHarness, type Harness } from './harness.js';

export const MANAGER_PASSWORD = 'correct horse battery';

let n = 0;
/** A manager (or admin) with a unique email and MANAGER_PASSWORD. */
export async function createUser(db: Db, opts: { role?: Role; email?: string; password?: string } = {}) {
  const email = opts.email ?? `manager${Date.now()}${n++}@kinto.test`;
  const user = await insertUser(db, {
    email,
    name: 'Meena Manager',
    role: opts.role ?? 'manager',
    passwordHash: await hashPassword(opts.password ?? MANAGER_PASSWORD),
  });
  expect(user).not.toBeNull();
  return { ...user!, password: opts.password ?? MANAGER_PASSWORD };
}

/** The hidden _csrf value of the first form on a page. */
export function csrfOf(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error(`No CSRF token on the page:\n${html.slice(0, 500)}`);
  return m[1]!;
}

export type Agent = ReturnType<typeof request.agent>;

/** A cookie-keeping client signed in as the user, plus the session's CSRF token for form posts. */
export async function signIn(
  app: Express | string,
  user: { email: string; password: string },
): Promise<{ agent: Agent; csrf: string }> {
  const agent = request.agent(app);
  const login = await agent.get('/login');
  expect(login.status).toBe(200);
  const res = await agent
    .post('/login')
    .type('form')
    .send({ email: user.email, password: user.password, _csrf: csrfOf(login.text) });
  expect(res.status, res.text.slice(0, 300)).toBe(303);
  const page = await agent.get('/password');
  expect(page.status).toBe(200);
  return { agent, csrf: csrfOf(page.text) };
}

/** GET /login, then POST the form with that page's CSRF token (a fresh client each time). */
export async function tryLogin(
  app: Express | string,
  email: string,
  password: string,
  extra: Record<string, string> = {},
) {
  const agent = request.agent(app);
  const page = await agent.get('/login');
  const res = await agent
    .post('/login')
    .type('form')
    .send({ email, password, _csrf: csrfOf(page.text), ...extra });
  return { agent, page, res };
}

/** The Set-Cookie line of a response for the cookie `name`, if any. */
export const cookieNamed = (res: { headers: Record<string, unknown> }, name: string) =>
  ([] as string[])
    .concat((res.headers['set-cookie'] as string[] | undefined) ?? [])
    .find((c) => c.startsWith(`${name}=`));

/** The session cookie's Set-Cookie line of a response, if any. */
export const sessionCookie = (res: { headers: Record<string, unknown> }) => cookieNamed(res, 'kinto.sid');

/** A form POST with the session's CSRF token added to the body. */
export type FormPost = (path: string, body?: Record<string, string>) => request.Test;

/** The real app on a fresh database (tests/support/harness.ts) with an admin signed in. */
export async function signedInHarness(
  env: Record<string, string> = {},
): Promise<{ h: Harness; agent: Agent; csrf: string; post: FormPost }> {
  const h = await startHarness(env);
  try {
    const { agent, csrf } = await signIn(h.app, await createUser(h.database.db, { role: 'admin' }));
    const post: FormPost = (path, body = {}) =>
      agent
        .post(path)
        .type('form')
        .send({ _csrf: csrf, ...body });
    return { h, agent, csrf, post };
  } catch (err) {
    await h.close();
    throw err;
  }
}

export type SignedIn = Awaited<ReturnType<typeof signedInHarness>>;

/**
 * A test file's signed-in harness: started before its first test, handed to `use` (which assigns the
 * file's variables), closed after its last.
 */
export function useSignedInHarness(use: (s: SignedIn) => void, env: () => Record<string, string> = () => ({})): void {
  let h: Harness | undefined;
  beforeAll(async () => {
    const s = await signedInHarness(env());
    h = s.h;
    use(s);
  });
  afterAll(async () => {
    await h?.close();
  });
}
