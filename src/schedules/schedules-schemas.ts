import { z } from 'zod';
import { dbId } from '../lib/validation.js';
import { isValidTime, isValidZone } from './occurrences.js';

export const ALL_DAYS = [1, 2, 3, 4, 5, 6, 7];
export const DEFAULT_DUE_AFTER_MINUTES = 120;

const timezone = z
  .string()
  .trim()
  .refine(isValidZone, 'must be an IANA time zone name such as Asia/Kolkata, Europe/Berlin or UTC');
const time = z.string().trim().refine(isValidTime, 'must be a time of day HH:MM, from 00:00 to 23:59');
const days = z
  .array(z.number().int().min(1, 'must be 1 (Monday) to 7 (Sunday)').max(7, 'must be 1 (Monday) to 7 (Sunday)'))
  .min(1, 'must name at least one day: 1 (Monday) to 7 (Sunday)')
  .transform((d) => [...new Set(d)].sort((a, b) => a - b));
const times = z
  .array(time)
  .min(1, 'must hold at least one start time HH:MM')
  .max(48, 'must hold at most 48 start times')
  .transform((t) => [...new Set(t)].sort());
const dueAfterMinutes = z
  .number()
  .int('must be a whole number of minutes')
  .min(1, 'must be at least 1 minute')
  .max(10_080, 'must be at most 10080 minutes (7 days)');

export const createScheduleSchema = z.object({
  templateId: dbId,
  machineId: dbId,
  operatorId: dbId,
  timezone: timezone.optional(),
  daysOfWeek: days.optional(),
  times,
  dueAfterMinutes: dueAfterMinutes.optional(),
});

export const updateScheduleSchema = z.object({
  templateId: dbId.optional(),
  machineId: dbId.optional(),
  operatorId: dbId.optional(),
  timezone: timezone.optional(),
  daysOfWeek: days.optional(),
  times: times.optional(),
  dueAfterMinutes: dueAfterMinutes.optional(),
  active: z.boolean().optional(),
});

export type CreateSchedule = z.infer<typeof createScheduleSchema>;
export type UpdateSchedule = z.infer<typeof updateScheduleSchema>;

export const scheduleIdParam = z.object({ id: dbId });

/** A zod path as a client writes it: `times[0]`, not `times.0`. */
export const fieldName = (path: PropertyKey[]): string =>
  path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${String(p)}` : String(p)), '');
