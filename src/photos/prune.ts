import type { Db } from '../lib/db/client.js';
import { clearPhotosOfSubmissionsBefore, photosOfSubmissionsBefore } from '../assignments/submissions-repository.js';
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
  const names = await photosOfSubmissionsBefore(db, olderThan);
  if (dryRun || names.length === 0) return { photos: names, dryRun };
  await clearPhotosOfSubmissionsBefore(db, olderThan);
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
