import { asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../lib/db/transaction.js';
import { users } from '../../lib/db/schema.js';

export type UserRow = typeof users.$inferSelect;
export type Role = 'admin' | 'manager';
/** What the pages know about the signed-in user (never the hash). */
export type CurrentUser = Pick<UserRow, 'id' | 'email' | 'name' | 'role' | 'passwordChangedAt'>;

const publicColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  passwordChangedAt: users.passwordChangedAt,
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

export async function setPassword(exec: Executor, id: number, passwordHash: string, changedAt: Date): Promise<void> {
  await exec.update(users).set({ passwordHash, passwordChangedAt: changedAt }).where(eq(users.id, id));
}

export async function recordSignIn(exec: Executor, id: number): Promise<void> {
  await exec
    .update(users)
    .set({ lastSignInAt: sql`now()` })
    .where(eq(users.id, id));
}
