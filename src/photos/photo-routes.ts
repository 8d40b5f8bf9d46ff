import fs from 'node:fs';
import path from 'node:path';
import { Router, type RequestHandler } from 'express';
import { ForbiddenError, NotFoundError } from '../lib/errors.js';
import { PHOTO_NAME } from './photo-store.js';

const CONTENT_TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
};

/**
 * GET /api/whatsapp-photos/:filename, as the deployment guide specifies. The raw path is checked
 * before anything touches the disk, so `/../../../etc/passwd` (sent byte for byte) is a 403, and the
 * real path must stay inside the photos folder (a symlink out is refused).
 */
export function photoRoutes(opts: { photosDir: string; requireAuth: RequestHandler }): Router {
  const router = Router();
  const root = path.resolve(opts.photosDir);

  // The name is judged first, so a traversal attempt is a 403 with or without credentials.
  const checkName: RequestHandler = (req, res, next) => {
    let name: string;
    try {
      name = decodeURIComponent(req.path.slice(1));
    } catch {
      throw new ForbiddenError('Invalid photo name');
    }
    if (!PHOTO_NAME.test(name) || name.includes('..') || /[/\\]/.test(name))
      throw new ForbiddenError('Invalid photo name');
    res.locals.photoName = name;
    next();
  };

  router.get(/.*/, checkName, opts.requireAuth, async (req, res) => {
    const name = res.locals.photoName as string;

    let real: string;
    let rootReal: string;
    try {
      [real, rootReal] = await Promise.all([fs.promises.realpath(path.join(root, name)), fs.promises.realpath(root)]);
    } catch {
      throw new NotFoundError('Photo');
    }
    if (path.dirname(real) !== rootReal) throw new ForbiddenError('Photo is outside the photos folder');
    const stat = await fs.promises.stat(real).catch(() => null);
    if (!stat?.isFile()) throw new NotFoundError('Photo');

    res.set({
      'Content-Type': CONTENT_TYPES[name.split('.').pop()!.toLowerCase()]!,
      'Content-Length': String(stat.size),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, max-age=86400',
    });
    const stream = fs.createReadStream(real);
    stream.on('error', (err) => {
      req.log.warn({ err, photo: name }, 'Photo stream failed');
      if (!res.headersSent) res.status(500).end();
      else res.destroy();
    });
    stream.pipe(res);
  });

  return router;
}
