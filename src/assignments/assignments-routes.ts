import { submissionMessages } from '../outbox/pricing-repository.js';
import { Router } from 'express';
import type { Db } from '../lib/db/client.js';
import { PG_FOREIGN_KEY_VIOLATION } from '../lib/db/pg-errors.js';
import { type Executor, pgCode } from '../lib/db/transaction.js';
import { NotFoundError, ValidationError } from '../lib/errors.js';
import { parse } from '../lib/http/validate.js';
import { catalogueExists } from '../checklists/checklists-repository.js';
import type { ConversationService } from '../conversation/conversation-service.js';
import { actorOf } from '../audit/actor.js';
import * as repo from './assignments-repository.js';
import { findSubmission } from './submissions-repository.js';
import { createAssignmentSchema, listAssignmentsQuery, uuidParam } from './assignments-schemas.js';

export function assignmentsRoutes(db: Db, conversation: ConversationService): Router {
  const router = Router();

  router.post('/assignments', async (req, res) => {
    const input = parse(createAssignmentSchema, req.body);
    const missing = await missingReferences(db, input);
    if (missing.length > 0)
      throw new ValidationError(`Unknown ${missing.join(', ')}`, {
        fields: missing.map((field) => ({ field, message: 'does not exist' })),
      });
    const created = await conversation.assign(input, actorOf(res)).catch((err) => {
      // Deleted between the check and the insert.
      if (pgCode(err) === PG_FOREIGN_KEY_VIOLATION)
        throw new ValidationError('Template, machine or operator does not exist');
      throw err;
    });
    res.status(201).json({ ...(await repo.findAssignmentDetail(db, created.id)), start: created.outcome });
  });

  router.get('/assignments', async (req, res) => {
    const filter = parse(listAssignmentsQuery, req.query, 'query');
    res.json({ assignments: await repo.listAssignments(db, filter) });
  });

  router.get('/assignments/:id', async (req, res) => {
    const { id } = parse(uuidParam, req.params, 'params');
    const detail = await repo.findAssignmentDetail(db, id);
    if (!detail) throw new NotFoundError(`Assignment ${id}`);
    res.json(detail);
  });

  router.post('/assignments/:id/start', async (req, res) => {
    const { id } = parse(uuidParam, req.params, 'params');
    // A missed one gets a new due time first (conversation.restartMissed).
    const missed = (await repo.findAssignmentDetail(db, id))?.status === 'missed';
    const outcome = missed
      ? await conversation.restartMissed(id, actorOf(res))
      : await conversation.start(id, { tellIfQueued: true }, { actor: actorOf(res), action: 'assignment.started' });
    res.status(outcome.started ? 200 : 202).json({ ...(await repo.findAssignmentDetail(db, id)), start: outcome });
  });

  router.post('/assignments/:id/cancel', async (req, res) => {
    const { id } = parse(uuidParam, req.params, 'params');
    await conversation.cancel(id, actorOf(res));
    res.json(await repo.findAssignmentDetail(db, id));
  });

  router.get('/submissions/:id', async (req, res) => {
    const { id } = parse(uuidParam, req.params, 'params');
    const submission = await findSubmission(db, id);
    if (!submission) throw new NotFoundError(`Submission ${id}`);
    res.json({ ...submission, messages: await submissionMessages(db, id) });
  });

  return router;
}

async function missingReferences(exec: Executor, input: { templateId: number; machineId: number; operatorId: number }) {
  const exists = await catalogueExists(exec, input);
  return (['templateId', 'machineId', 'operatorId'] as const).filter((field) => !exists[field]);
}
