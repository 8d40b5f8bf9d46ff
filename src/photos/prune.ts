import { sql } from 'drizzle-orm';
import type { Db } from '../lib/db/client.js';
import type { PhotoStore } from './photo-store.js';

export interface PruneResult {
  photos: string[];
  dryRun: boolean;
}

/**
 * Deletes the photos of submissions created before `olderThan` and clears their references, so a
 * report shows "no photo" rather than a broken image. With dryRun, only lists them.
 */
export async function prunePhotos(db: Db, photos: PhotoStore, olderThan: Date, dryRun: boolean): Promise<PruneResult> {
  const rows = await db.execute<{ photo_filename: string }>(sql`
    SELECT a.photo_filename FROM checklist_submission_answers a
    JOIN checklist_submissions s ON s.id = a.submission_id
    WHERE a.photo_filename IS NOT NULL AND s.created_at < ${olderThan}
    ORDER BY a.photo_filename`);
  const names = rows.rows.map((r) => r.photo_filename);
  if (dryRun || names.length === 0) return { photos: names, dryRun };
  await db.execute(sql`
    UPDATE checklist_submission_answers a SET photo_filename = NULL
    FROM checklist_submissions s
    WHERE s.id = a.submission_id AND a.photo_filename IS NOT NULL AND s.created_at < ${olderThan}`);
  for (const name of names) await photos.remove(name);
  return { photos: names, dryRun };
}

/** "365d", "12w", "6m" (30-day months) -> the cut-off date. */
export function parseAge(value: string, now = new Date()): Date | null {
  const m = /^(\d{1,5})([dwm])$/.exec(value.trim());
  if (!m) return null;
  const days = Number(m[1]) * { d: 1, w: 7, m: 30 }[m[2] as 'd' | 'w' | 'm'];
  return new Date(now.getTime() - days * 86_400_000);
}
