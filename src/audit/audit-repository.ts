import { and, asc, desc, eq, or, sql } from 'drizzle-orm';
import type { Executor } from '../lib/db/transaction.js';
import { users } from '../lib/db/schema.js';
import { auditEvents } from './audit-schema.js';
import type { Actor } from './actor.js';

export type AuditEvent = typeof auditEvents.$inferSelect;

export interface NewAuditEvent {
  action: string;
  subjectType: string;
  subjectId: string | number;
  submissionId?: string | null;
  details?: Record<string, unknown>;
}

/** Records one event in the caller's transaction (pass the `tx` that made the change, so both commit or neither). */
export async function recordAudit(exec: Executor, actor: Actor, event: NewAuditEvent): Promise<void> {
  await exec.insert(auditEvents).values({
    actorKind: actor.kind,
    actorUserId: actor.userId,
    actorLabel: actor.label,
    action: event.action,
    subjectType: event.subjectType,
    subjectId: String(event.subjectId),
    submissionId: event.submissionId ?? null,
    details: event.details ?? {},
  });
}

/**
 * Everything recorded about one submission (its review, answers, actions), oldest first; with its assignment's
 * id, also the assignment's events (created before the submission existed, cancelled, restarted).
 */
export function submissionEvents(exec: Executor, submissionId: string, assignmentId?: string): Promise<AuditEvent[]> {
  const ofSubmission = eq(auditEvents.submissionId, submissionId);
  return exec
    .select()
    .from(auditEvents)
    .where(
      assignmentId
        ? or(ofSubmission, and(eq(auditEvents.subjectType, 'assignment'), eq(auditEvents.subjectId, assignmentId)))
        : ofSubmission,
    )
    .orderBy(asc(auditEvents.at), asc(auditEvents.id));
}

/** What an account did and what was done to it, newest first. */
export function accountEvents(exec: Executor, userId: number, limit = 200): Promise<AuditEvent[]> {
  return exec
    .select()
    .from(auditEvents)
    .where(
      or(
        eq(auditEvents.actorUserId, userId),
        and(eq(auditEvents.subjectType, 'user'), eq(auditEvents.subjectId, String(userId))),
      ),
    )
    .orderBy(desc(auditEvents.at), desc(auditEvents.id))
    .limit(limit);
}

/** The events of one subject (an assignment, an action), oldest first. */
export function subjectEvents(exec: Executor, subjectType: string, subjectId: string | number): Promise<AuditEvent[]> {
  return exec
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.subjectType, subjectType), eq(auditEvents.subjectId, String(subjectId))))
    .orderBy(asc(auditEvents.at), asc(auditEvents.id));
}

/** The latest account actions (added, disabled, enabled, one-time passwords, unlocks), newest first. */
export function accountChanges(exec: Executor, limit = 30): Promise<AuditEvent[]> {
  return exec
    .select()
    .from(auditEvents)
    .where(sql`${auditEvents.action} LIKE 'account.%'`)
    .orderBy(desc(auditEvents.at), desc(auditEvents.id))
    .limit(limit);
}

/** The account an API request may act for (X-Acting-User): looked up by email; a disabled one is none. */
export async function accountByEmail(
  exec: Executor,
  email: string,
): Promise<{ id: number; name: string; email: string; disabled: boolean } | null> {
  const [row] = await exec
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      disabled: sql<boolean>`${users.disabledAt} IS NOT NULL`,
    })
    .from(users)
    .where(eq(users.email, sql`lower(${email.trim()})`));
  return row ?? null;
}
