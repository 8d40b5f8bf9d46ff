import { fromRow } from '../lib/db/rows.js';
import { whatsappConversationSessions as sessions } from '../lib/db/schema.js';
import { sql } from 'drizzle-orm';
import { preparedCall, type PreparedStatement, type TransactionEnds, type Tx } from '../lib/db/transaction.js';
import type { QuotedMessage } from './answer-context.js';
import type { Answer, SessionState, Task } from './conversation-types.js';
import type { SessionRow } from './session-repository.js';
import { awaitingNote } from './draft.js';
import { parseDefinitions, positionOf, TEMPLATE_TASK_JSON, typeOf } from './task-definitions.js';

/** The locked read of one message's apply. Null when the message is no longer pending (applied elsewhere). */
export interface LockedForApply {
  session: SessionRow | null;
  tasks: Task[];
  /** When Meta first accepted the session's current question (null: not yet, or no session). */
  questionSentAt: Date | null;
  /** Question 1 went out with another message (a thank-you, a cancellation), read before it. */
  afterOtherMessage: boolean;
  /** The message the event quotes or reacts to, when it is one of ours. */
  quoted: QuotedMessage | null;
}

/**
 * The first statement of an apply, and its locks, in the documented order: the inbox row (still
 * pending, FOR UPDATE), then the operator's active session (FOR UPDATE), with the session's tasks.
 * With them: when Meta first accepted the current question (decision 0007). A row whose send is under way,
 * or was, when its record was lost (a crash, a database outage, a lost response: more than one attempt)
 * may have been read already, so it counts from when it was queued; a row never tried has not been read.
 * Whether Question 1 was queued with another message to the same phone (the thank-you of the checklist
 * before, a cancellation): the operator reads that first, so the question needs longer to be read.
 * And the session and question of the message quoted or reacted to ($3, a wamid).
 * The session is looked up only once the message row is held (LATERAL after the CTE), so two workers
 * applying one message queue on the message and the second finds it processed.
 */
const LOCK: PreparedStatement = {
  name: 'apply_lock',
  // The session's tasks are its snapshot (decision 0016), with each task's wording as it is now (a fixed
  // typo reaches the questions still to come, as before the snapshot); a session older than the snapshot
  // reads its template's tasks.
  text: `
    WITH msg AS (SELECT i.id FROM whatsapp_inbox i WHERE i.id = $1::bigint AND i.status = 'pending' FOR UPDATE)
    SELECT s.*, CASE WHEN s.task_definitions IS NULL
        THEN (SELECT json_agg(${TEMPLATE_TASK_JSON} ORDER BY t.position)
          FROM checklist_template_tasks t WHERE t.template_id = s.template_id)
        ELSE (SELECT json_agg(CASE WHEN t.id IS NULL THEN d.def ELSE jsonb_set(d.def, '{text}', to_jsonb(t.text)) END
            ORDER BY d.n)
          FROM jsonb_array_elements(s.task_definitions) WITH ORDINALITY AS d(def, n)
          LEFT JOIN checklist_template_tasks t ON t.id = (d.def->>'id')::int) END AS tasks,
      (SELECT min(CASE WHEN o.status = 'failed' THEN NULL
          WHEN o.status = 'sending' OR (o.attempts > 1 AND o.sent_at IS NOT NULL) THEN o.created_at
          ELSE o.sent_at END)
        FROM whatsapp_outbox o WHERE o.session_id = s.id AND o.task_index = s.current_task_index) AS question_sent_at,
      s.current_task_index = 0 AND EXISTS (SELECT 1 FROM whatsapp_outbox f JOIN whatsapp_outbox t
          ON t.created_at = f.created_at AND t.phone_number = f.phone_number AND t.session_id IS DISTINCT FROM s.id
        WHERE f.session_id = s.id AND f.task_index = 0) AS after_other_message,
      q.wa_message_id AS quoted_wamid, q.session_id AS quoted_session_id, q.task_index AS quoted_task_index
    FROM msg LEFT JOIN LATERAL (
      SELECT * FROM whatsapp_conversation_sessions
      WHERE operator_id = $2::int AND status = 'active'
      ORDER BY created_at LIMIT 1
      FOR UPDATE
    ) s ON true
    LEFT JOIN whatsapp_outbox q ON q.wa_message_id = $3::varchar`,
};

/** Opens the apply's transaction with its lock (BEGIN and this statement in one round trip). */
/** `replyTo`: the wamid the message quotes or reacts to (Meta's context.id, reaction.message_id). */
export async function lockForApply(
  ends: TransactionEnds,
  inboxId: number,
  operatorId: number | null,
  replyTo: string | null = null,
): Promise<LockedForApply | null> {
  const rows = await ends.begin<LockRow>(preparedCall(LOCK, [inboxId, operatorId, replyTo]));
  const row = rows[0];
  if (!row) return null;
  const sentAt = row.question_sent_at;
  return {
    session: row.id ? fromRow(sessions, row) : null,
    tasks: row.tasks === null ? [] : parseDefinitions(row.tasks),
    // Hand-written SQL is not date-parsed by drizzle: PostgreSQL's text, or a Date from pg.
    questionSentAt: sentAt === null ? null : new Date(sentAt),
    afterOtherMessage: row.after_other_message === true,
    quoted: row.quoted_wamid === null ? null : { sessionId: row.quoted_session_id, taskIndex: row.quoted_task_index },
  };
}

type LockRow = {
  tasks: unknown[] | null;
  question_sent_at: string | Date | null;
  after_other_message: boolean | null;
  quoted_wamid: string | null;
  quoted_session_id: string | null;
  quoted_task_index: number | null;
} & Record<string, unknown>;

/** Everything one applied message writes besides the rare extras (expiry, alerts, the next checklist). */
export interface ApplyWrite {
  inboxId: number;
  /** The session's new state; `ended` stamps ended_at (CONFIRM). */
  session: { id: string; state: SessionState; ended: boolean } | null;
  /** `task`: the rules it was answered under (the session's snapshot), stored with it: type, unit, limits, photo. */
  answer: { submissionId: string; answer: Answer; task: Task | undefined } | null;
  /** CONFIRM: the submission and its assignment complete. */
  completed: { submissionId: string; assignmentId: string | null; needsReview: boolean } | null;
  /** whatsapp_outbox rows in sending order. */
  outbox: { phoneNumber: string; sessionId: string | null; kind: string; payload: unknown; taskIndex: number | null }[];
  /** Commit without waiting for the WAL flush (docs/decisions/0003-single-locked-apply.md says why it is safe). */
  asyncCommit: boolean;
}

/**
 * The one writer of an apply, in one statement (one round trip while the session lock is held): the
 * message's processed mark, the session state, the answer (with its task's text and photo rule as they
 * are now, and its photos after the first in their own table), on CONFIRM the submission and the
 * assignment, and the replies. It spans tables of several components on purpose: they change together
 * or not at all, under the locks taken by lockForApply.
 * A part whose key parameter is null (no session, no answer, no completion) touches no row.
 */
const WRITE: PreparedStatement = {
  name: 'apply_write',
  text: `
    WITH processed AS (
      UPDATE whatsapp_inbox SET status = 'processed', processed_at = now(), last_error = NULL WHERE id = $1::bigint
    ), session AS (
      UPDATE whatsapp_conversation_sessions SET status = $3::varchar, current_task_index = $4::int,
        answers = $5::jsonb, pending_photo_url = $6::varchar, awaiting_note = $7::boolean,
        awaiting_start = $8::boolean, editing = $9::boolean, draft = $27::jsonb, last_message_at = now(),
        ended_at = CASE WHEN $10::boolean THEN now() ELSE ended_at END
      WHERE id = $2::varchar
    ), answer AS (
      INSERT INTO checklist_submission_answers (submission_id, task_id, position, status, remarks, photo_filename,
        answered_at, task_text, task_requires_photo, task_type, value_numeric, value_text, option_key, unit,
        min_value, max_value)
      SELECT $11::varchar, v.task_id, $13::int, $14::varchar, $15::text, $16::varchar, $17::timestamptz,
        t.text, COALESCE($29::boolean, t.requires_photo), COALESCE($30::varchar, 'check'), $31::numeric, $32::text,
        $33::varchar, $34::varchar, $35::numeric, $36::numeric
      FROM (SELECT $12::int AS task_id) v LEFT JOIN checklist_template_tasks t ON t.id = v.task_id
      WHERE v.task_id IS NOT NULL
      ON CONFLICT (submission_id, position) DO UPDATE SET status = excluded.status, remarks = excluded.remarks,
        photo_filename = excluded.photo_filename, answered_at = excluded.answered_at,
        task_text = excluded.task_text, task_requires_photo = excluded.task_requires_photo,
        task_type = excluded.task_type, value_numeric = excluded.value_numeric, value_text = excluded.value_text,
        option_key = excluded.option_key, unit = excluded.unit, min_value = excluded.min_value,
        max_value = excluded.max_value
    ), extra_photos AS (
      INSERT INTO checklist_submission_answer_photos (submission_id, position, n, photo_filename)
      SELECT $11::varchar, $13::int, p.n + 1, p.name FROM unnest($28::text[]) WITH ORDINALITY AS p(name, n)
      WHERE $11::varchar IS NOT NULL
      ON CONFLICT (submission_id, position, n) DO UPDATE SET photo_filename = excluded.photo_filename
    ), fewer_photos AS (
      DELETE FROM checklist_submission_answer_photos
      WHERE submission_id = $11::varchar AND position = $13::int AND n > 1 + cardinality($28::text[])
    ), submission AS (
      UPDATE checklist_submissions SET status = 'completed', completed_at = now(), needs_review = $19::boolean
      WHERE id = $18::varchar
    ), assignment AS (
      UPDATE checklist_assignments SET status = 'completed', completed_at = now(), completed_late = (missed_at IS NOT NULL) WHERE id = $20::varchar
    ), replies AS (
      INSERT INTO whatsapp_outbox (phone_number, session_id, kind, payload, task_index)
      SELECT r.phone, r.session_id, r.kind, r.payload::jsonb, r.task_index::int
      FROM unnest($21::text[], $22::text[], $23::text[], $24::text[], $26::text[])
        WITH ORDINALITY AS r(phone, session_id, kind, payload, task_index, n)
      ORDER BY r.n
    )
    SELECT set_config('synchronous_commit', $25::text, true)`,
};

/** The statements an apply transaction EXECUTEs (prepared on its connection by withPipelinedTransaction). */
export const APPLY_STATEMENTS = [LOCK, WRITE];

/** The write as one EXECUTE, to run now (`tx.execute(sql.raw(call))`) or with the COMMIT (`ends.commitWith`). */
export function writeApplyCall(w: ApplyWrite): string {
  const s = w.session;
  const a = w.answer?.answer ?? null;
  const c = w.completed;
  const t = w.answer?.task;
  const type = t ? typeOf(t) : null;
  const value = a?.value ?? null;
  const column = <T extends string | null>(pick: (o: ApplyWrite['outbox'][number]) => T) => w.outbox.map(pick);
  return preparedCall(WRITE, [
    w.inboxId,
    s?.id ?? null,
    s?.state.status ?? null,
    s?.state.currentTaskIndex ?? null,
    s ? JSON.stringify(s.state.answers) : null,
    // The guide's columns follow the draft: its first photo, and a NOT OK waiting for its note.
    s?.state.draft.photos[0] ?? null,
    s ? awaitingNote(s.state.draft) : null,
    s?.state.awaitingStart ?? null,
    s?.state.editing ?? null,
    s?.ended ?? false,
    w.answer?.submissionId ?? null,
    a?.taskId ?? null,
    a ? positionOf(t, a.taskIndex) : null,
    a?.status ?? null,
    a?.remarks ?? null,
    a?.photo ?? null,
    a ? new Date(a.answeredAt).toISOString() : null,
    c?.submissionId ?? null,
    c?.needsReview ?? false,
    c?.assignmentId ?? null,
    column((o) => o.phoneNumber),
    column((o) => o.sessionId),
    column((o) => o.kind),
    column((o) => JSON.stringify(o.payload)),
    w.asyncCommit ? 'off' : 'on',
    // As text: an all-NULL ARRAY literal is text[], which an int[] parameter refuses.
    column((o) => (o.taskIndex === null ? null : String(o.taskIndex))),
    s ? JSON.stringify(s.state.draft) : null,
    // The answer's photos after its first (the first is its photo_filename).
    a ? (a.photos ?? []).slice(1) : [],
    t?.requiresPhoto ?? null,
    type,
    type === 'number' ? value : null,
    type === 'number' ? null : value,
    a?.optionKey ?? null,
    type === 'number' ? (t?.unit ?? null) : null,
    type === 'number' ? (t?.min ?? null) : null,
    type === 'number' ? (t?.max ?? null) : null,
  ]);
}

export async function writeApply(tx: Tx, w: ApplyWrite): Promise<void> {
  await tx.execute(sql.raw(writeApplyCall(w)));
}
