import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../lib/db/client.js';
import { dbId } from '../../lib/validation.js';
import { listOperators } from '../../checklists/checklists-repository.js';
import { isBsuid } from '../../whatsapp/address.js';
import { renderPage } from '../http/render.js';
import { setFlash } from '../http/session.js';
import { linkUserId, unknownMessages, usernameOf } from './unknown-senders-queries.js';

const linkSchema = z.object({
  userId: z.string().refine(isBsuid, 'is not a WhatsApp user id'),
  operatorId: dbId,
});

/**
 * Messages from people who are no operator (issue 15 item 3), newest first. One with a phone number can become an
 * operator (the Operators form, filled in); one known only by a username (a BSUID) can be linked to an existing
 * operator, who is then that person for every later message (operators are reached by number, so none is created
 * without one).
 */
/** Meta's message types in a manager's words. */
const TYPE_LABELS: Record<string, string> = {
  text: 'Text',
  image: 'Photo',
  document: 'File',
  interactive: 'Button tap',
  button: 'Button tap',
  reaction: 'Reaction',
  audio: 'Voice message',
  video: 'Video',
  sticker: 'Sticker',
  location: 'Location',
  contacts: 'Contact card',
};

export function unknownSendersPages(db: Db): Router {
  const router = Router();

  router.get('/unknown-senders', async (_req, res) => {
    const [messages, operators] = await Promise.all([unknownMessages(db), listOperators(db)]);
    await renderPage(res, 'unknown-senders', {
      title: 'Messages from unknown senders',
      nav: 'operators',
      messages: messages.map((m) => ({ ...m, typeLabel: TYPE_LABELS[m.type] ?? 'Other message' })),
      operators,
    });
  });

  router.post('/unknown-senders/link', async (req, res) => {
    const input = linkSchema.safeParse(req.body ?? {});
    if (!input.success) {
      setFlash(req, 'error', 'Choose an operator to link this sender to.');
      return res.redirect(303, '/unknown-senders');
    }
    const { userId, operatorId } = input.data;
    const username = await usernameOf(db, userId);
    const outcome = await linkUserId(db, operatorId, userId, username);
    if (outcome === 'linked') {
      // The operator's id only: a user id is personal data like a phone number.
      req.log.info({ operatorId, userId: res.locals.user?.id }, 'WhatsApp username linked to an operator');
      const name = (await listOperators(db)).find((o) => o.id === operatorId)?.name ?? 'the operator';
      const who = username === null ? 'This sender' : `@${username}`;
      setFlash(req, 'ok', `${who} is now linked to ${name}: their messages go to ${name}’s checklists.`);
    } else {
      setFlash(
        req,
        'error',
        outcome === 'taken'
          ? 'This sender is already linked to another operator.'
          : 'That operator does not exist any more.',
      );
    }
    res.redirect(303, '/unknown-senders');
  });

  return router;
}
