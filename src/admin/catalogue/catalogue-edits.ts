import type { Db } from '../../lib/db/client.js';
import { findActiveSessionOnPhone } from '../../conversation/session-repository.js';
import { PG_UNIQUE_VIOLATION } from '../../lib/db/pg-errors.js';
import { pgCode, withTransaction } from '../../lib/db/transaction.js';
import type { CreateMachine, CreateOperator } from '../../checklists/checklists-schemas.js';
import {
  findOperatorNameByPhone,
  lockOperator,
  updateMachine,
  updateOperator,
} from '../../checklists/checklists-repository.js';

type Operator = NonNullable<Awaited<ReturnType<typeof lockOperator>>>;

export type OperatorEdit =
  | { outcome: 'saved'; operator: Operator; numberChanged: boolean }
  | { outcome: 'missing' }
  | { outcome: 'taken' }
  /** The number would change while a conversation runs on the old one. */
  | { outcome: 'talking'; operator: Operator; assignmentId: string | null };

/** Runs an insert or update; a unique violation comes back as null (the value is taken). */
export async function unlessTaken<T>(fn: () => Promise<T>): Promise<T | null> {
  try {
    return await fn();
  } catch (err) {
    if (pgCode(err) === PG_UNIQUE_VIOLATION) return null;
    throw err;
  }
}

/**
 * The form's message for a number another operator has: it names that operator, so the manager knows which
 * row to fix. Read after the refused write, so the holder may be gone by now (a rename, a number change).
 */
export async function phoneTakenMessage(db: Db, phoneNumber: string): Promise<string> {
  const holder = await findOperatorNameByPhone(db, phoneNumber);
  return holder
    ? `The number ${phoneNumber} already belongs to another operator, ${holder}.`
    : `The number ${phoneNumber} already belongs to another operator.`;
}

/**
 * Saves an operator's name and number. Sessions are keyed by the number, so it may not change while a
 * conversation runs: the row is locked first (FOR UPDATE, which waits for a start holding FOR KEY SHARE on
 * it, see start-repository.ts), then the sessions are read, then the row is written, in one transaction.
 * Only the operator row is locked, so no lock-order cycle with a start (assignment, then operator).
 */
export async function editOperator(db: Db, id: number, input: CreateOperator): Promise<OperatorEdit> {
  const edit = await unlessTaken(() =>
    withTransaction(db, async (tx): Promise<OperatorEdit> => {
      const current = await lockOperator(tx, id);
      if (!current) return { outcome: 'missing' };
      const numberChanged = current.phoneNumber !== input.phoneNumber;
      if (numberChanged) {
        const session = await findActiveSessionOnPhone(tx, current.phoneNumber);
        if (session) return { outcome: 'talking', operator: current, assignmentId: session.assignmentId };
      }
      const operator = await updateOperator(tx, id, input);
      return { outcome: 'saved', operator: operator!, numberChanged };
    }),
  );
  return edit ?? { outcome: 'taken' };
}

export type MachineEdit =
  | { outcome: 'saved'; machine: NonNullable<Awaited<ReturnType<typeof updateMachine>>> }
  | { outcome: 'missing' }
  | { outcome: 'taken' };

/** Saves a machine's name and code (nothing keys on them but the code's uniqueness). */
export async function editMachine(db: Db, id: number, input: CreateMachine): Promise<MachineEdit> {
  const saved = await unlessTaken(async () => ({ machine: await updateMachine(db, id, input) }));
  if (!saved) return { outcome: 'taken' };
  return saved.machine ? { outcome: 'saved', machine: saved.machine } : { outcome: 'missing' };
}
