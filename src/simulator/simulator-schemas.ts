import { z } from 'zod';
import { toE164 } from '../lib/phone.js';
import { plainString } from '../lib/validation.js';
import { normaliseUsername, USERNAME } from './username.js';

// Messages here are shown to a newcomer on a 400 page, so they say what to do.

const phone = plainString({ error: 'Choose an operator first (the phone field is missing).' }).transform((v, ctx) => {
  const e164 = toE164(v);
  if (!e164) {
    ctx.addIssue({ code: 'custom', message: `"${v.slice(0, 40)}" is not a phone number with its country code.` });
    return z.NEVER;
  }
  return e164;
});

const username = plainString()
  .transform(normaliseUsername)
  .refine((u) => USERNAME.test(u), 'A username is 3 to 35 letters, digits, dots or underscores, e.g. ravi.kumar.');

/**
 * Whose chat a form belongs to: an operator's phone number, or a username for someone writing without a number.
 * A username wins when both are sent (the page sends one).
 */
const chat = {
  phone: phone.optional(),
  username: username.optional(),
};
export type ChatKey = { phone?: string | undefined; username?: string | undefined };

const wamid = z
  .string()
  .regex(/^wamid\.[\w.=-]{1,200}$/)
  .optional()
  .catch(undefined);

export const sendSchema = z.object({
  ...chat,
  // Sent exactly as typed, like WhatsApp does; the server trims.
  text: plainString({ error: 'Type an answer before sending.' })
    .refine((t) => t.trim() !== '', 'Type an answer before sending.')
    .refine((t) => t.length <= 4096, 'The message is longer than WhatsApp allows (4096 characters).'),
});

export const buttonSchema = z.object({
  ...chat,
  id: plainString({ error: 'The button has no id.' })
    .min(1, 'The button has no id.')
    .max(256, 'The button id is too long.'),
  title: plainString({ error: 'The button has no title.' })
    .min(1, 'The button has no title.')
    .max(60, 'The button title is too long.'),
  /** reply: an interactive reply button; row: a list message's row; quick: a template's quick-reply button. */
  kind: z.enum(['reply', 'row', 'quick']).default('reply').catch('reply'),
  /** A row's description (Meta sends it back in list_reply); 72 characters at most there. */
  description: plainString()
    .max(72, 'The row description is too long.')
    .optional()
    .transform((d) => (d?.trim() ? d : undefined)),
  context: wamid,
});

export const photoSchema = z.object({
  ...chat,
  caption: plainString()
    .max(1024, 'The caption is longer than WhatsApp allows (1024 characters).')
    .optional()
    .transform((c) => (c?.trim() ? c : undefined)),
});

const id = (what: string) =>
  z.coerce
    .number({ error: `Choose a ${what}.` })
    .int(`Choose a ${what}.`)
    .positive(`Choose a ${what}.`);
export const assignSchema = z.object({
  templateId: id('checklist'),
  machineId: id('machine'),
  operatorId: id('operator'),
  /** Set when assigned from a username's chat, to go back there. */
  username: username.optional().catch(undefined),
});

export const pageQuery = z.object({
  ...chat,
  assigned: z.enum(['started', 'queued']).optional().catch(undefined),
});

export const mediaParam = z.object({ id: z.string().regex(/^sim-media-[0-9a-f]{24}$/) });

/** The first problem zod found, as one sentence for the 400 page. */
export function firstProblem(err: z.ZodError): string {
  const issue = err.issues[0];
  if (!issue) return 'The form was not filled in correctly.';
  // A shared message ("must not contain NUL characters") says which field.
  return /^[a-z]/.test(issue.message) ? `The ${issue.path.join('.')} field ${issue.message}.` : issue.message;
}
