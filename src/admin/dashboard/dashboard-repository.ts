import { sql } from 'drizzle-orm';
import type { Db } from '../../lib/db/client.js';
import { failedDeliveryRate24h } from '../../outbox/outbox-repository.js';
import { failedInboundSince } from '../../whatsapp/inbox-repository.js';
import type { ComplianceRow } from './compliance.js';

export interface DashboardNumbers {
  active: number;
  completedToday: number;
  avgMinutes: number | null;
  expired24h: number;
  awaitingRestart: number;
  /**
   * Missed checklists of the factory's last days (since `missedSince`): each waits for a manager's restart with a new
   * due time (or stays missed). Older ones are in the full missed list, not counted here.
   */
  missedAwaitingRestart: number;
  deliveries: { sent: number; failed: number; rate: number };
  /** Operator messages that failed for good in the last 7 days: each left an operator without an answer. */
  unanswered: number;
}

/** The deployment guide's three monitoring queries, verbatim in meaning, plus delivery failures and expiries. */
export async function dashboardNumbers(db: Db, opts: { missedSince: Date }): Promise<DashboardNumbers> {
  const r = await db.execute<{
    active: number;
    completed_today: number;
    avg_minutes: number | null;
    expired_24h: number;
    awaiting_restart: number;
    missed: number;
  }>(sql`
    SELECT
      (SELECT COUNT(*)::int FROM whatsapp_conversation_sessions WHERE status = 'active') AS active,
      (SELECT COUNT(*)::int FROM whatsapp_conversation_sessions
        WHERE status = 'completed' AND DATE(created_at) = CURRENT_DATE) AS completed_today,
      (SELECT AVG(EXTRACT(EPOCH FROM (last_message_at - created_at))/60)::float8
        FROM whatsapp_conversation_sessions WHERE status = 'completed') AS avg_minutes,
      (SELECT COUNT(*)::int FROM whatsapp_conversation_sessions
        WHERE status = 'expired' AND ended_at > now() - interval '24 hours') AS expired_24h,
      (SELECT COUNT(*)::int FROM checklist_assignments
        WHERE status = 'pending' AND last_expired_at IS NOT NULL) AS awaiting_restart,
      (SELECT COUNT(*)::int FROM checklist_assignments
        WHERE status = 'missed' AND missed_at >= ${opts.missedSince.toISOString()}::timestamptz) AS missed`);
  const row = r.rows[0]!;
  return {
    active: row.active,
    completedToday: row.completed_today,
    avgMinutes: row.avg_minutes === null ? null : Number(row.avg_minutes),
    expired24h: row.expired_24h,
    awaitingRestart: row.awaiting_restart,
    missedAwaitingRestart: row.missed,
    deliveries: await failedDeliveryRate24h(db),
    unanswered: await failedInboundSince(db, 7),
  };
}

export interface ReviewItem {
  id: string;
  completedAt: Date | null;
  templateName: string;
  machineName: string;
  operatorName: string;
  notOk: number;
  /** Answered again after a rework (it may have no NOT OK left, yet waits for a decision). */
  reworked: boolean;
}

/**
 * Confirmed submissions waiting for a decision, newest first: with a NOT OK answer, answered again after a
 * rework (NOT OK or not), or every one when Settings says every submission needs a decision.
 */
export async function waitingForReview(db: Db, limit = 50): Promise<ReviewItem[]> {
  const r = await db.execute<{
    id: string;
    completed_at: Date | null;
    template_name: string;
    machine_name: string;
    operator_name: string;
    not_ok: number;
    reworked: boolean;
  }>(sql`
    SELECT s.id, s.completed_at, t.name AS template_name, m.name AS machine_name, o.name AS operator_name,
           (SELECT COUNT(*)::int FROM checklist_submission_answers a WHERE a.submission_id = s.id AND a.status = 'NOT_OK') AS not_ok,
           EXISTS (SELECT 1 FROM submission_reworks w WHERE w.submission_id = s.id AND w.status = 'completed') AS reworked
    FROM checklist_submissions s
    JOIN checklist_templates t ON t.id = s.template_id
    JOIN machines m ON m.id = s.machine_id
    JOIN operators o ON o.id = s.operator_id
    WHERE s.needs_review AND s.reviewed_at IS NULL
    ORDER BY s.completed_at DESC NULLS LAST, s.id
    LIMIT ${limit}`);
  return r.rows.map((x) => ({
    id: x.id,
    completedAt: x.completed_at ? new Date(x.completed_at) : null,
    templateName: x.template_name,
    machineName: x.machine_name,
    operatorName: x.operator_name,
    notOk: x.not_ok,
    reworked: x.reworked,
  }));
}

export interface ExpiredItem {
  id: string;
  lastExpiredAt: Date;
  templateName: string;
  machineName: string;
  operatorName: string;
}

/** Assignments whose conversation expired and that wait for a manager's restart, newest first. */
export async function awaitingRestart(db: Db, limit = 20): Promise<ExpiredItem[]> {
  const r = await db.execute<{
    id: string;
    last_expired_at: Date;
    template_name: string;
    machine_name: string;
    operator_name: string;
  }>(sql`
    SELECT a.id, a.last_expired_at, t.name AS template_name, m.name AS machine_name, o.name AS operator_name
    FROM checklist_assignments a
    JOIN checklist_templates t ON t.id = a.template_id
    JOIN machines m ON m.id = a.machine_id
    JOIN operators o ON o.id = a.operator_id
    WHERE a.status = 'pending' AND a.last_expired_at IS NOT NULL
    ORDER BY a.last_expired_at DESC
    LIMIT ${limit}`);
  return r.rows.map((x) => ({
    id: x.id,
    lastExpiredAt: new Date(x.last_expired_at),
    templateName: x.template_name,
    machineName: x.machine_name,
    operatorName: x.operator_name,
  }));
}

/**
 * Each machine's checklists per local day over the last `days` days up to `now` in `timeZone`, counted by outcome
 * (see compliance.ts), in one statement. Each branch of the WHERE has its own index: completed ones by
 * completed_at, missed ones by missed_at, open ones by status (few).
 */
export async function complianceByMachineDay(
  db: Db,
  opts: { now: Date; timeZone: string; days: number },
): Promise<{ today: string; rows: ComplianceRow[] }> {
  const tz = opts.timeZone;
  const r = await db.execute<{
    today: string;
    machine_id: number | null;
    machine_name: string | null;
    day: string | null;
    on_time: number;
    late: number;
    missed: number;
    not_ok: number;
    open: number;
  }>(sql`
    WITH w AS (
      SELECT (${opts.now.toISOString()}::timestamptz AT TIME ZONE ${tz})::date AS today
    ), since AS (
      SELECT today, ((today - ${opts.days - 1}::int)::timestamp AT TIME ZONE ${tz}) AS at FROM w
    ), o AS (
      SELECT a.machine_id, a.status,
             (a.status = 'completed' AND (a.completed_late OR COALESCE(a.completed_at > a.due_at, false))) AS late,
             CASE a.status WHEN 'completed' THEN a.completed_at
                           WHEN 'missed' THEN COALESCE(a.missed_at, a.due_at)
                           ELSE COALESCE(a.due_at, a.created_at) END AS at,
             (a.status = 'completed' AND EXISTS (
               SELECT 1 FROM checklist_submissions s
               WHERE s.assignment_id = a.id AND s.status = 'completed' AND s.needs_review)) AS not_ok
      FROM checklist_assignments a, since
      WHERE (a.status = 'completed' AND a.completed_at >= since.at)
         OR (a.status = 'missed' AND a.missed_at >= since.at)
         OR (a.status IN ('pending', 'active') AND COALESCE(a.due_at, a.created_at) >= since.at)
    ), c AS (
      SELECT o.machine_id, m.name AS machine_name, to_char((o.at AT TIME ZONE ${tz})::date, 'YYYY-MM-DD') AS day,
             count(*) FILTER (WHERE o.status = 'completed' AND NOT o.late)::int AS on_time,
             count(*) FILTER (WHERE o.late)::int AS late,
             count(*) FILTER (WHERE o.status = 'missed')::int AS missed,
             count(*) FILTER (WHERE o.status IN ('pending', 'active'))::int AS open,
             count(*) FILTER (WHERE o.not_ok)::int AS not_ok
      FROM o JOIN machines m ON m.id = o.machine_id
      GROUP BY o.machine_id, m.name, 3
    )
    SELECT to_char(w.today, 'YYYY-MM-DD') AS today, c.*
    FROM w LEFT JOIN c ON true
    ORDER BY c.day, c.machine_id`);
  const today = r.rows[0]!.today;
  const rows = r.rows
    .filter((x) => x.machine_id !== null)
    .map((x) => ({
      machineId: x.machine_id!,
      machineName: x.machine_name!,
      day: x.day!,
      onTime: x.on_time,
      late: x.late,
      missed: x.missed,
      notOk: x.not_ok,
      open: x.open,
    }));
  return { today, rows };
}
