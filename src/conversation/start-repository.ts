import { sql } from 'drizzle-orm';
import { runPrepared, type Executor, type PreparedStatement } from '../lib/db/transaction.js';
import type { Task } from './conversation-types.js';
import { parseDefinitions, serializeDefinitions, TEMPLATE_TASK_JSON } from './task-definitions.js';
import type { OutboxRowValues } from '../outbox/outbox-messages.js';

/** A locked assignment with everything its start decides on, read by one statement. */
export interface StartCandidate {
  id: string;
  status: string;
  templateId: number;
  machineId: number;
  operatorId: number;
  phoneNumber: string;
  /** system_config.whatsapp_enabled (true when the row is missing). */
  enabled: boolean;
  /** The phone already has an active session (another checklist is being answered). */
  busy: boolean;
  /** The operator wrote in the last 24 hours, so free-form messages reach them. */
  inWindow: boolean;
  tasks: Task[];
  /** The template's and machine's names, for the start template. */
  templateName: string | null;
  machineName: string | null;
  /** When it was assigned: the queue's order (with the operator's queued reworks). */
  createdAt: Date | string;
  /** A scheduled (or restarted missed) checklist's due time, and its schedule's zone (null: DEFAULT_TIMEZONE). */
  dueAt: Date | string | null;
  dueZone: string | null;
}

/**
 * What every start decides on about the operator's phone (joined as `o`): WhatsApp switched on (true when
 * system_config has no row), a conversation running on it, the 24-hour window open. Shared with reworks.
 */
export const PHONE_FACTS = `
    COALESCE((SELECT c.whatsapp_enabled FROM system_config c WHERE c.id = 1), true) AS enabled,
    EXISTS (SELECT 1 FROM whatsapp_conversation_sessions x
      WHERE x.phone_number = o.phone_number AND x.status = 'active') AS busy,
    EXISTS (SELECT 1 FROM whatsapp_contacts w
      WHERE w.phone_number = o.phone_number AND w.last_inbound_at > now() - interval '24 hours') AS "inWindow"`;

// The subqueries read with the statement's snapshot. A start that races another one for the same phone
// is caught by the partial unique index whatsapp_sessions_one_active_per_phone (see inStartTx).
// The callers lock the assignment (FOR UPDATE OF a) and the operator (FOR KEY SHARE OF o), so a change of
// the operator's number (admin/catalogue, which locks that row FOR UPDATE) commits before this read (which
// then sees the new number) or waits until the start commits (and then sees its session and is refused):
// no session is ever made on the old number. A start that goes ahead took the same lock anyway one
// statement later (the new submission's foreign-key check); taking it here adds no statement.
const CANDIDATE = `
  SELECT a.id, a.status, a.template_id AS "templateId", a.machine_id AS "machineId", a.operator_id AS "operatorId",
    a.created_at AS "createdAt", a.due_at AS "dueAt",
    (SELECT cs.timezone FROM checklist_schedules cs WHERE cs.id = a.schedule_id) AS "dueZone",
    o.phone_number AS "phoneNumber",
    ${PHONE_FACTS},
    COALESCE((SELECT json_agg(${TEMPLATE_TASK_JSON} ORDER BY t.position)
      FROM checklist_template_tasks t WHERE t.template_id = a.template_id), '[]') AS tasks,
    (SELECT ct.name FROM checklist_templates ct WHERE ct.id = a.template_id) AS "templateName",
    (SELECT m.name FROM machines m WHERE m.id = a.machine_id) AS "machineName"
  FROM checklist_assignments a JOIN operators o ON o.id = a.operator_id`;

const LOCK_CANDIDATE: PreparedStatement = {
  name: 'start_lock_candidate',
  text: `${CANDIDATE}
    WHERE a.id = $1 FOR UPDATE OF a FOR KEY SHARE OF o`,
};

/** Locks the assignment row (FOR UPDATE) and its operator's (FOR KEY SHARE) and reads what its start needs. */
export async function lockStartCandidate(exec: Executor, assignmentId: string): Promise<StartCandidate | null> {
  const rows = await runPrepared<StartCandidate & Record<string, unknown>>(exec, LOCK_CANDIDATE, [assignmentId]);
  return candidateOf(rows[0]);
}

const LOCK_NEXT_QUEUED: PreparedStatement = {
  name: 'start_lock_next_queued',
  text: `${CANDIDATE}
    WHERE a.id = (
      SELECT q.id FROM checklist_assignments q
      WHERE q.operator_id = $1 AND q.status = 'pending' AND q.last_expired_at IS NULL
      ORDER BY q.created_at, q.id LIMIT 1)
      AND a.status = 'pending' AND a.last_expired_at IS NULL
    FOR UPDATE OF a FOR KEY SHARE OF o`,
};

/**
 * Locks the operator's oldest queued assignment (pending, not waiting for a manager after expiry), if
 * any. The outer conditions repeat the inner ones so a row changed while we waited for its lock (a
 * cancel) is re-checked and skipped, as a plain SELECT ... FOR UPDATE would.
 */
export async function lockNextQueued(exec: Executor, operatorId: number): Promise<StartCandidate | null> {
  const rows = await runPrepared<StartCandidate & Record<string, unknown>>(exec, LOCK_NEXT_QUEUED, [operatorId]);
  return candidateOf(rows[0]);
}

const candidateOf = (row: StartCandidate | undefined): StartCandidate | null =>
  row ? { ...row, tasks: parseDefinitions(row.tasks) } : null;

export interface StartWrite<C = StartCandidate> {
  candidate: C;
  /** Made by the caller, so the first prompt's buttons (which carry it) are built before the write. */
  sessionId: string;
  ttlSeconds: number;
  awaitingStart: boolean;
  /** Rows for whatsapp_outbox in sending order (Question 1, or the start template). */
  outbox: OutboxRowValues[];
}

/**
 * The start's first messages queued in sending order, for the session the statement's CTE `ses` inserted: the
 * phone is parameter `phone`, the rows' kinds, payloads and questions (firstMessages) the three from `first`.
 */
export const queueFirstMessages = (phone: number, first: number) => `
      INSERT INTO whatsapp_outbox (phone_number, session_id, kind, payload, task_index)
      SELECT $${phone}, ses.id, r.kind, r.payload, r.task_index
      FROM ses, unnest($${first}::text[], $${first + 1}::jsonb[], $${first + 2}::int[]) WITH ORDINALITY AS r(kind, payload, task_index, n)
      ORDER BY r.n`;

/** queueFirstMessages' three values, in its order. */
export const firstMessages = (outbox: OutboxRowValues[]) => [
  outbox.map((o) => o.kind),
  outbox.map((o) => JSON.stringify(o.payload)),
  outbox.map((o) => o.taskIndex),
];

const INSERT_START: PreparedStatement = {
  name: 'start_insert',
  text: `
    WITH sub AS (
      INSERT INTO checklist_submissions (assignment_id, template_id, machine_id, operator_id)
      VALUES ($1, $2, $3, $4) RETURNING id
    ), ses AS (
      INSERT INTO whatsapp_conversation_sessions (id, phone_number, assignment_id, submission_id, template_id, machine_id,
        operator_id, status, current_task_index, total_tasks, expires_at, awaiting_start, task_definitions)
      SELECT $5, $6, $1, sub.id, $2, $3, $4,
        'active', 0, $7, (now() AT TIME ZONE 'UTC') + make_interval(secs => $8),
        $9::boolean, $10::jsonb
      FROM sub
      RETURNING id, submission_id
    ), assignment AS (
      UPDATE checklist_assignments SET status = 'active', started_at = now(), status_reason = NULL, last_expired_at = NULL
      WHERE id = $1
    ), replies AS (${queueFirstMessages(6, 11)})
    SELECT submission_id AS "submissionId" FROM ses`,
};

/**
 * Starts a locked candidate in one statement: its submission, its session, the assignment marked
 * active, and the first messages queued. Returns the submission id.
 */
export async function insertStart(exec: Executor, w: StartWrite): Promise<string> {
  const c = w.candidate;
  const rows = await runPrepared<{ submissionId: string }>(exec, INSERT_START, [
    c.id,
    c.templateId,
    c.machineId,
    c.operatorId,
    w.sessionId,
    c.phoneNumber,
    c.tasks.length,
    w.ttlSeconds,
    w.awaitingStart,
    serializeDefinitions(c.tasks),
    ...firstMessages(w.outbox),
  ]);
  return rows[0]!.submissionId;
}

/** Leaves a candidate pending with the reason it did not start. */
export async function setPendingReason(exec: Executor, assignmentId: string, reason: string) {
  await exec.execute(sql`
    UPDATE checklist_assignments SET status_reason = ${reason}, last_expired_at = NULL WHERE id = ${assignmentId}`);
}

const QUEUE_AHEAD: PreparedStatement = {
  name: 'start_queue_ahead',
  text: `
    WITH q AS (
      SELECT a.created_at, a.id::text AS id, a.template_id, a.machine_id, false AS rework
      FROM checklist_assignments a
      WHERE a.operator_id = $1 AND a.status = 'pending' AND a.last_expired_at IS NULL
      UNION ALL
      SELECT r.created_at, r.id::text, s.template_id, s.machine_id, true
      FROM submission_reworks r JOIN checklist_submissions s ON s.id = r.submission_id
      WHERE s.operator_id = $1 AND r.status = 'pending'
    )
    SELECT count(*)::int AS waiting,
      (SELECT d.name FROM checklist_templates d WHERE d.id = $2) AS done_template,
      (SELECT d.name FROM machines d WHERE d.id = $3) AS done_machine,
      (array_agg(ct.name ORDER BY q.created_at, q.id))[1] AS template,
      (array_agg(m.name ORDER BY q.created_at, q.id))[1] AS machine,
      (array_agg(q.rework ORDER BY q.created_at, q.id))[1] AS rework,
      COALESCE((SELECT c.whatsapp_enabled FROM system_config c WHERE c.id = 1), true) AS enabled
    FROM q
    JOIN checklist_templates ct ON ct.id = q.template_id
    JOIN machines m ON m.id = q.machine_id`,
};

/**
 * What waits for the operator as startNextQueued sees it: their queued assignments (pending, not expired) and
 * reworks (pending), the oldest first: how many, the oldest one's names, whether it is a rework, and whether it
 * starts now (WhatsApp switched on). With it, the names of the checklist just done (`done`, its template and
 * machine ids; null when deleted). A plain read, no lock, one round trip: it only words the thank-you after
 * CONFIRM, before the next one is locked and started.
 */
export async function queueAhead(
  exec: Executor,
  operatorId: number,
  done: { templateId: number; machineId: number },
): Promise<{
  waiting: number;
  template: string | null;
  machine: string | null;
  rework: boolean;
  enabled: boolean;
  done: { template: string | null; machine: string | null };
}> {
  const rows = await runPrepared<{
    waiting: number;
    template: string | null;
    machine: string | null;
    rework: boolean | null;
    enabled: boolean;
    done_template: string | null;
    done_machine: string | null;
  }>(exec, QUEUE_AHEAD, [operatorId, done.templateId, done.machineId]);
  const { done_template, done_machine, ...row } = rows[0]!;
  return { ...row, rework: row.rework === true, done: { template: done_template, machine: done_machine } };
}

/** An assignment's due time and its schedule's zone (null: DEFAULT_TIMEZONE), for Question 1 of a running session. */
export async function findDue(
  exec: Executor,
  assignmentId: string,
): Promise<{ dueAt: Date | string; dueZone: string | null } | null> {
  const r = await exec.execute<{ dueAt: Date | string | null; dueZone: string | null }>(sql`
    SELECT a.due_at AS "dueAt", cs.timezone AS "dueZone"
    FROM checklist_assignments a LEFT JOIN checklist_schedules cs ON cs.id = a.schedule_id
    WHERE a.id = ${assignmentId}`);
  const row = r.rows[0];
  return row && row.dueAt !== null ? { dueAt: row.dueAt, dueZone: row.dueZone } : null;
}
