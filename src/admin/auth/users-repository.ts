import { asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../lib/db/transaction.js';
import { users } from '../../lib/db/schema.js';
import type { Role } from './roles.js';

export type { Role } from './roles.js';
export type UserRow = typeof users.$inferSelect;
/** What the pages know about the signed-in user (never the hash). */
export type CurrentUser = Pick<
  UserRow,
  'id' | 'email' | 'name' | 'role' | 'passwordChangedAt' | 'disabledAt' | 'mustChangePassword'
>;

const publicColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  passwordChangedAt: users.passwordChangedAt,
  disabledAt: users.disabledAt,
  mustChangePassword: users.mustChangePassword,
};

export async function findUserByEmail(exec: Executor, email: string): Promise<UserRow | null> {
  const [row] = await exec.select().from(users).where(eq(users.email, email.trim().toLowerCase()));
  return row ?? null;
}

export async function findUserById(exec: Executor, id: number): Promise<CurrentUser | null> {
  const [row] = await exec.select(publicColumns).from(users).where(eq(users.id, id));
  return row ?? null;
}

export async function findPasswordHash(exec: Executor, id: number): Promise<string | null> {
  const [row] = await exec.select({ hash: users.passwordHash }).from(users).where(eq(users.id, id));
  return row?.hash ?? null;
}

/** Inserts a user; null when the email is taken. */
export async function insertUser(
  exec: Executor,
  v: { email: string; name: string; role: Role; passwordHash: string },
): Promise<CurrentUser | null> {
  const [row] = await exec
    .insert(users)
    .values({ ...v, email: v.email.trim().toLowerCase() })
    .onConflictDoNothing({ target: users.email })
    .returning(publicColumns);
  return row ?? null;
}

export async function countUsers(exec: Executor): Promise<number> {
  const [row] = await exec.select({ n: sql<number>`count(*)::int` }).from(users);
  return row?.n ?? 0;
}

export const listUsers = (exec: Executor) =>
  exec
    .select({ ...publicColumns, lastSignInAt: users.lastSignInAt, createdAt: users.createdAt })
    .from(users)
    .orderBy(asc(users.email));

/** One's own new password: it ends the other sessions (signed in before `changedAt`) and any one-time password. */
export async function setPassword(exec: Executor, id: number, passwordHash: string, changedAt: Date): Promise<void> {
  await exec
    .update(users)
    .set({ passwordHash, passwordChangedAt: changedAt, mustChangePassword: false })
    .where(eq(users.id, id));
}

/** A one-time password set for someone else: their sessions end and the next sign-in must change it. */
export async function setOneTimePassword(exec: Executor, id: number, passwordHash: string): Promise<void> {
  await exec
    .update(users)
    .set({ passwordHash, passwordChangedAt: sql`now()`, mustChangePassword: true })
    .where(eq(users.id, id));
}

/**
 * Disables (or enables again) an account; false when it was already so. Disabling also moves
 * password_changed_at (the time before which sessions are refused): a request in flight that saves its session
 * again after the delete must not bring back a session that works once the account is enabled.
 */
export async function setDisabled(exec: Executor, id: number, disabled: boolean): Promise<boolean> {
  const rows = await exec
    .update(users)
    .set(disabled ? { disabledAt: sql`now()`, passwordChangedAt: sql`now()` } : { disabledAt: null })
    .where(sql`${users.id} = ${id} AND (${users.disabledAt} IS NULL) = ${disabled}`)
    .returning({ id: users.id });
  return rows.length > 0;
}

/**
 * The account `id` and every active admin, locked (in id order) for a change that must leave one active
 * admin: two admins disabling each other at once cannot both succeed.
 */
export async function lockForAccountChange(
  exec: Executor,
  id: number,
): Promise<{ target: CurrentUser | null; activeAdmins: number }> {
  const r = await exec.execute<{ id: number; role: string; disabled_at: Date | null }>(sql`
    SELECT id, role, disabled_at FROM users
    WHERE id = ${id} OR (role = 'admin' AND disabled_at IS NULL)
    ORDER BY id FOR UPDATE`);
  const activeAdmins = r.rows.filter((u) => u.role === 'admin' && u.disabled_at === null).length;
  return { target: await findUserById(exec, id), activeAdmins };
}

/** Ends every session of the account at once (express-session rows in user_sessions). */
export async function deleteSessionsOf(exec: Executor, id: number): Promise<number> {
  const r = await exec.execute(sql`DELETE FROM user_sessions WHERE (sess->>'userId')::int = ${id}`);
  return r.rowCount ?? 0;
}

/**
 * Ends every session of a disabled account at once, leaving in each only which account it was (no userId): the
 * browser that held it is told on /login that its account was disabled; a stranger's browser has no such session.
 */
export async function endSessionsOfDisabled(exec: Executor, id: number): Promise<number> {
  const r = await exec.execute(sql`
    UPDATE user_sessions SET sess = json_build_object('cookie', sess -> 'cookie', 'disabledUserId', ${id}::int)
    WHERE (sess->>'userId')::int = ${id}`);
  return r.rowCount ?? 0;
}

export async function recordSignIn(exec: Executor, id: number): Promise<void> {
  await exec
    .update(users)
    .set({ lastSignInAt: sql`now()` })
    .where(eq(users.id, id));
}
