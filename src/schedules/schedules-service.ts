import type { Db } from '../lib/db/client.js';
import { withTransaction, type Executor } from '../lib/db/transaction.js';
import { NotFoundError, ValidationError } from '../lib/errors.js';
import { catalogueExists } from '../checklists/checklists-repository.js';
import type { Actor } from '../audit/actor.js';
import { recordAudit } from '../audit/audit-repository.js';
import { nextOccurrence } from './occurrences.js';
import * as repo from './schedules-repository.js';
import { scheduleAuditDetails } from './schedule-words.js';
import { ALL_DAYS, DEFAULT_DUE_AFTER_MINUTES, type CreateSchedule, type UpdateSchedule } from './schedules-schemas.js';

export interface SchedulesServiceDeps {
  db: Db;
  defaultTimezone: string;
  /** Wakes the schedules worker (a schedule made for a time already come runs now). */
  scheduleChanged: () => void;
  now?: () => Date;
}

export function createSchedulesService(deps: SchedulesServiceDeps) {
  const now = deps.now ?? (() => new Date());

  async function create(input: CreateSchedule, actor: Actor) {
    await assertReferencesExist(deps.db, input);
    const values = {
      templateId: input.templateId,
      machineId: input.machineId,
      operatorId: input.operatorId,
      timezone: input.timezone ?? deps.defaultTimezone,
      daysOfWeek: input.daysOfWeek ?? ALL_DAYS,
      times: input.times,
      dueAfterMinutes: input.dueAfterMinutes ?? DEFAULT_DUE_AFTER_MINUTES,
      active: true,
    };
    const created = await withTransaction(deps.db, async (tx) => {
      const row = await repo.insertSchedule(tx, { ...values, nextRunAt: nextOccurrence(values, now()) });
      const s = (await repo.findSchedule(tx, row.id))!;
      await recordAudit(tx, actor, { ...subject(s.id), action: 'schedule.created', details: scheduleAuditDetails(s) });
      return s;
    });
    deps.scheduleChanged();
    return created;
  }

  /** An edit applies to occurrences not yet created: the next run is computed again from now. */
  async function update(id: number, patch: UpdateSchedule, actor: Actor) {
    await withTransaction(deps.db, async (tx) => {
      const current = await repo.lockSchedule(tx, id);
      if (!current) throw new NotFoundError(`Schedule ${id}`);
      const { active, ...rest } = definedOnly(patch);
      const next = { ...current, ...definedOnly(patch) };
      if (patch.templateId || patch.machineId || patch.operatorId) await assertReferencesExist(tx, next);
      await repo.updateSchedule(tx, id, {
        ...definedOnly(patch),
        nextRunAt: next.active ? nextOccurrence(next, now()) : null,
      });
      const s = (await repo.findSchedule(tx, id))!;
      if (Object.keys(rest).length > 0)
        await recordAudit(tx, actor, { ...subject(id), action: 'schedule.changed', details: scheduleAuditDetails(s) });
      if (active !== undefined && active !== current.active)
        await recordAudit(tx, actor, { ...subject(id), action: active ? 'schedule.resumed' : 'schedule.paused' });
    });
    deps.scheduleChanged();
    return (await repo.findSchedule(deps.db, id))!;
  }

  /** The assignments it made stay (their schedule_id becomes null); the trail keeps what it was. */
  async function remove(id: number, actor: Actor) {
    await withTransaction(deps.db, async (tx) => {
      const s = await repo.findSchedule(tx, id);
      if (!s || !(await repo.deleteSchedule(tx, id))) throw new NotFoundError(`Schedule ${id}`);
      await recordAudit(tx, actor, { ...subject(id), action: 'schedule.deleted', details: scheduleAuditDetails(s) });
    });
  }

  async function get(id: number) {
    const s = await repo.findSchedule(deps.db, id);
    if (!s) throw new NotFoundError(`Schedule ${id}`);
    return s;
  }

  return { create, update, remove, get, list: () => repo.listSchedules(deps.db) };
}

export type SchedulesService = ReturnType<typeof createSchedulesService>;

const subject = (id: number) => ({ subjectType: 'schedule', subjectId: id });

const definedOnly = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

async function assertReferencesExist(
  exec: Executor,
  ids: { templateId: number; machineId: number; operatorId: number },
) {
  const exists = await catalogueExists(exec, ids);
  const missing = (['templateId', 'machineId', 'operatorId'] as const).filter((f) => !exists[f]);
  if (missing.length > 0)
    throw new ValidationError(`Unknown ${missing.join(', ')}`, {
      fields: missing.map((field) => ({ field, message: 'does not exist' })),
    });
}
