import { sql } from 'drizzle-orm';
import { runPrepared, type Executor, type PreparedStatement } from '../lib/db/transaction.js';
import { firstMessages, PHONE_FACTS, queueFirstMessages, type StartWrite } from './start-repository.js';
import { parseDefinitions, serializeDefinitions, type TaskDefinition } from './task-definitions.js';

/** A locked rework with everything its start decides on (the same facts as an assignment's StartCandidate). */
export interface ReworkCandidate {
  id: string;
  status: string;
  submissionId: string;
  /** The tasks sent back, as the submission answered them, by position. */
  tasks: TaskDefinition[];
  comment: string;
  createdAt: Date | string;
  /** When the operator submitted the checklist sent back (the first line names it). */
  submittedAt: Date | string | null;
  templateId: number;
  machineId: number;
  operatorId: number;
  phoneNumber: string;
  enabled: boolean;
  busy: boolean;
  inWindow: boolean;
  templateName: string | null;
  machineName: string | null;
}

// The rework row is locked FOR UPDATE and its operator FOR KEY SHARE, as start-repository's CANDIDATE does
// for an assignment (the same reasons: a number change waits, a racing start is caught by the unique index).
const CANDIDATE = `
  SELECT r.id, r.status, r.submission_id AS "submissionId", r.tasks, r.comment, r.created_at AS "createdAt",
    s.completed_at AS "submittedAt", s.template_id AS "templateId", s.machine_id AS "machineId", s.operator_id AS "operatorId",
    o.phone_number AS "phoneNumber",
    ${PHONE_FACTS},
    (SELECT ct.name FROM checklist_templates ct WHERE ct.id = s.template_id) AS "templateName",
    (SELECT m.name FROM machines m WHERE m.id = s.machine_id) AS "machineName"
  FROM submission_reworks r
  JOIN checklist_submissions s ON s.id = r.submission_id
  JOIN operators o ON o.id = s.operator_id`;

const LOCK_CANDIDATE: PreparedStatement = {
  name: 'rework_lock_candidate',
  text: `${CANDIDATE}
    WHERE r.id = $1 FOR UPDATE OF r FOR KEY SHARE OF o`,
};

export async function lockReworkCandidate(exec: Executor, reworkId: string): Promise<ReworkCandidate | null> {
  const rows = await runPrepared<ReworkCandidate & Record<string, unknown>>(exec, LOCK_CANDIDATE, [reworkId]);
  return candidateOf(rows[0]);
}

const LOCK_NEXT_QUEUED: PreparedStatement = {
  name: 'rework_lock_next_queued',
  text: `${CANDIDATE}
    WHERE r.id = (
      SELECT q.id FROM submission_reworks q JOIN checklist_submissions qs ON qs.id = q.submission_id
      WHERE qs.operator_id = $1 AND q.status = 'pending'
      ORDER BY q.created_at, q.id LIMIT 1)
      AND r.status = 'pending'
    FOR UPDATE OF r FOR KEY SHARE OF o`,
};

/** The operator's oldest queued rework, locked; re-checked after the lock as lockNextQueued does. */
export async function lockNextQueuedRework(exec: Executor, operatorId: number): Promise<ReworkCandidate | null> {
  const rows = await runPrepared<ReworkCandidate & Record<string, unknown>>(exec, LOCK_NEXT_QUEUED, [operatorId]);
  return candidateOf(rows[0]);
}

const candidateOf = (row: ReworkCandidate | undefined): ReworkCandidate | null =>
  row ? { ...row, tasks: parseDefinitions(row.tasks) } : null;

const INSERT_START: PreparedStatement = {
  name: 'rework_insert_start',
  text: `
    WITH ses AS (
      INSERT INTO whatsapp_conversation_sessions (id, phone_number, assignment_id, submission_id, template_id, machine_id,
        operator_id, status, current_task_index, total_tasks, expires_at, awaiting_start, rework_id,
        task_definitions)
      VALUES ($1, $2, NULL, $3, $4, $5, $6,
        'active', 0, $7, (now() AT TIME ZONE 'UTC') + make_interval(secs => $8),
        $9::boolean, $10, $11::jsonb)
      RETURNING id
    ), rework AS (
      UPDATE submission_reworks SET status = 'active', started_at = now() WHERE id = $10
    ), replies AS (${queueFirstMessages(2, 12)})
    SELECT 1`,
};

/**
 * Starts a locked rework in one statement: a session on the reworked submission (no assignment: the
 * submission's own is completed) that asks the rework's k tasks (its snapshot, positions kept), the
 * rework marked active, the first messages queued.
 */
export async function insertReworkStart(exec: Executor, w: StartWrite<ReworkCandidate>): Promise<void> {
  const c = w.candidate;
  await runPrepared(exec, INSERT_START, [
    w.sessionId,
    c.phoneNumber,
    c.submissionId,
    c.templateId,
    c.machineId,
    c.operatorId,
    c.tasks.length,
    w.ttlSeconds,
    w.awaitingStart,
    c.id,
    serializeDefinitions(c.tasks),
    ...firstMessages(w.outbox),
  ]);
}

/**
 * While WhatsApp is switched on: the oldest queued rework of each operator with no conversation on their
 * number (one a racing end of that conversation did not see; the lifecycle worker starts it).
 */
export async function waitingReworkIds(exec: Executor, limit: number): Promise<string[]> {
  const r = await exec.execute<{ id: string }>(sql`
    SELECT DISTINCT ON (s.operator_id) r.id FROM submission_reworks r
    JOIN checklist_submissions s ON s.id = r.submission_id
    JOIN operators o ON o.id = s.operator_id
    WHERE r.status = 'pending'
      AND NOT EXISTS (SELECT 1 FROM whatsapp_conversation_sessions x WHERE x.phone_number = o.phone_number AND x.status = 'active')
      AND NOT EXISTS (SELECT 1 FROM checklist_assignments a
        WHERE a.operator_id = s.operator_id AND a.status = 'pending' AND a.last_expired_at IS NULL AND a.created_at < r.created_at)
      AND EXISTS (SELECT 1 FROM system_config c WHERE c.id = 1 AND c.whatsapp_enabled)
    ORDER BY s.operator_id, r.created_at, r.id LIMIT ${limit}`);
  return r.rows.map((x) => x.id);
}
