import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';

/** Operators' cameras send JPEG or PNG; stickers and some apps WebP. Judged by the bytes, never the declared type. */
const ALLOWED = new Map([
  ['image/jpeg', 'jpg'],
  ['image/png', 'png'],
  ['image/webp', 'webp'],
]);

export const PHOTO_NAME = /^[a-zA-Z0-9_-]+\.(jpg|jpeg|png|gif|webp)$/;
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

export class PhotoRejectedError extends Error {
  constructor(
    readonly reason: 'not_an_image' | 'too_large' | 'not_writable',
    message: string,
  ) {
    super(message);
  }
}

export function createPhotoStore(dir: string) {
  const root = path.resolve(dir);
  return {
    root,
    /** Checks the bytes and writes `<random>.<ext>`; returns the file name. */
    async save(bytes: Buffer): Promise<string> {
      if (bytes.length > MAX_PHOTO_BYTES)
        throw new PhotoRejectedError('too_large', `Photo is ${bytes.length} bytes; the limit is 5 MB`);
      const type = await fileTypeFromBuffer(bytes);
      const ext = type && ALLOWED.get(type.mime);
      if (!ext)
        throw new PhotoRejectedError('not_an_image', `Not a JPEG, PNG or WebP image (${type?.mime ?? 'unknown type'})`);
      const name = `${randomBytes(16).toString('hex')}.${ext}`;
      try {
        await fs.writeFile(path.join(root, name), bytes, { mode: 0o644, flag: 'wx' });
      } catch (err) {
        throw new PhotoRejectedError(
          'not_writable',
          `Cannot write to ${root}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
        );
      }
      return name;
    },
    /** Removes a photo nothing refers to any more (a replaced pending photo, a rolled-back answer). */
    async remove(name: string): Promise<void> {
      if (!PHOTO_NAME.test(name)) return;
      await fs.rm(path.join(root, name), { force: true });
    },
  };
}

export type PhotoStore = ReturnType<typeof createPhotoStore>;
