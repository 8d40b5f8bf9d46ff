import { moveActiveSessionPhone } from '../../conversation/session-repository.js';
import type { Db } from '../../lib/db/client.js';
import { PG_UNIQUE_VIOLATION } from '../../lib/db/pg-errors.js';
import { pgCode, withTransaction } from '../../lib/db/transaction.js';
import type { Logger } from '../../lib/logger.js';
import { moveUnsentToPhone } from '../../outbox/outbox-repository.js';
import { listOperators, moveOperatorPhone } from '../../checklists/checklists-repository.js';
import { planPhoneFixes, type OperatorPhone, type PhoneFix, type PhonePlan } from '../../checklists/phone-fixes.js';

export interface PhoneFixDone {
  operator: OperatorPhone;
  to: string;
  /** The active conversation moved with the number (0 or 1). */
  sessions: number;
  /** Unsent messages moved with it, and those left on the old number (one was being sent). */
  outboxMoved: number;
  outboxLeft: number;
}

export interface PhoneNormalisation extends PhonePlan {
  done: PhoneFixDone[];
  /** Fixes not made: the number changed meanwhile, or the new one was taken meanwhile. */
  skipped: PhoneFix[];
}

/** The numbers as they are and what they should become, changing nothing (the operators page, --dry-run). */
export async function readPhonePlan(db: Db): Promise<PhonePlan> {
  return planPhoneFixes(await listOperators(db));
}

/**
 * One fix in one transaction, in the lock order (architecture.md): the active session on the old number,
 * then the operator row, then its unsent messages. A number changed or taken meanwhile changes nothing.
 */
async function applyFix(db: Db, { operator, to }: PhoneFix): Promise<PhoneFixDone | null> {
  const from = operator.phoneNumber;
  try {
    return await withTransaction(db, async (tx) => {
      const locked = await moveActiveSessionPhone(tx, from, to);
      if (!(await moveOperatorPhone(tx, operator.id, from, to))) throw new ChangedMeanwhile();
      const sessions = locked + (await moveActiveSessionPhone(tx, from, to));
      const outbox = await moveUnsentToPhone(tx, from, to);
      return { operator, to, sessions, outboxMoved: outbox.moved, outboxLeft: outbox.left };
    });
  } catch (err) {
    if (err instanceof ChangedMeanwhile || pgCode(err) === PG_UNIQUE_VIOLATION) return null;
    throw err;
  }
}

class ChangedMeanwhile extends Error {}

/**
 * Brings the operators' stored numbers to E.164 as libphonenumber writes it (the old hand parser kept
 * trunk prefixes: "+4402079460958"), moving each one's active conversation and, when safe, its unsent
 * messages along. Runs at every start (after the migrations: SQL cannot call the library) and from
 * `npm run operators:phones`; a second run finds nothing to do.
 */
export async function normaliseOperatorPhones(db: Db): Promise<PhoneNormalisation> {
  const plan = await readPhonePlan(db);
  const result: PhoneNormalisation = { ...plan, done: [], skipped: [] };
  for (const fix of plan.fixes) {
    const done = await applyFix(db, fix);
    if (done) result.done.push(done);
    else result.skipped.push(fix);
  }
  return result;
}

/** The start's data step: fixes what it can, INFO for what changed, one WARN for the clashes left. */
export async function normaliseOperatorPhonesAtStart(db: Db, logger: Logger): Promise<void> {
  const result = await normaliseOperatorPhones(db);
  if (result.done.length > 0) {
    logger.info(
      {
        operatorIds: result.done.map((d) => d.operator.id),
        sessionsMoved: result.done.reduce((n, d) => n + d.sessions, 0),
        outboxMoved: result.done.reduce((n, d) => n + d.outboxMoved, 0),
        outboxLeft: result.done.reduce((n, d) => n + d.outboxLeft, 0),
      },
      "Operators' phone numbers rewritten in E.164 (trunk prefixes dropped)",
    );
  }
  // A fix skipped because another instance made it (PM2 starts several at once) is no news.
  if (result.clashes.length > 0) {
    logger.warn(
      { operatorIds: result.clashes.map((c) => c.operators.map((o) => o.id)) },
      'Operators whose numbers are one number written differently are left as they are: one of each group must change (Operators page, or npm run operators:phones)',
    );
  }
}
