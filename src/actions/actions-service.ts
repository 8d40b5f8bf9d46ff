import type { Db } from '../lib/db/client.js';
import { type Tx, withTransaction } from '../lib/db/transaction.js';
import { NotFoundError, ValidationError } from '../lib/errors.js';
import { SYSTEM_ACTOR, type Actor } from '../audit/actor.js';
import { recordAudit } from '../audit/audit-repository.js';
import * as repo from './actions-repository.js';
import { WONT_FIX_NOTE_MESSAGE, type ActionPatch } from './actions-schemas.js';

/** The note an action closed by a rework gets (also what its audit event says in words). */
export const CLOSED_BY_REWORK_NOTE = 'Closed by itself: the reworked answer came back OK.';

/**
 * Applies a manager's changes to an action and records each one in the audit trail, in one transaction.
 * Only what actually changes is written and recorded; an unknown owner is a 400 naming ownerId.
 */
export async function changeAction(
  db: Db,
  id: number,
  patch: ActionPatch & { closingPhoto?: string | undefined },
  actor: Actor,
): Promise<repo.ActionRow> {
  return withTransaction(db, async (tx) => {
    const before = await repo.lockAction(tx, id);
    if (!before) throw new NotFoundError(`Action ${id}`);
    const changes: repo.ActionChanges = {};
    if (patch.status !== undefined && patch.status !== before.status) changes.status = patch.status;
    if (patch.ownerId !== undefined && patch.ownerId !== before.ownerId) changes.ownerId = patch.ownerId;
    if (patch.dueAt !== undefined && patch.dueAt !== before.dueAt) changes.dueAt = patch.dueAt;
    if (patch.note !== undefined && patch.note !== before.note) changes.note = patch.note;
    if (patch.closingPhoto !== undefined) changes.closingPhotoFilename = patch.closingPhoto;
    if (Object.keys(changes).length === 0) return before;
    if ((changes.status ?? before.status) === 'wont_fix' && !(changes.note ?? before.note)) throw noteRequired();
    if (changes.closingPhotoFilename && !CLOSED.includes(changes.status ?? before.status)) throw photoNeedsClosing();
    const owner = changes.ownerId ? await repo.ownerExists(tx, changes.ownerId) : null;
    if (changes.ownerId && !owner)
      throw new ValidationError('Unknown ownerId', {
        fields: [{ field: 'ownerId', message: 'no account has this id' }],
      });
    if (owner?.disabled)
      throw new ValidationError(`ownerId names a disabled account (${owner.email})`, {
        fields: [{ field: 'ownerId', message: `${owner.name} (${owner.email}) is disabled: choose someone else` }],
      });
    const after = await repo.updateAction(tx, id, changes);
    await recordChanges(tx, actor, before, changes, owner?.name ?? null);
    return after;
  });
}

/** A closing photo goes with an action closed as done or won't fix (issue 18 item 3). */
const CLOSED: string[] = ['done', 'wont_fix'];
const photoNeedsClosing = () =>
  new ValidationError('Invalid body: photo', {
    fields: [{ field: 'photo', message: 'goes with an action closed as "Done" or "Won\'t fix": close it first' }],
  });

const noteRequired = () =>
  new ValidationError('Invalid body: note', {
    fields: [{ field: 'note', message: WONT_FIX_NOTE_MESSAGE }],
  });

async function recordChanges(
  tx: Tx,
  actor: Actor,
  before: repo.ActionRow,
  changes: repo.ActionChanges,
  ownerName: string | null,
) {
  const base = { subjectType: 'action', subjectId: before.id, submissionId: before.submissionId };
  const about = { position: before.position };
  if (changes.status !== undefined)
    await recordAudit(tx, actor, {
      ...base,
      action: 'action.status_changed',
      details: { ...about, from: before.status, to: changes.status, note: changes.note ?? null },
    });
  else if (changes.note !== undefined)
    await recordAudit(tx, actor, { ...base, action: 'action.note_changed', details: { ...about, note: changes.note } });
  if (changes.ownerId !== undefined)
    await recordAudit(tx, actor, {
      ...base,
      action: 'action.owner_changed',
      details: { ...about, ownerId: changes.ownerId, to: ownerName },
    });
  if (changes.dueAt !== undefined)
    await recordAudit(tx, actor, { ...base, action: 'action.due_changed', details: { ...about, to: changes.dueAt } });
  if (changes.closingPhotoFilename)
    await recordAudit(tx, actor, {
      ...base,
      action: 'action.closing_photo_added',
      details: { ...about, photo: changes.closingPhotoFilename },
    });
}

/**
 * At a rework's CONFIRM (issue 18 item 2, called by its apply in its transaction): the open actions of the
 * reworked answers that came back OK close as done, with a note saying so, recorded as done by the system.
 */
export async function closeActionsForReworkedOk(tx: Tx, submissionId: string, okPositions: number[]) {
  const closed = await repo.closeOpenActions(tx, submissionId, okPositions, CLOSED_BY_REWORK_NOTE);
  for (const a of closed)
    await recordAudit(tx, SYSTEM_ACTOR, {
      action: 'action.closed_by_rework',
      subjectType: 'action',
      subjectId: a.id,
      submissionId,
      details: { position: a.position },
    });
  return closed;
}
