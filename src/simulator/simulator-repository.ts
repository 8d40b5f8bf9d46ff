import { eq } from 'drizzle-orm';
import type { Executor } from '../lib/db/transaction.js';
import { operators } from '../lib/db/schema.js';

export type OperatorRow = typeof operators.$inferSelect;

export async function findOperatorByPhone(exec: Executor, phoneNumber: string): Promise<OperatorRow | null> {
  const [row] = await exec.select().from(operators).where(eq(operators.phoneNumber, phoneNumber));
  return row ?? null;
}

export async function findOperatorById(exec: Executor, id: number): Promise<OperatorRow | null> {
  const [row] = await exec.select().from(operators).where(eq(operators.id, id));
  return row ?? null;
}
