// Issue 18 item 3: an action closed as done (or won't fix) can carry a photo, from the action page and through
// POST /api/actions/:id/photo; shown on the action and the submission (the print view), kept from photo pruning.
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { referencedPhotos } from '../../src/photos/photo-queries.js';
import { assignChecklist } from '../support/factories.js';
import { API_TOKEN, type Harness } from '../support/harness.js';
import { makePng } from '../support/images.js';
import { useSignedInHarness, type Agent } from '../support/admin.js';
import { say, settle } from '../support/settle.js';

let h: Harness;
let agent: Agent;
let csrf: string;
useSignedInHarness((s) => ({ h, agent, csrf } = s));

const PNG = makePng(8, 8);

/** A confirmed submission with one NOT OK, and its action's id. */
async function openAction() {
  const s = await assignChecklist(h, ['Check belts']);
  await settle(h);
  await say(h, s.operator.phoneNumber, 'NOT OK - belt frayed', 'CONFIRM');
  const { rows } = await h.database.pool.query<{ id: number }>(
    'SELECT id FROM corrective_actions WHERE submission_id = $1',
    [s.assignment.submissionId],
  );
  return { submissionId: s.assignment.submissionId, id: rows[0]!.id };
}

const apiPhoto = (id: number, bytes: Buffer, filename = 'closed.png') =>
  request(h.app)
    .post(`/api/actions/${id}/photo`)
    .set('Authorization', `Bearer ${API_TOKEN}`)
    .attach('photo', bytes, { filename, contentType: 'image/png' });

const events = async (id: number) =>
  (
    await h.database.pool.query<{ action: string }>(
      "SELECT action FROM audit_events WHERE subject_type = 'action' AND subject_id = $1 ORDER BY id",
      [String(id)],
    )
  ).rows.map((r) => r.action);

describe('the closing photo of an action', () => {
  it('when the action page is saved as done with a note and a photo, then the action, the submission page and the print view show the photo, and the trail records it', async () => {
    const { id, submissionId } = await openAction();

    const saved = await agent
      .post(`/actions/${id}`)
      .field('_csrf', csrf)
      .field('status', 'done')
      .field('ownerId', '')
      .field('dueAt', '')
      .field('note', 'belt replaced')
      .attach('photo', PNG, { filename: 'after.png', contentType: 'image/png' });

    expect(saved.status).toBe(303);
    const { rows } = await h.database.pool.query<{ status: string; note: string; closing_photo_filename: string }>(
      'SELECT status, note, closing_photo_filename FROM corrective_actions WHERE id = $1',
      [id],
    );
    const name = rows[0]!.closing_photo_filename;
    expect(rows[0]).toMatchObject({ status: 'done', note: 'belt replaced' });
    expect(name).toMatch(/^[0-9a-f]{32}\.png$/);
    expect(fs.readFileSync(path.join(h.config.WHATSAPP_PHOTOS_DIR, name))).toEqual(PNG);
    const page = await agent.get(`/actions/${id}`);
    expect(page.text).toMatch(new RegExp(`id="closing-photo"><a href="/api/whatsapp-photos/${name}"`));
    const report = await agent.get(`/submissions/${submissionId}`);
    expect(report.text).toContain(`alt="Closing photo for task 1"`);
    expect(report.text).toContain(`src="/api/whatsapp-photos/${name}"`);
    expect((await agent.get(`/api/whatsapp-photos/${name}`)).status).toBe(200);
    expect(await events(id)).toEqual(['action.status_changed', 'action.closing_photo_added']);
    expect(page.text).toContain('Added a closing photo to the action for task 1');
    expect(await referencedPhotos(h.database.db, [name])).toEqual(new Set([name]));
  });

  it('when a photo comes with an action left open, or is not an image, then the page says so beside the photo and nothing is saved', async () => {
    const { id } = await openAction();

    const stillOpen = await agent
      .post(`/actions/${id}`)
      .field('_csrf', csrf)
      .field('status', 'open')
      .field('ownerId', '')
      .field('dueAt', '')
      .field('note', '')
      .attach('photo', PNG, { filename: 'x.png', contentType: 'image/png' });
    const notImage = await agent
      .post(`/actions/${id}`)
      .field('_csrf', csrf)
      .field('status', 'done')
      .field('ownerId', '')
      .field('dueAt', '')
      .field('note', '')
      .attach('photo', Buffer.from('not a picture at all'), { filename: 'x.png', contentType: 'image/png' });

    expect(stillOpen.status).toBe(400);
    expect(stillOpen.text).toContain('id="a-photo-error"');
    expect(stillOpen.text).toContain('close it first');
    expect(notImage.status).toBe(400);
    expect(notImage.text).toContain('is not a JPEG, PNG or WebP photo');
    const { rows } = await h.database.pool.query(
      'SELECT status, closing_photo_filename FROM corrective_actions WHERE id = $1',
      [id],
    );
    expect(rows[0]).toEqual({ status: 'open', closing_photo_filename: null });
  });

  it('when the form is posted as multipart without the CSRF token, then 403 and nothing changes', async () => {
    const { id } = await openAction();

    const res = await agent.post(`/actions/${id}`).field('status', 'done').field('note', 'x');

    expect(res.status).toBe(403);
    const { rows } = await h.database.pool.query('SELECT status FROM corrective_actions WHERE id = $1', [id]);
    expect(rows[0]).toEqual({ status: 'open' });
  });

  it('when POST /api/actions/:id/photo is sent for an open action, then a 400 naming photo; once done, the photo is kept and the action answers closingPhoto', async () => {
    const { id } = await openAction();

    const early = await apiPhoto(id, PNG);
    const done = await request(h.app)
      .patch(`/api/actions/${id}`)
      .set('Authorization', `Bearer ${API_TOKEN}`)
      .send({ status: 'done', note: 'fixed' });
    const notImage = await apiPhoto(id, Buffer.from('%PDF-1.4 not an image'), 'x.pdf');
    const missing = await request(h.app)
      .post(`/api/actions/${id}/photo`)
      .set('Authorization', `Bearer ${API_TOKEN}`)
      .field('note', 'no file');
    const attached = await apiPhoto(id, PNG);
    const unknown = await apiPhoto(999999, PNG);

    expect(early.status).toBe(400);
    expect(JSON.stringify(early.body)).toContain('"field":"photo"');
    expect(done.status).toBe(200);
    expect(notImage.status).toBe(400);
    expect(JSON.stringify(notImage.body)).toContain('is not a JPEG, PNG or WebP photo');
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toContain('"field":"photo"');
    expect(attached.status).toBe(200);
    expect(attached.body).toMatchObject({
      id,
      status: 'done',
      closingPhoto: expect.stringMatching(/\.png$/) as string,
    });
    expect(unknown.status).toBe(404);
    expect(await events(id)).toEqual(['action.status_changed', 'action.closing_photo_added']);
  });
});
