import fs from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../lib/db/client.js';
import { referencedPhotos } from './photo-queries.js';
import type { PhotoStore } from './photo-store.js';

/** The names photo-store.ts's save() writes: 16 random bytes in hex and the extension of the bytes' type. */
export const SERVER_PHOTO_NAME = /^[0-9a-f]{32}\.(jpg|png|webp)$/;

/**
 * A photo is written before the transaction that records it, so for a moment nothing refers to it.
 * That moment lasts seconds; a day covers it with room for a stalled process or a corrected clock.
 */
export const ORPHAN_MIN_AGE_HOURS = 24;

export interface OrphanPhoto {
  name: string;
  bytes: number;
}

export interface OrphanSweepResult {
  dryRun: boolean;
  /** Deleted (or, in a dry run, to be deleted), by name. A file deleted meanwhile by someone else is not in it. */
  photos: OrphanPhoto[];
  bytes: number;
  /** Files that could not be deleted, with the error code; the rest went on. */
  failed: { name: string; code: string }[];
}

export type Unlink = (file: string) => Promise<void>;

/**
 * Deletes the photos nothing refers to: files named as the server names them, directly in the photos
 * folder, older than ORPHAN_MIN_AGE_HOURS by mtime, and in no answer, pending photo or session answers.
 * Other files, subfolders, symlinks and dotfiles are never touched. With dryRun, only lists them.
 */
export async function sweepOrphanPhotos(
  db: Db,
  photos: PhotoStore,
  /** unlink: fs.unlink, or a test's stand-in that fails. */
  opts: { dryRun: boolean; unlink?: Unlink },
): Promise<OrphanSweepResult> {
  const files = await listServerPhotos(photos.root);
  const referenced = await referencedPhotos(
    db,
    files.map((f) => f.name),
  );
  const cutoff = Date.now() - ORPHAN_MIN_AGE_HOURS * 3_600_000;
  const orphans = files
    .filter((f) => f.mtimeMs < cutoff && !referenced.has(f.name))
    .map(({ name, bytes }) => ({ name, bytes }));
  if (orphans.length > 0 && referenced.size === 0) {
    // The DATABASE_URL or photos folder of another installation would make every photo look like an orphan.
    throw new Error(
      `the database refers to none of the ${files.length} photo(s) in ${photos.root}; is it the server's database and photos folder? Nothing was deleted`,
    );
  }
  if (opts.dryRun) return { dryRun: true, photos: orphans, bytes: sum(orphans), failed: [] };

  const unlink = opts.unlink ?? fs.unlink;
  const deleted: OrphanPhoto[] = [];
  const failed: OrphanSweepResult['failed'] = [];
  for (const photo of orphans) {
    try {
      await unlink(path.join(photos.root, photo.name));
      deleted.push(photo);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? String(err);
      if (code !== 'ENOENT') failed.push({ name: photo.name, code });
    }
  }
  return { dryRun: false, photos: deleted, bytes: sum(deleted), failed };
}

/** Regular files with a server photo name, directly in `dir` (none when the folder does not exist). */
async function listServerPhotos(dir: string): Promise<{ name: string; bytes: number; mtimeMs: number }[]> {
  const names = await fs.readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [] as string[];
    throw err;
  });
  const files = [];
  for (const name of names.filter((n) => SERVER_PHOTO_NAME.test(n)).sort()) {
    // lstat: a symlink is not a regular file, whatever it points to.
    const st = await fs.lstat(path.join(dir, name)).catch(() => null);
    if (st?.isFile()) files.push({ name, bytes: st.size, mtimeMs: st.mtimeMs });
  }
  return files;
}

const sum = (photos: OrphanPhoto[]) => photos.reduce((total, p) => total + p.bytes, 0);
