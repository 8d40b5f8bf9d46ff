import type { Request, RequestHandler } from 'express';
import multer from 'multer';
import { ValidationError } from '../lib/errors.js';
import { MAX_PHOTO_BYTES, PhotoRejectedError, type PhotoStore } from './photo-store.js';

/**
 * One optional photo in a multipart form, held in memory (at most MAX_PHOTO_BYTES, one file, a few small fields,
 * as the simulator's upload). A refusal is a 400 naming `field`. The bytes are judged and stored by storeUpload.
 */
export function photoUpload(field: string): RequestHandler {
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: MAX_PHOTO_BYTES, files: 1, fields: 20, fieldSize: 16 * 1024 },
  }).single(field);
  return (req, res, next) => {
    upload(req, res, (err: unknown) => {
      if (!err) return next();
      const code = err instanceof multer.MulterError ? err.code : null;
      const message =
        code === 'LIMIT_FILE_SIZE'
          ? `is larger than ${MAX_PHOTO_BYTES / 1024 / 1024} MB: choose a smaller one`
          : code === 'LIMIT_UNEXPECTED_FILE' || code === 'LIMIT_FILE_COUNT'
            ? `takes one photo, in the form field "${field}"`
            : 'was incomplete or not understood: try again';
      next(new ValidationError(`Invalid ${field}`, { fields: [{ field, message }] }));
    });
  };
}

/**
 * Stores the uploaded photo, if one was sent: its bytes must be a JPEG, PNG or WebP (file-type, never the declared
 * type). Returns the stored name; a refusal is a 400 naming `field`.
 */
export async function storeUpload(photos: PhotoStore, req: Request, field: string): Promise<string | undefined> {
  const file = req.file;
  if (!file || file.size === 0) return undefined;
  try {
    return await photos.save(file.buffer);
  } catch (err) {
    if (!(err instanceof PhotoRejectedError) || err.reason === 'not_writable') throw err;
    const message = err.reason === 'too_large' ? 'is larger than 5 MB' : 'is not a JPEG, PNG or WebP photo';
    throw new ValidationError(`Invalid ${field}`, { fields: [{ field, message }] });
  }
}
