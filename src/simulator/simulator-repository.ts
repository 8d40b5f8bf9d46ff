import { and, desc, eq, sql } from 'drizzle-orm';
import type { Executor, Tx } from '../lib/db/transaction.js';
import { operators, whatsappConversationSessions as sessions } from '../lib/db/schema.js';
import { parseDefinitions, type TaskDefinition } from '../conversation/task-definitions.js';

export type OperatorRow = typeof operators.$inferSelect;

export async function findOperatorByPhone(exec: Executor, phoneNumber: string): Promise<OperatorRow | null> {
  const [row] = await exec.select().from(operators).where(eq(operators.phoneNumber, phoneNumber));
  return row ?? null;
}

export async function findOperatorById(exec: Executor, id: number): Promise<OperatorRow | null> {
  const [row] = await exec.select().from(operators).where(eq(operators.id, id));
  return row ?? null;
}

// Any constant shared by the callers; it only keeps two starting servers from seeding twice.
const SEED_LOCK = 7_250_001;

/** Waits for any other process seeding the demo data; the lock ends with the transaction. */
export async function lockDemoSeed(tx: Tx): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${SEED_LOCK})`);
}

/** The operator a username-only person is (the manager linked their WhatsApp user id), if any. */
export async function findOperatorByUserId(exec: Executor, userId: string): Promise<OperatorRow | null> {
  const [row] = await exec.select().from(operators).where(eq(operators.whatsappUserId, userId));
  return row ?? null;
}

/**
 * The question the operator's active conversation is on now, from the definitions it started with; null when none
 * is open (no conversation, waiting for its start, at the summary, or a session older than the snapshot).
 */
export async function currentQuestionOf(exec: Executor, operatorId: number): Promise<TaskDefinition | null> {
  const [row] = await exec
    .select({ defs: sessions.taskDefinitions, index: sessions.currentTaskIndex, waiting: sessions.awaitingStart })
    .from(sessions)
    .where(and(eq(sessions.operatorId, operatorId), eq(sessions.status, 'active')));
  if (!row?.defs || row.waiting) return null;
  return parseDefinitions(row.defs)[row.index] ?? null;
}

/**
 * The number of the operator whose conversation under way moved last (null: none under way), so the simulator
 * opens on the chat someone is answering rather than on the first operator's.
 */
export async function phoneOfLatestConversation(exec: Executor): Promise<string | null> {
  const [row] = await exec
    .select({ phone: operators.phoneNumber })
    .from(sessions)
    .innerJoin(operators, eq(operators.id, sessions.operatorId))
    .where(eq(sessions.status, 'active'))
    .orderBy(desc(sql`GREATEST(${sessions.lastMessageAt}, ${sessions.createdAt})`))
    .limit(1);
  return row?.phone ?? null;
}
