import { csrfSync } from 'csrf-sync';
import type { RequestHandler } from 'express';
import { AppError } from '../../lib/errors.js';

// Synchroniser token pattern: one random token per session, sent back in every form as the hidden field _csrf.
const { csrfSynchronisedProtection, generateToken } = csrfSync({
  getTokenFromRequest: (req) => {
    const token = (req.body as { _csrf?: unknown } | undefined)?._csrf;
    return typeof token === 'string' ? token : undefined;
  },
});

export class CsrfError extends AppError {
  constructor() {
    super(
      403,
      'csrf_failed',
      'This form has expired or was not sent from this site. Go back, reload the page and try again.',
    );
  }
}

/** Refuses a POST without the session's token (403); puts the token in res.locals.csrfToken for the views. */
export const csrfProtection: RequestHandler = (req, res, next) => {
  csrfSynchronisedProtection(req, res, (err?: unknown) => {
    if (err) return next(new CsrfError());
    res.locals.csrfToken = generateToken(req);
    next();
  });
};

/** A fresh token after sign-in (the session itself is new too). */
export const newCsrfToken = (req: Parameters<RequestHandler>[0]) => generateToken(req, true);
