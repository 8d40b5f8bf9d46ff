// Issue 18 item 5: manager accounts. Roles (a supervisor reviews but cannot change setup), disabling an
// account, one-time passwords (by an admin and by `npm run admin:reset-password`), and unlocking sign-ins.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { assignChecklist } from '../support/factories.js';
import request from 'supertest';
import { API_TOKEN, type Harness } from '../support/harness.js';
import {
  createUser,
  csrfOf,
  signIn,
  tryLogin,
  useSignedInHarness,
  type Agent,
  type FormPost,
} from '../support/admin.js';
import { rows } from '../support/lifecycle.js';
import { say, settle } from '../support/settle.js';

let h: Harness;
let agent: Agent;
let post: FormPost;
useSignedInHarness((s) => ({ h, agent, post } = s));

/** A signed-in client of a new account with `role`, and a form poster with its CSRF token. */
async function signedInAs(role: 'admin' | 'manager' | 'supervisor') {
  const user = await createUser(h.database.db, { role });
  const { agent, csrf } = await signIn(h.app, user);
  const postAs: FormPost = (path, body = {}) =>
    agent
      .post(path)
      .type('form')
      .send({ _csrf: csrf, ...body });
  return { user, agent, post: postAs };
}

const userRow = async (id: number) =>
  (
    await rows<{ disabled_at: Date | null; must_change_password: boolean }>(
      h,
      'SELECT disabled_at, must_change_password FROM users WHERE id = $1',
      [id],
    )
  )[0]!;

describe('a supervisor (acceptance: a supervisor can approve but gets 403 on the settings, template and accounts pages)', () => {
  it('when a supervisor opens or posts to settings, templates or accounts, then 403 and nothing changes', async () => {
    const sup = await signedInAs('supervisor');
    const { template } = await assignChecklist(h, ['Check oil level']);

    const pages = await Promise.all(
      ['/settings', '/templates', '/templates/new', `/templates/${template.id}/edit`, '/accounts'].map((p) =>
        sup.agent.get(p),
      ),
    );
    const switchOff = await sup.post('/settings/whatsapp', { enabled: 'false' });
    const newTemplate = await sup.post('/templates', { name: 'By a supervisor', 'tasks[0][text]': 'x' });
    const newAccount = await sup.post('/accounts', {
      name: 'Eve',
      email: 'eve-by-supervisor@kinto.test',
      role: 'admin',
      password: 'eve-password-123',
    });

    for (const page of pages) expect(page.status).toBe(403);
    expect(pages[0]!.text).toContain('You are signed in as a supervisor');
    expect(pages[4]!.text).toContain('Only admins may manage accounts');
    expect([switchOff.status, newTemplate.status, newAccount.status]).toEqual([403, 403, 403]);
    expect((await rows(h, 'SELECT whatsapp_enabled FROM system_config'))[0]).toEqual({ whatsapp_enabled: true });
    expect(await rows(h, "SELECT id FROM checklist_templates WHERE name = 'By a supervisor'")).toEqual([]);
    expect(await rows(h, "SELECT id FROM users WHERE email = 'eve-by-supervisor@kinto.test'")).toEqual([]);
  });

  it('when a supervisor opens a NOT OK submission and reviews it, then the page opens and the review is recorded as theirs', async () => {
    const sup = await signedInAs('supervisor');
    const s = await assignChecklist(h, ['Check oil level']);
    await settle(h);
    await say(h, s.operator.phoneNumber, 'NOT OK - leak at valve', 'CONFIRM');
    const id = s.assignment.submissionId;

    const page = await sup.agent.get(`/submissions/${id}`);
    const dashboard = await sup.agent.get('/');
    const reviewed = await sup.post(`/submissions/${id}/review`);

    expect(page.status).toBe(200);
    expect(dashboard.status).toBe(200);
    expect(dashboard.text).not.toContain('href="/settings"');
    expect(reviewed.status).toBe(303);
    expect((await rows(h, 'SELECT reviewed_by FROM checklist_submissions WHERE id = $1', [id]))[0]).toEqual({
      reviewed_by: sup.user.id,
    });
  });

  it('when an admin adds a supervisor, then the person signs in as one and can change their own password', async () => {
    const added = await post('/accounts', {
      name: 'Sunil Supervisor',
      email: 'sunil@kinto.test',
      role: 'supervisor',
      password: 'sunil-password-1',
    });
    const sunil = await signIn(h.app, { email: 'sunil@kinto.test', password: 'sunil-password-1' });
    const changed = await sunil.agent.post('/password').type('form').send({
      _csrf: sunil.csrf,
      current: 'sunil-password-1',
      password: 'sunil-password-2',
      confirm: 'sunil-password-2',
    });

    expect(added.status).toBe(303);
    expect((await rows(h, "SELECT role FROM users WHERE email = 'sunil@kinto.test'"))[0]).toEqual({
      role: 'supervisor',
    });
    expect(changed.status).toBe(303);
    expect((await tryLogin(h.app, 'sunil@kinto.test', 'sunil-password-2')).res.status).toBe(303);
  });
});

describe('disabling an account', () => {
  it("when an admin disables a manager, then the manager's open session is refused at its next request (acceptance: a disabled account's open session is refused)", async () => {
    const manager = await signedInAs('manager');
    expect((await manager.agent.get('/assignments')).status).toBe(200);

    const disabled = await post(`/accounts/${manager.user.id}/disable`);
    const nextPage = await manager.agent.get('/assignments');
    const nextPost = await manager.post('/settings/whatsapp', { enabled: 'false' });
    const signInAgain = await tryLogin(h.app, manager.user.email, manager.user.password);

    expect(disabled.status).toBe(303);
    expect(nextPage.status).toBe(303);
    expect(nextPage.headers.location).toBe('/login?next=%2Fassignments');
    expect(nextPost.status).toBe(401);
    expect(signInAgain.res.status).toBe(403);
    expect(signInAgain.res.text).toContain('This account has been disabled. Ask an administrator to enable it again.');
    expect((await userRow(manager.user.id)).disabled_at).toBeInstanceOf(Date);
    expect(await rows(h, "SELECT sid FROM user_sessions WHERE (sess->>'userId')::int = $1", [manager.user.id])).toEqual(
      [],
    );
  });

  it('when a disabled account is enabled again, then it can sign in', async () => {
    const manager = await createUser(h.database.db);
    await post(`/accounts/${manager.id}/disable`);

    const enabled = await post(`/accounts/${manager.id}/enable`);

    expect(enabled.status).toBe(303);
    expect((await tryLogin(h.app, manager.email, manager.password)).res.status).toBe(303);
  });

  it('when a disabled account is enabled again, then a session it had before stays ended', async () => {
    const manager = await signedInAs('manager');
    await post(`/accounts/${manager.user.id}/disable`);
    await post(`/accounts/${manager.user.id}/enable`);

    const res = await manager.agent.get('/assignments');

    expect(res.status).toBe(303);
  });

  it("when a disabled account's open session makes its next request, then /login says the account has been disabled; a browser never signed in is told nothing (issue 18, disabled accounts a)", async () => {
    const manager = await signedInAs('manager');
    await post(`/accounts/${manager.user.id}/disable`);

    const next = await manager.agent.get('/actions');
    const login = await manager.agent.get(next.headers.location as string);
    const stranger = await request(h.app).get('/login?next=%2Factions');

    expect(next.status).toBe(303);
    expect(next.headers.location).toBe('/login?next=%2Factions');
    expect(login.status).toBe(200);
    expect(login.text).toContain('This account has been disabled. Ask an administrator to enable it again.');
    expect(stranger.status).toBe(200);
    expect(stranger.text).not.toContain('disabled');

    await post(`/accounts/${manager.user.id}/enable`);
    const afterEnable = await manager.agent.get('/login');
    expect(afterEnable.text).not.toContain('disabled');
  });

  it('when an action is given to a disabled account, then 400 naming ownerId and the account, and the owner list leaves it out (issue 18, disabled accounts b)', async () => {
    const s = await assignChecklist(h, ['Check oil level']);
    await settle(h);
    await say(h, s.operator.phoneNumber, 'NOT OK - leak', 'CONFIRM');
    const [action] = (
      await rows<{ id: number }>(h, 'SELECT id FROM corrective_actions WHERE submission_id = $1', [
        s.assignment.submissionId,
      ])
    ).map((r) => r.id);
    const off = await createUser(h.database.db, { email: `off${Date.now()}@kinto.test` });
    await post(`/accounts/${off.id}/disable`);

    const res = await request(h.app)
      .patch(`/api/actions/${action}`)
      .set('Authorization', `Bearer ${API_TOKEN}`)
      .send({ ownerId: off.id });
    const form = await post(`/actions/${action}`, { status: 'open', ownerId: String(off.id), dueAt: '', note: '' });
    const page = await agent.get(`/actions/${action}`);

    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      error: { details: { fields: [{ field: 'ownerId', message: expect.stringContaining(off.email) as string }] } },
    });
    expect(form.status).toBe(400);
    expect(form.text).toContain(`(${off.email}) is disabled: choose someone else`);
    expect(page.text).not.toContain(`value="${off.id}"`);
    expect((await rows(h, 'SELECT owner_id FROM corrective_actions WHERE id = $1', [action]))[0]).toEqual({
      owner_id: null,
    });
  });

  it('when X-Acting-User names a disabled account, then 403 naming the header and the account, and nothing is changed (issue 18, disabled accounts b)', async () => {
    const off = await createUser(h.database.db, { email: `acting${Date.now()}@kinto.test` });
    await post(`/accounts/${off.id}/disable`);
    const { assignment } = await assignChecklist(h, ['Check oil level']);

    const res = await h.api.post(`/api/assignments/${assignment.id}/cancel`).set('X-Acting-User', off.email);

    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      error: {
        code: 'account_disabled',
        details: { fields: [{ field: 'X-Acting-User', message: `the account ${off.email} is disabled` }] },
      },
    });
    expect((await rows(h, 'SELECT status FROM checklist_assignments WHERE id = $1', [assignment.id]))[0]).not.toEqual({
      status: 'cancelled',
    });
  });

  it('when an admin tries to disable themself, then it is refused with a reason', async () => {
    const admin = await signedInAs('admin');

    const self = await admin.post(`/accounts/${admin.user.id}/disable`);
    const page = await admin.agent.get('/accounts');

    expect(self.status).toBe(303);
    expect(page.text).toContain('You cannot disable your own account');
    expect((await userRow(admin.user.id)).disabled_at).toBeNull();
  });

  it('when the only two active admins disable each other at once, then one is refused as the last active admin', async () => {
    const [a, b] = [await signedInAs('admin'), await signedInAs('admin')];
    // Only a and b stay active admins for this test.
    const others = await rows<{ id: number }>(
      h,
      "UPDATE users SET disabled_at = now() WHERE role = 'admin' AND disabled_at IS NULL AND id NOT IN ($1, $2) RETURNING id",
      [a.user.id, b.user.id],
    );

    const [byA, byB] = await Promise.all([
      a.post(`/accounts/${b.user.id}/disable`),
      b.post(`/accounts/${a.user.id}/disable`),
    ]);
    const active = await rows<{ id: number }>(
      h,
      "SELECT id FROM users WHERE role = 'admin' AND disabled_at IS NULL AND id IN ($1, $2)",
      [a.user.id, b.user.id],
    );
    await h.database.pool.query('UPDATE users SET disabled_at = NULL WHERE id = ANY($1::int[])', [
      others.map((o) => o.id),
    ]);

    expect([byA.status, byB.status]).toEqual([303, 303]);
    expect(active).toHaveLength(1);
    const [survivor, gone] = active[0]!.id === a.user.id ? [a, b] : [b, a];
    expect((await survivor.agent.get('/accounts')).status).toBe(200);
    expect((await gone.agent.get('/accounts')).status).toBe(303);
  });
});

describe('one-time passwords', () => {
  it('when an admin sets a one-time password, then the old one stops working and the new one must be changed before anything else', async () => {
    const manager = await signedInAs('manager');

    const reset = await post(`/accounts/${manager.user.id}/password`, { password: 'one-time-pass-1' });
    const oldSession = await manager.agent.get('/assignments');
    const oldPassword = await tryLogin(h.app, manager.user.email, manager.user.password);
    const { agent, res } = await tryLogin(h.app, manager.user.email, 'one-time-pass-1');
    const elsewhere = await agent.get('/assignments');
    const form = await agent.get('/password');
    const changed = await agent
      .post('/password')
      .type('form')
      .send({
        _csrf: csrfOf(form.text),
        current: 'one-time-pass-1',
        password: 'my-own-password-1',
        confirm: 'my-own-password-1',
        next: '/assignments',
      });

    expect(reset.status).toBe(303);
    expect(oldSession.status).toBe(303);
    expect(oldPassword.res.status).toBe(401);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/password?next=%2F');
    expect(elsewhere.status).toBe(303);
    expect(elsewhere.headers.location).toBe('/password?next=%2Fassignments');
    expect(form.text).toContain('You signed in with a one-time password');
    expect(changed.status).toBe(303);
    expect(changed.headers.location).toBe('/assignments');
    expect((await agent.get('/assignments')).status).toBe(200);
    expect((await userRow(manager.user.id)).must_change_password).toBe(false);
  });

  it('when a manager tries to set a one-time password for someone, then 403', async () => {
    const manager = await signedInAs('manager');
    const other = await createUser(h.database.db);

    const res = await manager.post(`/accounts/${other.id}/password`, { password: 'one-time-pass-1' });

    expect(res.status).toBe(403);
    expect((await tryLogin(h.app, other.email, other.password)).res.status).toBe(303);
  });

  it('when npm run admin:reset-password -- admin@localhost runs, then it prints a one-time password that signs in and must be changed (acceptance)', async () => {
    await createUser(h.database.db, { role: 'admin', email: 'admin@localhost' });
    const env = { PATH: process.env.PATH ?? '', DATABASE_URL: h.database.url, LOG_LEVEL: 'silent' };
    const run = (email: string) =>
      spawnSync('npm', ['run', '--silent', 'admin:reset-password', '--', email], {
        env,
        encoding: 'utf8',
        timeout: 90_000,
      });

    const done = run('admin@localhost');
    const unknown = run('nobody@localhost');

    expect(done.status, done.stderr).toBe(0);
    const password = /One-time password for .* \(admin@localhost\): (\S+)$/m.exec(done.stdout)?.[1];
    expect(password).toBeDefined();
    const { agent, res } = await tryLogin(h.app, 'admin@localhost', password!);
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/password\?next=/);
    expect((await agent.get('/accounts')).headers.location).toBe('/password?next=%2Faccounts');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('No account has the email nobody@localhost.');
    expect(unknown.stderr).toContain('admin@localhost (Admin)');
  }, 200_000);
});

describe('locked sign-ins', () => {
  it('when an email is locked after failed sign-ins, then the accounts page lists it and Unlock lets it sign in again', async () => {
    const manager = await createUser(h.database.db);
    for (let i = 0; i < 10; i++) expect((await tryLogin(h.app, manager.email, `wrong ${i}`)).res.status).toBe(401);
    expect((await tryLogin(h.app, manager.email, manager.password)).res.status).toBe(429);

    const page = await signIn(h.app, await createUser(h.database.db, { role: 'admin' }));
    const list = await page.agent.get('/accounts');
    const key = new RegExp(
      `Sign-ins as ${manager.email.replace('.', '\\.')}[\\s\\S]*?name="key" value="([0-9a-f]{64})"`,
    ).exec(list.text)?.[1];
    const unlocked = await page.agent.post('/accounts/unlock').type('form').send({ _csrf: page.csrf, key });

    expect(key).toBeDefined();
    expect(unlocked.status).toBe(303);
    expect((await tryLogin(h.app, manager.email, manager.password)).res.status).toBe(303);
    expect((await page.agent.get('/accounts')).text).not.toContain(`Sign-ins as ${manager.email}`);
    // Thirteen scrypt hashes (32 MiB each, by design): seconds apiece on a loaded CI machine.
  }, 120_000);
});

describe('the audit trail (acceptance: the audit trail lists each of the above with the account that did it)', () => {
  it('when accounts are added, disabled, enabled, reset, unlocked and a password changed, then each is recorded with who did it', async () => {
    const admin = await signedInAs('admin');
    const lata = await createUser(h.database.db, { email: `lata${Date.now()}@kinto.test` });
    await admin.post('/accounts', {
      name: 'Ravi',
      email: 'ravi-audit@kinto.test',
      role: 'supervisor',
      password: 'ravi-password-1',
    });
    await admin.post(`/accounts/${lata.id}/disable`);
    await admin.post(`/accounts/${lata.id}/enable`);
    await admin.post(`/accounts/${lata.id}/password`, { password: 'one-time-pass-2' });
    const { agent } = await tryLogin(h.app, lata.email, 'one-time-pass-2');
    const form = await agent.get('/password');
    await agent
      .post('/password')
      .type('form')
      .send({
        _csrf: csrfOf(form.text),
        current: 'one-time-pass-2',
        password: 'lata-own-password',
        confirm: 'lata-own-password',
      });

    const events = await rows<{ actor_user_id: number; action: string; subject_id: string }>(
      h,
      "SELECT actor_user_id, action, subject_id FROM audit_events WHERE action LIKE 'account.%' AND (actor_user_id = $1 OR subject_id = $2) ORDER BY id",
      [admin.user.id, String(lata.id)],
    );
    const page = await admin.agent.get('/accounts');

    expect(events.map((e) => [e.action, e.actor_user_id])).toEqual([
      ['account.created', admin.user.id],
      ['account.disabled', admin.user.id],
      ['account.enabled', admin.user.id],
      ['account.password_reset', admin.user.id],
      ['account.password_changed', lata.id],
    ]);
    expect(page.text).toContain(`Disabled the account of Meena Manager (${lata.email})`);
    expect(page.text).toContain('Added the account of Ravi (ravi-audit@kinto.test) as a supervisor');
  });

  it('when npm run admin:reset-password and an unlock ran, then the trail names the command and the admin', async () => {
    const events = await rows<{
      actor_kind: string;
      actor_label: string;
      actor_user_id: number | null;
      action: string;
    }>(
      h,
      "SELECT actor_kind, actor_label, actor_user_id, action FROM audit_events WHERE action IN ('account.password_reset', 'account.unlocked') AND actor_user_id IS DISTINCT FROM NULL OR actor_kind = 'system'",
    );

    expect(events).toContainEqual({
      actor_kind: 'system',
      actor_label: 'npm run admin:reset-password',
      actor_user_id: null,
      action: 'account.password_reset',
    });
    expect(events.some((e) => e.action === 'account.unlocked' && e.actor_kind === 'user')).toBe(true);
  });
});
