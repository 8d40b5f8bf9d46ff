import type { z } from 'zod';
import {
  createScheduleSchema,
  DEFAULT_DUE_AFTER_MINUTES,
  type CreateSchedule,
} from '../../schedules/schedules-schemas.js';

/**
 * The schedule form as the page posts it and shows it again: every value a string, as typed. It is turned into
 * the REST API's shape and checked by the API's own schema (createScheduleSchema), so the page and the API
 * accept the same schedules; only the messages differ: here they speak the manager's words.
 */
export interface ScheduleForm {
  templateId: string;
  machineId: string;
  operatorId: string;
  days: string[];
  times: string[];
  timezone: string;
  dueAmount: string;
  dueUnit: 'minutes' | 'hours';
}

export type FormErrors = Record<string, string>;

const list = (v: unknown): string[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');
const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

/** The posted body as a form (urlencoded: one checkbox comes as a string, several as an array). */
export function formFromBody(body: unknown): ScheduleForm {
  const b = (body ?? {}) as Record<string, unknown>;
  const times = list(b.times)
    .map((t) => t.trim())
    .filter((t) => t !== '');
  return {
    templateId: str(b.templateId),
    machineId: str(b.machineId),
    operatorId: str(b.operatorId),
    days: list(b.days),
    times: times.length > 0 ? times : [''],
    timezone: str(b.timezone),
    dueAmount: str(b.dueAmount),
    dueUnit: b.dueUnit === 'hours' ? 'hours' : 'minutes',
  };
}

/** A window in whole hours is shown in hours ("2 hours"), any other in minutes. */
const dueFields = (minutes: number): Pick<ScheduleForm, 'dueAmount' | 'dueUnit'> =>
  minutes % 60 === 0
    ? { dueAmount: String(minutes / 60), dueUnit: 'hours' }
    : { dueAmount: String(minutes), dueUnit: 'minutes' };

/** A new schedule's form: every day, one empty time, the default zone and window. */
export const emptyForm = (timezone: string, preset: Partial<ScheduleForm> = {}): ScheduleForm => ({
  templateId: '',
  machineId: '',
  operatorId: '',
  days: ['1', '2', '3', '4', '5', '6', '7'],
  times: [''],
  timezone,
  ...dueFields(DEFAULT_DUE_AFTER_MINUTES),
  ...preset,
});

/** An existing schedule's form. */
export const formFromSchedule = (s: {
  templateId: number;
  machineId: number;
  operatorId: number;
  daysOfWeek: number[];
  times: string[];
  timezone: string;
  dueAfterMinutes: number;
}): ScheduleForm => ({
  templateId: String(s.templateId),
  machineId: String(s.machineId),
  operatorId: String(s.operatorId),
  days: s.daysOfWeek.map(String),
  times: s.times.length > 0 ? [...s.times] : [''],
  timezone: s.timezone,
  ...dueFields(s.dueAfterMinutes),
});

const CHOOSE: Record<string, string> = {
  templateId: 'Choose a checklist',
  machineId: 'Choose a machine',
  operatorId: 'Choose an operator',
};

/** One zod issue of createScheduleSchema, said for the field it is under on the form. */
function inWords(issue: z.core.$ZodIssue, form: ScheduleForm): [string, string] {
  const [field, index] = issue.path;
  if (typeof field === 'string' && CHOOSE[field]) return [field, CHOOSE[field]];
  if (field === 'daysOfWeek')
    return ['days', issue.code === 'too_small' ? 'Pick at least one day' : 'Pick days from Monday to Sunday'];
  if (field === 'times' && typeof index === 'number')
    return [`times.${index}`, `${form.times[index]} is not a time: use 00:00 to 23:59, such as 06:00`];
  if (field === 'times')
    return ['times', issue.code === 'too_small' ? 'Add at least one start time' : 'At most 48 start times'];
  if (field === 'timezone') return ['timezone', `${form.timezone} is not a time zone we know: pick one from the list`];
  if (field === 'dueAfterMinutes')
    return [
      'dueAmount',
      issue.code === 'too_small'
        ? 'Give the operator at least 1 minute'
        : issue.code === 'too_big'
          ? 'At most 7 days (168 hours)'
          : 'Use whole minutes, such as 90 minutes',
    ];
  return ['_form', 'Please check the form'];
}

/** The window in minutes, or the message when what was typed is no number. */
function dueMinutes(form: ScheduleForm): number | string {
  if (form.dueAmount === '') return 'Type how long the operator has to finish, such as 2 hours';
  const amount = Number(form.dueAmount.replace(',', '.'));
  if (!Number.isFinite(amount)) return `${form.dueAmount} is not a number: type one such as 2 or 90`;
  return Math.round(amount * (form.dueUnit === 'hours' ? 60 : 1) * 1000) / 1000;
}

/** The form checked by the API's schema: the schedule to save, or a message per field in words. */
export function parseScheduleForm(form: ScheduleForm): { data: CreateSchedule } | { errors: FormErrors } {
  const due = dueMinutes(form);
  const errors: FormErrors = typeof due === 'string' ? { dueAmount: due } : {};
  const parsed = createScheduleSchema.safeParse({
    templateId: form.templateId,
    machineId: form.machineId,
    operatorId: form.operatorId,
    daysOfWeek: form.days.map(Number),
    times: form.times.filter((t) => t !== ''),
    timezone: form.timezone || undefined,
    dueAfterMinutes: typeof due === 'number' ? due : DEFAULT_DUE_AFTER_MINUTES,
  });
  if (!parsed.success)
    for (const issue of parsed.error.issues) {
      const [key, message] = inWords(issue, form);
      errors[key] ??= message;
    }
  return parsed.success && Object.keys(errors).length === 0 ? { data: parsed.data } : { errors };
}

/** The service's "does not exist" (a checklist deleted while the form was open), said on the form. */
export function missingInWords(fields: { field: string }[]): FormErrors {
  const gone: Record<string, string> = {
    templateId: 'That checklist no longer exists: choose another',
    machineId: 'That machine no longer exists: choose another',
    operatorId: 'That operator no longer exists: choose another',
  };
  return Object.fromEntries(fields.filter((f) => gone[f.field]).map((f) => [f.field, gone[f.field]!]));
}
