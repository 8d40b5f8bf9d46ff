import { z } from 'zod';
import { dbId } from '../../lib/validation.js';

const choice = (what: string) =>
  z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.coerce
      .number({ error: `Choose ${what}` })
      .int(`Choose ${what}`)
      .positive(`Choose ${what}`)
      .max(2_147_483_647, `Choose ${what}`),
  );

export const assignForm = z.object({
  templateId: choice('a checklist'),
  machineId: choice('a machine'),
  operatorId: choice('an operator'),
});

const optionalId = z.preprocess((v) => (v === '' ? undefined : v), dbId.optional());

export const listFilter = z.object({
  status: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.enum(['pending', 'active', 'completed', 'late', 'missed', 'cancelled', 'expired']).optional(),
  ),
  operatorId: optionalId,
  machineId: optionalId,
  /** With status=missed: only those missed in the factory's last N days, today included (the dashboard's card). */
  days: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(1).max(366).optional()),
});

/** Assignment ids are uuids; anything else is a 404 before any query. */
export const assignmentIdParam = z.object({ id: z.uuid() });
