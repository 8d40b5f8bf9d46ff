import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepOrphanPhotos } from '../../src/photos/orphans.js';
import { createPhotoStore } from '../../src/photos/photo-store.js';
import { assignChecklist } from '../support/factories.js';
import { startHarness, type Harness } from '../support/harness.js';
import { makePng } from '../support/images.js';
import { deliver, messagesDelivery, newWamid, waId } from '../support/meta-payloads.js';
import { runScript } from '../support/run-script.js';
import { settle } from '../support/settle.js';

const HOUR = 3_600_000;
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

function age(dir: string, name: string, ageMs: number): void {
  const at = new Date(Date.now() - ageMs);
  fs.utimesSync(path.join(dir, name), at, at);
}

/** A file with a name the server could have given it, last modified `ageMs` ago. */
function photoFile(dir: string, ageMs: number, name = `${randomBytes(16).toString('hex')}.png`): string {
  fs.writeFileSync(path.join(dir, name), makePng());
  age(dir, name, ageMs);
  return name;
}

const exists = (dir: string, name: string) => fs.existsSync(path.join(dir, name));

/**
 * A real answer with a photo (the first of two questions), then each reference moved to a file of its
 * own: the answer row keeps the real photo, the session's answers jsonb and pending photo name others.
 */
async function referencedPhotos() {
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
  const { rows } = await h.database.pool.query<{ photo_filename: string }>(
    'SELECT photo_filename FROM checklist_submission_answers WHERE submission_id = $1 AND photo_filename IS NOT NULL',
    [s.assignment.submissionId],
  );
  const answer = rows[0]!.photo_filename;
  const inSessionAnswers = photoFile(h.photosDir, 30 * 24 * HOUR);
  const pending = photoFile(h.photosDir, 30 * 24 * HOUR);
  await h.database.pool.query(
    `UPDATE whatsapp_conversation_sessions SET answers = jsonb_set(answers, '{0,photo}', to_jsonb($2::text)), pending_photo_url = $3 WHERE submission_id = $1`,
    [s.assignment.submissionId, inSessionAnswers, pending],
  );
  age(h.photosDir, answer, 30 * 24 * HOUR);
  return { answer, inSessionAnswers, pending };
}

describe('photos:prune --orphans', () => {
  it('when the folder holds referenced photos, orphans of both ages, a foreign name, a dotfile and a subfolder, then only the old orphan is listed by a dry run and deleted by the real run', async () => {
    const dir = h.photosDir;
    const referenced = await referencedPhotos();
    const oldOrphan = photoFile(dir, 25 * HOUR);
    const youngOrphan = photoFile(dir, 23 * HOUR);
    const foreign = photoFile(dir, 30 * 24 * HOUR, 'gauge-backup.jpg');
    const dotfile = photoFile(dir, 30 * 24 * HOUR, `.${randomBytes(16).toString('hex')}.jpg`);
    const subfolder = `${randomBytes(16).toString('hex')}.jpg`;
    fs.mkdirSync(path.join(dir, subfolder));
    age(dir, subfolder, 30 * 24 * HOUR);
    const kept = [...Object.values(referenced), youngOrphan, foreign, dotfile, subfolder];

    const dry = await sweepOrphanPhotos(h.database.db, h.runtime.photos, { dryRun: true });

    expect(dry.photos.map((p) => p.name)).toEqual([oldOrphan]);
    expect(dry.bytes).toBe(makePng().length);
    expect(exists(dir, oldOrphan)).toBe(true);

    const real = await sweepOrphanPhotos(h.database.db, h.runtime.photos, { dryRun: false });

    expect(real).toEqual({
      dryRun: false,
      photos: [{ name: oldOrphan, bytes: makePng().length }],
      bytes: makePng().length,
      failed: [],
    });
    expect(exists(dir, oldOrphan)).toBe(false);
    for (const name of kept) expect(exists(dir, name), name).toBe(true);
  });

  it('when a file is gone before its unlink or cannot be deleted, then the first is skipped, the second reported, and the rest deleted', async () => {
    const dir = h.photosDir;
    const [gone, stuck, fine] = [photoFile(dir, 48 * HOUR), photoFile(dir, 48 * HOUR), photoFile(dir, 48 * HOUR)];
    const unlink = async (file: string) => {
      const name = path.basename(file);
      if (name === gone) throw Object.assign(new Error('gone'), { code: 'ENOENT' });
      if (name === stuck) throw Object.assign(new Error('denied'), { code: 'EACCES' });
      await fs.promises.unlink(file);
    };

    const result = await sweepOrphanPhotos(h.database.db, h.runtime.photos, { dryRun: false, unlink });

    expect(result.photos.map((p) => p.name)).toEqual([fine]);
    expect(result.failed).toEqual([{ name: stuck, code: 'EACCES' }]);
    fs.rmSync(path.join(dir, gone));
    fs.rmSync(path.join(dir, stuck));
  });

  it('when the database refers to none of the photos in the folder (another installation), then it refuses and deletes nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kinto-photos-other-'));
    const name = photoFile(dir, 30 * 24 * HOUR);

    await expect(sweepOrphanPhotos(h.database.db, createPhotoStore(dir), { dryRun: false })).rejects.toThrow(
      /refers to none of the 1 photo\(s\).*Nothing was deleted/,
    );

    expect(exists(dir, name)).toBe(true);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('when the command runs with --orphans, then a dry run prints the count, bytes and names and the real run deletes them', async () => {
    // A folder of its own, holding one referenced photo and two old orphans.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kinto-photos-cli-'));
    const { answer } = await referencedPhotos();
    fs.copyFileSync(path.join(h.photosDir, answer), path.join(dir, answer));
    const orphans = [photoFile(dir, 48 * HOUR), photoFile(dir, 48 * HOUR)].sort();
    const env = { DATABASE_URL: h.database.url, WHATSAPP_PHOTOS_DIR: dir };
    const bytes = 2 * makePng().length;

    const dry = runScript('src/photos/prune-cli.ts', ['--orphans', '--dry-run'], env);

    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stdout).toBe(
      `Would delete 2 orphaned photo(s), 0.0 MB (${bytes} bytes): files in ${dir} that no answer or session refers to, older than 24 hours\n` +
        orphans.map((n) => `  ${n}\n`).join(''),
    );
    expect(orphans.every((n) => exists(dir, n))).toBe(true);

    const real = runScript('src/photos/prune-cli.ts', ['--older-than', '365d', '--orphans'], env);

    expect(real.status, real.stderr).toBe(0);
    expect(real.stdout).toMatch(/^Deleted 0 photo\(s\) of submissions created before /m);
    expect(real.stdout).toMatch(new RegExp(`^Deleted 2 orphaned photo\\(s\\), 0\\.0 MB \\(${bytes} bytes\\)`, 'm'));
    expect(orphans.some((n) => exists(dir, n))).toBe(false);
    expect(exists(dir, answer)).toBe(true);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
