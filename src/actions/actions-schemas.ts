import { z } from 'zod';
import { dbId, text } from '../lib/validation.js';
import { ACTION_STATUSES } from './actions-schema.js';

// A calendar day; the refine refuses 2026-02-30, which Date.parse would read as 2 March.
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-12-24')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s && !s.startsWith('0000');
  }, 'is not a real date');

/** The one rule both the API and the page keep: "won't fix" needs its reason, in `note`. */
const reasonForWontFix = (v: { status?: string | undefined; note?: string | null | undefined }) =>
  v.status !== 'wont_fix' || Boolean(v.note);
/** A whole sentence: the page shows it beside the Note field, the API in its 400's `note` field. */
export const WONT_FIX_NOTE_MESSAGE = "Say why this won't be fixed (a reason is needed for Won't fix).";
const WONT_FIX_NOTE = { message: WONT_FIX_NOTE_MESSAGE, path: ['note'] };

export const patchActionSchema = z
  .strictObject({
    status: z.enum(ACTION_STATUSES).optional(),
    ownerId: dbId.nullable().optional(),
    dueAt: day.nullable().optional(),
    note: text(2000).nullable().optional(),
  })
  .refine(reasonForWontFix, WONT_FIX_NOTE);
export type ActionPatch = z.infer<typeof patchActionSchema>;

export const listActionsQuery = z.object({
  status: z.enum(ACTION_STATUSES).optional(),
  machineId: dbId.optional(),
  overdue: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});

export const actionIdParam = z.object({ id: dbId });

const blankToNull = (v: unknown) => (v === '' || v === undefined ? null : v);

/** The action page's form: every field is sent; an empty one clears it. */
export const actionForm = z
  .object({
    status: z.enum(ACTION_STATUSES),
    ownerId: z.preprocess(blankToNull, dbId.nullable()),
    dueAt: z.preprocess(blankToNull, day.nullable()),
    note: z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? null : v), text(2000).nullable()),
  })
  .refine(reasonForWontFix, WONT_FIX_NOTE);

/** The list page's filters: which actions (`show`) and one machine. */
export const actionsPageQuery = z.object({
  show: z.enum(['open', 'overdue', 'mine', 'closed', 'all']).catch('open'),
  machineId: z.preprocess((v) => (v === '' ? undefined : v), dbId.optional()).catch(undefined),
});
