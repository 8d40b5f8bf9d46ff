import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAge, prunePhotos } from '../../src/photos/prune.js';
import { assignChecklist } from '../support/factories.js';
import { startHarness, type Harness } from '../support/harness.js';
import { makePng } from '../support/images.js';
import { deliver, messagesDelivery, newWamid, waId } from '../support/meta-payloads.js';
import { settle } from '../support/settle.js';
import type { AssignmentBody, SubmissionBody } from '../support/api-bodies.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

async function answeredWithPhoto() {
  const s = await assignChecklist(h, ['Photograph the gauge', 'Check belts']);
  await settle(h);
  const image = {
    id: h.graph.addMedia(makePng(), 'image/png'),
    mime_type: 'image/png',
    sha256: 'x',
    caption: 'OK - fine',
  };
  await deliver(
    h.app,
    messagesDelivery([
      {
        from: waId(s.operator.phoneNumber),
        id: newWamid(),
        timestamp: String(Math.floor(Date.now() / 1000)),
        type: 'image',
        image,
      },
    ]),
  );
  await settle(h);
  const { submissionId } = (await h.api.get(`/api/assignments/${s.assignment.id}`)).body as AssignmentBody;
  const sub = (await h.api.get(`/api/submissions/${submissionId}`)).body as SubmissionBody;
  return { submissionId: submissionId!, photo: sub.answers[0]!.photo! };
}

describe('photos:prune', () => {
  it.each([
    ['365d', 365],
    ['2w', 14],
    ['6m', 180],
  ])('when the age is %s, then the cut-off is %i days back', (age, days) => {
    const now = new Date('2026-11-25T00:00:00Z');
    expect(parseAge(age, now)?.getTime()).toBe(now.getTime() - days * 86_400_000);
  });

  it.each(['365', 'd', '-1d', '1y'])('when the age is %s, then it is refused', (age) => {
    expect(parseAge(age)).toBeNull();
  });

  it('when a submission is older than the cut-off, then a dry run lists its photo and the real run deletes it and clears the link', async () => {
    const old = await answeredWithPhoto();
    const recent = await answeredWithPhoto();
    await h.database.pool.query(
      `UPDATE checklist_submissions SET created_at = now() - interval '400 days' WHERE id = $1`,
      [old.submissionId],
    );
    const cutoff = parseAge('365d')!;

    const dry = await prunePhotos(h.database.db, h.runtime.photos, cutoff, true);
    expect(dry.photos).toEqual([old.photo]);
    expect(fs.existsSync(path.join(h.photosDir, old.photo))).toBe(true);

    const real = await prunePhotos(h.database.db, h.runtime.photos, cutoff, false);
    expect(real.photos).toEqual([old.photo]);
    expect(fs.existsSync(path.join(h.photosDir, old.photo))).toBe(false);
    expect(fs.existsSync(path.join(h.photosDir, recent.photo))).toBe(true);
    const { rows } = await h.database.pool.query(
      'SELECT photo_filename FROM checklist_submission_answers WHERE submission_id = $1',
      [old.submissionId],
    );
    expect(rows).toEqual([{ photo_filename: null }]);
  });
});
