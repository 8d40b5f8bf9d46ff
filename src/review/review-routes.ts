import { Router } from 'express';
import { actorOf } from '../audit/actor.js';
import type { Db } from '../lib/db/client.js';
import { NotFoundError } from '../lib/errors.js';
import { parse } from '../lib/http/validate.js';
import { uuidParam } from '../assignments/assignments-schemas.js';
import { reviewBody } from './review-schemas.js';
import type { ReviewService } from './review-service.js';
import { submissionWithReview } from './review-queries.js';

/** `POST /api/submissions/:id/review` and the rework's cancel (issue 18 items 1 and 2). */
export function reviewRoutes(db: Db, review: ReviewService): Router {
  const router = Router();

  router.post('/submissions/:id/review', async (req, res) => {
    const { id } = parse(uuidParam, req.params, 'params');
    const input = parse(reviewBody, req.body);
    const outcome = await review.decide(id, input, actorOf(res));
    const submission = await submissionWithReview(db, id);
    if (!submission) throw new NotFoundError(`Submission ${id}`);
    res.json({ ...submission, ...(outcome.rework ? { start: outcome.rework.start } : {}) });
  });

  router.get('/submissions/:id/reworks', async (req, res) => {
    const { id } = parse(uuidParam, req.params, 'params');
    const submission = await submissionWithReview(db, id);
    if (!submission) throw new NotFoundError(`Submission ${id}`);
    res.json({ reworks: submission.reworks });
  });

  router.post('/submissions/:id/rework/cancel', async (req, res) => {
    const { id } = parse(uuidParam, req.params, 'params');
    await review.cancelRework(id, actorOf(res));
    res.json(await submissionWithReview(db, id));
  });

  return router;
}
